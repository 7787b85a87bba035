"""Fixtures of the revisit programme's tests: specialists and member customers in several
time zones."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

import pytest

from resuelve.accounts.models import User
from resuelve.accounts.roles import Role
from resuelve.customers.models import Customer
from resuelve.revisits.models import Revisit, RevisitSchedule, Specialist, Status

MakeCustomer = Callable[..., Customer]


@pytest.fixture
def make_customer(db: None) -> MakeCustomer:
    counter = {"n": 0}

    def make(**fields: Any) -> Customer:
        counter["n"] += 1
        n = counter["n"]
        fields.setdefault("name", f"Member {n}")
        fields.setdefault("email", f"member{n}@example.com")
        fields.setdefault("phone", f"+57 300 000 {n:04d}")
        fields.setdefault("language", "es")
        fields.setdefault("tier", "gold")
        fields.setdefault("member_since", date(2020, 6, 1))
        return Customer.objects.create(**fields)

    return make


def _specialist(username: str, first_name: str, **profile: Any) -> User:
    user = User.objects.create_user(
        username=username,
        password="correct horse battery staple",
        first_name=first_name,
        last_name="Test",
        role=Role.AGENT,
    )
    Specialist.objects.create(user=user, **profile)
    return user


@pytest.fixture
def wei(db: None) -> User:
    return _specialist("wei", "Wei", languages=["zh-hans", "en"], daily_capacity=10)


@pytest.fixture
def kadri(db: None) -> User:
    return _specialist("kadri", "Kadri", languages=["et", "en"], daily_capacity=10)


@pytest.fixture
def ana(db: None) -> User:
    return _specialist("ana", "Ana", languages=["es"], daily_capacity=10)


@pytest.fixture
def gold_every_10(db: None) -> RevisitSchedule:
    return RevisitSchedule.objects.create(
        tier="gold", every_days=10, starts_on=date(2025, 3, 1), renewal_notice_days=0
    )


def assign(revisit: Revisit, user: User) -> Revisit:
    Revisit.objects.filter(pk=revisit.pk).update(assigned_to=user, status=Status.ASSIGNED)
    revisit.refresh_from_db()
    return revisit


def member_revisit(customer: Customer, user: User | None = None, **fields: Any) -> Revisit:
    from django.utils import timezone

    now = timezone.now()
    fields.setdefault("due_on", timezone.localdate(now))
    fields.setdefault("latest_on", timezone.localdate(now))
    revisit = Revisit.objects.create(
        customer=customer,
        reason=fields.pop("reason", "member"),
        period_key=fields.pop("period_key", f"t{customer.pk}"),
        created_at=now,
        **fields,
    )
    return assign(revisit, user) if user else revisit


QUIET = {"quiet_from": time(22), "quiet_until": time(8)}
