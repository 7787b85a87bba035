"""The per-playbook report: how cases with the playbook went, beside those taken out of the
routine and those of the same category handled without it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from resuelve.accounts.models import Department, User
from resuelve.complaints import services as complaint_services
from resuelve.complaints.lifecycle import State
from resuelve.guidance import services
from resuelve.guidance.models import Playbook
from resuelve.guidance.report import playbook_report
from resuelve.testing.fixtures import START, Clock, MakeComplaint

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def history(
    clock: Clock,
    make_complaint: MakeComplaint,
    playbook: Playbook,
    manager: User,
    agent: User,
    service_desk: Department,
) -> dict[str, object]:
    before = make_complaint(state=State.ASSIGNED, subject="Before the playbook")
    clock.advance(hours=1)
    playbook.created_at = clock.current
    playbook.save()
    clock.advance(hours=1)
    steps = list(playbook.steps.all())

    ticked = make_complaint(state=State.ACCEPTED, subject="All ticked")
    for step in steps:
        services.playbook_tick(complaint=ticked, step=step, actor=manager)
    clock.advance(days=2)
    complaint_services.complaint_resolve(complaint=ticked, actor=manager, summary="Done")
    complaint_services.complaint_follow_up(complaint=ticked, actor=manager, satisfaction=4)

    clock.set(START + timedelta(hours=2))
    reopened = make_complaint(state=State.ACCEPTED, subject="Reopened")
    services.playbook_tick(complaint=reopened, step=steps[0], actor=manager)
    clock.advance(days=4)
    complaint_services.complaint_resolve(complaint=reopened, actor=manager, summary="Done")
    complaint_services.complaint_reopen(complaint=reopened, actor=manager, reason="Again")

    clock.set(START + timedelta(hours=3))
    unusual = make_complaint(
        state=State.ASSIGNED, department=service_desk, assignee=agent, subject="Unusual"
    )
    services.case_mark_non_routine(complaint=unusual, actor=agent, reason="Odd")
    return {"before": before, "ticked": ticked, "reopened": reopened, "unusual": unusual}


def test_it_reports_use_and_outcome_per_playbook(
    history: dict[str, object], manager: User, playbook: Playbook
) -> None:
    day = START.date()
    [row] = playbook_report(user=manager, received_from=day, received_to=day)
    assert row.playbook == playbook and row.steps == 3
    assert (row.followed.cases, row.all_ticked, row.followed.resolved) == (2, 1, 1)
    assert row.followed.median_to_resolve == timedelta(days=2)
    assert row.followed.reopened == 1 and row.followed.reopen_rate == 50
    assert (row.followed.csat, row.followed.csat_answers) == (4.0, 1)
    assert (row.not_routine.cases, row.not_routine.resolved) == (1, 0)
    assert row.without.cases == 1  # received before the playbook existed
    earlier = day - timedelta(days=10)
    [empty] = playbook_report(user=manager, received_from=earlier, received_to=earlier)
    assert empty.followed.cases == 0 and empty.followed.median_to_resolve is None


def test_it_counts_only_the_cases_the_reader_may_see(
    history: dict[str, object], supervisor: User, outsider: User
) -> None:
    day = START.date()
    [row] = playbook_report(user=supervisor, received_from=day, received_to=day)
    assert (row.followed.cases, row.not_routine.cases, row.without.cases) == (2, 1, 1)
    [row] = playbook_report(user=outsider, received_from=day, received_to=day)  # workshop
    assert (row.followed.cases, row.not_routine.cases, row.without.cases) == (0, 0, 0)


def test_it_shows_the_report_page_to_supervisors_only(
    history: dict[str, object], client: Client, supervisor: User, agent: User, auditor: User
) -> None:
    client.force_login(agent)
    assert client.get("/staff/guidance/report/", **EN).status_code == 403
    client.force_login(auditor)
    day = START.date().isoformat()
    page = client.get(f"/staff/guidance/report/?received_from={day}&received_to={day}", **EN)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Playbook results" in html and "Wrong part" in html
    assert 'data-group="followed"' in html
    assert 'data-cell="median" data-label="Median time to resolve">2 d 0 h</td>' in html
    assert 'data-cell="reopen" data-label="Reopened">50 %</td>' in html
    assert f'value="{day}"' in html  # the period chosen stays in the form
