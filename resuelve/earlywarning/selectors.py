"""Reads for early warning: who sees and handles alerts, what an alert is about in the
reader's language, and the complaints behind it within what the reader may see."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from resuelve.accounts.quality import in_quality
from resuelve.accounts.roles import Role
from resuelve.complaints.models import Complaint
from resuelve.complaints.selectors import complaints_visible_to
from resuelve.earlywarning.models import Alert, AlertComplaint, AlertKind, AlertStatus

if TYPE_CHECKING:
    from resuelve.accounts.models import User

# Besides the quality department's members, who reads alerts; auditors only read.
READS = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN, Role.AUDITOR})
HANDLES = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def may_read(user: User) -> bool:
    return _active(user) and (user.is_superuser or user.role in READS or in_quality(user))


def may_handle(user: User) -> bool:
    """Acknowledge, dismiss or turn an alert into an improvement action."""
    if not _active(user) or user.read_only:
        return False
    return user.is_superuser or user.role in HANDLES or in_quality(user)


def alerts_for(*, user: User, status: str = "", kind: str = "") -> QuerySet[Alert]:
    """The alerts the user may read, open ones first. A serious-word alert is about one
    complaint: it is listed only to those who may see that complaint."""
    qs = Alert.objects.all()
    if status in AlertStatus.values:
        qs = qs.filter(status=status)
    if kind in AlertKind.values:
        qs = qs.filter(kind=kind)
    if not user.is_superuser:
        visible = AlertComplaint.objects.filter(
            alert=OuterRef("pk"), complaint__in=complaints_visible_to(user)
        )
        qs = qs.filter(Q(kind=AlertKind.RISE) | Exists(visible))
    order = Case(
        When(status=AlertStatus.OPEN, then=Value(0)),
        When(status=AlertStatus.ACKNOWLEDGED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return qs.annotate(rank=order).order_by("rank", "-last_seen_at", "-id")


def alert_complaints(*, alert: Alert, user: User) -> QuerySet[Complaint]:
    """The alert's complaints the user may see, newest first."""
    return (
        complaints_visible_to(user)
        .filter(pk__in=AlertComplaint.objects.filter(alert=alert).values("complaint_id"))
        .select_related("product", "branch__region", "category", "purchase")
        .order_by("-received_at", "-id")
    )


def hidden_count(*, alert: Alert, shown: int) -> int:
    return max(AlertComplaint.objects.filter(alert=alert).count() - shown, 0)


@dataclass(frozen=True)
class RegionRow:
    name: str
    count: int
    share: int  # percent of the largest region, for the bar


def by_region(complaints: Iterable[Complaint]) -> list[RegionRow]:
    """How many of the complaints came from each region (of their branch), most first."""
    counts = Counter(
        c.branch.region.name if c.branch_id and c.branch and c.branch.region_id else ""
        for c in complaints
    )
    top = max(counts.values(), default=0)
    rows = [
        RegionRow(name=name or _("No region"), count=n, share=round(100 * n / top) if top else 0)
        for name, n in counts.items()
    ]
    return sorted(rows, key=lambda r: (-r.count, r.name))


DIM_LABELS = {
    "product": lambda: _("Product"),
    "supplier": lambda: _("Supplier"),
    "batch": lambda: _("Batch"),
    "category": lambda: _("Category"),
    "cause": lambda: _("Root cause"),
    "region": lambda: _("Region"),
    "serious": lambda: _("Complaint"),
}


def _names(dim: str, values: Sequence[str]) -> dict[str, str]:
    from resuelve.analytics.labels import labels

    if dim == "batch":
        return {v: v for v in values}
    if dim == "serious":
        ids = [int(v) for v in values if v.isdigit()]
        codes = Complaint.objects.filter(pk__in=ids).values_list("pk", "tracking_code")
        return {str(pk): code for pk, code in codes}
    return labels(dim, values)


def describe(key: Sequence[Sequence[str]]) -> str:
    """What a series is, in the active language: "Product: Brake pads · Region: Andina"."""
    parts = []
    for dim, value in key:
        name = _names(dim, [value]).get(value, value)
        label = DIM_LABELS.get(dim)
        parts.append(f"{label()}: {name}" if label else f"{dim}: {name}")
    return " · ".join(parts)


def key_value(key: Sequence[Sequence[str]], dim: str) -> str:
    return next((value for d, value in key if d == dim), "")


def suppressed_keys() -> frozenset[tuple[tuple[str, str], ...]]:
    """The series dismissals suppressed, as the detector's keys (Config.suppressed)."""
    from resuelve.earlywarning.models import Suppression

    return frozenset(
        tuple((str(dim), str(value)) for dim, value in key)
        for key in Suppression.objects.values_list("key", flat=True)
    )
