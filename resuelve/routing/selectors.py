"""Where a new case goes and who gets it (C3): the routing rules in order, then the
suggested category's department, then the least-loaded able person of that department.

Routing runs on every filing, before its transaction (like the deadline policies): the
rules, the categories and each department's people are kept per process for a few seconds;
what is read per filing is one grouped count of the candidates' open cases."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from resuelve.accounts.models import Department, User
from resuelve.complaints.models import Category, Complaint
from resuelve.routing.models import Absence, AgentProfile, RoutingRule
from resuelve.routing.rules import (
    Candidate,
    Facts,
    RuleSpec,
    choose_assignee,
    evaluate,
    fold,
    phrases,
)

if TYPE_CHECKING:
    from resuelve.deadlines.models import DeadlinePolicy

_TTL_SECONDS = 5.0


@dataclass
class _Snapshot:
    rules: list[RuleSpec]
    categories: dict[str, Category]  # by code, with default_department
    departments: dict[int, Department]
    users: dict[int, User]
    policies: dict[int, DeadlinePolicy]
    # department id -> (user id, name, capacity, languages, skills) of its assignable people
    people: dict[int, list[tuple[int, str, int, frozenset[str], frozenset[str]]]]
    absent: frozenset[int]  # user ids absent today
    day: date
    fetched_at: float = field(default=0.0)


_snapshot: _Snapshot | None = None


def _rule_spec(rule: RoutingRule) -> RuleSpec:
    actions: list[tuple[str, Any]] = []
    if rule.department_id:
        actions.append(("department", rule.department_id))
    if rule.assignee_id:
        actions.append(("assignee", rule.assignee_id))
    if rule.severity:
        actions.append(("severity", rule.severity))
    if rule.confidential is not None:
        actions.append(("confidential", rule.confidential))
    if rule.deadline_policy_id:
        actions.append(("deadline_policy", rule.deadline_policy_id))
    return RuleSpec(
        id=rule.pk,
        name=rule.name,
        stop=rule.stop,
        kinds=frozenset(rule.kinds or ()),
        categories=frozenset(c.code for c in rule.categories.all()),
        channels=frozenset(rule.channels or ()),
        product_ids=frozenset(p.pk for p in rule.products.all()),
        supplier_ids=frozenset(s.pk for s in rule.suppliers.all()),
        tiers=frozenset(rule.customer_tiers or ()),
        languages=frozenset(rule.languages or ()),
        phrases=phrases(rule.text_contains),
        actions=tuple(actions),
    )


def _load() -> _Snapshot:
    from resuelve.deadlines.models import DeadlinePolicy

    rules = list(
        RoutingRule.objects.filter(active=True).prefetch_related(
            "categories", "products", "suppliers"
        )
    )
    today = timezone.localdate()
    people: dict[int, list[tuple[int, str, int, frozenset[str], frozenset[str]]]] = {}
    profiles = (
        AgentProfile.objects.filter(
            takes_assignments=True, user__is_active=True, user__role__in=_ASSIGNABLE_ROLES
        )
        .select_related("user")
        .prefetch_related("skills", "user__departments")
    )
    users: dict[int, User] = {}
    for profile in profiles:
        user = profile.user
        users[user.pk] = user
        entry = (
            user.pk,
            user.get_full_name() or user.username,
            profile.capacity,
            frozenset(profile.languages or ()),
            frozenset(c.code for c in profile.skills.all()),
        )
        for department in user.departments.all():
            people.setdefault(department.pk, []).append(entry)
    rule_users = {r.assignee_id for r in rules if r.assignee_id} - users.keys()
    users.update({u.pk: u for u in User.objects.filter(pk__in=rule_users)})
    return _Snapshot(
        rules=[_rule_spec(r) for r in rules],
        categories={
            c.code: c
            for c in Category.objects.filter(active=True).select_related("default_department")
        },
        departments={d.pk: d for d in Department.objects.filter(active=True)},
        users=users,
        policies={p.pk: p for p in DeadlinePolicy.objects.filter(active=True)},
        people=people,
        absent=frozenset(
            Absence.objects.filter(starts_on__lte=today, ends_on__gte=today).values_list(
                "user_id", flat=True
            )
        ),
        day=today,
        fetched_at=time.monotonic(),
    )


# Roles that handle cases (auditors never do; administrators configure).
_ASSIGNABLE_ROLES = ["agent", "handler", "supervisor", "manager"]


def _current() -> _Snapshot:
    global _snapshot
    snapshot = _snapshot
    if (
        snapshot is None
        or time.monotonic() - snapshot.fetched_at > _TTL_SECONDS
        or snapshot.day != timezone.localdate()
    ):
        snapshot = _snapshot = _load()
    return snapshot


def forget_routing() -> None:
    """Drop the per-process cache (after rules, profiles or absences change)."""
    global _snapshot
    _snapshot = None


@dataclass
class Routing:
    """What routing decided for a new case, with the trace shown as "why was this routed
    here". Empty when nothing applied: the case stays with the front-line desk."""

    category: Category | None = None
    department: Department | None = None
    assignee: User | None = None
    severity: str = ""
    confidential: bool | None = None
    deadline_policy: DeadlinePolicy | None = None
    trace: dict[str, Any] = field(default_factory=dict)

    @property
    def decided(self) -> bool:
        return any(
            [
                self.department,
                self.assignee,
                self.severity,
                self.confidential is not None,
                self.deadline_policy,
            ]
        )


