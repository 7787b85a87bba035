"""Survey results: CSAT, CES, NPS, the F5 distribution and the response rate, per agent,
department, category, channel and month, scoped to the cases the reader may see."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from resuelve.accounts.models import Department, User
from resuelve.complaints.lifecycle import State
from resuelve.complaints.models import Complaint
from resuelve.followup import scores, selectors
from resuelve.followup.models import Survey
from resuelve.testing.fixtures import MakeComplaint

pytestmark = pytest.mark.django_db


def surveyed(case: Complaint, sent: datetime, channel: str = "email", **answers: Any) -> Survey:
    return Survey.objects.create(
        complaint=case,
        customer=case.customer,
        channel=channel,
        recipient="x@example.com",
        language="en",
        created_at=sent,
        sent_at=sent,
        expires_at=sent.replace(day=28),
        answered_at=sent if answers else None,
        **answers,
    )


@pytest.fixture
def surveys(make_complaint: MakeComplaint, workshop: Department, outsider: User) -> list[Survey]:
    feb, march = datetime(2025, 2, 10, 15, tzinfo=UTC), datetime(2025, 3, 10, 15, tzinfo=UTC)
    cases = [make_complaint(state=State.RESOLVED) for _ in range(3)]
    workshop_case = make_complaint(state=State.RESOLVED, department=workshop, assignee=outsider)
    not_sent = make_complaint(state=State.RESOLVED)
    return [
        surveyed(cases[0], feb, csat=5, effort=4, nps=10, compared="better", solved=True),
        surveyed(cases[1], march, "sms", csat=2, effort=2, nps=3, compared="worse", solved=False),
        surveyed(cases[2], march),
        surveyed(workshop_case, march, csat=4, nps=9, compared="better", solved=True),
        Survey.objects.create(
            complaint=not_sent,
            language="en",
            created_at=march,
            not_sent_reason="no consented channel",
        ),
    ]


def test_it_computes_scores_over_everything_a_manager_sees(
    surveys: list[Survey], manager: User
) -> None:
    with translation.override("en"):
        report = selectors.survey_results(
            user=manager, start=date(2025, 2, 1), end=date(2025, 3, 31)
        )
    total = report.total
    assert (total.sent, total.answered) == (4, 3)
    assert total.response_rate == pytest.approx(75.0)
    assert total.csat == pytest.approx(11 / 3)
    assert total.effort == pytest.approx(3.0)
    assert total.nps == pytest.approx(100 * (2 - 1) / 3)
    assert total.compared == {"better": 2, "worse": 1}

    by_month = {s.label: (s.sent, s.answered) for s in report.by["month"]}
    assert by_month == {"2025-02": (1, 1), "2025-03": (3, 2)}
    by_channel = {s.label: (s.sent, s.answered) for s in report.by["channel"]}
    assert by_channel == {"E-mail": (3, 2), "Text message": (1, 1)}
    by_department = {s.label: s.sent for s in report.by["department"]}
    assert by_department == {"Quality": 3, "Workshop": 1}
    by_agent = {s.label: s.answered for s in report.by["agent"]}
    assert by_agent == {"Hugo Test": 2, "Omar Test": 1}


def test_it_scopes_results_to_the_readers_departments(
    surveys: list[Survey], supervisor: User
) -> None:
    report = selectors.survey_results(
        user=supervisor, start=date(2025, 2, 1), end=date(2025, 3, 31)
    )
    assert (report.total.sent, report.total.answered) == (3, 2)
    assert report.total.nps == pytest.approx(0.0)
    assert [s.label for s in report.by["department"]] == ["Quality"]


def test_it_filters_by_the_period_of_sending(surveys: list[Survey], manager: User) -> None:
    report = selectors.survey_results(user=manager, start=date(2025, 3, 1), end=date(2025, 3, 31))
    assert (report.total.sent, report.total.answered) == (3, 2)
    empty = selectors.survey_results(user=manager, start=date(2024, 1, 1), end=date(2024, 1, 31))
    assert empty.total.sent == 0 and empty.total.response_rate is None and empty.total.csat is None


def test_it_shows_the_results_page(surveys: list[Survey], manager: User) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(manager)
    page = client.get(
        reverse("followup:results"), {"sent_from": "2025-02-01", "sent_to": "2025-03-31"}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-kpi="rate">75 %' in html and 'data-kpi="sent">4<' in html
    for title in ("Per agent", "Per department", "Per category", "Per channel", "Per month"):
        assert title in html
    assert 'data-group="Workshop"' in html and 'data-compared="better"' in html
    empty = client.get(
        reverse("followup:results"), {"sent_from": "2024-01-01", "sent_to": "2024-01-31"}
    )
    assert "No surveys sent in this period." in empty.content.decode()


def test_it_computes_the_net_promoter_score() -> None:
    assert scores.net_promoter([]) is None
    assert scores.net_promoter([10, 9, 8, 7, 6, 0]) == pytest.approx(0.0)
    assert scores.net_promoter([10, 10, 9, 8]) == pytest.approx(75.0)
    assert scores.net_promoter([6, 5, 7]) == pytest.approx(-200 / 3)
    empty = scores.score("none", [])
    assert empty.response_rate is None and empty.compared_share()[0][2] == 0
