"""The reports' fixture: complaints in February and March 2025 in two departments, with
root causes found, and improvement actions on them (one per department)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from resuelve.accounts.models import Department, User
from resuelve.analytics.refresh import analytics_rebuild
from resuelve.complaints.lifecycle import State
from resuelve.complaints.models import Complaint
from resuelve.resolution.models import (
    ImprovementAction,
    ImprovementStatus,
    Investigation,
    RootCause,
)
from resuelve.testing.fixtures import MakeComplaint

FEBRUARY = date(2025, 2, 1)


def at(day: str, hour: int = 14) -> datetime:
    y, m, d = (int(x) for x in day.split("-"))
    return datetime(y, m, d, hour, 0, tzinfo=UTC)


@pytest.fixture
def supplier_cause(db: None) -> RootCause:
    return RootCause.objects.get(code="proveedor")


@pytest.fixture
def report_cases(
    make_complaint: MakeComplaint,
    workshop: Department,
    outsider: User,
    supervisor: User,
    supplier_cause: RootCause,
) -> dict[str, Complaint]:
    """Quality: 7 complaints received in February (5 with the supplier cause), 1 in January;
    workshop: 2 in February. Actions: one done on 2025-02-15 on quality's cases, one open on
    the workshop's."""
    made: dict[str, Complaint] = {}
    days = ["2025-01-20", "2025-02-03", "2025-02-05", "2025-02-10", "2025-02-14",
            "2025-02-18", "2025-02-24", "2025-02-26"]  # fmt: skip
    for index, day in enumerate(days):
        made[f"Q{index}"] = make_complaint(state=State.ASSIGNED, received_at=at(day))
    for index, day in enumerate(["2025-02-11", "2025-02-12"]):
        made[f"W{index}"] = make_complaint(
            state=State.ASSIGNED, department=workshop, assignee=outsider, received_at=at(day)
        )
    for key in ["Q0", "Q1", "Q2", "Q4", "Q6", "W0"]:
        Investigation.objects.update_or_create(
            complaint=made[key],
            defaults={"cause": supplier_cause, "opened_at": at(FEBRUARY.isoformat()),
                      "updated_at": at("2025-02-27")},
        )  # fmt: skip
    quality_action = ImprovementAction.objects.create(
        title="Inspect every pad shipment",
        kind="corrective",
        cause=supplier_cause,
        owner=supervisor,
        due_on=date(2025, 2, 28),
        status=ImprovementStatus.DONE,
        done_on=date(2025, 2, 15),
        effectiveness_check_on=date(2025, 5, 15),
        conclusion="Fewer defective pads since the inspection started.",
        created_by=supervisor,
        created_at=at("2025-02-04"),
    )
    quality_action.complaints.set([made["Q1"], made["Q2"]])
    workshop_action = ImprovementAction.objects.create(
        title="Calibrate the torque wrenches",
        kind="preventive",
        cause=supplier_cause,
        owner=outsider,
        due_on=date(2025, 3, 31),
        created_by=outsider,
        created_at=at("2025-02-12"),
    )
    workshop_action.complaints.set([made["W0"]])
    analytics_rebuild()
    return made
