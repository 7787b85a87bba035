"""Keeping the figures fresh. `analytics_refresh` (every few minutes on the worker) recomputes
the facts of the complaints that changed since its watermark, and of what hangs on them
(answered surveys, compensation paid, investigations, revisits done), and of open cases whose deadline
passed meanwhile; then the slices of the months they fall in. `analytics_rebuild` (nightly,
and `resuelve analytics-refresh --full`) recomputes everything."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Min
from django.utils import timezone

from resuelve.analytics.facts import BATCH, facts_store
from resuelve.analytics.models import CaseFact, MonthSlice, Refresh
from resuelve.analytics.slices import slices_store
from resuelve.complaints.models import Complaint

# Rows written in the last moments before a run may commit after it read: each run looks
# this far behind its watermark again (recomputing a fact twice is harmless).
OVERLAP = timedelta(minutes=2)
Progress = Callable[[str], None]


def _quiet(_message: str) -> None:
    pass


def changed_since(since: datetime, now: datetime) -> set[int]:
    from resuelve.followup.models import Survey
    from resuelve.remedies.models import LedgerEntry
    from resuelve.resolution.models import Investigation
    from resuelve.revisits.models import Revisit

    ids = set(Complaint.objects.filter(updated_at__gte=since).values_list("pk", flat=True))
    ids |= set(Survey.objects.filter(answered_at__gte=since).values_list("complaint_id", flat=True))
    ids |= set(
        LedgerEntry.objects.filter(at__gte=since, complaint__isnull=False).values_list(
            "complaint_id", flat=True
        )
    )
    ids |= set(
        Investigation.objects.filter(updated_at__gte=since).values_list("complaint_id", flat=True)
    )
    ids |= set(
        Revisit.objects.filter(done_at__gte=since, complaint__isnull=False).values_list(
            "complaint_id", flat=True
        )
    )
    # Unanswered cases whose deadline passed since: they count as late from now on.
    ids |= set(
        CaseFact.objects.filter(
            on_time__isnull=True, due_at__gte=since, due_at__lte=now
        ).values_list("complaint_id", flat=True)
    )
    return ids


def _months(months: set[date], progress: Progress) -> int:
    for index, month in enumerate(sorted(months), start=1):
        slices_store(month)
        progress(f"month {month:%Y-%m} ({index}/{len(months)})")
    return len(months)


def analytics_refresh(now: datetime | None = None, progress: Progress = _quiet) -> int:
    """Bring the figures up to date; returns how many complaints' facts were recomputed."""
    now = now or timezone.now()
    run, _created = Refresh.objects.get_or_create(name="incremental")
    if run.watermark is None:
        return analytics_rebuild(now=now, progress=progress)
    ids = changed_since(run.watermark - OVERLAP, now)
    months = facts_store(sorted(ids), now=now) if ids else set()
    _months(months, progress)
    Refresh.objects.filter(pk=run.pk).update(
        watermark=now, finished_at=timezone.now(), facts=len(ids), months=len(months)
    )
    return len(ids)


def analytics_rebuild(now: datetime | None = None, progress: Progress = _quiet) -> int:
    """Recompute every fact and every month."""
    now = now or timezone.now()
    total = Complaint.objects.count()
    done = 0
    months: set[date] = set()
    last = 0
    while True:
        ids = list(
            Complaint.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            break
        months |= facts_store(ids, now=now)
        done += len(ids)
        last = ids[-1]
        progress(f"facts {done:,}/{total:,}")
    # Facts of complaints deleted since the last rebuild go with them (CASCADE); months no
    # longer holding any complaint lose their slices.
    MonthSlice.objects.exclude(month__in=months).delete()
    _months(months, progress)
    # Every row was written again: the planner's statistics must know it, or PostgreSQL
    # reads the drill-down's newest-first index the slow way until autovacuum comes by.
    with connection.cursor() as cursor:
        for model in (CaseFact, MonthSlice):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    oldest = CaseFact.objects.aggregate(first=Min("month"))["first"]
    Refresh.objects.update_or_create(
        name="incremental",
        defaults={
            "watermark": now,
            "finished_at": timezone.now(),
            "facts": done,
            "months": len(months),
        },
    )
    progress(f"done: {done:,} complaints, {len(months)} months since {oldest or '-'}")
    return done


def freshness() -> datetime | None:
    run = Refresh.objects.filter(name="incremental").first()
    return run.finished_at if run else None
