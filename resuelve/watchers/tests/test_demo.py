from __future__ import annotations

import pytest

from resuelve.accounts.models import Department, User
from resuelve.accounts.roles import Role
from resuelve.complaints.lifecycle import State
from resuelve.complaints.models import Category
from resuelve.complaints.selectors import can_view
from resuelve.customers.models import Supplier
from resuelve.watchers.demo import ensure_demo_watchers
from resuelve.watchers.models import CaseGrant, Mention, Watch

pytestmark = pytest.mark.django_db


def test_the_demo_watchers_are_made_once(make_complaint, clock) -> None:
    calidad = Department.objects.create(code="calidad", name="Calidad")
    logistica = Department.objects.create(code="logistica", name="Logística")
    defect = Category.objects.create(
        code="defecto-vehiculo", name="Defecto", default_department=calidad
    )
    Category.objects.create(code="entrega", name="Entrega", default_department=logistica)
    Supplier.objects.create(name="Logística Andina SAS")
    people = {}
    for username, role, dept in (
        ("lucia", Role.HANDLER, calidad),
        ("jorge", Role.HANDLER, logistica),
        ("diego", Role.SUPERVISOR, logistica),
    ):
        people[username] = User.objects.create_user(
            username=username, email=f"{username}@resuelve.test", role=role
        )
        people[username].departments.set([dept])
    case = make_complaint(state=State.INVESTIGATING, category=defect, assignee=people["lucia"])

    assert ensure_demo_watchers(clock()) == 4
    assert ensure_demo_watchers(clock()) == 0

    assert Watch.objects.count() == 3
    assert Watch.objects.filter(department=logistica, on_resolved=True).exists()
    assert Mention.objects.get().complaint == case
    assert CaseGrant.objects.filter(user=people["jorge"], complaint=case).exists()
    assert can_view(people["jorge"], case)
