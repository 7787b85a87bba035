"""The hand-computed fixture of the analytics tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from resuelve.accounts.models import Department, User
from resuelve.analytics.refresh import analytics_rebuild
from resuelve.complaints.lifecycle import Kind, State
from resuelve.complaints.models import Complaint
from resuelve.testing.fixtures import MakeComplaint


def at(day: str, hour: int = 14) -> datetime:
    y, m, d = (int(x) for x in day.split("-"))
    return datetime(y, m, d, hour, 0, tzinfo=UTC)


@pytest.fixture
def cases(
    make_complaint: MakeComplaint, workshop: Department, outsider: User
) -> dict[str, Complaint]:
    made = {
        # Answered after 21 days: late (15-day term).
        "A": make_complaint(state=State.COMMUNICATED, received_at=at("2025-02-10")),
        # A claim answered after 4 days: on time.
        "B": make_complaint(state=State.COMMUNICATED, kind=Kind.CLAIM, received_at=at("2025-02-27")),
        # 1 March 03:00 UTC is 28 February 22:00 in Bogotá: a February case, open, not due.
        "C": make_complaint(state=State.INVESTIGATING, received_at=at("2025-03-01", 3)),
        # Unrouted, never answered, due 20 January: late.
        "D": make_complaint(state=State.ACKNOWLEDGED, category=None, received_at=at("2025-01-05")),
        # Confidential, open, not due.
        "E": make_complaint(state=State.ASSESSED, confidential=True, received_at=at("2025-03-02")),
        # Another department's case, answered on time.
        "F": make_complaint(
            state=State.COMMUNICATED, department=workshop, assignee=outsider,
            received_at=at("2025-02-20"),
        ),
    }  # fmt: skip
    analytics_rebuild()
    return made
