"""The customer's answer on the public page: an unguessable, single-use link; the answer on
the case's audit trail; a low score or "not solved" opens a task for the supervisor (F3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from resuelve.accounts.models import User
from resuelve.complaints import audit
from resuelve.complaints.lifecycle import Action, State
from resuelve.complaints.models import Complaint, ComplaintEvent
from resuelve.followup import services, tokens
from resuelve.followup.models import FollowUpTask, Survey, SurveyLink, TaskReason
from resuelve.followup.tests.conftest import SendSurvey
from resuelve.testing.fixtures import Clock

pytestmark = pytest.mark.django_db

LOW = {
    "csat": "1",
    "solved": "yes",
    "effort": "2",
    "nps": "3",
    "compared": "worse",
    "comment": "Nobody called me back.",
}
HAPPY = {"csat": "5", "solved": "yes", "effort": "5", "nps": "10", "compared": "better"}


def customer_client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def staff_client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def answer(link: str, data: dict[str, str], client: Client | None = None) -> Any:
    return (client or customer_client()).post(link, data, follow=True)


def test_it_links_with_a_long_random_secret_that_only_the_link_holds(
    resolved: Complaint, sent_survey: SendSurvey
) -> None:
    survey, link = sent_survey(resolved)
    secret = link.strip("/").split("/")[-1]
    assert len(secret) >= 43
    assert secret not in (str(survey.pk), str(resolved.pk)) and resolved.tracking_code not in secret
    stored = SurveyLink.objects.get(survey=survey)
    assert stored.token_hash == tokens.digest(secret) and secret not in stored.token_hash
    assert secret not in repr(list(Survey.objects.filter(pk=survey.pk).values()))
    assert services.link_issue(survey=survey) != secret  # every link is new randomness

    assert customer_client().get(link).status_code == 200
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    response = customer_client().get(tampered)
    assert response.status_code == 404
    assert b"We do not recognise this link" in response.content
    assert customer_client().get(f"/survey/{survey.pk}/").status_code == 404


def test_it_takes_one_answer_only(
    clock: Clock, resolved: Complaint, sent_survey: SendSurvey
) -> None:
    survey, link = sent_survey(resolved)
    first = answer(link, HAPPY)
    assert first.status_code == 200 and b"We have received your answer." in first.content
    second = answer(link, LOW)
    assert b"You have already answered this survey" in second.content
    survey.refresh_from_db()
    assert survey.csat == 5 and survey.nps == 10 and survey.comment == ""
    with pytest.raises(services.AlreadyAnswered):
        services.survey_answer(survey=survey, answer=services.Answer(csat=1, solved=False))
    assert not FollowUpTask.objects.exists()


def test_it_asks_again_for_missing_required_answers(
    resolved: Complaint, sent_survey: SendSurvey
) -> None:
    survey, link = sent_survey(resolved)
    response = customer_client().post(link, {"nps": "7"})
    assert response.status_code == 400
    assert b"Choose how satisfied you are." in response.content
    assert b"Tell us whether your problem is solved." in response.content
    survey.refresh_from_db()
    assert survey.answered_at is None


def test_it_records_the_answer_on_the_case_audit_trail(
    resolved: Complaint, sent_survey: SendSurvey
) -> None:
    survey, link = sent_survey(resolved)
    answer(link, HAPPY)
    resolved.refresh_from_db()
    # A satisfied customer who says it is solved has followed the case up (F4).
    assert resolved.satisfaction == 5 and resolved.state == State.FOLLOWED_UP
    follow_up = ComplaintEvent.objects.filter(complaint=resolved).latest("seq")
    assert follow_up.action == Action.FOLLOW_UP and follow_up.actor_label == "customer"
    assert follow_up.from_state == State.RESOLVED and follow_up.actor_id is None
    event = ComplaintEvent.objects.filter(complaint=resolved, action=Action.NOTE).latest("seq")
    assert event.actor_label == "customer"
    assert event.changes == {"satisfaction": 5}
    assert "Satisfaction survey answered" in event.reason or "Encuesta" in event.reason
    events = list(
        ComplaintEvent.objects.filter(complaint=resolved)
        .order_by("seq")
        .values(
            "seq",
            "at",
            "actor_id",
            "actor_label",
            "action",
            "from_state",
            "to_state",
            "changes",
            "reason",
            "prev_hash",
            "hash",
        )
    )
    assert (
        audit.verify_chain(
            tracking_code=resolved.tracking_code,
            head=resolved.audit_head,
            count=resolved.event_count,
            events=events,
        )
        == []
    )
    assert not FollowUpTask.objects.exists()  # a satisfied customer needs no follow-up


def test_it_opens_a_task_for_the_supervisor_on_a_low_score(
    resolved: Complaint, sent_survey: SendSurvey, supervisor: User, outsider: User
) -> None:
    survey, link = sent_survey(resolved)
    answer(link, LOW)
    task = FollowUpTask.objects.get(complaint=resolved)
    assert task.survey == survey and task.reason == TaskReason.LOW_CSAT
    assert task.department == resolved.department and task.assignee == supervisor
    assert task.done_at is None

    page = staff_client(supervisor).get(reverse("followup:tasks"))
    assert page.status_code == 200
    html = page.content.decode()
    assert resolved.tracking_code in html and "Nobody called me back." in html
    assert f'data-task="{task.pk}"' in html and f'data-survey="{survey.pk}"' in html

    case_page = (
        staff_client(supervisor)
        .get(reverse("complaints:case", args=[resolved.tracking_code]))
        .content.decode()
    )
    assert 'id="survey"' in case_page and f'data-task="{task.pk}"' in case_page
    assert "Low satisfaction" in case_page and "Nobody called me back." in case_page

    # Another department's handler sees neither the task nor the comment.
    other = staff_client(outsider).get(reverse("followup:tasks")).content.decode()
    assert resolved.tracking_code not in other and "Nobody called me back." not in other


def test_it_lets_the_supervisor_reopen_a_case_the_customer_says_is_not_solved(
    resolved: Complaint, sent_survey: SendSurvey, supervisor: User, handler: User
) -> None:
    survey, link = sent_survey(resolved)
    answer(link, {**HAPPY, "solved": "no", "csat": "3"})
    task = FollowUpTask.objects.get(complaint=resolved)
    assert task.reason == TaskReason.NOT_SOLVED

    # A handler may not close it; the supervisor reopens the case from the task.
    refused = staff_client(handler).post(
        reverse("followup:task_done", args=[task.pk]), {"note": "x", "reopen": "on"}, follow=True
    )
    assert b"Only supervisors and managers close follow-up tasks." in refused.content
    staff_client(supervisor).post(
        reverse("followup:task_done", args=[task.pk]),
        {"note": "Called the customer: the squeak is back.", "reopen": "on"},
    )
    resolved.refresh_from_db()
    task.refresh_from_db()
    assert resolved.state == State.INVESTIGATING and resolved.resolved_at is None
    assert task.done_by == supervisor and task.note == "Called the customer: the squeak is back."
    reopen = ComplaintEvent.objects.filter(complaint=resolved, action=Action.REOPEN).get()
    assert (
        reopen.reason == "Called the customer: the squeak is back." and reopen.actor == supervisor
    )


def test_it_keeps_the_comment_plain_and_short(
    resolved: Complaint, sent_survey: SendSurvey, supervisor: User
) -> None:
    survey, link = sent_survey(resolved)
    answer(link, {**LOW, "comment": "<script>alert(1)</script>\x07\x1b ok\r\nline two   "})
    survey.refresh_from_db()
    assert survey.comment == "<script>alert(1)</script> ok\nline two"
    html = staff_client(supervisor).get(reverse("followup:tasks")).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert len(services.clean_comment("x" * 5000)) == 2000
    assert services.clean_comment("a\x00b\u202ec") == "abc"


def test_it_shows_the_survey_in_the_customers_language_unless_they_switch(
    resolved: Complaint, sent_survey: SendSurvey
) -> None:
    _survey, link = sent_survey(resolved)
    client = Client()  # no Accept-Language: the survey's language (the customer's English)
    page = client.get(link)
    assert '<html lang="en"' in page.content.decode() and page["Content-Language"] == "en"
    # The private link never leaves the site in a Referer; same-origin keeps the POST's Origin.
    assert page["Referrer-Policy"] == "same-origin"
    client.cookies["django_language"] = "es"
    page = client.get(link)
    assert '<html lang="es"' in page.content.decode() and page["Content-Language"] == "es"


def test_it_limits_answer_attempts_per_address(
    settings: Any, resolved: Complaint, sent_survey: SendSurvey
) -> None:
    settings.RESUELVE_FILINGS_PER_HOUR = 1
    _survey, link = sent_survey(resolved)
    client = customer_client()
    codes = [client.post(link, {"nps": "x"}).status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]


def test_it_refuses_an_answer_without_the_csrf_token(
    resolved: Complaint, sent_survey: SendSurvey
) -> None:
    survey, link = sent_survey(resolved)
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    assert client.post(link, HAPPY).status_code == 403
    survey.refresh_from_db()
    assert survey.answered_at is None
