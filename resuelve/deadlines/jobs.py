"""The deadline scan, run every minute by the periodic scheduler (resuelve.core.periodic).

It reads only what can need action, through the index on (is_open, due_at, id):
- warnings and the progress notice: open cases whose deadline is ahead but within the
  longest time in which the first warning level can still be reached, without the cases
  already warned at the highest level;
- escalations: open cases past their deadline (or past it by the manager delay) not yet
  escalated at that level.
Waiting cases are not open, so they get nothing while the clock is stopped. Every action is
claimed by a unique DeadlineAlert row, so the scan is idempotent and two workers running it
at once act once.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from resuelve.complaints.lifecycle import Action
from resuelve.complaints.models import Complaint, ComplaintEvent
from resuelve.complaints.selectors import TRUE
from resuelve.deadlines import services
from resuelve.deadlines.calendar import Clock, Term, Unit
from resuelve.deadlines.models import AlertKind, DeadlineAlert, DeadlinePolicy, EscalationLevel
from resuelve.deadlines.progress import crossed, elapsed_fraction

log = logging.getLogger(__name__)

CHUNK = 500
# Escalations handled per level and run; the rest wait for the next minute.
ESCALATIONS_PER_RUN = 1000
# How much longer than its nominal length a term can be in calendar time, besides holidays
# counted from a later start (a long holiday season): a week covers every calendar we ship.
_SLACK = timedelta(days=7)


def longest_term(now: datetime) -> timedelta:
    """The longest calendar time any case's answer term (with its full extension) can
    span: how far ahead of `now` a deadline can be for a case to have reached a warning."""
    spans = [timedelta(days=settings.RESUELVE_ANSWER_DAYS)]
    for policy in DeadlinePolicy.objects.all():
        extension = (
            Term(policy.extension_amount, Unit(policy.answer_unit))
            if policy.extension_amount
            else None
        )
        spans.append(policy.answer_due(now, Clock(extension=extension)) - now)
    return max(spans) + _SLACK


def _alerted(kind: str, level: int) -> Exists:
    return Exists(DeadlineAlert.objects.filter(complaint_id=OuterRef("pk"), kind=kind, level=level))


def _clock_events(ids: list[int]) -> dict[int, list[tuple[str, datetime]]]:
    events: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    rows = (
        ComplaintEvent.objects.filter(
            complaint_id__in=ids, action__in=[Action.WAIT, Action.RESUME, Action.REOPEN]
        )
        .order_by("complaint_id", "seq")
        .values_list("complaint_id", "action", "at")
    )
    for complaint_id, action, at in rows:
        events[complaint_id].append((action, at))
    return events


def _warn(now: datetime, summary: dict[str, int]) -> None:
    levels = services.warning_levels()
    if not levels:
        return
    reach = longest_term(now) * (1 - levels[0] / 100)
    candidates = list(
        Complaint.objects.filter(is_open__in=TRUE, due_at__gt=now, due_at__lte=now + reach)
        .exclude(_alerted(AlertKind.WARNING, levels[-1]))
        .order_by("is_open", "due_at", "id")
        .values_list("id", "received_at", "due_at")
    )
    for start in range(0, len(candidates), CHUNK):
        chunk = candidates[start : start + CHUNK]
        ids = [row[0] for row in chunk]
        events = _clock_events(ids)
        done: dict[int, set[tuple[str, int]]] = defaultdict(set)
        for complaint_id, kind, level in DeadlineAlert.objects.filter(
            complaint_id__in=ids, kind__in=[AlertKind.WARNING, AlertKind.NOTICE]
        ).values_list("complaint_id", "kind", "level"):
            done[complaint_id].add((kind, level))
        due_now: dict[int, list[int]] = {}
        for complaint_id, received_at, due_at in chunk:
            fraction = elapsed_fraction(received_at, due_at, now, events.get(complaint_id, ()))
            new = [
                level
                for level in crossed(levels, fraction)
                if (AlertKind.WARNING, level) not in done[complaint_id]
            ]
            if new:
                due_now[complaint_id] = new
        if not due_now:
            continue
        cases = Complaint.objects.select_related("assignee", "department__head").in_bulk(
            list(due_now)
        )
        for complaint_id, new in due_now.items():
            case = cases[complaint_id]
            if services.deadline_warn(complaint=case, levels=new, now=now) is not None:
                summary["warnings"] += 1
            if levels[0] in new and (AlertKind.NOTICE, 0) not in done[complaint_id]:
                if services.deadline_notify_progress(complaint=case, now=now) is not None:
                    summary["notices"] += 1


def _escalate(now: datetime, summary: dict[str, int]) -> None:
    for level, cutoff in (
        (EscalationLevel.SUPERVISOR, now),
        (EscalationLevel.MANAGER, now - services.manager_escalation_delay()),
    ):
        ids = list(
            Complaint.objects.filter(is_open__in=TRUE, due_at__lte=cutoff)
            .exclude(_alerted(AlertKind.ESCALATION, level))
            .order_by("is_open", "due_at", "id")
            .values_list("id", flat=True)[:ESCALATIONS_PER_RUN]
        )
        for complaint_id in ids:
            case = Complaint(pk=complaint_id)
            if services.complaint_escalate(complaint=case, level=level, now=now) is not None:
                summary["escalations"] += 1


def check_deadlines(now: datetime | None = None) -> dict[str, Any]:
    """Warn, notify and escalate what the clock says is due; returns what was done."""
    now = now or timezone.now()
    summary = {"warnings": 0, "notices": 0, "escalations": 0}
    _escalate(now, summary)
    _warn(now, summary)
    if any(summary.values()):
        log.info("deadlines: %s", summary)
    return summary
