"""Every change to a case's plans, their approval, the customer's choice and delivery.

Each function locks the case's row, checks the actor and the state, writes its rows and one
audit event in the case's hash chain (complaints.services._append_event; the existing
PROPOSE / APPROVE / REJECT / ACCEPT / DISPUTE / NOTE actions, the details in `changes`), and
keeps the case's lifecycle in step by calling the complaints services themselves in the same
transaction: submitting plans proposes a solution (its text is the customer's summary of the
plans, its value the highest V2), approving approves it, sending back rejects it. So the queue,
the portal, the e-mails and the authority checks of the single-solution flow keep working.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from resuelve.accounts.models import User
from resuelve.accounts.roles import Role
from resuelve.complaints import lifecycle
from resuelve.complaints import services as complaint_services
from resuelve.complaints.lifecycle import Action, IllegalStep, NotAllowed, State
from resuelve.complaints.models import Complaint
from resuelve.remedies import authority
from resuelve.remedies.models import (
    ON_OFFER,
    WITHOUT_AMOUNT,
    LedgerEntry,
    Proposal,
    ProposalStatus,
    RemedyItem,
    RemedyType,
)

ZERO = Decimal("0")
MAX_AMOUNT = Decimal("999999999999.99")


@dataclass(frozen=True)
class ItemInput:
    type: str
    description: str
    amount: Decimal = ZERO


def senior_categories() -> tuple[str, ...]:
    value = getattr(settings, "RESUELVE_SENIOR_CATEGORIES", authority.DEFAULT_SENIOR_CATEGORIES)
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",")]
    return tuple(code for code in value if code)


# --- the common frame -------------------------------------------------------------------------


def _lock(complaint: Complaint, actor: User | None) -> Complaint:
    case = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if actor is not None:
        complaint_services._check_may_write(actor, case)
    return case


def _record(
    case: Complaint,
    *,
    actor: User | None,
    action: str,
    changes: dict[str, Any],
    reason: str = "",
    at: datetime | None = None,
) -> None:
    """One event in the case's chain that records a plan decision without moving the state
    (the bridged complaints service records the move)."""
    case.refresh_from_db(fields=["event_count", "audit_head", "state"])
    complaint_services._append_event(
        case,
        actor=actor,
        actor_label=complaint_services._actor_label(actor, lifecycle.CUSTOMER),
        action=action,
        from_state=case.state,
        to_state=case.state,
        changes=changes,
        reason=reason,
        at=at or timezone.now(),
    )
    case.save(update_fields=["event_count", "audit_head", "updated_at"])


def _numbers(proposals: Sequence[Proposal]) -> str:
    return ", ".join(f"#{p.number}" for p in proposals)


def current_proposals(case: Complaint) -> list[Proposal]:
    """The plans of the case's current round (a dispute starts a new round)."""
    return list(
        Proposal.objects.filter(complaint=case, round=case.dispute_rounds)
        .select_related("proposed_by", "approved_by")
        .prefetch_related("items")
        .order_by("number")
    )


def _clean_items(items: Sequence[ItemInput]) -> list[ItemInput]:
    errors: dict[str, str] = {}
    clean: list[ItemInput] = []
    for index, item in enumerate(items):
        description = (item.description or "").strip()
        try:
            amount = Decimal(item.amount if item.amount not in (None, "") else "0")
        except (InvalidOperation, TypeError):
            errors[f"items.{index}.amount"] = _("Enter an amount.")
            continue
        if item.type not in RemedyType.values:
            errors[f"items.{index}.type"] = _("Choose what the customer receives.")
        if not description:
            errors[f"items.{index}.description"] = _("Describe what the customer receives.")
        if amount < 0 or amount > MAX_AMOUNT:
            errors[f"items.{index}.amount"] = _("The amount must be zero or more.")
        elif item.type in WITHOUT_AMOUNT and amount != 0:
            errors[f"items.{index}.amount"] = _("An apology or an explanation has no amount.")
        clean.append(ItemInput(type=item.type, description=description, amount=amount))
    if not items:
        errors["items"] = _("Add at least one thing the customer receives.")
    if errors:
        raise ValidationError(errors)
    return clean


