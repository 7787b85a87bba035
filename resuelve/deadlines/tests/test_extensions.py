"""Notified extensions (JURISDICTIONS: "if the term cannot be met, notify before it expires
with reasons and a new date"), under the US CFPB preset: 15 calendar days, extendable by 45."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from resuelve.complaints.lifecycle import Action, IllegalStep, NotAllowed, State
from resuelve.complaints.models import ComplaintEvent, Message
from resuelve.complaints.services import complaint_resume, complaint_wait_for_customer
from resuelve.deadlines.history import answer_due_from_history, extension_used
from resuelve.deadlines.models import DeadlinePolicy
from resuelve.deadlines.selectors import forget_policies
from resuelve.deadlines.services import complaint_extend_deadline, extension_allowance
from resuelve.notifications.models import Outbox
from resuelve.testing.fixtures import chain_problems

# 15 calendar days from the day after Monday 3 March 2025, to the close of 18 March (Bogotá).
DUE = datetime(2025, 3, 19, 4, 59, 59, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _cfpb(settings):
    settings.RESUELVE_DEADLINE_POLICY = "us-cfpb"
    forget_policies()
    yield
    forget_policies()


def test_it_extends_the_deadline_and_tells_the_customer_why_in_their_language(
    clock, make_complaint, handler
):
    case = make_complaint(state=State.INVESTIGATING, contact_name="")  # a Spanish customer
    assert case.due_at == DUE and case.language == "es"
    clock.advance(days=5)

    complaint_extend_deadline(
        complaint=case, actor=handler, amount=10, reason="Esperamos el informe del taller."
    )

    case.refresh_from_db()
    assert case.due_at == DUE + timedelta(days=10)
    event = ComplaintEvent.objects.get(complaint=case, action=Action.EXTEND)
    assert event.reason == "Esperamos el informe del taller."
    assert event.changes["amount"] == 10 and event.changes["due_at"] == case.due_at.isoformat()
    assert event.from_state == event.to_state == State.INVESTIGATING
    message = Message.objects.get(pk=event.changes["message"])
    assert "Esperamos el informe del taller." in message.body
    assert "2025-03-28" in message.body and "cliente" in message.body
    mail = Outbox.objects.get(message=message)
    assert mail.recipient == "ana@example.com" and "Su número de radicado" in mail.body
    assert chain_problems(case) == []


def test_an_english_customer_reads_it_in_english(clock, make_complaint, handler):
    case = make_complaint(state=State.INVESTIGATING, contact_name="", language="en")
    complaint_extend_deadline(complaint=case, actor=handler, amount=1, reason="Parts are late.")
    message = Message.objects.filter(complaint=case).latest("pk")
    assert message.body.startswith("Dear customer,")
    assert "Your tracking number" in Outbox.objects.get(message=message).body


def test_it_refuses_beyond_the_cap_counting_every_extension(clock, make_complaint, handler):
    case = make_complaint(state=State.INVESTIGATING)
    complaint_extend_deadline(complaint=case, actor=handler, amount=40, reason="Supplier.")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        complaint_extend_deadline(complaint=case, actor=handler, amount=6, reason="More.")
    assert "5 remain" in str(refused.value)
    complaint_extend_deadline(complaint=case, actor=handler, amount=5, reason="Last.")
    allowance = extension_allowance(case)
    assert (allowance.used, allowance.remaining) == (45, 0)
    case.refresh_from_db()
    assert case.due_at == DUE + timedelta(days=45)


def test_it_refuses_without_a_reason_or_amount(clock, make_complaint, handler):
    case = make_complaint(state=State.INVESTIGATING)
    with pytest.raises(ValidationError):
        complaint_extend_deadline(complaint=case, actor=handler, amount=3, reason="  ")
    with pytest.raises(ValidationError):
        complaint_extend_deadline(complaint=case, actor=handler, amount=0, reason="Why")
    assert not ComplaintEvent.objects.filter(action=Action.EXTEND).exists()


def test_it_refuses_once_the_deadline_has_passed(clock, make_complaint, handler):
    case = make_complaint(state=State.INVESTIGATING)
    clock.set(DUE + timedelta(seconds=1))
    with pytest.raises(IllegalStep):
        complaint_extend_deadline(complaint=case, actor=handler, amount=3, reason="Too late.")
    case.refresh_from_db()
    assert case.due_at == DUE


def test_it_refuses_when_the_policy_allows_no_extension(clock, make_complaint, handler):
    DeadlinePolicy.objects.filter(code="us-cfpb").update(extension_amount=0)
    forget_policies()
    case = make_complaint(state=State.INVESTIGATING)
    with pytest.raises(NotAllowed):
        complaint_extend_deadline(complaint=case, actor=handler, amount=1, reason="Why.")


def test_it_refuses_staff_who_may_not_write_on_the_case(clock, make_complaint, outsider, auditor):
    case = make_complaint(state=State.INVESTIGATING)
    for person in (outsider, auditor):
        with pytest.raises(NotAllowed):
            complaint_extend_deadline(complaint=case, actor=person, amount=1, reason="Why.")


def test_the_history_counts_extensions_and_pauses_together(clock, make_complaint, handler):
    case = make_complaint(state=State.INVESTIGATING)
    complaint_extend_deadline(complaint=case, actor=handler, amount=10, reason="Supplier.")
    case = complaint_wait_for_customer(complaint=case, actor=handler, question="A photo?")
    clock.advance(days=3)
    case = complaint_resume(complaint=case, actor=handler)
    events = case.events.order_by("seq").values_list("action", "at", "changes")
    # The term, the 10 days of extension and the days waited that the term counts: 4 and
    # 5 March (3 March, the day of receipt, never counted).
    due = answer_due_from_history(case.deadline_policy, case.received_at, events)
    assert due == DUE + timedelta(days=12)


def test_a_reopened_case_counts_its_term_and_allowance_from_the_reopening(clock, make_complaint):
    case = make_complaint(state=State.INVESTIGATING)
    reopened_at = case.received_at + timedelta(days=40)
    events = [
        ("register", case.received_at, {}),
        ("extend", case.received_at + timedelta(days=2), {"amount": 30}),
        ("reopen", reopened_at, {}),
    ]
    policy = case.deadline_policy
    assert answer_due_from_history(policy, case.received_at, events) == policy.answer_due(
        reopened_at
    )
    assert extension_used(events) == 0
