"""Periodic jobs on the task workers, and the recovery of tasks whose worker died.

A small registry of jobs, each a dotted path run every N seconds or daily at HH:MM in
TIME_ZONE. Every `resuelve worker` runs the scheduler loop; a PeriodicRun row per job holds
when it is due next, and a worker runs an occurrence only after moving that moment on with a
conditional UPDATE from the value it read (`filter(name=..., next_run_at=seen).update(...)`,
checking the count), so however many workers run, each occurrence runs once. A job that is a
task, or any job not marked `inline`, is enqueued on the task backend (the database queue or
RQ) and so is retried if its worker is killed; `inline` jobs are quick housekeeping run in
the scheduler's own thread.

A worker killed while it runs a task (SIGKILL, OOM, a lost machine) leaves django-tasks-db's
row RUNNING forever: django-tasks-db 0.13 has no lease or timeout. Each `resuelve worker`
therefore beats (a WorkerBeat row with its worker id, every RESUELVE_WORKER_HEARTBEAT_SECONDS)
and `requeue_orphaned_tasks` puts back in the queue any RUNNING task whose worker stopped
beating three beats ago, or, for a worker that never beats (a bare `db_worker`), that has run
longer than RESUELVE_TASK_TIMEOUT_SECONDS. Tasks must therefore be idempotent: a task that
was running when its worker died runs again from the start (at least once, never lost).
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import Task

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    path: str
    every: timedelta | None = None
    daily_at: time | None = None
    inline: bool = False

    def __post_init__(self) -> None:
        if (self.every is None) == (self.daily_at is None):
            raise ValueError(f"periodic job {self.name}: give either every or daily_at")


DEFAULT_JOBS = (
    Job("check-deadlines", "resuelve.deadlines.jobs.check_deadlines", every=timedelta(seconds=60)),
    Job("train-triage", "resuelve.triage.tasks.train_nightly", daily_at=time(2, 0)),
    # Watchers (instant notices, @mentions) and their daily digest.
    Job("watchers-scan", "resuelve.watchers.jobs.watchers_scan", every=timedelta(seconds=60)),
    Job("watchers-digest", "resuelve.watchers.jobs.watchers_digest", daily_at=time(7, 0)),
    # Satisfaction surveys: due ones out, reminders, expiry (each idempotent).
    Job("survey-send", "resuelve.followup.jobs.survey_send_due", every=timedelta(seconds=300)),
    Job(
        "survey-remind",
        "resuelve.followup.jobs.survey_remind_and_expire",
        every=timedelta(seconds=300),
    ),
    # The revisit programme's list for the day, before the specialists start.
    Job("revisits-daily", "resuelve.revisits.jobs.revisit_daily", daily_at=time(5, 0)),
    Job(
        "revisits-sweep",
        "resuelve.revisits.jobs.revisit_sweep",
        every=timedelta(minutes=30),
        inline=True,
    ),
    # The dashboards' figures: what changed, every five minutes; everything, nightly.
    Job(
        "analytics-refresh",
        "resuelve.analytics.refresh.analytics_refresh",
        every=timedelta(minutes=5),
    ),
    Job("analytics-rebuild", "resuelve.analytics.refresh.analytics_rebuild", daily_at=time(3, 0)),
    Job("themes-build", "resuelve.themes.jobs.themes_build_nightly", daily_at=time(3, 30)),
    # Report subscriptions: the due ones e-mailed (claimed per row, sent once).
    Job("reports-send", "resuelve.reports.jobs.reports_send_due", every=timedelta(minutes=15)),
    Job("ew-scan", "resuelve.earlywarning.jobs.earlywarning_scan", every=timedelta(minutes=10)),
    Job("campaigns-send", "resuelve.campaigns.jobs.campaigns_send_due", every=timedelta(minutes=5)),
    Job(
        "requeue-orphaned-tasks",
        "resuelve.core.periodic.requeue_orphaned_tasks",
        every=timedelta(seconds=60),
        inline=True,
    ),
)


def _job(spec: Job | dict[str, Any]) -> Job:
    if isinstance(spec, Job):
        return spec
    daily = spec.get("daily_at")
    if isinstance(daily, str):
        hours, minutes = daily.split(":")
        daily = time(int(hours), int(minutes))
    every = spec.get("every")
    return Job(
        name=spec["name"],
        path=spec["path"],
        every=timedelta(seconds=every) if isinstance(every, int | float) else every,
        daily_at=daily,
        inline=bool(spec.get("inline", False)),
    )


def registered_jobs() -> list[Job]:
    """RESUELVE_PERIODIC_JOBS (Job objects or dicts: name, path, every seconds or daily_at
    "HH:MM", inline) when set, else the default jobs."""
    specs = getattr(settings, "RESUELVE_PERIODIC_JOBS", None)
    return [_job(spec) for spec in (DEFAULT_JOBS if specs is None else specs)]


def next_occurrence(job: Job, after: datetime) -> datetime:
    """The job's first occurrence strictly after `after` (aware, UTC). Daily jobs are at
    their local time in TIME_ZONE, whatever the DST offset that day."""
    if job.every is not None:
        return after + job.every
    assert job.daily_at is not None
    zone = ZoneInfo(settings.TIME_ZONE)
    local = after.astimezone(zone)
    candidate = datetime.combine(local.date(), job.daily_at, tzinfo=zone)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), job.daily_at, tzinfo=zone)
    return candidate.astimezone(ZoneInfo("UTC"))


def _row(job: Job, now: datetime) -> Any:
    from resuelve.deadlines.models import PeriodicRun

    first = now if job.every is not None else next_occurrence(job, now)
    try:
        row, _created = PeriodicRun.objects.get_or_create(
            name=job.name, defaults={"next_run_at": first}
        )
    except IntegrityError:  # another worker created it at the same moment
        row = PeriodicRun.objects.get(name=job.name)
    return row


def claim(job: Job, seen_next_run_at: datetime, *, now: datetime, worker_id: str = "") -> bool:
    """Take the occurrence due at `seen_next_run_at`; False when another worker took it."""
    from resuelve.deadlines.models import PeriodicRun

    return (
        PeriodicRun.objects.filter(name=job.name, next_run_at=seen_next_run_at).update(
            next_run_at=next_occurrence(job, now), last_run_at=now, last_worker=worker_id[:64]
        )
        == 1
    )


def _jsonable(value: Any) -> Any:
    return (
        value if isinstance(value, dict | list | str | int | float | bool | None) else repr(value)
    )


@task()
def run_job(path: str) -> Any:
    """A periodic job that is a plain function, run on the task worker."""
    return _jsonable(import_string(path)())


def dispatch(job: Job) -> bool:
    """Run the job inline or enqueue it; False when its code cannot be imported."""
    try:
        target = import_string(job.path)
    except ImportError:
        log.warning("periodic job %s: %s cannot be imported; skipped", job.name, job.path)
        return False
    if job.inline:
        target()
    elif isinstance(target, Task):
        target.enqueue()
    else:
        run_job.enqueue(job.path)
    return True


def run_due(*, now: datetime | None = None, worker_id: str = "") -> list[str]:
    """Run (or enqueue) every job whose occurrence is due and that this worker claims."""
    now = now or timezone.now()
    ran = []
    for job in registered_jobs():
        row = _row(job, now)
        if row.next_run_at > now or not claim(job, row.next_run_at, now=now, worker_id=worker_id):
            continue
        try:
            if dispatch(job):
                ran.append(job.name)
        except Exception:  # one failing job must not stop the others or the loop
            log.exception("periodic job %s failed", job.name)
    return ran


# --- worker heartbeats and orphaned tasks ---------------------------------------------------


def heartbeat_seconds() -> float:
    return float(getattr(settings, "RESUELVE_WORKER_HEARTBEAT_SECONDS", 10))


def task_timeout() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "RESUELVE_TASK_TIMEOUT_SECONDS", 3600)))


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"[:64]


def beat(worker_id: str, *, started_at: datetime, now: datetime | None = None) -> None:
    from resuelve.deadlines.models import WorkerBeat

    now = now or timezone.now()
    updated = WorkerBeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        WorkerBeat.objects.get_or_create(
            worker_id=worker_id,
            defaults={
                "seen_at": now,
                "started_at": started_at,
                "host": socket.gethostname()[:200],
                "pid": os.getpid(),
            },
        )


def requeue_orphaned_tasks(now: datetime | None = None) -> int:
    """Put RUNNING tasks whose worker is gone back in the queue; returns how many."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from resuelve.deadlines.models import WorkerBeat

    now = now or timezone.now()
    stale = now - timedelta(seconds=3 * heartbeat_seconds())
    running = list(
        DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lt=stale
        ).values_list("id", "worker_ids", "started_at")
    )
    if not running:
        return 0
    last_workers = {ids[-1] for _id, ids, _at in running if ids}
    beats = dict(
        WorkerBeat.objects.filter(worker_id__in=last_workers).values_list("worker_id", "seen_at")
    )
    requeued = 0
    for task_id, worker_ids, started_at in running:
        worker = worker_ids[-1] if worker_ids else ""
        seen = beats.get(worker)
        if seen is not None and seen >= stale:
            continue  # its worker is alive: a long task, not an orphan
        if seen is None and started_at > now - task_timeout():
            continue  # a worker that does not beat: only after the timeout
        if DBTaskResult.objects.filter(
            id=task_id, status=TaskResultStatus.RUNNING, started_at=started_at
        ).update(status=TaskResultStatus.READY):
            requeued += 1
            log.warning("task %s: its worker %s is gone; queued again", task_id, worker or "?")
    return requeued