# --- proposing --------------------------------------------------------------------------------


def proposal_create(
    *,
    complaint: Complaint,
    actor: User,
    items: Sequence[ItemInput],
    customer_cost: Decimal,
    purchase_value: Decimal | None = None,
    customer_cost_estimated: bool = False,
    note: str = "",
) -> Proposal:
    """Draft a plan of the current round. Plans are drafted while the case is investigated
    (or after a dispute): wherever the lifecycle lets the actor propose a solution. V1 is the
    order's amount unless given; V2 is the items' total."""
    clean = _clean_items(items)
    if customer_cost is None or customer_cost < 0:
        raise ValidationError({"customer_cost": _("The cost must be zero or more.")})
    if purchase_value is not None and purchase_value < 0:
        raise ValidationError({"purchase_value": _("The value must be zero or more.")})
    with transaction.atomic():
        case = _lock(complaint, actor)
        lifecycle.check_step(Action.PROPOSE, case.state, actor.role, kind=case.kind)
        if purchase_value is None:
            purchase = case.purchase
            purchase_value = purchase.amount if purchase is not None else ZERO
        number = (Proposal.objects.filter(complaint=case).aggregate(n=Max("number"))["n"] or 0) + 1
        proposal = Proposal.objects.create(
            complaint=case,
            number=number,
            round=case.dispute_rounds,
            proposed_by=actor,
            note=note.strip(),
            customer_cost=customer_cost,
            customer_cost_estimated=customer_cost_estimated,
            purchase_value=purchase_value,
            total_value=sum((item.amount for item in clean), ZERO),
            currency=case.currency,
            created_at=timezone.now(),
        )
        RemedyItem.objects.bulk_create(
            RemedyItem(
                proposal=proposal,
                position=index,
                type=item.type,
                description=item.description,
                amount=item.amount,
            )
            for index, item in enumerate(clean)
        )
    return proposal


def _customer_summary(case: Complaint, proposals: Sequence[Proposal]) -> str:
    """What the customer reads when the solution is communicated: the plans' items, in the
    customer's language; nothing internal (V1, C, notes, approvers)."""
    with translation.override(case.language):
        blocks = []
        for index, proposal in enumerate(proposals, start=1):
            lines = []
            for item in proposal.items.all():
                line = f"- {RemedyType(item.type).label}: {item.description}"
                if item.amount:
                    line += f" ({item.amount:,.0f} {proposal.currency})"
                lines.append(line)
            if len(proposals) > 1:
                header = _("Option %(n)s:") % {"n": index}
                blocks.append(header + "\n" + "\n".join(lines))
            else:
                blocks.append("\n".join(lines))
        text = "\n\n".join(blocks)
        if len(proposals) > 1:
            text += "\n\n" + _("Choose the option you prefer on your case page.")
        return text


def _needed_for(
    proposals: Sequence[Proposal], case: Complaint, proposer_role: str
) -> tuple[str, Decimal]:
    """The role that must decide plans shown side by side: the one whose authority covers
    the most valuable of them (the case's solution value is that one's V2)."""
    top = max(p.total_value for p in proposals)
    needed = authority.approver_needed(
        top,
        category_code=case.category.code if case.category_id else None,  # type: ignore[union-attr]
        kind=case.kind,
        proposer_role=proposer_role,
        senior_categories=senior_categories(),
    )
    return needed, top


