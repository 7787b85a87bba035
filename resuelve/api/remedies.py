"""/api/v1: a case's solution plans (propose, decide, deliver), the compensation ledger and
rewards (the reward funds' balances; rewarding a case).
Each handler parses, calls one service or selector and shapes the answer; role, department,
authority and state checks are the services' and selectors', exactly as on the case page."""

# No `from __future__ import annotations`: ninja reads the handlers' annotations.

import base64
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError
from pydantic import Field

from resuelve.api import presenters
from resuelve.api.complaints import (
    READ_ERRORS,
    WRITE_ERRORS,
    _case,
    _remote_ip,
    _user,
    _writer,
)
from resuelve.api.schemas import ErrorOut, In, Out, Text
from resuelve.complaints.models import Complaint
from resuelve.remedies import reward_selectors, reward_services, selectors, services
from resuelve.remedies.models import LedgerEntry, Proposal, RemedyItem, RemedyType, RewardFund

router = Router(tags=["solution plans"])

RemedyTypeEnum = Enum("RemedyType", {v.upper(): v for v in RemedyType.values}, type=str)  # type: ignore[misc]
DimensionEnum = Enum("Dimension", {v.upper(): v for v in selectors.DIMENSIONS}, type=str)  # type: ignore[misc]
Money = Field(ge=0, max_digits=14, decimal_places=2)


class ItemIn(In):
    type: RemedyTypeEnum  # type: ignore[valid-type]
    description: Text(2000)  # type: ignore[valid-type]
    amount: Decimal = Field(default=Decimal("0"), ge=0, max_digits=14, decimal_places=2)


class PlanIn(In):
    items: list[ItemIn] = Field(min_length=1, max_length=20)
    customer_cost: Decimal = Field(default=Decimal("0"), ge=0, max_digits=14, decimal_places=2)
    customer_cost_estimated: bool = False
    purchase_value: Decimal | None = Field(
        default=None,
        ge=0,
        max_digits=14,
        decimal_places=2,
        description="V1; the order's amount when omitted.",
    )
    note: Text(5000) = ""  # type: ignore[valid-type]
    submit: bool = Field(
        default=True,
        description="Submit the round's drafts (this one included) for approval at once; "
        "false keeps it a draft beside others.",
    )


class DecideIn(In):
    chosen: list[int] = Field(
        max_length=20, description="Numbers of the plans approved; empty sends all back."
    )
    comment: Text(5000) = ""  # type: ignore[valid-type]


class AcceptPlanIn(In):
    plan: int = Field(description="Number of the plan on offer the customer chose.")
    name: Text(200) = Field(min_length=1, description="Name of the person who accepts.")  # type: ignore[valid-type]


class FulfilIn(In):
    item: int = Field(description="Id of the item delivered.")
    note: Text(2000) = ""  # type: ignore[valid-type]


class ItemOut(Out):
    id: int
    type: str
    description: str
    amount: Decimal
    fulfilled_at: datetime | None
    fulfilled_by: str | None
    fulfilment_note: str


class ProposalOut(Out):
    number: int
    round: int
    status: str
    items: list[ItemOut]
    purchase_value: Decimal = Field(description="V1")
    customer_cost: Decimal = Field(description="C")
    customer_cost_estimated: bool
    total_value: Decimal = Field(description="V2, the items' total")
    currency: str
    value_rule_met: bool = Field(description="V2 >= V1 + C (a warning, never a refusal)")
    shortfall: Decimal
    proposed_by: str
    approver_needed: str
    approved_by: str | None
    approval_comment: str
    created_at: datetime


class PlansOut(Out):
    tracking_code: str
    state: str
    proposals: list[ProposalOut]


class LedgerEntryOut(Out):
    id: int
    kind: str  # compensation after a complaint, or campaign: a proactive remedy, no case
    tracking_code: str | None
    type: str
    amount: Decimal
    currency: str
    cause: str
    department: str | None
    product: str | None
    supplier: str | None
    approver: str | None
    at: datetime


class LedgerPage(Out):
    items: list[LedgerEntryOut]
    next: str | None = Field(description="Pass back as `cursor` for the following page.")


