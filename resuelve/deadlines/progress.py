"""How much of a case's answer term has run: pure, no database.

The term runs from receipt (or from the last reopening) to the answer deadline; time the
case waited for the customer does not count on either side, so a case that waited three days
is exactly as far along after it resumes as before it waited (its deadline moved with it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.utils.translation import ngettext


def elapsed_fraction(
    received_at: datetime,
    due_at: datetime,
    now: datetime,
    events: Iterable[tuple[str, datetime]] = (),
) -> float:
    """The part of the answer term used at `now`, from 0 (just received) to 1 (due) and
    beyond; `events` are the case's (action, at) WAIT, RESUME and REOPEN events in order."""
    start = received_at
    paused = timedelta(0)
    waiting_since: datetime | None = None
    for action, at in events:
        if action == "reopen":
            start, paused, waiting_since = at, timedelta(0), None
        elif action == "wait" and waiting_since is None:
            waiting_since = at
        elif action == "resume" and waiting_since is not None:
            paused += at - waiting_since
            waiting_since = None
    if waiting_since is not None:
        now = min(now, waiting_since)  # the clock stopped; the deadline will move with it
    term = due_at - start - paused
    if term <= timedelta(0):
        return 1.0
    return (now - start - paused) / term


def crossed(levels: Sequence[int], fraction: float) -> list[int]:
    """The warning levels (percent) a case at `fraction` of its term has reached."""
    return [level for level in levels if fraction * 100 >= level]


def duration_text(delta: timedelta) -> str:
    """A lateness as people say it, in the active language: "2 days 3 hours", "40 minutes"."""
    seconds = max(int(delta.total_seconds()), 0)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours or (days and not parts):
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if not parts:
        minutes = rest // 60
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    return " ".join(parts)
