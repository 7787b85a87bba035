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
from resuelve.remedies.models import LedgerEntry, LedgerKind, RewardFund, StaffRecognition
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