def proposal_submit(*, complaint: Complaint, actor: User) -> list[Proposal]:
    """Submit the round's drafts for approval, side by side. Within the actor's own limit
    they are approved at once (D2); above it they wait for the role needed (D3), contract
    disputes for a manager. The case's solution becomes the plans' summary."""
    with transaction.atomic():
        case = _lock(complaint, actor)
        drafts = [p for p in current_proposals(case) if p.status == ProposalStatus.DRAFT]
        if not drafts:
            raise ValidationError({"proposals": _("There is no draft plan to submit.")})
        needed, top = _needed_for(drafts, case, actor.role)
        complaint_services.complaint_propose_solution(
            complaint=case, actor=actor, solution=_customer_summary(case, drafts), value=top
        )
        alone = authority.may_approve(actor.role, needed=needed, value=top)
        for proposal in drafts:
            proposal.approver_needed = needed
            proposal.status = ProposalStatus.PENDING
        changes = {
            "proposals": _numbers(drafts),
            "solution_value": top,
            "approver_needed": needed,
            "value_rule": ", ".join(
                f"#{p.number}: V1 {p.purchase_value} + C {p.customer_cost} / V2 {p.total_value}"
                for p in drafts
            ),
        }
        _record(case, actor=actor, action=Action.PROPOSE, changes=changes)
        Proposal.objects.bulk_update(drafts, ["approver_needed", "status"])
        if alone:
            _approve(case, drafts, drafts, actor=actor, comment=_("Within the proposer's limit."))
    _refresh(complaint)
    return drafts


def _approve(
    case: Complaint,
    pending: Sequence[Proposal],
    chosen: Sequence[Proposal],
    *,
    actor: User,
    comment: str,
) -> None:
    now = timezone.now()
    if len(chosen) < len(pending):
        # The case's solution described every plan on the table; it must describe only the
        # approved ones before anything reaches the customer (E6).
        complaint_services.complaint_reject_solution(
            complaint=case,
            actor=actor,
            reason=_("Only %(chosen)s approved of %(pending)s.")
            % {"chosen": _numbers(chosen), "pending": _numbers(pending)},
        )
        complaint_services.complaint_propose_solution(
            complaint=case,
            actor=actor,
            solution=_customer_summary(case, chosen),
            value=max(p.total_value for p in chosen),
        )
    complaint_services.complaint_approve_solution(complaint=case, actor=actor, comment=comment)
    chosen_ids = {p.pk for p in chosen}
    for proposal in pending:
        proposal.status = (
            ProposalStatus.APPROVED if proposal.pk in chosen_ids else ProposalStatus.REJECTED
        )
        proposal.approved_by = actor
        proposal.approval_comment = comment
        proposal.decided_at = now
    Proposal.objects.bulk_update(
        pending, ["status", "approved_by", "approval_comment", "decided_at"]
    )
    _record(
        case,
        actor=actor,
        action=Action.APPROVE,
        changes={
            "approved": _numbers(chosen),
            "not_approved": _numbers([p for p in pending if p.pk not in chosen_ids]),
        },
        reason=comment,
    )


def proposal_decide(
    *, complaint: Complaint, actor: User, chosen: Sequence[int], comment: str
) -> list[Proposal]:
    """Decide the plans awaiting approval, seen side by side (E2): approve one, or several to
    let the customer choose (E3), or none (all go back with the comment as the reason). Only
    a role at the level needed, whose own limit covers the most valuable plan, decides."""
    comment = (comment or "").strip()
    with transaction.atomic():
        case = _lock(complaint, actor)
        pending = [p for p in current_proposals(case) if p.status == ProposalStatus.PENDING]
        if not pending:
            raise IllegalStep(_("No plan of this case is awaiting approval."))
        # Decided by the level fixed when they were submitted, as the page showed it.
        needed = max((p.approver_needed for p in pending), key=lambda r: authority.RANK[r])
        top = max(p.total_value for p in pending)
        if actor.read_only or not authority.may_approve(actor.role, needed=needed, value=top):
            raise NotAllowed(
                _(
                    "The plans are worth up to %(value)s and need a decision by a %(role)s; "
                    "your role (%(mine)s) may not decide them."
                )
                % {
                    "value": f"{top:,}",
                    "role": Role(needed).label,
                    "mine": lifecycle.role_label(actor.role),
                }
            )
        by_number = {p.number: p for p in pending}
        unknown = [n for n in chosen if n not in by_number]
        if unknown:
            raise ValidationError({"chosen": _("Choose among the plans awaiting approval.")})
        picked = [by_number[n] for n in sorted(set(chosen))]
        if picked:
            _approve(case, pending, picked, actor=actor, comment=comment)
        else:
            if not comment:
                raise ValidationError({"comment": _("Say why the plans go back.")})
            complaint_services.complaint_reject_solution(
                complaint=case, actor=actor, reason=comment
            )
            now = timezone.now()
            for proposal in pending:
                proposal.status = ProposalStatus.REJECTED
                proposal.approved_by = actor
                proposal.approval_comment = comment
                proposal.decided_at = now
            Proposal.objects.bulk_update(
                pending, ["status", "approved_by", "approval_comment", "decided_at"]
            )
            _record(
                case,
                actor=actor,
                action=Action.REJECT,
                changes={"not_approved": _numbers(pending)},
                reason=comment,
            )
    _refresh(complaint)
    return pending