def _open_loads(user_ids: list[int]) -> dict[int, tuple[int, int]]:
    """user id -> (open cases, id of the newest) for these people: one grouped read of the
    assignee/open index. Plain SQL: this runs on every routed filing, and compiling the
    ORM's aggregate each time cost more than running it."""
    table = connection.ops.quote_name(Complaint._meta.db_table)
    marks = ", ".join(["%s"] * len(user_ids))
    sql = (
        f"SELECT assignee_id, COUNT(*), MAX(id) FROM {table} "  # noqa: S608 - no user input
        f"WHERE assignee_id IN ({marks}) AND is_open IN (%s) GROUP BY assignee_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*user_ids, True])
        return {row[0]: (row[1], row[2]) for row in cursor.fetchall()}


def _candidates(snapshot: _Snapshot, department_id: int) -> list[Candidate]:
    people = snapshot.people.get(department_id, [])
    if not people:
        return []
    loads = _open_loads([p[0] for p in people])
    return [
        Candidate(
            user_id=user_id,
            name=name,
            load=loads.get(user_id, (0, 0))[0],
            capacity=capacity,
            last_case=loads.get(user_id, (0, 0))[1],
            languages=languages,
            skills=skills,
            absent=user_id in snapshot.absent,
        )
        for user_id, name, capacity, languages, skills in people
    ]


def route(
    case: Complaint, *, suggestion: dict[str, Any] | None = None, assign: bool = True
) -> Routing:
    """Decide department, assignee, severity, confidentiality and deadline policy for a case
    built in memory, from the routing rules, the suggested category (when its confidence
    reaches RESUELVE_ROUTING_MIN_CONFIDENCE) and the department's people."""
    snapshot = _current()
    routing = Routing()
    trace: dict[str, Any] = {}
    category: Category | None = None
    if suggestion and suggestion.get("category"):
        confident = float(suggestion.get("confidence") or 0) >= (
            settings.RESUELVE_ROUTING_MIN_CONFIDENCE
        )
        known = snapshot.categories.get(suggestion["category"])
        category = known if confident else None
        trace["suggestion"] = {
            "category": suggestion["category"],
            "name": known.name if known else suggestion["category"],
            "confidence": suggestion.get("confidence"),
            "used": category is not None,
        }
    routing.category = category
    product = case.product
    facts = Facts(
        kind=case.kind,
        channel=case.channel,
        language=case.language,
        text=fold(f"{case.subject}\n{case.description}"),
        category=category.code if category else None,
        product_id=product.pk if product else None,
        supplier_id=product.supplier_id if product else None,
        tier=case.customer.tier if case.customer_id and case.customer else "",
    )
    decision = evaluate(snapshot.rules, facts)
    trace["rules"] = decision.trace
    values = decision.values
    department_by = decision.set_by.get("department")
    department = snapshot.departments.get(values.get("department", 0))
    if department is None and category is not None and category.default_department_id:
        department = snapshot.departments.get(category.default_department_id)
        department_by = "category" if department else None
    routing.department = department
    trace["department"] = {"name": str(department) if department else None, "by": department_by}

    assignee = snapshot.users.get(values.get("assignee", 0))
    assignment: dict[str, Any] = {"by": "rule" if assignee else None}
    if assignee is None and department is not None and assign:
        chosen, considered = choose_assignee(
            _candidates(snapshot, department.pk),
            language=case.language,
            category=category.code if category else None,
        )
        assignment = {"by": "load" if chosen else None, "candidates": considered}
        assignee = snapshot.users.get(chosen.user_id) if chosen else None
    routing.assignee = assignee
    assignment["user"] = str(assignee) if assignee else None
    trace["assignment"] = assignment

    routing.severity = values.get("severity", "")
    routing.confidential = values.get("confidential")
    routing.deadline_policy = snapshot.policies.get(values.get("deadline_policy", 0))
    for name in ("severity", "confidential", "deadline_policy"):
        if name in decision.set_by:
            trace.setdefault("set_by", {})[name] = decision.set_by[name]
    routing.trace = trace
    return routing
