"""Helpers for the people tests: hand-made case facts credited to a handler, and a fund."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from resuelve.accounts.models import Department, User
from resuelve.analytics.models import CaseFact
from resuelve.complaints.models import Complaint
from resuelve.remedies import reward_services
from resuelve.remedies.models import RewardFund
from resuelve.testing.fixtures import Clock, MakeComplaint, _persona

MakeFact = Callable[..., CaseFact]


@pytest.fixture
def make_fact(make_complaint: MakeComplaint, quality: Department) -> MakeFact:
    """make_fact(assignee, received_on=..., **fields): a fact row for a registered case, as
    the analytics worker would write it, with the given figures."""

    def make(
        assignee: User | None, received_on: date = date(2025, 2, 10), **fields: Any
    ) -> CaseFact:
        case: Complaint = make_complaint()
        values: dict[str, Any] = {
            "received_on": received_on,
            "month": received_on.replace(day=1),
            "department_id": quality.pk,
            "kind": case.kind,
            "channel": case.channel,
            "language": case.language or "es",
            "confidential": False,
            "is_open": False,
            "assignee_id": assignee.pk if assignee else None,
        }
        values.update(fields)
        fact, _created = CaseFact.objects.update_or_create(complaint=case, defaults=values)
        return fact

    return make


@pytest.fixture
def team(quality: Department, handler: User) -> dict[str, User]:
    """Four handlers of quality: Hugo (the handler persona), Bea, Ciro and Dora."""
    return {
        "hugo": handler,
        "bea": _persona("bea", "handler", "Bea", [quality]),
        "ciro": _persona("ciro", "handler", "Ciro", [quality]),
        "dora": _persona("dora", "handler", "Dora", [quality]),
    }


@pytest.fixture
def fund(manager: User, clock: Clock) -> RewardFund:
    """A fund of 5,000,000 COP."""
    fund = reward_services.reward_fund_create(name="Contests", currency="COP", actor=manager)
    reward_services.reward_fund_deposit(fund=fund, actor=manager, amount="5000000")
    return fund