def proposal_withdraw(*, proposal: Proposal, actor: User) -> Proposal:
    """Drop a draft before it is submitted."""
    with transaction.atomic():
        _lock(proposal.complaint, actor)
        row = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if row.status != ProposalStatus.DRAFT:
            raise IllegalStep(_("Only a draft plan can be withdrawn."))
        row.status = ProposalStatus.WITHDRAWN
        row.save(update_fields=["status"])
    return row


def proposals_offer(*, complaint: Complaint, actor: User, message: str = "") -> Complaint:
    """Send the approved plans to the customer (F1): complaints.complaint_communicate, which
    refuses anything not approved (E6); the plans are then on offer."""
    with transaction.atomic():
        case = _lock(complaint, actor)
        complaint_services.complaint_communicate(complaint=case, actor=actor, message=message)
        Proposal.objects.filter(
            complaint=case, round=case.dispute_rounds, status=ProposalStatus.APPROVED
        ).update(status=ProposalStatus.OFFERED)
    _refresh(complaint)
    return complaint


# --- the customer's answer --------------------------------------------------------------------


def on_offer(case: Complaint) -> list[Proposal]:
    """The plans the customer may choose among: approved ones, once sent (E6)."""
    if case.state != State.COMMUNICATED:
        return []
    return [p for p in current_proposals(case) if p.status in ON_OFFER]


def proposal_accept(
    *,
    complaint: Complaint,
    actor: User | None,
    name: str,
    ip: str | None = None,
    number: int | None = None,
) -> Complaint:
    """The customer accepts one of the plans on offer (E3, F2): the acceptance is the
    complaints service's (name, time, address); the chosen plan is marked, the others not
    chosen. A case without plans is accepted as before."""
    with transaction.atomic():
        case = _lock(complaint, actor)
        offered = on_offer(case)
        picked = None
        if offered:
            if number is None and len(offered) == 1:
                picked = offered[0]
            else:
                picked = next((p for p in offered if p.number == number), None)
            if picked is None:
                raise ValidationError({"proposal": _("Choose one of the options.")})
        complaint_services.complaint_record_acceptance(
            complaint=case, actor=actor, name=name, ip=ip
        )
        if picked is not None:
            for proposal in offered:
                proposal.status = (
                    ProposalStatus.CHOSEN if proposal.pk == picked.pk else ProposalStatus.DECLINED
                )
            Proposal.objects.bulk_update(offered, ["status"])
            _record(
                case, actor=actor, action=Action.ACCEPT, changes={"chosen": f"#{picked.number}"}
            )
    _refresh(complaint)
    return complaint


def proposal_dispute(*, complaint: Complaint, actor: User | None, reason: str) -> Complaint:
    """The customer accepts none of the plans: the complaints service records the dispute
    (a new round, or external resolution later); the plans on offer are not chosen."""
    with transaction.atomic():
        case = _lock(complaint, actor)
        offered = on_offer(case)
        complaint_services.complaint_record_dispute(complaint=case, actor=actor, reason=reason)
        if offered:
            Proposal.objects.filter(pk__in=[p.pk for p in offered]).update(
                status=ProposalStatus.DECLINED
            )
    _refresh(complaint)
    return complaint