class TotalOut(Out):
    key: str
    label: str
    count: int
    amount: Decimal


class TotalsOut(Out):
    by: str
    totals: list[TotalOut]


def _name(user: Any) -> str | None:
    return None if user is None else user.username


def _plan(proposal: Proposal) -> dict[str, Any]:
    check = proposal.value
    return {
        "number": proposal.number,
        "round": proposal.round,
        "status": proposal.status,
        "items": [
            {
                "id": item.pk,
                "type": item.type,
                "description": item.description,
                "amount": item.amount,
                "fulfilled_at": item.fulfilled_at,
                "fulfilled_by": _name(item.fulfilled_by),
                "fulfilment_note": item.fulfilment_note,
            }
            for item in proposal.items.all()
        ],
        "purchase_value": proposal.purchase_value,
        "customer_cost": proposal.customer_cost,
        "customer_cost_estimated": proposal.customer_cost_estimated,
        "total_value": proposal.total_value,
        "currency": proposal.currency,
        "value_rule_met": check.ok,
        "shortfall": check.shortfall,
        "proposed_by": proposal.proposed_by.username,
        "approver_needed": proposal.approver_needed,
        "approved_by": _name(proposal.approved_by),
        "approval_comment": proposal.approval_comment,
        "created_at": proposal.created_at,
    }


def _plans(case: Complaint) -> dict[str, Any]:
    case.refresh_from_db()
    proposals = (
        Proposal.objects.filter(complaint=case)
        .select_related("proposed_by", "approved_by")
        .prefetch_related("items__fulfilled_by")
        .order_by("number")
    )
    return {
        "tracking_code": case.tracking_code,
        "state": case.state,
        "proposals": [_plan(p) for p in proposals],
    }


@router.get(
    "/complaints/{tracking_code}/proposals",
    response={200: PlansOut, **READ_ERRORS},
    operation_id="complaint_proposals",
    summary="The case's solution plans",
)
def complaint_proposals(request: HttpRequest, tracking_code: str) -> dict[str, Any]:
    return _plans(_case(request, tracking_code))


@router.post(
    "/complaints/{tracking_code}/actions/propose-plan",
    response={200: PlansOut, **WRITE_ERRORS},
    operation_id="complaint_propose_plan",
    summary="Propose a plan made of remedy items",
    description=(
        "Drafts a plan; with `submit` (the default) the round's drafts go for approval: "
        "approved at once within the caller's authority limit, else awaiting the role shown "
        "in `approver_needed`. Errors of an item are under `items.<index>.<field>`."
    ),
)
def complaint_propose_plan(
    request: HttpRequest, tracking_code: str, payload: PlanIn
) -> dict[str, Any]:
    user = _writer(request)
    case = _case(request, tracking_code)
    services.proposal_create(
        complaint=case,
        actor=user,
        items=[
            services.ItemInput(type=i.type.value, description=i.description, amount=i.amount)
            for i in payload.items
        ],
        customer_cost=payload.customer_cost,
        purchase_value=payload.purchase_value,
        customer_cost_estimated=payload.customer_cost_estimated,
        note=payload.note,
    )
    if payload.submit:
        services.proposal_submit(complaint=case, actor=user)
    return _plans(case)


@router.post(
    "/complaints/{tracking_code}/actions/decide",
    response={200: PlansOut, **WRITE_ERRORS},
    operation_id="complaint_decide_plans",
    summary="Decide the plans awaiting approval",
    description=(
        "Approve one plan, several (the customer chooses among them) or none (`comment` "
        "then says why they go back). 403 when the plans need a higher role or are above "
        "the caller's authority limit."
    ),
)
def complaint_decide_plans(
    request: HttpRequest, tracking_code: str, payload: DecideIn
) -> dict[str, Any]:
    user = _writer(request)
    case = _case(request, tracking_code)
    services.proposal_decide(
        complaint=case, actor=user, chosen=payload.chosen, comment=payload.comment
    )
    return _plans(case)


