"""The themes tests' corpus: the forty texts of texts.py as cases, in three departments.

Brakes (quality) and staff ideas (customer service) arrive evenly over the year before the
build; late delivery (workshop) only in its last three months, so it is the rising topic.
Each topic has its category (brakes: product defect, delivery: late delivery, staff: service
idea), as assessment gives them. The first two Spanish brake texts are confidential."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from resuelve.accounts.models import Department
from resuelve.complaints import services
from resuelve.complaints.lifecycle import Kind
from resuelve.complaints.models import Category, Channel, Complaint
from resuelve.testing.fixtures import Clock
from resuelve.themes.tests.texts import BRAKES, DELIVERY, STAFF, TEXTS

BUILT_AT = datetime(2025, 3, 20, 12, 0, tzinfo=UTC)
CONFIDENTIAL = {"Los frenos chirrían", "Chirrido de frenos"}


def _month(index: int) -> datetime:
    """2024-04 .. 2025-03 for 0..11."""
    year, month = (2024, 4 + index) if index < 9 else (2025, index - 8)
    return datetime(year, month, 10, 15, 0, tzinfo=UTC)


@pytest.fixture
def corpus(
    clock: Clock, quality: Department, workshop: Department, service_desk: Department
) -> dict[str, Complaint]:
    clock.set(BUILT_AT)
    department = {BRAKES: quality, DELIVERY: workshop, STAFF: service_desk}
    category = {
        topic: Category.objects.create(code=code, name=code, default_department=department[topic])
        for topic, code in ((BRAKES, "defect"), (DELIVERY, "late"), (STAFF, "idea"))
    }
    made = {}
    for n, (topic, language, subject, description) in enumerate(TEXTS):
        # Delivery only in 2025-01..03; the others spread over the nine months before.
        received = _month(9 + n % 3) if topic == DELIVERY else _month(n % 9)
        case = services.complaint_register(
            channel=Channel.EMAIL,
            kind=Kind.SUGGESTION if topic == STAFF else Kind.COMPLAINT,
            subject=subject,
            description=description,
            language=language,
            contact_email="ana@example.com",
            received_at=received,
            route=False,
        )
        Complaint.objects.filter(pk=case.pk).update(
            department=department[topic],
            category=category[topic],
            confidential=subject in CONFIDENTIAL,
        )
        made[subject] = case
    return made
