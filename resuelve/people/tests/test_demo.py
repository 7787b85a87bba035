"""The demo's people data: made once, through the services, and left alone on a second run."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from resuelve.accounts.models import Department
from resuelve.people.demo import ensure_demo_people
from resuelve.people.models import (
    Contest,
    ContestStatus,
    HiringCheck,
    HiringStandard,
    TrainingRecord,
)
from resuelve.people.tests.conftest import MakeFact
from resuelve.remedies.models import LedgerEntry, LedgerKind, StaffRecognition
from resuelve.testing.fixtures import Clock, _persona

pytestmark = pytest.mark.django_db


def test_it_makes_the_demo_people_data_once(make_fact: MakeFact, clock: Clock) -> None:
    desk = Department.objects.create(code="atencion", name="Atención al cliente")
    _persona("elena", "manager", "Elena", [])
    _persona("marta", "hr", "Marta", [])
    _persona("sofia", "supervisor", "Sofía", [desk])
    ana = _persona("ana", "agent", "Ana", [desk])
    wei = _persona("wei", "agent", "Wei", [desk])
    for day in range(3, 8):
        make_fact(ana, received_on=date(2025, 2, day), on_time=True)
        make_fact(wei, received_on=date(2025, 2, day), on_time=day > 4)
    for _run in range(2):
        ensure_demo_people(timezone.now())
    assert set(HiringStandard.objects.values_list("role", flat=True)) == {
        "agent", "handler", "supervisor",
    }  # fmt: skip
    assert TrainingRecord.objects.filter(user=ana).count() == 2
    assert HiringCheck.objects.filter(user=ana, met=True).count() == 4
    closed = Contest.objects.get(status=ContestStatus.CLOSED)
    assert (closed.starts_on, closed.ends_on) == (date(2025, 2, 1), date(2025, 2, 28))
    assert [w.user for w in closed.winners.all()] == [ana]
    assert LedgerEntry.objects.get(kind=LedgerKind.STAFF_REWARD).recipient == ana
    assert StaffRecognition.objects.get().user == ana
    assert Contest.objects.get(status=ContestStatus.OPEN).department == desk