@router.post(
    "/complaints/{tracking_code}/actions/accept-plan",
    response={200: PlansOut, **WRITE_ERRORS},
    operation_id="complaint_accept_plan",
    summary="Record the customer's acceptance of one of the plans on offer",
    description=(
        "For a customer who answered by phone or letter: records the acceptance (name, "
        "time, address) of plan `plan`, the other plans on offer not chosen. 422 under "
        "`plan` when it is not on offer; 409 when the case is not awaiting an answer."
    ),
)
def complaint_accept_plan(
    request: HttpRequest, tracking_code: str, payload: AcceptPlanIn
) -> dict[str, Any]:
    user = _writer(request)
    case = _case(request, tracking_code)
    try:
        services.proposal_accept(
            complaint=case,
            actor=user,
            name=payload.name,
            ip=_remote_ip(request),
            number=payload.plan,
        )
    except ValidationError as exc:
        if "proposal" in getattr(exc, "error_dict", {}):
            raise presenters.Invalid({"plan": exc.message_dict["proposal"]}) from exc
        raise
    return _plans(case)


@router.post(
    "/complaints/{tracking_code}/actions/fulfil",
    response={200: PlansOut, **WRITE_ERRORS},
    operation_id="complaint_fulfil_item",
    summary="Record an item of the accepted plan as delivered",
    description="Writes the item's compensation-ledger entry. 409 for other plans' items.",
)
def complaint_fulfil_item(
    request: HttpRequest, tracking_code: str, payload: FulfilIn
) -> dict[str, Any]:
    user = _writer(request)
    case = _case(request, tracking_code)
    item = RemedyItem.objects.filter(pk=payload.item, proposal__complaint=case).first()
    if item is None:
        raise presenters.Invalid({"item": [_("There is no such item on this case.")]})
    services.remedy_fulfil(item=item, actor=user, note=payload.note)
    return _plans(case)


# --- the ledger -------------------------------------------------------------------------------


class LedgerQuery(In):
    start: date | None = None
    end: date | None = None
    cursor: Text(200) = ""  # type: ignore[valid-type]
    limit: int = Field(default=50, ge=1, le=100)


class TotalsQuery(In):
    by: DimensionEnum  # type: ignore[valid-type]
    start: date | None = None
    end: date | None = None


def _reader(request: HttpRequest) -> Any:
    user = _user(request)
    if not selectors.may_read_ledger(user):
        raise HttpError(
            403, _("The compensation ledger is for supervisors, managers and auditors.")
        )
    return user


def _decode(cursor: str) -> int | None:
    try:
        value = int(base64.urlsafe_b64decode(cursor.encode() + b"==").decode())
    except (ValueError, UnicodeDecodeError):
        return None
    return value if value > 0 else None


def _encode(entry_id: int) -> str:
    return base64.urlsafe_b64encode(str(entry_id).encode()).decode().rstrip("=")


def _entry(e: LedgerEntry) -> dict[str, Any]:
    return {
        "id": e.pk,
        "kind": e.kind,
        "tracking_code": e.complaint.tracking_code if e.complaint_id else None,
        "type": e.type,
        "amount": e.amount,
        "currency": e.currency,
        "cause": e.cause,
        "department": e.department.code if e.department else None,
        "product": e.product.sku if e.product else None,
        "supplier": e.supplier.name if e.supplier else None,
        "approver": _name(e.approver),
        "at": e.at,
    }


@router.get(
    "/ledger",
    response={200: LedgerPage, **READ_ERRORS, 403: ErrorOut},
    operation_id="ledger_list",
    summary="Compensation ledger entries",
    description=(
        "Entries delivered from `start` to `end` (dates, both included), newest first; "
        "supervisors see their departments'. Pass `next` back as `cursor`."
    ),
)
def ledger_list(request: HttpRequest, filters: Query[LedgerQuery]) -> dict[str, Any]:
    user = _reader(request)
    entries = selectors.ledger_entries(user=user, start=filters.start, end=filters.end)
    if filters.cursor:
        after = _decode(filters.cursor)
        if after is None:
            raise presenters.Invalid(
                {"cursor": [_("This cursor is not valid; start from the first page.")]}
            )
        entries = entries.filter(pk__lt=after)
    rows = list(
        entries.select_related(
            "complaint", "department", "product", "supplier", "approver"
        ).order_by("-id")[: filters.limit + 1]
    )
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    return {
        "items": [_entry(e) for e in rows],
        "next": _encode(rows[-1].pk) if more and rows else None,
    }


