"""A case's deadline recomputed from its history: the policy's term from receipt, without the
days the case was waiting for the customer (WAIT → RESUME events)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from resuelve.deadlines.calendar import Clock, paused_days
from resuelve.deadlines.models import DeadlinePolicy


def answer_due_from_history(
    policy: DeadlinePolicy,
    received_at: datetime,
    events: Iterable[tuple[str, datetime]],
    *,
    resumed_at: datetime | None = None,
) -> datetime:
    """The answer deadline under `policy` given the case's (action, at) events in order;
    `resumed_at` closes a pause that is ending now (its event is not written yet)."""
    stops: list[tuple[datetime, datetime]] = []
    waiting_since: datetime | None = None
    for action, at in events:
        if action == "wait" and waiting_since is None:
            waiting_since = at
        elif action == "resume" and waiting_since is not None:
            stops.append((waiting_since, at))
            waiting_since = None
    if waiting_since is not None and resumed_at is not None:
        stops.append((waiting_since, resumed_at))
    clock = Clock(pauses=paused_days(stops, policy.calendar()))
    return policy.answer_due(received_at, clock)
