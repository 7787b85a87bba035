"""A case's deadline recomputed from its history: the policy's term from receipt (or from the
last reopening), without the days the case was waiting for the customer (WAIT → RESUME
events), plus the notified extensions (EXTEND events, their `changes["amount"]`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from resuelve.deadlines.calendar import Clock, Term, Unit, paused_days
from resuelve.deadlines.models import DeadlinePolicy

# An event as the history reads it: (action, at) or (action, at, changes).
HistoryEvent = Sequence[Any]


def _amount(changes: Mapping[str, Any] | None) -> int:
    try:
        return max(int((changes or {}).get("amount", 0)), 0)
    except (TypeError, ValueError):
        return 0


def extension_used(events: Iterable[HistoryEvent]) -> int:
    """How much of the policy's extension allowance the case's history has used since it
    was last reopened (in the policy's answer unit)."""
    used = 0
    for event in events:
        action = event[0]
        if action == "reopen":
            used = 0
        elif action == "extend":
            used += _amount(event[2] if len(event) > 2 else None)
    return used


def answer_due_from_history(
    policy: DeadlinePolicy,
    received_at: datetime,
    events: Iterable[HistoryEvent],
    *,
    resumed_at: datetime | None = None,
    extra_extension: int = 0,
) -> datetime:
    """The answer deadline under `policy` given the case's events in order, each
    (action, at) or (action, at, changes); `resumed_at` closes a pause that is ending now
    (its event is not written yet) and `extra_extension` adds an extension being granted now.
    A reopening starts the term again from its moment (complaint_reopen does the same)."""
    start = received_at
    stops: list[tuple[datetime, datetime]] = []
    waiting_since: datetime | None = None
    extension = 0
    for event in events:
        action, at = event[0], event[1]
        if action == "reopen":
            start, stops, waiting_since, extension = at, [], None, 0
        elif action == "wait" and waiting_since is None:
            waiting_since = at
        elif action == "resume" and waiting_since is not None:
            stops.append((waiting_since, at))
            waiting_since = None
        elif action == "extend":
            extension += _amount(event[2] if len(event) > 2 else None)
    if waiting_since is not None and resumed_at is not None:
        stops.append((waiting_since, resumed_at))
    extension += max(extra_extension, 0)
    clock = Clock(
        pauses=paused_days(stops, policy.calendar()),
        extension=Term(extension, Unit(policy.answer_unit)) if extension else None,
    )
    return policy.answer_due(start, clock)
