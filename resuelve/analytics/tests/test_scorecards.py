"""Scorecards per person and department: the figures of a hand-made set of cases, who may
read whose, and each linked figure listing as many complaints as it shows."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client

from resuelve.accounts.models import Department, User
from resuelve.analytics.facts import first_contact
from resuelve.analytics.refresh import analytics_rebuild
from resuelve.analytics.tests.conftest import at
from resuelve.complaints import services
from resuelve.complaints.lifecycle import State
from resuelve.testing.fixtures import MakeComplaint

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PERIOD = "?start=2025-01&end=2025-03"


@pytest.fixture
def handled(make_complaint: MakeComplaint, workshop: Department, outsider: User, manager: User):
    solved = make_complaint(state=State.RESOLVED, received_at=at("2025-02-12"))
    again = make_complaint(state=State.RESOLVED, received_at=at("2025-02-13"))
    services.complaint_reopen(complaint=again, actor=manager, reason="The squeak is back.")
    waiting = make_complaint(state=State.INVESTIGATING, received_at=at("2025-03-03"))
    elsewhere = make_complaint(
        state=State.RESOLVED, department=workshop, assignee=outsider, received_at=at("2025-02-14")
    )
    analytics_rebuild()
    return {"solved": solved, "again": again, "waiting": waiting, "elsewhere": elsewhere}


def _row(html: str, name: str) -> dict[str, str]:
    match = re.search(
        rf"<tr>\s*<th scope=\"row\">(?:<a [^>]+>)?{re.escape(name)}(?:</a>)?</th>(.*?)</tr>",
        html,
        re.S,
    )
    assert match, f"no row for {name}"
    cells = re.findall(r'data-measure="(\w+)"[^>]*>(.*?)</td>', match.group(1), re.S)
    return {m: re.sub(r"<[^>]+>", "", v).strip() for m, v in cells}


def test_it_scores_each_person_of_the_supervisors_departments(
    client: Client, handled, supervisor: User, handler: User, outsider: User
) -> None:
    client.force_login(supervisor)
    html = client.get(f"/staff/analytics/scorecards/{PERIOD}", **EN).content.decode()
    row = _row(html, str(handler))
    assert row["handled"] == "3" and row["resolved"] == "1"
    assert row["fcr"] == "100.0 %"  # the one resolved case: one handler, one answer
    assert row["reopen"] == "33.3 %"
    assert str(outsider) not in html  # the workshop is not the supervisor's


def test_each_linked_figure_lists_as_many_complaints(
    client: Client, handled, supervisor: User, handler: User
) -> None:
    client.force_login(supervisor)
    html = client.get(f"/staff/analytics/scorecards/{PERIOD}", **EN).content.decode()
    links = re.findall(r'data-measure="(\w+)"[^>]*><a href="([^"]+)">([^<]+)</a>', html)
    assert links
    for measure, link, value in links:
        if not value.strip().isdigit():
            continue
        page = client.get(unescape(link), **EN).content.decode()
        assert f'data-total="{value.strip()}"' in page, (measure, link)
    fcr = next(
        link for measure, link, _v in links if measure == "fcr" and f"key={handler.pk}" in link
    )
    page = client.get(unescape(fcr), **EN).content.decode()
    assert re.findall(r'data-case="([^"]+)"', page) == [handled["solved"].tracking_code]


def test_a_customer_writing_again_means_it_was_not_resolved_at_the_first_contact(
    client: Client, handled, supervisor: User, handler: User
) -> None:
    from resuelve.intake.services import intake_reply

    intake_reply(complaint=handled["solved"], body="¿Alguna novedad?", channel="email")
    analytics_rebuild()
    client.force_login(supervisor)
    html = client.get(f"/staff/analytics/scorecards/{PERIOD}", **EN).content.decode()
    assert _row(html, str(handler))["fcr"] == "0.0 %"


def test_a_manager_sees_every_department_and_person(
    client: Client, handled, manager: User, outsider: User
) -> None:
    client.force_login(manager)
    html = client.get(f"/staff/analytics/scorecards/{PERIOD}", **EN).content.decode()
    assert _row(html, str(outsider))["fcr"] == "100.0 %"
    assert _row(html, "Workshop")["handled"] == "1"


def test_a_handler_reads_only_their_own_scorecard(
    client: Client, handled, handler: User, outsider: User
) -> None:
    client.force_login(handler)
    own = client.get(f"/staff/analytics/scorecards/{PERIOD}", **EN)
    assert own.status_code == 200
    html = own.content.decode()
    assert f"Scorecard: {handler}" in html
    assert re.search(r'data-measure="handled">.*?<span class="an-kpi-value">3</span>', html, re.S)
    assert "/staff/analytics/cases/" not in html  # no drill-down for non-readers
    other = client.get(f"/staff/analytics/scorecards/people/{outsider.pk}/{PERIOD}", **EN)
    assert other.status_code == 404


def test_a_supervisor_cannot_open_another_departments_person(
    client: Client, handled, supervisor: User, outsider: User, workshop: Department
) -> None:
    client.force_login(supervisor)
    assert client.get(f"/staff/analytics/scorecards/people/{outsider.pk}/", **EN).status_code == 404
    assert (
        client.get(f"/staff/analytics/scorecards/departments/{workshop.pk}/", **EN).status_code
        == 404
    )


def test_a_persons_trend_shows_every_month_of_the_period(
    client: Client, handled, supervisor: User, handler: User
) -> None:
    client.force_login(supervisor)
    html = client.get(
        f"/staff/analytics/scorecards/people/{handler.pk}/{PERIOD}", **EN
    ).content.decode()
    assert "<svg" in html and "Trend by month" in html
    months = re.findall(r'<th scope="row">(January|February|March) 2025</th>', html)
    assert months == ["January", "February", "March"]


def test_first_contact_needs_one_handler_one_answer_and_no_reopening() -> None:
    ok = {"resolved": True, "reopened": False, "disputed": False, "assigned": 1, "sent": 1}
    assert first_contact(**ok)
    assert not first_contact(**{**ok, "resolved": False})
    assert not first_contact(**{**ok, "reopened": True})
    assert not first_contact(**{**ok, "disputed": True})
    assert not first_contact(**{**ok, "assigned": 2})
    assert not first_contact(**{**ok, "sent": 2})
    assert not first_contact(**{**ok, "wrote": 2})  # the customer had to write again
