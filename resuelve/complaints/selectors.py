"""Reads: who sees which complaints, the queue, a case with its history. Built for the
indexes on Complaint: every queue page is an index range scan, never a sort or a count."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from resuelve.accounts import roles
from resuelve.complaints import tracking
from resuelve.complaints.models import Complaint, ComplaintEvent, Message
from resuelve.resolution.selectors import cooperating_complaint_ids, cooperating_department_ids
from resuelve.watchers.grants import granted_complaint_ids, has_grant

if TYPE_CHECKING:
    from resuelve.accounts.models import User


# Booleans compared through IN: Django writes `flag=True` as a bare `WHERE flag`, which
# SQLite cannot use as an index equality, so every index that starts with the flag went unused.
TRUE = [True]
FALSE = [False]


def _scope_q(user: User) -> Q | None:
    """The complaints a user may see, or None for everything. Department members see their
    departments' cases (the intake desk also sees cases not yet routed); confidential cases
    only their assignee, supervisors and above (C6)."""
    if user.is_superuser:
        return None
    q = Q()
    if not user.sees_all_departments:
        departments = Q(department_id__in=user.department_ids())
        if user.role in roles.SEES_UNROUTED:
            departments |= Q(department__isnull=True)
        asked = _cooperating_ids(user)
        if asked:
            departments |= Q(pk__in=asked)
        granted = granted_complaint_ids(user.pk)  # read access by a mention (H5)
        if granted:
            departments |= Q(pk__in=granted)
        q &= departments | Q(assignee_id=user.pk)
    if not user.sees_confidential:
        q &= Q(confidential__in=FALSE) | Q(assignee_id=user.pk)
    return q


def _cooperating_ids(user: User) -> list[int]:
    """The cases the user's departments were asked for input on, read first as a short list:
    as a subquery inside a queue branch the planner could walk the whole queue index."""
    if not user.department_ids():
        return []
    return list(cooperating_complaint_ids(user.department_ids())[:1000])


def complaints_visible_to(user: User) -> QuerySet[Complaint]:
    if not user.is_authenticated or not user.is_active:
        return Complaint.objects.none()
    scope = _scope_q(user)
    qs = Complaint.objects.all()
    return qs if scope is None else qs.filter(scope)


def can_view(user: User, complaint: Complaint, *, cooperating: bool = True) -> bool:
    """Whether the user may see the case. A department asked for input on it sees it while
    the request is pending (H5), and so does a colleague mentioned in an internal note (a
    CaseGrant), unless `cooperating` is off (writing on the case needs it to be one's own
    department's)."""
    if not user.is_active:
        return False
    if user.is_superuser or complaint.assignee_id == user.pk:
        return True
    if complaint.confidential and not user.sees_confidential:
        return False
    if user.sees_all_departments:
        return True
    if complaint.department_id is None and user.role in roles.SEES_UNROUTED:
        return True
    if complaint.department_id is not None and complaint.department_id in user.department_ids():
        return True
    if not cooperating:
        return False
    if set(cooperating_department_ids(complaint)) & set(user.department_ids()):
        return True
    return has_grant(user.pk, complaint.pk)  # mentioned in a note: read, never write


def complaint_get_for_user(*, user: User, tracking_code: str) -> Complaint:
    """The case, or Complaint.DoesNotExist if it does not exist or the user may not see it
    (the two look the same, so codes cannot be probed)."""
    code = tracking.normalize(tracking_code)
    if code is None:
        raise Complaint.DoesNotExist
    complaint = Complaint.objects.select_related(
        "customer",
        "product__supplier",
        "purchase",
        "branch__region",
        "category",
        "department",
        "assignee",
        "solution_proposed_by",
        "solution_approved_by",
        "deadline_policy",
    ).get(tracking_code=code)
    if not can_view(user, complaint):
        raise Complaint.DoesNotExist
    return complaint


@dataclass
class QueueFilters:
    state: str = ""
    kind: str = ""
    department: int | None = None
    assignee: str = ""  # "", "me", "none" or a user id
    overdue: bool = False
    by_deadline: bool = False  # open cases, the least time left first
    confidential: bool | None = None
    q: str = ""
    # Used by the API only.
    channel: str = ""
    is_open: bool | None = None
    received_after: datetime | None = None
    received_before: datetime | None = None


@dataclass
class QueuePage:
    items: list[Complaint]
    next_cursor: str | None
    search_mode: str = ""
    filters: QueueFilters = field(default_factory=QueueFilters)


def encode_cursor(received_at: datetime, pk: int) -> str:
    raw = f"{received_at.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.split("|")
        at = datetime.fromisoformat(stamp)
        if at.tzinfo is None:
            return None
        return at, int(pk)
    except (ValueError, UnicodeDecodeError):
        return None


def _apply_filters(
    qs: QuerySet[Complaint], user: User, f: QueueFilters
) -> tuple[QuerySet[Complaint], str]:
    if f.state == "open":
        qs = qs.filter(is_open__in=TRUE)
    elif f.state:
        qs = qs.filter(state=f.state)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.department:
        qs = qs.filter(department_id=f.department)
    if f.assignee == "me":
        qs = qs.filter(assignee_id=user.pk)
    elif f.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif f.assignee.isdigit():
        qs = qs.filter(assignee_id=int(f.assignee))
    if f.overdue:
        qs = qs.filter(is_open__in=TRUE, due_at__lt=timezone.now())
    if f.by_deadline:
        qs = qs.filter(is_open__in=TRUE, due_at__isnull=False)
    if f.confidential is not None:
        qs = qs.filter(confidential__in=[f.confidential])
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.is_open is not None:
        qs = qs.filter(is_open__in=[f.is_open])
    if f.received_after is not None:
        qs = qs.filter(received_at__gte=f.received_after)
    if f.received_before is not None:
        qs = qs.filter(received_at__lt=f.received_before)
    mode = ""
    text = f.q.strip()
    if text:
        code = tracking.normalize(text)
        if code is not None:
            mode = "code"
            qs = qs.filter(tracking_code=code)
        elif "@" in text:
            mode = "email"
            qs = qs.filter(contact_email=text.lower())
        else:
            mode = "text"
            qs = qs.filter(
                Q(subject__icontains=text)
                | Q(contact_name__icontains=text)
                | Q(contact_phone=text)
                | Q(description__icontains=text)
            )
    return qs, mode


def _scope_branches(user: User, filters: QueueFilters) -> list[Q] | None:
    """The user's scope as a union of simple conditions, each served by one index that is
    already in queue order; None when the user sees everything. One query with the whole OR
    makes the database collect and sort every matching row (seconds at a million cases).
    Branches that the filters contradict are left out rather than scanned for nothing."""
    if user.is_superuser or (user.sees_all_departments and user.sees_confidential):
        return None
    mine = [] if user.read_only else [Q(assignee_id=user.pk)]
    if filters.confidential and not user.sees_confidential:
        return mine  # the only confidential cases they see are their own
    open_to_me = Q() if user.sees_confidential else Q(confidential__in=FALSE)
    if user.sees_all_departments:
        return [open_to_me, *mine]
    departments = user.department_ids()
    if filters.department:
        departments = [d for d in departments if d == filters.department]
    branches = [Q(department_id=dept) & open_to_me for dept in departments]
    if user.role in roles.SEES_UNROUTED and not filters.department:
        branches.append(Q(department__isnull=True) & open_to_me)
    asked = [] if filters.department else _cooperating_ids(user)
    if asked:
        branches.append(Q(pk__in=asked) & open_to_me)
    granted = [] if filters.department else granted_complaint_ids(user.pk)
    if granted:  # cases a colleague @mentioned them on (read access)
        branches.append(Q(pk__in=granted) & open_to_me)
    return branches + mine


QUEUE_FIELDS = (
    "id",
    "tracking_code",
    "kind",
    "channel",
    "state",
    "subject",
    "contact_name",
    "received_at",
    "due_at",
    "severity",
    "confidential",
    "language",
    "department__name",
    "department__code",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
    "category__name",
)


def queue_page(*, user: User, filters: QueueFilters, cursor: str = "", size: int = 25) -> QueuePage:
    """One page of the user's queue, keyset-paginated: newest first by (received_at, id), or,
    for the overdue filter and by deadline, the least time left first by (due_at, id).

    Each branch of the user's scope is read as its own index range (at most one page in
    order), and the branches are merged: every page costs a few short index scans, whatever
    its depth and whatever the table's size."""
    if not user.is_authenticated or not user.is_active:
        return QueuePage(items=[], next_cursor=None, filters=filters)
    qs, mode = _apply_filters(Complaint.objects.all(), user, filters)
    by_due = filters.overdue or filters.by_deadline
    key = "due_at" if by_due else "received_at"
    descending = not by_due
    after = decode_cursor(cursor) if cursor else None
    if after is not None:
        at, pk = after
        # The first, redundant condition is the index range; the second breaks ties.
        if descending:
            qs = qs.filter(**{f"{key}__lte": at}).filter(
                Q(**{f"{key}__lt": at}) | Q(**{key: at, "id__lt": pk})
            )
        else:
            qs = qs.filter(**{f"{key}__gte": at}).filter(
                Q(**{f"{key}__gt": at}) | Q(**{key: at, "id__gt": pk})
            )
    qs = qs.select_related("department", "assignee", "category").only(*QUEUE_FIELDS)
    ordered = (f"-{key}", "-id") if descending else (key, "id")
    branches = _scope_branches(user, filters)
    if branches is None:
        rows = list(qs.order_by(*ordered)[: size + 1])
    else:
        found: dict[int, Complaint] = {}
        for branch in branches:
            for row in qs.filter(branch).order_by(*ordered)[: size + 1]:
                found[row.pk] = row
        rows = sorted(found.values(), key=lambda c: (getattr(c, key), c.pk), reverse=descending)[
            : size + 1
        ]
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = encode_cursor(getattr(last, key), last.pk)
    return QueuePage(items=rows, next_cursor=next_cursor, search_mode=mode, filters=filters)


@dataclass
class TimelineEntry:
    at: datetime
    kind: str  # "event" or "message"
    event: ComplaintEvent | None = None
    message: Message | None = None


def complaint_timeline(complaint: Complaint) -> list[TimelineEntry]:
    """Events and messages of the case, oldest first."""
    events = (
        ComplaintEvent.objects.filter(complaint=complaint).select_related("actor").order_by("seq")
    )
    messages = (
        Message.objects.filter(complaint=complaint)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
    entries = [TimelineEntry(at=e.at, kind="event", event=e) for e in events]
    entries += [TimelineEntry(at=m.created_at, kind="message", message=m) for m in messages]
    entries.sort(key=lambda entry: (entry.at, 0 if entry.kind == "message" else 1))
    return entries


def customer_history(complaint: Complaint, *, user: User, limit: int = 10) -> dict[str, Any]:
    """The customer's record at a glance (B3): recent purchases and previous complaints."""
    if complaint.customer_id is None:
        previous = (
            complaints_visible_to(user).filter(contact_email=complaint.contact_email)
            if complaint.contact_email
            else Complaint.objects.none()
        )
        purchases: list[Any] = []
    else:
        previous = complaints_visible_to(user).filter(customer_id=complaint.customer_id)
        purchases = list(
            complaint.customer.purchases.select_related("product", "branch").order_by(  # type: ignore[union-attr]
                "-purchased_on"
            )[:limit]
        )
    previous_list = list(
        previous.exclude(pk=complaint.pk)
        .only("tracking_code", "subject", "state", "received_at", "kind")
        .order_by("-received_at")[:limit]
    )
    return {"purchases": purchases, "previous": previous_list}
