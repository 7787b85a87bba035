"""Reads: the facts a watch filters on, who a watch reaches, a user's watches and mentions,
and the case panel."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from resuelve.accounts import roles
from resuelve.complaints.models import Complaint
from resuelve.complaints.selectors import can_view
from resuelve.resolution.models import Investigation
from resuelve.watchers.matching import CaseFacts, matches
from resuelve.watchers.models import Mention, Watch

if TYPE_CHECKING:
    from resuelve.accounts.models import Department, User


def case_facts(complaint_ids: list[int]) -> dict[int, CaseFacts]:
    """The filterable facts of each case, in two queries whatever the number of cases."""
    rows = Complaint.objects.filter(pk__in=complaint_ids).values(
        "pk",
        "product_id",
        "product__supplier_id",
        "purchase__product_id",
        "purchase__product__supplier_id",
        "category_id",
        "customer__region_id",
        "branch__region_id",
        "customer__tier",
    )
    causes = dict(
        Investigation.objects.filter(complaint_id__in=complaint_ids).values_list(
            "complaint_id", "cause_id"
        )
    )
    facts = {}
    for row in rows:
        own_product = row["product_id"] is not None
        facts[row["pk"]] = CaseFacts(
            product_id=row["product_id"] if own_product else row["purchase__product_id"],
            supplier_id=(
                row["product__supplier_id"]
                if own_product
                else row["purchase__product__supplier_id"]
            ),
            category_id=row["category_id"],
            cause_id=causes.get(row["pk"]),
            region_id=row["customer__region_id"] or row["branch__region_id"],
            tier=row["customer__tier"] or "",
        )
    return facts


def active_watches() -> list[Watch]:
    """Every active watch: few (people and departments, not cases), so matched in Python."""
    return list(Watch.objects.filter(active=True).order_by("pk"))


def matching_watches(facts: CaseFacts, watches: list[Watch]) -> list[Watch]:
    return [watch for watch in watches if matches(watch, facts)]


def watch_recipients(watch: Watch, complaint: Complaint) -> list[User]:
    """Who a watch tells about a case: its person, or its department's active members; only
    those with an e-mail address who may see the case (a confidential case reaches only
    those who see confidential cases)."""
    from resuelve.accounts.models import User

    if watch.user_id is not None:
        people = [watch.user] if watch.user is not None else []
    else:
        people = list(
            User.objects.filter(departments=watch.department_id, is_active=True).order_by("pk")
        )
    return [u for u in people if u.is_active and u.email and can_view(u, complaint)]


def may_manage_department_watches(user: User, department: Department) -> bool:
    """The department's head and supervisors, managers and administrators."""
    if not user.is_active:
        return False
    if user.is_superuser or user.role in {roles.Role.MANAGER, roles.Role.ADMIN}:
        return True
    if department.head_id == user.pk:
        return True
    return user.role == roles.Role.SUPERVISOR and department.pk in user.department_ids()


def manageable_departments(user: User) -> list[Department]:
    from resuelve.accounts.models import Department

    departments = Department.objects.filter(active=True).order_by("name")
    return [d for d in departments if may_manage_department_watches(user, d)]


def watches_of(user: User) -> QuerySet[Watch]:
    """The user's own watches and those of their departments."""
    return (
        Watch.objects.filter(Q(user_id=user.pk) | Q(department_id__in=user.department_ids()))
        .select_related("user", "department", "product", "supplier", "category", "cause", "region")
        .order_by("department_id", "pk")
    )


def mentions_of(user: User, *, limit: int = 20) -> list[Mention]:
    """Recent mentions of the user, newest first, on cases they may still see."""
    rows = (
        Mention.objects.filter(user_id=user.pk)
        .select_related("complaint", "by")
        .order_by("-at", "-pk")[: limit * 2]
    )
    return [m for m in rows if can_view(user, m.complaint)][:limit]


@dataclass
class CasePanel:
    watcher_count: int = 0
    watcher_names: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    show_names: bool = False


def case_panel(complaint: Complaint, *, user: User) -> CasePanel:
    """Who watches this case (the count for everyone, the names for supervisors and above)
    and the mentions on it."""
    facts = case_facts([complaint.pk]).get(complaint.pk, CaseFacts())
    watching = [
        w
        for w in Watch.objects.filter(active=True).select_related("user", "department")
        if matches(w, facts)
    ]
    names = sorted(
        {
            (w.user.get_full_name() or w.user.username) if w.user is not None else str(w.department)
            for w in watching
        }
    )
    mentions = list(
        Mention.objects.filter(complaint_id=complaint.pk)
        .select_related("user", "by")
        .order_by("at")
    )
    return CasePanel(
        watcher_count=len(watching),
        watcher_names=names,
        mentions=mentions,
        show_names=roles.RANK.get(user.role, 0) >= roles.RANK[roles.Role.SUPERVISOR]
        or user.is_superuser,
    )
