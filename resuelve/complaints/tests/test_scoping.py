"""Who sees which complaints: department members their departments' cases, the intake desk the
cases not yet routed, confidential cases only their assignee and supervisors and above."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from resuelve.complaints import selectors, services, tracking
from resuelve.complaints.lifecycle import Action, State
from resuelve.complaints.models import Complaint, ComplaintEvent, Message


@pytest.fixture
def cases(scoped_cases: dict[str, Complaint]) -> dict[str, Complaint]:
    return scoped_cases


EVERYTHING = {
    "quality",
    "workshop",
    "desk",
    "unrouted",
    "unrouted_assessed",
    "secret_mine",
    "secret_nobodys",
    "secret_workshop",
}
NOT_CONFIDENTIAL = {"quality", "workshop", "desk", "unrouted", "unrouted_assessed"}
VISIBLE = {
    "agent": {"desk", "unrouted", "unrouted_assessed"},
    "handler": {"quality", "secret_mine"},
    "supervisor": {"quality", "unrouted", "unrouted_assessed", "secret_mine", "secret_nobodys"},
    "manager": EVERYTHING,
    "admin": EVERYTHING,
    "auditor": NOT_CONFIDENTIAL,
    "outsider": {"workshop", "secret_workshop"},
}


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_it_shows_each_persona_exactly_the_cases_they_may_see(cases, personas, persona):
    user = personas[persona]
    listed = set(selectors.complaints_visible_to(user).values_list("pk", flat=True))
    expected = {cases[name].pk for name in VISIBLE[persona]}
    names = {name for name, case in cases.items() if case.pk in listed}
    assert names == VISIBLE[persona]
    assert listed == expected
    for name, case in cases.items():
        assert selectors.can_view(user, case) == (name in VISIBLE[persona]), name


def test_it_keeps_confidential_cases_from_the_auditor(cases, auditor):
    secret = {cases[name].pk for name in EVERYTHING - NOT_CONFIDENTIAL}
    assert not selectors.complaints_visible_to(auditor).filter(pk__in=secret).exists()
    assert selectors.complaints_visible_to(auditor).filter(confidential=False).count() == len(
        NOT_CONFIDENTIAL
    )


def test_it_shows_nothing_to_a_disabled_account(cases, manager, handler):
    for user in [manager, handler]:
        user.is_active = False
        user.save()
        assert selectors.complaints_visible_to(user).count() == 0
        assert not any(selectors.can_view(user, case) for case in cases.values())


def test_it_hides_a_case_from_a_department_once_it_is_routed_elsewhere(
    make_complaint, manager, workshop, handler, outsider
):
    case = make_complaint(state=State.ASSIGNED)
    assert selectors.can_view(handler, case) and not selectors.can_view(outsider, case)
    case = services.complaint_assign(
        complaint=case, actor=manager, department=workshop, assignee=outsider
    )
    assert not selectors.can_view(handler, case) and selectors.can_view(outsider, case)


def test_it_lets_the_assignee_keep_seeing_their_case(make_complaint, handler, quality, workshop):
    case = make_complaint(state=State.ASSIGNED, confidential=True)
    handler.departments.set([workshop])
    handler = type(handler).objects.get(pk=handler.pk)  # forget the cached department ids
    assert selectors.can_view(handler, case)
    assert selectors.complaints_visible_to(handler).filter(pk=case.pk).exists()


def test_it_finds_a_code_only_among_the_cases_the_user_may_see(cases, outsider, supervisor):
    code = cases["quality"].tracking_code
    filters = selectors.QueueFilters(q=code)
    assert selectors.queue_page(user=outsider, filters=filters).items == []
    assert [c.pk for c in selectors.queue_page(user=supervisor, filters=filters).items] == [
        cases["quality"].pk
    ]


def test_it_lists_only_visible_previous_complaints_of_the_customer(
    make_complaint, customer, agent, supervisor, service_desk
):
    open_case = make_complaint(state=State.ACKNOWLEDGED, customer=customer, subject="Now")
    make_complaint(state=State.ASSIGNED, customer=customer, confidential=True, subject="Secret")
    make_complaint(
        state=State.ASSIGNED,
        customer=customer,
        department=service_desk,
        assignee=agent,
        subject="Earlier",
    )
    for_agent = selectors.customer_history(open_case, user=agent)
    assert [c.subject for c in for_agent["previous"]] == ["Earlier"]
    for_supervisor = selectors.customer_history(open_case, user=supervisor)
    assert [c.subject for c in for_supervisor["previous"]] == ["Secret"]
    assert [p.order_number for p in for_agent["purchases"]] == ["PO-1002", "PO-1001"]


# --- the case page ----------------------------------------------------------------------------


def _page(client, user, code: str):
    client.force_login(user)
    return client.get(reverse("complaints:case", kwargs={"code": code}))


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_it_opens_the_case_page_only_for_cases_the_user_may_see(client, cases, personas, persona):
    for name, case in cases.items():
        response = _page(client, personas[persona], case.tracking_code)
        assert response.status_code == (200 if name in VISIBLE[persona] else 404), name


def _comparable(response, code: str) -> str:
    """The page without what differs on every response (the masked CSRF token) or by URL."""
    html = response.content.decode().replace(code, "CODE")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_it_answers_a_hidden_case_exactly_like_a_missing_one(client, cases, outsider):
    hidden = cases["quality"].tracking_code
    payload = "7KX9M4TPQ"
    missing = tracking.format_code(payload + tracking.check_symbol(payload))
    assert not Complaint.objects.filter(tracking_code=missing).exists()
    hidden_response = _page(client, outsider, hidden)
    missing_response = _page(client, outsider, missing)
    garbage_response = _page(client, outsider, "not-a-code")
    assert hidden_response.status_code == missing_response.status_code == 404
    assert garbage_response.status_code == 404
    assert _comparable(hidden_response, hidden) == _comparable(missing_response, missing)
    assert cases["quality"].subject not in hidden_response.content.decode()


def test_it_changes_nothing_when_an_outsider_posts_a_step_to_a_hidden_case(client, cases, outsider):
    case = cases["quality"]
    before = Complaint.objects.values().get(pk=case.pk)
    messages = Message.objects.filter(complaint=case).count()
    client.force_login(outsider)
    for action, data in [
        (Action.PROPOSE, {"propose-solution": "Refund everything", "propose-value": "1"}),
        (Action.START_INVESTIGATION, {}),
        (Action.NOTE, {"note-body": "I was here"}),
        (Action.REPLY, {"reply-body": "Hello from the workshop"}),
    ]:
        url = reverse("complaints:step", kwargs={"code": case.tracking_code, "action": action})
        assert client.post(url, data).status_code == 404
    assert Complaint.objects.values().get(pk=case.pk) == before
    assert Message.objects.filter(complaint=case).count() == messages
    assert ComplaintEvent.objects.filter(complaint=case).count() == before["event_count"]