@router.get(
    "/ledger/totals",
    response={200: TotalsOut, **READ_ERRORS, 403: ErrorOut},
    operation_id="ledger_totals",
    summary="Compensation totals by cause, product, supplier, department or month",
)
def ledger_totals(request: HttpRequest, filters: Query[TotalsQuery]) -> dict[str, Any]:
    user = _reader(request)
    by = filters.by.value
    totals = selectors.ledger_totals(by=by, start=filters.start, end=filters.end, user=user)
    return {"by": by, "totals": [t.__dict__ for t in totals]}


# --- rewards (A4) -----------------------------------------------------------------------------


class RewardIn(In):
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2)
    currency: str = Field(default="COP", min_length=3, max_length=3, pattern="^[A-Za-z]{3}$")
    reason: Text(2000) = Field(min_length=1)  # type: ignore[valid-type]
    fund: int | None = Field(
        default=None, ge=1, description="Id of the fund; the first open one in the currency."
    )


class FundOut(Out):
    id: int
    name: str
    currency: str
    active: bool
    deposited: Decimal
    rewarded: Decimal
    balance: Decimal
    rewards: int


class RewardOut(Out):
    id: int
    tracking_code: str
    amount: Decimal
    currency: str
    fund: FundOut
    recipient: str | None
    reason: str
    granted_by: str | None
    at: datetime


def _fund(balance: reward_selectors.FundBalance) -> dict[str, Any]:
    return {
        "id": balance.fund.pk,
        "name": balance.fund.name,
        "currency": balance.fund.currency,
        "active": balance.fund.active,
        "deposited": balance.deposited,
        "rewarded": balance.rewarded,
        "balance": balance.balance,
        "rewards": balance.rewards,
    }


@router.get(
    "/rewards/funds",
    response={200: list[FundOut], **READ_ERRORS, 403: ErrorOut},
    operation_id="reward_funds",
    summary="Reward funds and their balances",
    description="Deposits less rewards, per fund; for managers, administrators and auditors.",
)
def reward_funds(request: HttpRequest) -> list[dict[str, Any]]:
    if not reward_selectors.may_read_rewards(_user(request)):
        raise HttpError(403, _("The reward funds are for managers, administrators and auditors."))
    return [_fund(b) for b in reward_selectors.fund_balances()]


@router.post(
    "/complaints/{tracking_code}/actions/reward",
    response={200: RewardOut, **WRITE_ERRORS},
    operation_id="complaint_reward",
    summary="Reward a valuable complaint or suggestion from a reward fund",
    description=(
        "Supervisors within their authority limit, managers and administrators; one reward "
        "per case; 422 when the fund's balance is short. The customer is thanked in their "
        "language, by e-mail only with their consent."
    ),
)
def complaint_reward(request: HttpRequest, tracking_code: str, payload: RewardIn) -> dict[str, Any]:
    user = _writer(request)
    case = _case(request, tracking_code)
    fund = None
    if payload.fund is not None:
        fund = RewardFund.objects.filter(pk=payload.fund).first()
        if fund is None:
            raise presenters.Invalid({"fund": [_("There is no such reward fund.")]})
    entry = reward_services.reward_grant(
        complaint=case,
        actor=user,
        amount=payload.amount,
        currency=payload.currency.upper(),
        reason=payload.reason,
        fund=fund,
    )
    (balance,) = [b for b in reward_selectors.fund_balances() if b.fund.pk == entry.fund_id]
    return {
        "id": entry.pk,
        "tracking_code": case.tracking_code,
        "amount": entry.amount,
        "currency": entry.currency,
        "fund": _fund(balance),
        "recipient": entry.customer.name if entry.customer else (case.contact_name or None),
        "reason": entry.reason,
        "granted_by": _name(entry.approver),
        "at": entry.at,
    }
