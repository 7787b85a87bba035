"""Rewards paid to staff from a reward fund (REQUIREMENTS A4: employees are rewarded for
handling complaints well): a ledger row of kind "staff_reward" with its recipient and no case,
under the same authority and balance rules as a contribution's reward, and kept out of the
compensation ledger."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import Kind, NotAllowed, State
from resuelve.complaints.models import Complaint
from resuelve.remedies import reward_services
from resuelve.remedies.models import LedgerEntry, LedgerKind, RewardFund
from resuelve.remedies.selectors import ledger_entries, ledger_grand_total
from resuelve.testing.fixtures import Clock, MakeComplaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def fund(manager: User, clock: Clock) -> RewardFund:
    """A fund of 500,000 COP."""
    fund = reward_services.reward_fund_create(name="Staff", currency="COP", actor=manager)
    reward_services.reward_fund_deposit(fund=fund, actor=manager, amount="500000")
    return fund


def pay(recipient: User, actor: User, amount: str = "100000", **kwargs: object) -> LedgerEntry:
    kwargs.setdefault("currency", "COP")
    kwargs.setdefault("reason", "Won the spring contest")
    return reward_services.staff_reward_pay(
        recipient=recipient,
        actor=actor,
        amount=amount,
        **kwargs,  # type: ignore[arg-type]
    )


def test_it_pays_a_member_of_staff_from_the_fund(
    fund: RewardFund, manager: User, handler: User
) -> None:
    entry = pay(handler, manager, "120000")
    entry.refresh_from_db()
    assert entry.kind == LedgerKind.STAFF_REWARD
    assert (entry.recipient, entry.approver, entry.fund) == (handler, manager, fund)
    assert entry.complaint is None and entry.customer is None and entry.item is None
    assert (entry.amount, entry.currency) == (Decimal("120000.00"), "COP")
    assert reward_services._balance(fund) == Decimal("380000.00")
    assert list(handler.staff_rewards.all()) == [entry]


def test_it_never_pays_more_than_the_fund_holds_counting_staff_rewards(
    fund: RewardFund,
    manager: User,
    handler: User,
    make_complaint: MakeComplaint,
) -> None:
    pay(handler, manager, "400000")
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        pay(handler, manager, "200000")
    assert "100,000.00" in str(refused.value.message_dict["amount"])
    # A contribution's reward sees the same, reduced balance.
    suggestion = make_complaint(state=State.INVESTIGATING, kind=Kind.SUGGESTION)
    with pytest.raises(ValidationError):
        reward_services.reward_grant(
            complaint=suggestion,
            actor=manager,
            amount="150000",
            currency="COP",
            reason="A good idea",
        )
    assert LedgerEntry.objects.count() == 1


def test_it_keeps_the_authority_limits_of_rewards(
    fund: RewardFund, supervisor: User, handler: User, auditor: User, manager: User
) -> None:
    with pytest.raises(NotAllowed) as above, translation.override("en"):
        pay(handler, supervisor, "2500000")
    assert "2,000,000.00" in above.value.message
    with pytest.raises(NotAllowed):
        pay(supervisor, handler, "1000")
    with pytest.raises(NotAllowed):
        pay(handler, auditor, "1000")
    with pytest.raises(ValidationError):
        pay(auditor, manager, "1000")  # read-only roles handle no complaints
    assert pay(handler, supervisor, "2000").approver == supervisor


def test_it_pays_only_from_a_fund_in_the_currency(
    fund: RewardFund, manager: User, handler: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        pay(handler, manager, "1000", currency="EUR")
    assert "EUR" in str(refused.value.message_dict["fund"])
    with pytest.raises(ValidationError):
        pay(handler, manager, "1000", fund=fund, currency="USD")


def test_the_database_refuses_a_staff_reward_without_recipient_or_a_reward_without_case(
    fund: RewardFund, manager: User
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            kind=LedgerKind.STAFF_REWARD,
            fund=fund,
            amount=Decimal("1"),
            currency="COP",
            at=timezone.now(),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            kind=LedgerKind.REWARD,
            fund=fund,
            amount=Decimal("1"),
            currency="COP",
            at=timezone.now(),
        )


def test_staff_rewards_stay_out_of_the_compensation_ledger_and_its_pages(
    fund: RewardFund, manager: User, handler: User, client: Client, desk_case: Complaint
) -> None:
    pay(handler, manager, "50000")
    assert ledger_entries(user=manager).count() == 0
    assert ledger_grand_total(user=manager, start=None, end=None)["count"] == 0
    assert ledger_entries(user=manager, kind=None).count() == 1
    client.force_login(manager)
    page = client.get(reverse("remedies:ledger"))
    assert page.status_code == 200
    export = client.get(reverse("remedies:ledger") + "?format=csv")
    assert export.status_code == 200
    rewards = client.get(reverse("remedies:rewards"))
    assert rewards.status_code == 200
