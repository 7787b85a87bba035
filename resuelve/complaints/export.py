"""The complaint list as a spreadsheet: which columns, read how. Rows come straight from
`values_list` in chunks (no model instances, names joined in the same query), so a million
cases export in flat memory."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from resuelve.complaints import selectors
from resuelve.complaints.lifecycle import Kind, State
from resuelve.complaints.models import Channel, Complaint, Severity
from resuelve.core.export import Column

if TYPE_CHECKING:
    from resuelve.accounts.models import User

CHUNK_SIZE = 2000

# The order of these fields is the order `_row` reads them in.
FIELDS = (
    "tracking_code",
    "subject",
    "received_at",
    "kind",
    "channel",
    "state",
    "department__name",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__username",
    "category__name",
    "product__name",
    "branch__name",
    "branch__region__name",
    "language",
    "severity",
    "due_at",
    "acknowledged_at",
    "resolved_at",
    "closed_at",
    "satisfaction",
    "amount_claimed",
    "currency",
)


def complaint_export_columns() -> list[Column]:
    """The headers in the active language (English source)."""
    return [
        Column(_("Tracking code"), 16),
        Column(_("Subject"), 40),
        Column(_("Received"), 17),
        Column(_("Kind"), 20),
        Column(_("Channel"), 16),
        Column(_("State"), 18),
        Column(_("Department"), 20),
        Column(_("Assignee"), 20),
        Column(_("Category"), 22),
        Column(_("Product"), 22),
        Column(_("Branch"), 18),
        Column(_("Region"), 16),
        Column(_("Language"), 12),
        Column(_("Severity"), 12),
        Column(_("Answer by"), 17),
        Column(_("Acknowledged"), 17),
        Column(_("Resolved"), 17),
        Column(_("Closed"), 17),
        Column(_("Satisfaction"), 12),
        Column(_("Amount claimed"), 15),
        Column(_("Currency"), 9),
    ]


def complaint_export_queryset(
    *, user: User, filters: selectors.QueueFilters
) -> QuerySet[Complaint]:
    """The cases the user sees with the queue's filters applied, in the queue's order:
    newest first, or the least time left first for the overdue and by-deadline views."""
    qs, _mode = selectors._apply_filters(selectors.complaints_visible_to(user), user, filters)
    if filters.overdue or filters.by_deadline:
        return qs.order_by("due_at", "id")
    return qs.order_by("-received_at", "-id")


def complaint_export_rows(qs: QuerySet[Complaint]) -> Iterator[tuple[Any, ...]]:
    """One tuple per case, labels translated in the active language, read in chunks. The
    queryset must already be scoped to what the user may see."""
    # Translated now, once: a streamed response reads the rows after the view has returned.
    labels = Labels(
        kind=_labels(Kind.choices),
        channel=_labels(Channel.choices),
        state=_labels(State.choices),
        severity=_labels(Severity.choices),
        language=_labels(settings.LANGUAGES),
    )
    return _rows(qs, labels)


@dataclass(frozen=True)
class Labels:
    kind: dict[str, str]
    channel: dict[str, str]
    state: dict[str, str]
    severity: dict[str, str]
    language: dict[str, str]


def _rows(qs: QuerySet[Complaint], labels: Labels) -> Iterator[tuple[Any, ...]]:
    kind, channel, state = labels.kind, labels.channel, labels.state
    severity, language = labels.severity, labels.language
    for (
        code,
        subject,
        received,
        kind_value,
        channel_value,
        state_value,
        department,
        first_name,
        last_name,
        username,
        category,
        product,
        branch,
        region,
        language_value,
        severity_value,
        due,
        acknowledged,
        resolved,
        closed,
        satisfaction,
        amount,
        currency,
    ) in qs.values_list(*FIELDS).iterator(chunk_size=CHUNK_SIZE):
        assignee = f"{first_name or ''} {last_name or ''}".strip() or username
        yield (
            code,
            subject,
            received,
            kind.get(kind_value, kind_value),
            channel.get(channel_value, channel_value),
            state.get(state_value, state_value),
            department,
            assignee,
            category,
            product,
            branch,
            region,
            language.get(language_value, language_value),
            severity.get(severity_value, severity_value),
            due,
            acknowledged,
            resolved,
            closed,
            satisfaction,
            amount,
            currency,
        )


def _labels(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    # Translated once per export, not once per row.
    return {value: str(label) for value, label in choices}
