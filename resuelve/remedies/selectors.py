"""Reads: a case's plans for its page, the plans on offer to the customer, the ledger and its
totals. The ledger is scoped like the compliance report: supervisors see their departments,
managers, administrators and auditors everything."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from resuelve.accounts.models import User
from resuelve.accounts.roles import Role
from resuelve.complaints.models import Complaint
from resuelve.remedies import authority
from resuelve.remedies.models import (
    COMPENSATING,
    LedgerEntry,
    Proposal,
    ProposalStatus,
)
from resuelve.remedies.services import accepted_proposal, current_proposals, on_offer

LEDGER_READERS = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN, Role.AUDITOR})
DIMENSIONS = ("cause", "product", "supplier", "department", "month")

__all__ = ["accepted_proposal", "current_proposals", "on_offer"]


def may_read_ledger(user: User) -> bool:
    return user.is_active and (user.is_superuser or user.role in LEDGER_READERS)


def ledger_entries(
    *,
    user: User,
    start: date | None = None,
    end: date | None = None,
    kind: str | tuple[str, ...] | None = COMPENSATING,
) -> QuerySet[LedgerEntry]:
    """The entries `user` may read, delivered from `start` to `end` (both days included).
    Compensation only (after a complaint, or in a remedy campaign before one) unless `kind`
    says otherwise (None: every kind): rewards are not compensation and must not swell its
    statistics."""
    entries = LedgerEntry.objects.all()
    if isinstance(kind, tuple):
        entries = entries.filter(kind__in=kind)
    elif kind is not None:
        entries = entries.filter(kind=kind)
    if not may_read_ledger(user):
        return entries.none()
    if not (user.sees_all_departments or user.is_superuser):
        entries = entries.filter(department_id__in=user.department_ids())
    tz = timezone.get_current_timezone()
    if start is not None:
        entries = entries.filter(at__gte=datetime.combine(start, time.min, tzinfo=tz))
    if end is not None:
        entries = entries.filter(
            at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
        )
    return entries


CENT = Decimal("0.01")


def _money(value: Decimal | int | None) -> Decimal:
    # SQLite sums decimals as numbers without their places; both databases answer alike.
    return Decimal(value or 0).quantize(CENT)


@dataclass(frozen=True)
class Total:
    key: str
    label: str
    count: int
    amount: Decimal


_GROUP = {
    "cause": ("cause", "cause"),
    "product": ("product_id", "product__name"),
    "supplier": ("supplier_id", "supplier__name"),
    "department": ("department_id", "department__name"),
}


def ledger_totals(
    *, by: str, start: date | None = None, end: date | None = None, user: User
) -> list[Total]:
    """What was given, summed by one dimension (G3, H3): one aggregate query, the largest
    amount first (months in calendar order)."""
    if by not in DIMENSIONS:
        raise ValueError(by)
    entries = ledger_entries(user=user, start=start, end=end)
    if by == "month":
        rows = (
            entries.annotate(period=TruncMonth("at"))
            .values("period")
            .annotate(count=Count("id"), amount=Coalesce(Sum("amount"), Value(Decimal("0"))))
            .order_by("period")
        )
        return [
            Total(
                key=row["period"].strftime("%Y-%m"),
                label=row["period"].strftime("%Y-%m"),
                count=row["count"],
                amount=_money(row["amount"]),
            )
            for row in rows
        ]
    key, label = _GROUP[by]
    rows = (
        entries.values(key_=F(key), label_=F(label))
        .annotate(count=Count("id"), amount=Coalesce(Sum("amount"), Value(Decimal("0"))))
        .order_by("-amount", "label_")
    )
    return [
        Total(
            key=str(row["key_"] or ""),
            label=str(row["label_"] or ""),
            count=row["count"],
            amount=_money(row["amount"]),
        )
        for row in rows
    ]


def ledger_grand_total(*, user: User, start: date | None, end: date | None) -> dict[str, Any]:
    return ledger_entries(user=user, start=start, end=end).aggregate(
        count=Count("id"), amount=Coalesce(Sum("amount"), Value(Decimal("0")))
    )


# --- the case page ----------------------------------------------------------------------------


@dataclass
class Panel:
    """What the case page's plans panel shows `user`."""

    proposals: list[Proposal]
    history: list[Proposal]  # earlier rounds
    may_propose: bool
    may_submit: bool
    may_decide: bool
    may_offer: bool
    accepted: Proposal | None
    may_fulfil: bool
    offered: list[Proposal] = field(default_factory=list)  # on offer to the customer now
    may_accept: bool = False  # staff may record the customer's choice among several


def case_panel(*, complaint: Complaint, user: User) -> Panel:
    from resuelve.complaints import lifecycle
    from resuelve.complaints.lifecycle import Action, State, StepRefused

    def can(action: str) -> bool:
        if user.read_only:
            return False
        try:
            lifecycle.check_step(action, complaint.state, user.role, kind=complaint.kind)
        except StepRefused:
            return False
        return True

    current = current_proposals(complaint)
    history = list(
        Proposal.objects.filter(complaint=complaint, round__lt=complaint.dispute_rounds)
        .select_related("proposed_by", "approved_by")
        .prefetch_related("items")
        .order_by("number")
    )
    pending = [p for p in current if p.status == ProposalStatus.PENDING]
    may_decide = False
    if pending and not user.read_only:
        needed = max((p.approver_needed for p in pending), key=lambda r: authority.RANK[r])
        top = max(p.total_value for p in pending)
        may_decide = authority.may_approve(user.role, needed=needed, value=top)
    accepted = accepted_proposal(complaint)
    offered = on_offer(complaint)
    return Panel(
        proposals=[p for p in current if p.status != ProposalStatus.WITHDRAWN],
        history=history,
        may_propose=can(Action.PROPOSE),
        may_submit=can(Action.PROPOSE) and any(p.status == ProposalStatus.DRAFT for p in current),
        may_decide=may_decide,
        may_offer=can(Action.COMMUNICATE)
        and any(p.status == ProposalStatus.APPROVED for p in current),
        accepted=accepted,
        may_fulfil=accepted is not None
        and not user.read_only
        and complaint.state in {State.ACCEPTED, State.RESOLVED, State.FOLLOWED_UP},
        offered=offered,
        may_accept=len(offered) > 1 and can(Action.ACCEPT),
    )


def has_pending_plans(complaint: Complaint) -> bool:
    """Whether plans of the current round await approval: the single-solution approve and
    send-back steps must then give way to the plans panel's decision."""
    return Proposal.objects.filter(
        complaint=complaint, round=complaint.dispute_rounds, status=ProposalStatus.PENDING
    ).exists()
