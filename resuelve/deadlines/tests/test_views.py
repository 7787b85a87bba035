"""The staff pages: the extension form on the case page and the compliance report."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from resuelve.complaints import services
from resuelve.complaints.lifecycle import Action, State
from resuelve.complaints.models import ComplaintEvent
from resuelve.deadlines.selectors import compliance_report, forget_policies
from resuelve.testing.fixtures import START

DUE = datetime(2025, 3, 19, 4, 59, 59, tzinfo=UTC)  # us-cfpb: 15 calendar days from START
MARCH = {"received_from": "2025-03-01", "received_to": "2025-03-31"}


@pytest.fixture(autouse=True)
def _cfpb(settings):
    settings.RESUELVE_DEADLINE_POLICY = "us-cfpb"
    forget_policies()
    yield
    forget_policies()


@pytest.fixture
def client():
    """Staff without a language of their own read these pages in their browser's: English."""
    from django.test import Client

    return Client(headers={"accept-language": "en"})


def _case_url(case):
    return reverse("complaints:case", kwargs={"code": case.tracking_code})


def _extend_url(case):
    return reverse("deadlines:extend", kwargs={"code": case.tracking_code})


def test_the_case_page_offers_the_extension_with_the_allowance_left(
    client, clock, make_complaint, handler
):
    case = make_complaint(state=State.INVESTIGATING)
    client.force_login(handler)
    page = client.get(_case_url(case)).content.decode()
    assert "Extend the deadline" in page and "Extensions used: 0 of 45" in page
    assert _extend_url(case) in page and "csrfmiddlewaretoken" in page


def test_it_extends_from_the_form_and_says_so(client, clock, make_complaint, handler):
    case = make_complaint(state=State.INVESTIGATING)
    client.force_login(handler)
    response = client.post(
        _extend_url(case), {"extend-amount": "5", "extend-reason": "Waiting for the supplier."}
    )
    assert response.status_code == 302 and response["Location"] == _case_url(case)
    case.refresh_from_db()
    assert case.due_at == DUE + timedelta(days=5)
    page = client.get(_case_url(case)).content.decode()
    assert "Deadline extended to 2025-03-23" in page
    assert "Extensions used: 5 of 45" in page


def test_it_shows_the_refusal_when_the_deadline_has_passed(client, clock, make_complaint, handler):
    case = make_complaint(state=State.INVESTIGATING)
    clock.set(DUE + timedelta(hours=1))
    client.force_login(handler)
    response = client.post(
        _extend_url(case), {"extend-amount": "5", "extend-reason": "Late."}, follow=True
    )
    assert "an extension must be notified before it expires" in response.content.decode()
    assert not ComplaintEvent.objects.filter(action=Action.EXTEND).exists()


def test_it_hides_the_case_from_staff_outside_its_department(
    client, clock, make_complaint, outsider
):
    case = make_complaint(state=State.INVESTIGATING)
    client.force_login(outsider)
    response = client.post(_extend_url(case), {"extend-amount": "5", "extend-reason": "Why."})
    assert response.status_code == 404


def test_it_refuses_a_post_without_the_csrf_token(client, clock, make_complaint, handler):
    from django.test import Client

    case = make_complaint(state=State.INVESTIGATING)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(handler)
    response = strict.post(_extend_url(case), {"extend-amount": "5", "extend-reason": "Why."})
    assert response.status_code == 403


def test_an_auditor_sees_no_extension_form(client, clock, make_complaint, auditor):
    case = make_complaint(state=State.INVESTIGATING)
    client.force_login(auditor)
    assert "Extend the deadline" not in client.get(_case_url(case)).content.decode()


# --- the compliance report ------------------------------------------------------------------


def _answer(case, by):
    case = services.complaint_propose_solution(
        complaint=case, actor=by, solution="New pads.", value=0
    )
    case = services.complaint_approve_solution(complaint=case, actor=by)
    return services.complaint_communicate(complaint=case, actor=by)


@pytest.fixture
def report_cases(clock, make_complaint, manager, workshop, outsider, settings):
    """Under us-cfpb, received on 3 March: two answered in time (one found not
    established), two answered 2 and 4 days late, one open and overdue, one in another
    department; one older case outside the period; and one under no policy, open."""
    make_complaint(state=State.COMMUNICATED)
    make_complaint(state=State.NOT_ESTABLISHED)
    late_two, late_four = (
        make_complaint(state=State.INVESTIGATING),
        make_complaint(state=State.INVESTIGATING),
    )
    make_complaint(state=State.INVESTIGATING)  # stays open
    make_complaint(state=State.COMMUNICATED, department=workshop, assignee=outsider)
    make_complaint(state=State.INVESTIGATING, received_at=START - timedelta(days=40))
    clock.set(DUE + timedelta(days=2))
    _answer(late_two, manager)
    clock.set(DUE + timedelta(days=4))
    _answer(late_four, manager)
    settings.RESUELVE_DEADLINE_POLICY = ""
    forget_policies()
    make_complaint(state=State.INVESTIGATING)  # received now, 23 March: in its term
    return clock


def test_it_counts_answers_within_the_term_and_late_per_policy(report_cases, manager):
    rows = compliance_report(
        user=manager, received_from=date(2025, 3, 1), received_to=date(2025, 3, 31)
    )
    cfpb, flat = rows
    assert cfpb.policy.startswith("US — CFPB") and flat.policy_id is None
    assert (cfpb.received, cfpb.answered, cfpb.within, cfpb.late) == (6, 5, 3, 2)
    assert (cfpb.still_open, cfpb.overdue) == (1, 1)
    assert cfpb.median_late == timedelta(days=3) and cfpb.max_late == timedelta(days=4)
    assert cfpb.within_percent == 60
    assert (flat.received, flat.answered, flat.still_open, flat.overdue) == (1, 0, 1, 0)
    assert flat.median_late is None


def test_a_supervisor_sees_only_their_departments(report_cases, supervisor):
    (cfpb,) = [
        row
        for row in compliance_report(
            user=supervisor, received_from=date(2025, 3, 1), received_to=date(2025, 3, 31)
        )
        if row.policy_id is not None
    ]
    assert (cfpb.received, cfpb.within) == (5, 2)  # not the workshop's case


def test_the_report_page_and_its_csv(client, report_cases, auditor):
    auditor.language = "en"
    auditor.save()
    client.force_login(auditor)
    url = reverse("deadlines:compliance")
    page = client.get(url, MARCH).content.decode()
    assert "Deadline compliance" in page and "US — CFPB" in page
    assert "3 days" in page and "4 days" in page
    csv = client.get(url, {**MARCH, "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("Deadline policy,Received,Answered")
    assert lines[1].endswith(",6,5,3,2,72.0,96.0,1,1")


def test_the_report_is_for_supervisors_managers_admins_and_auditors(client, db, personas):
    url = reverse("deadlines:compliance")
    for name, person in personas.items():
        client.force_login(person)
        expected = 403 if name in {"agent", "handler", "outsider"} else 200
        assert client.get(url).status_code == expected, name


def test_it_refuses_a_period_that_ends_before_it_starts(client, db, manager):
    client.force_login(manager)
    page = client.get(
        reverse("deadlines:compliance"),
        {"received_from": "2025-03-31", "received_to": "2025-03-01"},
    ).content.decode()
    assert "The first day comes after the last." in page
