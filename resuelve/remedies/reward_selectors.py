"""Reads for rewards and recognition (REQUIREMENTS A4): the funds' balances, the recent
rewards and thanks, and what a case's page shows. Balances count every reward; the lists
show only the rewards and thanks on cases the reader may see (confidential cases stay
hidden, their amounts still in the balance)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from resuelve.accounts.models import User
from resuelve.complaints.models import Complaint, ComplaintEvent
from resuelve.complaints.selectors import can_view, complaints_visible_to
from resuelve.remedies import authority
from resuelve.remedies.models import (
    FUND_PAID,
    LedgerEntry,
    LedgerKind,
    RewardFund,
    RewardFundDeposit,
    StaffRecognition,
)

CENT = Decimal("0.01")
ZERO = Decimal("0")


def _money(value: Decimal | int | float | None) -> Decimal:
    # SQLite sums decimals as numbers without their places; both databases answer alike.
    return Decimal(str(value or 0)).quantize(CENT)


def may_read_rewards(user: User) -> bool:
    return user.is_active and (user.is_superuser or user.role in authority.FUND_READERS)


def may_keep_funds(user: User) -> bool:
    return (
        user.is_active
        and not user.read_only
        and (user.is_superuser or user.role in authority.FUND_KEEPERS)
    )


def reward_entries() -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(kind=LedgerKind.REWARD)


def fund_balance(fund: RewardFund) -> Decimal:
    """What the fund holds now: its deposits less everything paid from it, the rewards for
    contributions and the staff rewards alike."""
    deposited = RewardFundDeposit.objects.filter(fund=fund).aggregate(s=Sum("amount"))["s"]
    rewarded = LedgerEntry.objects.filter(fund=fund, kind__in=FUND_PAID).aggregate(s=Sum("amount"))[
        "s"
    ]
    return _money(deposited) - _money(rewarded)


@dataclass(frozen=True)
class FundBalance:
    fund: RewardFund
    deposited: Decimal
    rewarded: Decimal
    rewards: int

    @property
    def balance(self) -> Decimal:
        return self.deposited - self.rewarded


def fund_balances(*, active_only: bool = False) -> list[FundBalance]:
    """Every fund with its deposits, rewards and balance, in two aggregate queries."""
    money = DecimalField(max_digits=16, decimal_places=2)
    deposits = (
        RewardFundDeposit.objects.filter(fund=OuterRef("pk"))
        .values("fund")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    funds = RewardFund.objects.annotate(
        deposited=Coalesce(Subquery(deposits, output_field=money), Value(ZERO), output_field=money),
        rewarded=Coalesce(
            Sum("rewards__amount", filter=Q(rewards__kind__in=FUND_PAID)),
            Value(ZERO),
            output_field=money,
        ),
        reward_count=Count("rewards", filter=Q(rewards__kind__in=FUND_PAID)),
    ).order_by("-active", "name")
    if active_only:
        funds = funds.filter(active=True)
    return [
        FundBalance(
            fund=f,
            deposited=_money(f.deposited),  # type: ignore[attr-defined]
            rewarded=_money(f.rewarded),  # type: ignore[attr-defined]
            rewards=f.reward_count,  # type: ignore[attr-defined]
        )
        for f in funds
    ]


def rewards_recent(*, user: User, limit: int = 50) -> list[LedgerEntry]:
    """The latest rewards on cases `user` may see."""
    if not may_read_rewards(user):
        return []
    return list(
        reward_entries()
        .filter(complaint__in=complaints_visible_to(user))
        .select_related("complaint", "fund", "customer", "approver")
        .order_by("-at", "-id")[:limit]
    )


def recognitions_recent(*, user: User, limit: int = 50) -> list[StaffRecognition]:
    """The latest thanks: general ones, and those on cases `user` may see."""
    if not may_read_rewards(user):
        return []
    return list(
        StaffRecognition.objects.filter(
            Q(complaint__isnull=True) | Q(complaint__in=complaints_visible_to(user))
        )
        .select_related("user", "by", "complaint")
        .order_by("-at", "-id")[:limit]
    )


# --- the case page ----------------------------------------------------------------------------


@dataclass
class RewardPanel:
    """What the case page's rewards panel shows `user`."""

    rewards: list[LedgerEntry]
    recognitions: list[StaffRecognition]
    may_reward: bool
    may_recognise: bool
    funds: list[FundBalance] = field(default_factory=list)
    colleagues: list[User] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return bool(self.rewards or self.recognitions or self.may_reward or self.may_recognise)


def colleagues_on(complaint: Complaint, *, user: User) -> list[User]:
    """The staff who worked on the case (its assignee and the actors of its events), whom
    `user` may thank: active, handling complaints, not `user`."""
    ids = set(
        ComplaintEvent.objects.filter(complaint=complaint, actor__isnull=False).values_list(
            "actor_id", flat=True
        )
    )
    if complaint.assignee_id:
        ids.add(complaint.assignee_id)
    ids.discard(user.pk)
    return list(
        User.objects.filter(pk__in=ids, is_active=True, role__in=authority.RECOGNISABLE).order_by(
            "first_name", "last_name", "username"
        )
    )


def case_reward_panel(*, complaint: Complaint, user: User) -> RewardPanel:
    rewards = list(
        reward_entries()
        .filter(complaint=complaint)
        .select_related("fund", "customer", "approver")
        .order_by("at", "id")
    )
    recognitions = list(
        StaffRecognition.objects.filter(complaint=complaint)
        .select_related("user", "by")
        .order_by("at", "id")
    )
    writes = user.is_active and not user.read_only
    may_reward = (
        writes
        and authority.may_grant_reward(user.role)
        and not rewards
        and complaint.state not in authority.NOT_REWARDED
        and can_view(user, complaint, cooperating=False)
    )
    funds = [f for f in fund_balances(active_only=True) if f.balance > 0] if may_reward else []
    may_recognise = writes and (user.role in authority.RECOGNISERS or user.is_superuser)
    colleagues = colleagues_on(complaint, user=user) if may_recognise else []
    return RewardPanel(
        rewards=rewards,
        recognitions=recognitions,
        may_reward=may_reward and bool(funds),
        may_recognise=may_recognise and bool(colleagues),
        funds=funds,
        colleagues=colleagues,
    )
