"""Helpers for the remedies tests: a supervisor of the service desk (so the agent's own cases
have a supervisor who sees them), a contract category, and a case under investigation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from resuelve.accounts.models import Department, User
from resuelve.accounts.roles import Role
from resuelve.api.tests.conftest import api_as  # noqa: F401 - the API client per persona
from resuelve.complaints.lifecycle import State
from resuelve.complaints.models import Category, Complaint
from resuelve.remedies import services
from resuelve.remedies.models import Proposal
from resuelve.remedies.services import ItemInput
from resuelve.testing.fixtures import MakeComplaint


@pytest.fixture
def desk_supervisor(service_desk: Department) -> User:
    user = User.objects.create_user(
        username="desk-supervisor", password="x", first_name="Diana", role=Role.SUPERVISOR
    )
    user.departments.set([service_desk])
    return user


@pytest.fixture
def contract(quality: Department) -> Category:
    return Category.objects.create(code="contrato", name="Contract", default_department=quality)


@pytest.fixture
def desk_case(make_complaint: MakeComplaint, service_desk: Department, agent: User) -> Complaint:
    """A case of the agent's own, under investigation."""
    return make_complaint(state=State.INVESTIGATING, department=service_desk, assignee=agent)


def plan(
    case: Complaint,
    actor: User,
    *amounts: str,
    cost: str = "0",
    v1: str | None = None,
    submit: bool = False,
    **kwargs: Any,
) -> Proposal:
    """A plan of a refund per amount (an apology when the amount is "0")."""
    items = [
        ItemInput(type="refund", description=f"Refund {a}", amount=Decimal(a))
        if a != "0"
        else ItemInput(type="apology", description="We are sorry.")
        for a in amounts
    ]
    proposal = services.proposal_create(
        complaint=case,
        actor=actor,
        items=items,
        customer_cost=Decimal(cost),
        purchase_value=Decimal(v1) if v1 is not None else None,
        **kwargs,
    )
    if submit:
        services.proposal_submit(complaint=case, actor=actor)
        proposal.refresh_from_db()
    return proposal
