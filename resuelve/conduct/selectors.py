"""Reads of the conduct check: a language's rules, what a case's message is checked against,
and the override counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Q

from resuelve.accounts.models import Department, User
from resuelve.accounts.roles import Role
from resuelve.complaints.lifecycle import Kind
from resuelve.complaints.models import Complaint
from resuelve.complaints.selectors import complaints_visible_to
from resuelve.conduct.check import KINDS, Flag, Rule, check_text, normalise_language
from resuelve.conduct.models import ConductOverride, ConductRule
from resuelve.remedies.models import Proposal, ProposalStatus, RemedyItem

# The plans whose amounts a message may promise: approved, offered or chosen.
APPROVED_PLANS = (ProposalStatus.APPROVED, ProposalStatus.OFFERED, ProposalStatus.CHOSEN)
# Kinds of case whose answers should apologise and acknowledge (J1).
ANSWERS_A_COMPLAINT = frozenset({Kind.COMPLAINT, Kind.CLAIM})
REPORT_ROLES = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN, Role.AUDITOR})


def rules_for(*, language: str) -> list[Rule]:
    """The active rules of `language`; their compiled patterns are cached by their text, so
    an edited rule is compiled again and an unchanged one never."""
    code = normalise_language(language)
    rows = ConductRule.objects.filter(active=True, language=code).values_list(
        "kind", "pattern", "unless", "suggestion", "why", "order"
    )
    return [
        Rule(language=code, kind=k, pattern=p, unless=u, suggestion=s, why=w, order=o)
        for k, p, u, s, w, o in rows
    ]


def approved_amounts(case: Complaint) -> list[Decimal]:
    """The amounts the approved, offered or chosen plans of the case's current round cover
    (each plan's total and its items), and an approved single solution's value."""
    plans = Proposal.objects.filter(
        complaint=case, round=case.dispute_rounds, status__in=APPROVED_PLANS
    )
    amounts = [v for v in plans.values_list("total_value", flat=True) if v]
    amounts += [
        v
        for v in RemedyItem.objects.filter(proposal__in=plans).values_list("amount", flat=True)
        if v
    ]
    if case.solution_approved_by_id and case.solution_value:
        amounts.append(case.solution_value)
    return amounts


def staff_names() -> list[str]:
    """Full and first names of active staff: a blame cue next to one of them is flagged."""
    names: set[str] = set()
    for first, last in User.objects.filter(is_active=True).values_list("first_name", "last_name"):
        if first and last:
            names.add(f"{first} {last}")
        if len(first) >= 3:
            names.add(first)
    return sorted(names)


def department_names() -> list[str]:
    """Department names and, for names like "Taller y posventa", each of their parts."""
    names: set[str] = set()
    for name in Department.objects.filter(active=True).values_list("name", flat=True):
        names.add(name)
        for part in name.replace(" and ", " y ").split(" y "):
            if len(part.strip()) >= 4:
                names.add(part.strip())
    return sorted(names)


def case_message_flags(*, complaint: Complaint, text: str) -> list[Flag]:
    """The conduct flags of a customer-visible message on `complaint`, in the case's language;
    the whole-message notes only for answers to complaints and claims."""
    return check_text(
        text=text,
        language=complaint.language,
        rules=rules_for(language=complaint.language),
        approved=approved_amounts(complaint),
        currency=getattr(complaint, "currency", "") or "",
        staff_names=staff_names(),
        department_names=department_names(),
        strict=complaint.kind in ANSWERS_A_COMPLAINT,
    )


def may_see_overrides(user: User) -> bool:
    return user.is_authenticated and (user.role in REPORT_ROLES or user.is_superuser)


@dataclass
class OverrideRow:
    user: User
    total: int = 0
    kinds: Counter[str] = field(default_factory=Counter)

    def count(self, kind: str) -> int:
        return self.kinds.get(kind, 0)


@dataclass
class OverrideReport:
    rows: list[OverrideRow]
    kinds: tuple[str, ...]
    total: int
    by_kind: Counter[str]
    recent: list[ConductOverride]


def overrides_report(
    *, user: User, start: datetime | None = None, end: datetime | None = None
) -> OverrideReport:
    """Overrides per user and kind, on the cases `user` may see."""
    found = ConductOverride.objects.filter(complaint__in=complaints_visible_to(user))
    window = Q()
    if start is not None:
        window &= Q(at__gte=start)
    if end is not None:
        window &= Q(at__lt=end)
    found = found.filter(window).select_related("user", "complaint").order_by("-at")
    rows: dict[int, OverrideRow] = {}
    by_kind: Counter[str] = Counter()
    items = list(found)
    for item in items:
        row = rows.setdefault(item.user_id, OverrideRow(user=item.user))
        row.total += 1
        row.kinds.update(item.kinds)
        by_kind.update(item.kinds)
    ordered = sorted(rows.values(), key=lambda r: (-r.total, str(r.user)))
    return OverrideReport(
        rows=ordered, kinds=KINDS, total=len(items), by_kind=by_kind, recent=items[:20]
    )
