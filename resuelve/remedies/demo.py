"""Demo rewards (A4): a customer-ideas fund with a deposit, a few demo suggestions rewarded
from it and one colleague thanked, all through the services, so the audit trails, the
thank-you messages and the balances are real. Idempotent: a second run changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import Kind, State
from resuelve.complaints.models import Complaint
from resuelve.remedies import authority, reward_services
from resuelve.remedies.models import (
    LedgerEntry,
    LedgerKind,
    RemedyType,
    RewardFund,
    StaffRecognition,
)
from resuelve.remedies.reward_selectors import colleagues_on

SETTLED = (State.RESOLVED, State.FOLLOWED_UP, State.CLOSED)
FUND_NAME = "Fondo de ideas de clientes"
DEPOSIT = Decimal("2000000")
AMOUNTS = (Decimal("50000"), Decimal("80000"), Decimal("120000"))
REASONS = (
    "La sugerencia nos llevó a cambiar el horario de citas del taller.",
    "Propuesta clara y aplicable: la adoptamos en todas las sedes.",
    "Detectó un fallo del proceso de entregas que nadie había visto.",
)


def ensure_demo_rewards(now: datetime, *, manager_username: str = "elena") -> int:
    """Open the demo fund, deposit into it and reward up to three demo suggestions (valuable
    complaints when there are fewer suggestions) as the demo manager; thank the colleague who handled the first one. Returns the rewards made."""
    manager = User.objects.filter(username=manager_username, is_active=True).first()
    if manager is None:
        return 0
    fund = RewardFund.objects.filter(name=FUND_NAME).first()
    if fund is None:
        fund = reward_services.reward_fund_create(
            name=FUND_NAME, currency="COP", actor=manager, now=now - timedelta(days=30)
        )
    if not fund.deposits.exists():  # type: ignore[attr-defined]
        reward_services.reward_fund_deposit(
            fund=fund,
            actor=manager,
            amount=DEPOSIT,
            note="Presupuesto del trimestre",
            now=now - timedelta(days=30),
        )
    if LedgerEntry.objects.filter(kind=LedgerKind.REWARD, fund=fund).exists():
        return 0
    rewardable = Complaint.objects.filter(confidential=False, currency="COP").exclude(
        state__in=authority.NOT_REWARDED
    )
    cases = list(rewardable.filter(kind=Kind.SUGGESTION).order_by("id")[: len(AMOUNTS)])
    if len(cases) < len(AMOUNTS):
        # A small demo may hold no suggestion: valuable complaints are rewarded too.
        cases += list(
            rewardable.filter(kind__in=[Kind.COMPLAINT, Kind.CLAIM], state__in=SETTLED).order_by(
                "id"
            )[: len(AMOUNTS) - len(cases)]
        )
    made = 0
    for index, (case, amount, reason) in enumerate(zip(cases, AMOUNTS, REASONS, strict=False)):
        reward_services.reward_grant(
            complaint=case,
            actor=manager,
            amount=amount,
            currency=fund.currency,
            reason=reason,
            fund=fund,
            now=now - timedelta(hours=len(cases) - index),
        )
        made += 1
    if cases and not StaffRecognition.objects.exists():
        first = cases[0]
        colleague = next(iter(colleagues_on(first, user=manager)), None)
        if colleague is None:
            colleague = User.objects.filter(username="ana", is_active=True).first()
        if colleague is not None and colleague.role in authority.RECOGNISABLE:
            reward_services.staff_recognition_record(
                user=colleague,
                by=manager,
                complaint=first,
                reason="Respondió al cliente el mismo día y le explicó cada paso.",
                now=now,
            )
    return made


# What the demo's settled claims were compensated with: (type, description, amount in COP).
COMPENSATIONS = (
    (RemedyType.REPAIR, "Reparación sin costo del trabajo mal hecho", Decimal("180000")),
    (RemedyType.CREDIT, "Bono para el próximo mantenimiento", Decimal("150000")),
    (RemedyType.REFUND, "Devolución de la mano de obra cobrada", Decimal("420000")),
    (RemedyType.REPLACEMENT, "Cambio de la pieza defectuosa", Decimal("650000")),
    (RemedyType.GOODWILL, "Lavado y revisión general de cortesía", Decimal("90000")),
    (RemedyType.REFUND, "Reembolso del alquiler de vehículo de reemplazo", Decimal("1200000")),
)
COMPENSATED_SHARE = 5  # one in five settled claims


def ensure_demo_compensation(now: datetime) -> int:
    """Compensation already delivered on the demo's settled claims and complaints, so the
    ledger, the compensation charts and the scorecards have something to show. The cases
    were loaded settled, past the steps where a plan is proposed, so their plans are written
    as they would stand after delivery: proposed by the handler, approved by the handler
    when within their authority and by the supervisor (or manager) above it. Idempotent."""
    from resuelve.accounts.roles import Role, within_authority
    from resuelve.remedies.models import Proposal, ProposalStatus, RemedyItem
    from resuelve.resolution.models import Investigation

    if LedgerEntry.objects.filter(kind=LedgerKind.COMPENSATION).exists():
        return 0
    supervisor = User.objects.filter(role=Role.SUPERVISOR, is_active=True).order_by("id").first()
    manager = User.objects.filter(role=Role.MANAGER, is_active=True).order_by("id").first()
    cases = list(
        Complaint.objects.filter(
            kind__in=[Kind.COMPLAINT, Kind.CLAIM],
            state__in=SETTLED,
            currency="COP",
            assignee__isnull=False,
            resolved_at__isnull=False,
        )
        .exclude(proposals__isnull=False)
        .select_related("assignee", "product")
        .order_by("-id")[: 400 * COMPENSATED_SHARE]
    )[::COMPENSATED_SHARE]
    causes = dict(
        Investigation.objects.filter(complaint__in=cases, cause__isnull=False).values_list(
            "complaint_id", "cause__name"
        )
    )
    made = 0
    for case in cases:
        kind, description, amount = COMPENSATIONS[(case.pk * 7) % len(COMPENSATIONS)]
        proposer = case.assignee
        if within_authority(proposer.role, amount):
            approver, needed = proposer, proposer.role
        elif supervisor is not None and within_authority(Role.SUPERVISOR, amount):
            approver, needed = supervisor, Role.SUPERVISOR
        else:
            approver, needed = manager or proposer, Role.MANAGER
        delivered = case.resolved_at - timedelta(hours=2)
        proposal = Proposal.objects.create(
            complaint=case,
            number=1,
            status=ProposalStatus.CHOSEN,
            proposed_by=proposer,
            approver_needed=needed,
            approved_by=approver,
            decided_at=delivered - timedelta(days=1),
            total_value=amount,
            currency="COP",
            created_at=delivered - timedelta(days=2),
        )
        item = RemedyItem.objects.create(
            proposal=proposal,
            type=kind,
            description=description,
            amount=amount,
            fulfilled_at=delivered,
            fulfilled_by=proposer,
        )
        LedgerEntry.objects.create(
            kind=LedgerKind.COMPENSATION,
            item=item,
            complaint=case,
            customer_id=case.customer_id,
            type=kind,
            amount=amount,
            currency="COP",
            approver=approver,
            cause=causes.get(case.pk, ""),
            department_id=case.department_id,
            product_id=case.product_id,
            supplier_id=case.product.supplier_id if case.product else None,
            at=delivered,
        )
        made += 1
    return made
