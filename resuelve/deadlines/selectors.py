"""Which deadline policy a new complaint falls under. Read on every filing, so the active
policies are kept per process for a few seconds instead of queried each time."""

from __future__ import annotations

import time as monotonic_time
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from resuelve.deadlines.models import DeadlinePolicy

_TTL_SECONDS = 5.0
_cache: tuple[float, dict[str, DeadlinePolicy]] = (0.0, {})


def _active() -> dict[str, DeadlinePolicy]:
    global _cache
    fetched_at, policies = _cache
    now = monotonic_time.monotonic()
    if now - fetched_at > _TTL_SECONDS:
        policies = {p.code: p for p in DeadlinePolicy.objects.filter(active=True)}
        _cache = (now, policies)
    return policies


def forget_policies() -> None:
    """Drop the per-process cache (after a policy is added or changed)."""
    global _cache
    _cache = (0.0, {})


def policy_for(kind: str) -> DeadlinePolicy | None:
    """The company's policy (RESUELVE_DEADLINE_POLICY) when it covers this kind of
    complaint; None: the flat terms RESUELVE_ACK_HOURS and RESUELVE_ANSWER_DAYS apply."""
    code = settings.RESUELVE_DEADLINE_POLICY
    if not code:
        return None
    policy = _active().get(code)
    if policy is None or (policy.kinds and kind not in policy.kinds):
        return None
    return policy


def due_dates(received_at: datetime, policy: DeadlinePolicy | None) -> tuple[datetime, datetime]:
    """(acknowledge by, answer by) for a complaint received at `received_at`."""
    if policy is None:
        return (
            received_at + timedelta(hours=settings.RESUELVE_ACK_HOURS),
            received_at + timedelta(days=settings.RESUELVE_ANSWER_DAYS),
        )
    return policy.ack_due(received_at), policy.answer_due(received_at)


def answer_term(kind: str = "complaint") -> str:
    """How long the company takes to answer, as customers are told it ("15 business days"),
    in the active language: the policy's term, or the flat days of the settings."""
    policy = policy_for(kind)
    if policy is None:
        days = settings.RESUELVE_ANSWER_DAYS
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    n = policy.answer_amount
    texts = {
        "hours": ngettext("%(n)d hour", "%(n)d hours", n),
        "calendar_days": ngettext("%(n)d day", "%(n)d days", n),
        "business_days": ngettext("%(n)d business day", "%(n)d business days", n),
        "calendar_months": ngettext("%(n)d month", "%(n)d months", n),
    }
    return texts[policy.answer_unit] % {"n": n}


# --- the compliance report (JURISDICTIONS: answered within the legal term, late, by how much)

# The first answer of substance the customer receives: the solution communicated, the case
# resolved, or the complaint assessed as not established (with its tactful answer).
ANSWER_ACTIONS = ("communicate", "resolve")
REPORT_ROLES = frozenset({"supervisor", "manager", "admin", "auditor"})


def may_see_compliance(user: Any) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in REPORT_ROLES)
    )


@dataclass
class ComplianceRow:
    policy_id: int | None
    policy: str
    legal_source: str
    received: int = 0
    answered: int = 0
    within: int = 0
    late: int = 0
    still_open: int = 0
    overdue: int = 0
    median_late: timedelta | None = None
    max_late: timedelta | None = None

    @property
    def within_percent(self) -> int | None:
        return round(100 * self.within / self.answered) if self.answered else None


def _first_answer() -> Subquery:
    from resuelve.complaints.models import ComplaintEvent

    answers = ComplaintEvent.objects.filter(complaint_id=OuterRef("pk")).filter(
        Q(action__in=ANSWER_ACTIONS) | Q(action="assess", to_state="not_established")
    )
    return Subquery(answers.order_by("seq").values("at")[:1])


def compliance_report(
    *, user: Any, received_from: date, received_to: date, now: datetime | None = None
) -> list[ComplianceRow]:
    """Per deadline policy (and "no policy"), the cases received between the two local
    dates (both included): how many were answered, within the term or late and by how much,
    and how many are still open, overdue or not. Counted by the database in one grouped
    query; only the late cases' lateness is read, for the median. Supervisors see their
    departments' cases; managers, administrators and auditors every case."""
    from resuelve.complaints.lifecycle import State
    from resuelve.complaints.models import Complaint

    now = now or timezone.now()
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(received_from, time.min, tzinfo=zone)
    end = datetime.combine(received_to + timedelta(days=1), time.min, tzinfo=zone)
    cases = Complaint.objects.filter(received_at__gte=start, received_at__lt=end)
    if not (user.is_superuser or user.sees_all_departments):
        cases = cases.filter(department_id__in=user.department_ids())
    cases = cases.alias(answered_at=_first_answer())
    unanswered_open = Q(answered_at__isnull=True) & (Q(is_open=True) | Q(state=State.WAITING))
    grouped = (
        cases.values("deadline_policy_id")
        .annotate(
            received=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            within=Count("id", filter=Q(answered_at__lte=F("due_at"))),
            late=Count("id", filter=Q(answered_at__gt=F("due_at"))),
            still_open=Count("id", filter=unanswered_open),
            overdue=Count("id", filter=unanswered_open & Q(due_at__lt=now)),
        )
        .order_by()
    )
    policies = {p.pk: p for p in DeadlinePolicy.objects.all()}
    rows: dict[int | None, ComplianceRow] = {}
    for group in grouped:
        policy = policies.get(group["deadline_policy_id"])
        rows[group["deadline_policy_id"]] = ComplianceRow(
            policy_id=policy.pk if policy else None,
            policy=policy.name if policy else str(_("No policy (company standard)")),
            legal_source=policy.legal_source if policy else "",
            **{key: group[key] for key in ("received", "answered", "within", "late")},
            still_open=group["still_open"],
            overdue=group["overdue"],
        )
    lateness: dict[int | None, list[timedelta]] = {}
    late_cases = cases.filter(answered_at__gt=F("due_at")).annotate(answer_at=_first_answer())
    for policy_id, answer_at, due_at in late_cases.values_list(
        "deadline_policy_id", "answer_at", "due_at"
    ):
        lateness.setdefault(policy_id, []).append(answer_at - due_at)
    for policy_id, values in lateness.items():
        rows[policy_id].median_late = median(values)
        rows[policy_id].max_late = max(values)
    return sorted(rows.values(), key=lambda row: (row.policy_id is None, row.policy))
