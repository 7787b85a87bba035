"""The playbook panel of the case page: the checklist, the not-routine form and the reply
templates, without JavaScript."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from resuelve.accounts.models import Department, User
from resuelve.complaints.lifecycle import State
from resuelve.complaints.models import Complaint
from resuelve.guidance.models import CaseGuidance, Playbook, PlaybookTick, ReplyTemplate
from resuelve.testing.fixtures import MakeComplaint

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def desk_case(make_complaint: MakeComplaint, service_desk: Department, agent: User) -> Complaint:
    return make_complaint(
        state=State.INVESTIGATING, department=service_desk, assignee=agent, language="et"
    )


def test_it_shows_the_routine_checklist_and_the_templates_in_the_customer_language(
    client: Client,
    desk_case: Complaint,
    playbook: Playbook,
    reply_template: ReplyTemplate,
    agent: User,
) -> None:
    client.force_login(agent)
    html = client.get(f"/staff/c/{desk_case.tracking_code}/", **EN).content.decode()
    assert "Routine: Wrong part" in html
    assert html.count('class="tick-form"') == 3
    assert "0 of 3 steps done" in html
    assert "Usual remedy" in html and "up to 50,000 COP" in html
    assert 'name="routine-reason"' in html
    assert 'data-template="answer" data-language="et"' in html
    assert "Tere, Ana Pérez!" in html  # Estonian, the case's language
    assert "No translation in" not in html
    assert 'data-field="reply-body"' in html and "guidance/guidance.js" in html

    reply_template.texts.filter(language="et").delete()
    html = client.get(f"/staff/c/{desk_case.tracking_code}/", **EN).content.decode()
    assert "No translation in Estonian: shown in Spanish." in html
    assert "Hola, Ana Pérez" in html


def test_it_ticks_and_unticks_a_step_by_post(
    client: Client, desk_case: Complaint, playbook: Playbook, agent: User
) -> None:
    client.force_login(agent)
    step = playbook.steps.first()
    url = f"/staff/guidance/case/{desk_case.tracking_code}/tick/{step.pk}/"
    response = client.post(url, {"done": "on"}, **EN)
    assert response.status_code == 302 and response["Location"].endswith("#playbook")
    assert PlaybookTick.objects.filter(complaint=desk_case, step=step, by=agent).exists()
    html = client.get(f"/staff/c/{desk_case.tracking_code}/", **EN).content.decode()
    assert "1 of 3 steps done" in html and "done by Alba Test" in html
    with translation.override("es"):  # the trail is written in the company language
        reason = gettext("Playbook step %(n)s done: %(text)s") % {"n": 1, "text": step.text}
    assert f'<p class="reason">{reason}</p>' in html

    client.post(url, {"done": ""}, **EN)
    assert not PlaybookTick.objects.filter(complaint=desk_case).exists()


def test_it_refuses_ticks_of_someone_who_may_not_see_the_case(
    client: Client, desk_case: Complaint, playbook: Playbook, outsider: User
) -> None:
    client.force_login(outsider)
    step = playbook.steps.first()
    url = f"/staff/guidance/case/{desk_case.tracking_code}/tick/{step.pk}/"
    assert client.post(url, {"done": "on"}, **EN).status_code == 404
    assert not PlaybookTick.objects.exists()


def test_it_marks_a_case_not_routine_and_sends_it_on(
    client: Client, desk_case: Complaint, playbook: Playbook, agent: User, quality: Department
) -> None:
    client.force_login(agent)
    url = f"/staff/guidance/case/{desk_case.tracking_code}/not-routine/"
    response = client.post(url, {"routine-reason": ""}, follow=True, **EN)
    assert "Say why this case is not routine." in response.content.decode()
    assert not CaseGuidance.objects.exists()

    response = client.post(url, {"routine-reason": "Fitted by a third party"}, follow=True, **EN)
    html = response.content.decode()
    assert "Marked not routine and sent to Quality." in html
    desk_case.refresh_from_db()
    assert desk_case.department == quality and desk_case.assignee is None
    assert CaseGuidance.objects.get(complaint=desk_case).routine is False
    # The agent no longer sees a case of quality's queue: back to her queue.
    assert response.redirect_chain[-1][0] == "/staff/"


def test_it_shows_a_read_only_checklist_to_an_auditor(
    client: Client,
    make_complaint: MakeComplaint,
    playbook: Playbook,
    auditor: User,
    reply_template: ReplyTemplate,
) -> None:
    case = make_complaint(state=State.INVESTIGATING)
    client.force_login(auditor)
    html = client.get(f"/staff/c/{case.tracking_code}/", **EN).content.decode()
    assert "Routine: Wrong part" in html
    assert html.count("disabled") >= 3
    assert 'name="routine-reason"' not in html
    assert "Use this template" not in html


def test_it_shows_no_panel_on_a_case_without_playbook_or_templates(
    client: Client, make_complaint: MakeComplaint, handler: User
) -> None:
    case = make_complaint(state=State.INVESTIGATING)
    client.force_login(handler)
    html = client.get(f"/staff/c/{case.tracking_code}/", **EN).content.decode()
    assert 'id="playbook"' not in html and "guidance/guidance.js" not in html