# --- delivery and the ledger ------------------------------------------------------------------


def accepted_proposal(case: Complaint) -> Proposal | None:
    """The plan the customer accepted: the chosen one, or the only approved plan of the round
    when the acceptance was recorded without a choice (the single-solution step)."""
    if case.accepted_at is None:
        return None
    plans = [
        p
        for p in Proposal.objects.filter(complaint=case, round=case.dispute_rounds)
        if p.status in ON_OFFER | {ProposalStatus.CHOSEN}
    ]
    chosen = [p for p in plans if p.status == ProposalStatus.CHOSEN]
    if chosen:
        return chosen[0]
    return plans[0] if len(plans) == 1 else None


def _cause_of(case: Complaint) -> str:
    """The root cause from the investigation, when the resolution app is installed."""
    if not apps.is_installed("resuelve.resolution"):
        return ""
    try:
        from resuelve.resolution.selectors import investigation_for
    except ImportError:
        return ""
    investigation = investigation_for(case)
    cause = getattr(investigation, "cause", None)
    return str(cause)[:200] if cause is not None else ""


def remedy_fulfil(*, item: RemedyItem, actor: User, note: str = "") -> RemedyItem:
    """Record that an item of the accepted plan was delivered, and write its ledger row: the
    ledger holds what was really given, not what was promised."""
    with transaction.atomic():
        case = _lock(item.proposal.complaint, actor)
        row = RemedyItem.objects.select_for_update().select_related("proposal").get(pk=item.pk)
        plan = accepted_proposal(case)
        if plan is None or plan.pk != row.proposal_id:
            raise IllegalStep(_("Only the items of the plan the customer accepted are delivered."))
        if row.fulfilled_at is not None:
            raise IllegalStep(_("This item is already delivered."))
        if plan.status != ProposalStatus.CHOSEN:
            plan.status = ProposalStatus.CHOSEN
            plan.save(update_fields=["status"])
        now = timezone.now()
        row.fulfilled_at = now
        row.fulfilled_by = actor
        row.fulfilment_note = note.strip()
        row.save(update_fields=["fulfilled_at", "fulfilled_by", "fulfilment_note"])
        product = case.product
        LedgerEntry.objects.create(
            item=row,
            complaint=case,
            customer_id=case.customer_id,
            type=row.type,
            amount=row.amount,
            currency=plan.currency,
            approver_id=plan.approved_by_id,
            cause=_cause_of(case),
            department_id=case.department_id,
            product=product,
            supplier_id=product.supplier_id if product is not None else None,
            at=now,
        )
        _record(
            case,
            actor=actor,
            action=Action.NOTE,
            changes={
                "delivered": f"#{plan.number} {RemedyType(row.type).label}: {row.description}",
                "amount": row.amount,
            },
            reason=row.fulfilment_note,
        )
    return row


def unfulfilled_items(case: Complaint) -> list[RemedyItem]:
    plan = accepted_proposal(case)
    if plan is None:
        return []
    return list(plan.items.filter(fulfilled_at__isnull=True))


def check_may_resolve(case: Complaint) -> None:
    """A case is not resolved while the accepted plan has items not delivered (F3)."""
    missing = unfulfilled_items(case)
    if missing:
        raise IllegalStep(
            _("%(count)s item(s) of the accepted plan are not delivered yet: %(items)s.")
            % {
                "count": len(missing),
                "items": "; ".join(str(RemedyType(i.type).label) for i in missing),
            }
        )


def remedies_resolve(
    *, complaint: Complaint, actor: User, summary: str, answer: str = ""
) -> Complaint:
    """complaints.complaint_resolve, refused while the accepted plan is not delivered."""
    with transaction.atomic():
        case = _lock(complaint, actor)
        check_may_resolve(case)
        complaint_services.complaint_resolve(
            complaint=case, actor=actor, summary=summary, answer=answer
        )
    _refresh(complaint)
    return complaint


def _refresh(complaint: Complaint) -> None:
    complaint.refresh_from_db()
