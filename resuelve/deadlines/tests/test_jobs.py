"""The deadline scan: warnings before the deadline, the customer's progress notice, and the
escalation on breach, moved through time with the controllable clock. Cases run under the
flat company terms (answer within RESUELVE_ANSWER_DAYS = 15 calendar days)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command

from resuelve.complaints.lifecycle import Action, State
from resuelve.complaints.models import ComplaintEvent, Message, Visibility
from resuelve.complaints.services import complaint_resume
from resuelve.deadlines.jobs import check_deadlines
from resuelve.deadlines.models import AlertKind, DeadlineAlert
from resuelve.notifications.models import Outbox
from resuelve.testing.fixtures import START, chain_problems

TERM = timedelta(days=15)


@pytest.fixture(autouse=True)
def _flat_terms(settings):
    settings.RESUELVE_DEADLINE_POLICY = ""
    settings.RESUELVE_ANSWER_DAYS = 15
    settings.RESUELVE_DEADLINE_WARNINGS = ["50", "75", "90"]
    settings.RESUELVE_ESCALATE_MANAGER_AFTER_HOURS = 24


def _mails_to(address):
    return list(Outbox.objects.filter(recipient=address).order_by("pk"))


def test_it_warns_the_assignee_at_each_level_once_and_not_before(clock, make_complaint, handler):
    case = make_complaint(state=State.INVESTIGATING)
    assert case.due_at == START + TERM

    clock.set(START + TERM * 0.5 - timedelta(minutes=1))
    assert check_deadlines()["warnings"] == 0
    assert _mails_to(handler.email) == []

    clock.set(START + TERM * 0.5)
    assert check_deadlines()["warnings"] == 1
    (first,) = _mails_to(handler.email)
    assert "50%" in first.subject and case.tracking_code in first.subject
    assert first.headers["Auto-Submitted"] == "auto-generated"
    assert check_deadlines()["warnings"] == 0  # once only
    clock.advance(hours=1)
    assert check_deadlines()["warnings"] == 0

    clock.set(START + TERM * 0.75)
    assert check_deadlines()["warnings"] == 1
    clock.set(START + TERM * 0.9)
    assert check_deadlines()["warnings"] == 1
    assert check_deadlines()["warnings"] == 0
    subjects = [row.subject for row in _mails_to(handler.email)]
    assert ["50%" in subjects[0], "75%" in subjects[1], "90%" in subjects[2]] == [True] * 3
    levels = DeadlineAlert.objects.filter(complaint=case, kind=AlertKind.WARNING)
    assert sorted(levels.values_list("level", flat=True)) == [50, 75, 90]


def test_it_sends_one_warning_for_the_highest_level_when_it_sees_a_case_late(
    clock, make_complaint, handler
):
    make_complaint(state=State.INVESTIGATING)
    clock.set(START + TERM * 0.95)
    assert check_deadlines()["warnings"] == 1
    (only,) = _mails_to(handler.email)
    assert "90%" in only.subject
    assert DeadlineAlert.objects.filter(kind=AlertKind.WARNING).count() == 3


def test_it_warns_the_department_supervisors_when_nobody_is_assigned(
    clock, make_complaint, supervisor, quality, admin
):
    quality.head = admin
    quality.save()
    make_complaint(state=State.ASSESSED)  # routed to quality by its category, not assigned
    clock.set(START + TERM * 0.5)
    check_deadlines()
    assert len(_mails_to(supervisor.email)) == 1
    assert len(_mails_to(admin.email)) == 1


def test_it_writes_the_warning_in_the_staff_members_language(clock, make_complaint, handler):
    handler.language = "es"
    handler.save()
    make_complaint(state=State.INVESTIGATING)
    clock.set(START + TERM * 0.5)
    check_deadlines()
    (mail,) = _mails_to(handler.email)
    assert mail.headers["Content-Language"] == "es"


def test_it_gives_no_warnings_while_waiting_for_the_customer(clock, make_complaint, handler):
    case = make_complaint(state=State.WAITING)
    clock.set(START + TERM * 0.95)
    assert check_deadlines() == {"warnings": 0, "notices": 0, "escalations": 0}
    clock.set(START + TERM * 2)  # past the original deadline: still nothing, the clock stopped
    assert check_deadlines() == {"warnings": 0, "notices": 0, "escalations": 0}

    case = complaint_resume(complaint=case, actor=handler)
    assert case.due_at == START + TERM * 3  # moved by the 30 days waited
    assert check_deadlines()["warnings"] == 0  # as far along as when it started waiting
    clock.advance(TERM * 0.5 - timedelta(minutes=1))
    assert check_deadlines()["warnings"] == 0
    clock.advance(minutes=1)
    assert check_deadlines()["warnings"] == 1


def test_it_tells_the_customer_once_that_work_goes_on_at_the_first_level(clock, make_complaint):
    case = make_complaint(state=State.ASSIGNED, contact_name="")  # no word since the receipt
    clock.set(START + TERM * 0.5)
    assert check_deadlines()["notices"] == 1
    notice = Message.objects.filter(complaint=case, author=None, from_customer=False).latest("pk")
    assert notice.visibility == Visibility.CUSTOMER
    assert case.tracking_code in notice.body and "2025-03-18" in notice.body  # its due date
    mail = Outbox.objects.get(message=notice)
    assert mail.recipient == "ana@example.com"
    assert mail.headers["Content-Language"] == "es"
    assert "Su número de radicado" in mail.body  # the e-mail speaks the customer's language
    assert "cliente" in notice.body

    clock.set(START + TERM * 0.9)
    assert check_deadlines()["notices"] == 0
    assert ComplaintEvent.objects.filter(complaint=case, changes__notice="progress").count() == 1
    assert chain_problems(case) == []


def test_it_sends_no_notice_when_staff_have_already_written_to_the_customer(clock, make_complaint):
    case = make_complaint(state=State.INVESTIGATING)  # "we have started working on it"
    clock.set(START + TERM * 0.5)
    assert check_deadlines() == {"warnings": 1, "notices": 0, "escalations": 0}
    assert DeadlineAlert.objects.filter(complaint=case, kind=AlertKind.NOTICE).exists()


def test_it_escalates_to_the_supervisor_at_the_breach_and_to_managers_a_day_later(
    clock, make_complaint, supervisor, manager
):
    manager.language = "en"  # managers read the escalation in their own language
    manager.save(update_fields=["language"])
    case = make_complaint(state=State.INVESTIGATING)
    clock.set(case.due_at - timedelta(seconds=1))
    assert check_deadlines()["escalations"] == 0

    clock.set(case.due_at + timedelta(minutes=1))
    assert check_deadlines()["escalations"] == 1
    event = ComplaintEvent.objects.filter(complaint=case, action=Action.ESCALATE).get()
    assert event.changes["level"] == "supervisor"
    assert event.changes["to"] == ["Sara Test (supervisor)"]
    assert event.from_state == event.to_state == State.INVESTIGATING
    assert len(_mails_to(supervisor.email)) == 1
    assert _mails_to(manager.email) == []
    assert check_deadlines()["escalations"] == 0

    clock.set(case.due_at + timedelta(hours=24) - timedelta(seconds=1))
    assert check_deadlines()["escalations"] == 0
    clock.set(case.due_at + timedelta(hours=24))
    assert check_deadlines()["escalations"] == 1
    assert check_deadlines()["escalations"] == 0
    events = ComplaintEvent.objects.filter(complaint=case, action=Action.ESCALATE).order_by("seq")
    assert [e.changes["level"] for e in events] == ["supervisor", "manager"]
    assert events[1].changes["to"] == ["Manuel Test (manager)"]
    assert "still open" in _mails_to(manager.email)[0].body
    case.refresh_from_db()
    assert case.state == State.INVESTIGATING
    assert chain_problems(case) == []
    call_command("verify_audit", verbosity=0)


def test_it_does_not_escalate_a_case_answered_in_time(clock, make_complaint):
    case = make_complaint(state=State.RESOLVED)
    clock.set(case.due_at + timedelta(days=3))
    assert check_deadlines()["escalations"] == 0


def test_it_acts_once_when_two_workers_scan_at_the_same_moment(clock, make_complaint):
    make_complaint(state=State.INVESTIGATING)
    clock.set(START + TERM + timedelta(days=2))
    first, second = check_deadlines(), check_deadlines()
    assert first["escalations"] == 2 and first["warnings"] == 0  # past due: escalate, no warn
    assert second == {"warnings": 0, "notices": 0, "escalations": 0}
    assert ComplaintEvent.objects.filter(action=Action.ESCALATE).count() == 2


@pytest.mark.parametrize("value", [["50", "x"], ["0"], ["100"]])
def test_it_refuses_warning_levels_that_are_not_percentages(settings, value):
    from django.core.exceptions import ImproperlyConfigured

    from resuelve.deadlines.services import warning_levels

    settings.RESUELVE_DEADLINE_WARNINGS = value
    with pytest.raises(ImproperlyConfigured):
        warning_levels()


def test_the_levels_are_configurable(clock, make_complaint, handler, settings):
    settings.RESUELVE_DEADLINE_WARNINGS = ["30"]
    make_complaint(state=State.INVESTIGATING)
    clock.set(START + TERM * 0.3)
    assert check_deadlines()["warnings"] == 1
    assert "30%" in _mails_to(handler.email)[0].subject
