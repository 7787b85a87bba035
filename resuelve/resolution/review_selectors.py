"""Reads for the classification statistics reviews (G3): who sees and writes which reviews,
and the review's figures, read from the analytics slices (never from the complaints).

The figures of a draft are live; a submitted review shows the snapshot taken on submit."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from resuelve.accounts.roles import Role
from resuelve.analytics.forms import months_back
from resuelve.analytics.labels import labels
from resuelve.analytics.selectors import Filters, breakdown, scope_of
from resuelve.analytics.slices import Figures
from resuelve.resolution.models import ClassificationReview, ReviewStatus
from resuelve.resolution.selectors import READS_IMPROVEMENTS

if TYPE_CHECKING:
    from resuelve.accounts.models import User

# Who writes reviews: the supervisors of the departments, managers and administrators; the
# auditor reads them. The same people keep the improvement actions a review proposes.
WRITES_REVIEWS = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})
READS_REVIEWS = READS_IMPROVEMENTS
# The dimensions a review compares, in the order the page shows them.
REVIEW_DIMENSIONS = ("category", "cause")


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def may_read_reviews(user: User) -> bool:
    return _active(user) and (user.is_superuser or user.role in READS_REVIEWS)


def may_write_reviews(user: User) -> bool:
    return (
        _active(user) and not user.read_only and (user.is_superuser or user.role in WRITES_REVIEWS)
    )


def reviews_visible_to(user: User) -> QuerySet[ClassificationReview]:
    """Managers, administrators and auditors read every review; a supervisor the reviews of
    their departments and their own."""
    reviews = ClassificationReview.objects.select_related("department", "author")
    if not may_read_reviews(user):
        return reviews.none()
    if user.sees_all_departments:
        return reviews
    return reviews.filter(Q(department_id__in=user.department_ids()) | Q(author=user))


def review_get_for_user(*, user: User, pk: int) -> ClassificationReview:
    """Raises ClassificationReview.DoesNotExist for a review the user may not read."""
    return reviews_visible_to(user).get(pk=pk)


def may_edit_review(user: User, review: ClassificationReview) -> bool:
    """A draft is written by its author, or by a manager or administrator."""
    if not review.is_draft or not may_write_reviews(user):
        return False
    return (
        review.author_id == user.pk
        or user.is_superuser
        or user.role
        in {
            Role.MANAGER,
            Role.ADMIN,
        }
    )


def months_in(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of as many months just before."""
    return months_back(start, months_in(start, end)), months_back(start, 1)


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _totals(figures: Figures) -> dict[str, Any]:
    return {
        "received": figures.received,
        "on_time": figures.on_time,
        "late": figures.late,
        "reopened": figures.reopened,
        "on_time_share": _share(figures.compliance),
        "reopen_rate": _share(figures.reopen_rate),
    }


def _change(current: int, previous: int) -> float | None:
    return round((current - previous) / previous, 4) if previous else None


def _rows(dim: str, current: dict[str, Figures], previous: dict[str, Figures]) -> list[dict]:
    keys = sorted(
        set(current) | set(previous),
        key=lambda k: (
            -(current[k].received if k in current else 0),
            -(previous[k].received if k in previous else 0),
            k,
        ),
    )
    names = labels(dim, keys)
    rows = []
    for key in keys:
        now, before = current.get(key, Figures()), previous.get(key, Figures())
        rows.append(
            {
                "key": key,
                "label": names[key],
                **_totals(now),
                "previous": before.received,
                "difference": now.received - before.received,
                "change": _change(now.received, before.received),
            }
        )
    return rows


def review_statistics(
    *, author: User, start: date, end: date, department_id: int | None
) -> dict[str, Any]:
    """The rows of the review form, JSON-ready: per category and per root cause the complaints
    received in the period and in the period before, the change, the share answered on
    time and the reopen rate; and the same for the whole period. Counted within the
    author's scope, so a review reads the same whoever opens it."""
    scope = scope_of(author)
    prev_start, prev_end = previous_period(start, end)
    now = Filters(start=start, end=end, department=department_id)
    before = Filters(start=prev_start, end=prev_end, department=department_id)
    out: dict[str, Any] = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "previous_start": prev_start.isoformat(),
        "previous_end": prev_end.isoformat(),
    }
    total_now = breakdown(scope=scope, filters=now, dim="all").total
    total_before = breakdown(scope=scope, filters=before, dim="all").total
    out["total"] = {
        **_totals(total_now),
        "previous": total_before.received,
        "difference": total_now.received - total_before.received,
        "change": _change(total_now.received, total_before.received),
        "previous_on_time_share": _share(total_before.compliance),
        "previous_reopen_rate": _share(total_before.reopen_rate),
    }
    for dim in REVIEW_DIMENSIONS:
        current = dict(breakdown(scope=scope, filters=now, dim=dim).rows)
        previous = dict(breakdown(scope=scope, filters=before, dim=dim).rows)
        out[dim] = _rows(dim, current, previous)
    return out


def review_figures(review: ClassificationReview) -> dict[str, Any]:
    """What the review page shows: the snapshot once submitted, the live figures before."""
    if review.status == ReviewStatus.SUBMITTED and review.statistics:
        return review.statistics
    return review_statistics(
        author=review.author,
        start=review.start,
        end=review.end,
        department_id=review.department_id,
    )
