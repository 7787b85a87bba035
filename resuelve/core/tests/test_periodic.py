"""Periodic jobs on the workers, and tasks that survive the death of their worker."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time as clock_time
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from resuelve.core import periodic
from resuelve.core.periodic import Job, next_occurrence, requeue_orphaned_tasks, run_due
from resuelve.core.tests import worker_tasks
from resuelve.deadlines.models import PeriodicRun, WorkerBeat

EVERY_MINUTE = {"name": "count", "path": "resuelve.core.tests.worker_tasks.count_call", "every": 60}
NOW = datetime(2025, 3, 3, 14, 0, tzinfo=UTC)  # 09:00 in Bogotá


@pytest.fixture(autouse=True)
def _calls():
    worker_tasks.CALLS.clear()
    yield
    worker_tasks.CALLS.clear()


def test_it_runs_a_daily_job_at_its_local_time():
    job = Job("nightly", "x.y", daily_at=time(2, 0))
    assert next_occurrence(job, NOW) == datetime(2025, 3, 4, 7, 0, tzinfo=UTC)  # 02:00 -05
    assert next_occurrence(job, datetime(2025, 3, 4, 6, 59, tzinfo=UTC)) == datetime(
        2025, 3, 4, 7, 0, tzinfo=UTC
    )
    every = Job("often", "x.y", every=timedelta(seconds=60))
    assert next_occurrence(every, NOW) == NOW + timedelta(seconds=60)


def test_it_runs_each_occurrence_once_across_two_workers(db, settings):
    settings.RESUELVE_PERIODIC_JOBS = [EVERY_MINUTE]
    assert run_due(now=NOW, worker_id="a") == ["count"]
    assert run_due(now=NOW, worker_id="b") == []
    assert run_due(now=NOW + timedelta(seconds=59), worker_id="b") == []
    assert run_due(now=NOW + timedelta(seconds=60), worker_id="b") == ["count"]
    assert run_due(now=NOW + timedelta(seconds=60), worker_id="a") == []
    assert worker_tasks.CALLS == ["ran", "ran"]
    row = PeriodicRun.objects.get(name="count")
    assert row.last_worker == "b" and row.next_run_at == NOW + timedelta(seconds=120)


def test_a_worker_that_read_the_same_occurrence_loses_the_claim(db, settings):
    settings.RESUELVE_PERIODIC_JOBS = [EVERY_MINUTE]
    job = periodic.registered_jobs()[0]
    PeriodicRun.objects.create(name="count", next_run_at=NOW)
    # Both workers read next_run_at = NOW; only the first conditional update wins.
    assert periodic.claim(job, NOW, now=NOW, worker_id="a") is True
    assert periodic.claim(job, NOW, now=NOW, worker_id="b") is False


def test_it_skips_a_job_whose_code_is_missing_and_runs_the_others(db, settings, caplog):
    settings.RESUELVE_PERIODIC_JOBS = [
        {"name": "missing", "path": "resuelve.nowhere.tasks.train_nightly", "daily_at": "02:00"},
        EVERY_MINUTE,
    ]
    PeriodicRun.objects.create(name="missing", next_run_at=NOW)
    assert run_due(now=NOW) == ["count"]
    assert PeriodicRun.objects.get(name="missing").next_run_at == datetime(
        2025, 3, 4, 7, 0, tzinfo=UTC
    )
    assert "cannot be imported" in caplog.text


def test_the_default_jobs_check_deadlines_every_minute_and_train_at_two(settings):
    jobs = {job.name: job for job in periodic.DEFAULT_JOBS}
    assert jobs["check-deadlines"].path == "resuelve.deadlines.jobs.check_deadlines"
    assert jobs["check-deadlines"].every == timedelta(seconds=60)
    assert jobs["train-triage"].daily_at == time(2, 0)


def test_the_worker_in_batch_mode_runs_the_due_jobs_once(db, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "resuelve.core.tasks.DatabaseBackend"}}
    settings.RESUELVE_PERIODIC_JOBS = [EVERY_MINUTE]
    # The worker drops stale connections between tasks; the test's transaction is not one.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command("worker", "--batch", verbosity=0)
    call_command("worker", "--batch", verbosity=0)
    assert worker_tasks.CALLS == ["ran"]
    call_command("worker", "--batch", "--no-periodic", verbosity=0)
    assert worker_tasks.CALLS == ["ran"]


def _running(worker_id: str, started_at: datetime) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="resuelve.core.tests.worker_tasks.record_and_wait",
        backend_name="default",
        run_after=started_at,
        started_at=started_at,
        worker_ids=[worker_id],
    )


def test_it_requeues_the_tasks_of_a_worker_that_stopped_beating(db, settings):
    settings.RESUELVE_WORKER_HEARTBEAT_SECONDS = 10
    WorkerBeat.objects.create(worker_id="dead", seen_at=NOW - timedelta(seconds=31), started_at=NOW)
    WorkerBeat.objects.create(worker_id="alive", seen_at=NOW - timedelta(seconds=5), started_at=NOW)
    orphan = _running("dead", NOW - timedelta(minutes=5))
    long_task = _running("alive", NOW - timedelta(hours=5))
    silent_recent = _running("bare-db-worker", NOW - timedelta(minutes=5))
    silent_old = _running("bare-db-worker", NOW - timedelta(hours=2))

    assert requeue_orphaned_tasks(now=NOW) == 2
    statuses = {
        row.pk: row.status
        for row in DBTaskResult.objects.filter(
            pk__in=[orphan.pk, long_task.pk, silent_recent.pk, silent_old.pk]
        )
    }
    assert statuses == {
        orphan.pk: TaskResultStatus.READY,
        long_task.pk: TaskResultStatus.RUNNING,
        silent_recent.pk: TaskResultStatus.RUNNING,
        silent_old.pk: TaskResultStatus.READY,
    }
    assert requeue_orphaned_tasks(now=NOW) == 0


# --- a real worker, killed mid-task -----------------------------------------------------------

ROOT = Path(__file__).resolve().parents[3]
RESUELVE = str(Path(sys.executable).with_name("resuelve"))


def _env(database: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="resuelve.core.tests.worker_settings",
        DATABASE_URL=f"sqlite:///{database}",
        TASKS_BACKEND="resuelve.core.tasks.DatabaseBackend",
        RESUELVE_DATA_DIR=str(database.parent),
        PYTHONPATH=str(ROOT),
    )
    return env


def _wait_for(predicate, seconds: float = 60) -> None:
    deadline = clock_time.monotonic() + seconds
    while not predicate():
        if clock_time.monotonic() > deadline:
            raise AssertionError("timed out")
        clock_time.sleep(0.1)


def _tasks(database: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(database) as db:
        return db.execute(
            f"SELECT status, worker_ids FROM {DBTaskResult._meta.db_table}"
        ).fetchall()


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            RESUELVE,
            "worker",
            "--interval",
            "0.1",
            "--periodic-interval",
            "0.5",
            "--outbox-interval",
            "0",
        ],
        env=env,
        cwd=ROOT,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def test_a_task_whose_worker_is_killed_runs_again_on_another_worker(tmp_path):
    database = tmp_path / "worker.sqlite3"
    env = _env(database)
    subprocess.run([RESUELVE, "migrate", "--verbosity", "0"], env=env, cwd=ROOT, check=True)
    trace = tmp_path / "trace.txt"
    block = Path(f"{trace}.block")
    block.touch()
    subprocess.run(
        [
            RESUELVE,
            "shell",
            "-c",
            "from resuelve.core.tests.worker_tasks import record_and_wait; "
            f"record_and_wait.enqueue({str(trace)!r})",
        ],
        env=env,
        cwd=ROOT,
        check=True,
    )
    log = tmp_path / "workers.log"
    first = _worker(env, log)
    try:
        _wait_for(lambda: trace.exists() and "start" in trace.read_text())
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    ((status, _ids),) = _tasks(database)
    assert status == "RUNNING"  # what django-tasks-db leaves behind on its own

    block.unlink()
    second = _worker(env, log)
    try:
        _wait_for(lambda: _tasks(database)[0][0] == "SUCCESSFUL", seconds=90)
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(15)
        except subprocess.TimeoutExpired:
            second.kill()
    ((status, worker_ids),) = _tasks(database)
    assert status == "SUCCESSFUL"
    assert trace.read_text().splitlines() == ["start", "start", "done"], log.read_text()
    assert worker_ids.count('"') == 4  # two workers, each named once
