"""`resuelve worker`: run a background task worker (any number may run at once)."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone
from django.utils.translation import gettext as _

from resuelve.core import periodic
from resuelve.core.tasks import uses_database_queue

log = logging.getLogger(__name__)


def _send_outbox_until_empty() -> int:
    from resuelve.notifications.tasks import send_due

    total = 0
    while handled := send_due():
        total += handled
    return total


def _send_outbox_every(seconds: float, stop: threading.Event) -> None:
    """The outbox is its own queue (no task row per notification): every worker looks for
    due rows this often and sends them. A row is claimed before it is sent, so two workers
    never send one twice, and one whose worker died is sent again when its claim expires."""
    while not stop.wait(seconds):
        try:
            _send_outbox_until_empty()
        except Exception:  # the database may be briefly away; try again next round
            log.exception("sending the outbox failed")
        finally:
            close_old_connections()


def _housekeeping(
    worker_id: str, seconds: float, stop: threading.Event, *, beats: bool, schedules: bool
) -> None:
    """Say this worker is alive (so the tasks it runs are not taken for orphans) and run
    the periodic jobs that are due (resuelve.core.periodic), until stopped."""
    started_at = timezone.now()
    beat_every = periodic.heartbeat_seconds()
    last_beat = 0.0
    while True:
        try:
            now = timezone.now()
            if beats and now.timestamp() - last_beat >= beat_every:
                periodic.beat(worker_id, started_at=started_at, now=now)
                last_beat = now.timestamp()
            if schedules:
                periodic.run_due(now=now, worker_id=worker_id)
        except Exception:  # the database may be briefly away; try again next round
            log.exception("periodic jobs failed")
        finally:
            close_old_connections()
        if stop.wait(min(seconds, beat_every) if beats else seconds):
            return


class Command(BaseCommand):
    help = (
        "Run a task worker that takes work from the database queue, sends the outbox and "
        "runs the periodic jobs."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help=_("seconds between polls for tasks")
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help=_(
                "run the periodic jobs that are due, then exit when the queue and the outbox are empty"
            ),
        )
        parser.add_argument(
            "--outbox-interval",
            type=float,
            default=1.0,
            help=_("seconds between looks for e-mails and webhooks to send (0: never)"),
        )
        parser.add_argument(
            "--no-periodic",
            action="store_true",
            help=_("do not run the periodic jobs in this worker"),
        )
        parser.add_argument(
            "--periodic-interval",
            type=float,
            default=5.0,
            help=_("seconds between looks for periodic jobs that are due"),
        )
        parser.add_argument(
            "--periodic-only",
            action="store_true",
            help=_(
                "only run the periodic jobs (beside another backend's worker, e.g. RQ's), "
                "enqueueing them on the configured task backend"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = settings.TASKS["default"]["BACKEND"]
        schedules = not options["no_periodic"]
        stop = threading.Event()
        if options["periodic_only"]:
            if options["batch"]:
                periodic.run_due()
                return
            try:
                _housekeeping(
                    periodic.new_worker_id(),
                    options["periodic_interval"],
                    stop,
                    beats=False,
                    schedules=True,
                )
            except KeyboardInterrupt:
                pass
            return
        if not uses_database_queue():
            raise CommandError(
                _(
                    "TASKS_BACKEND is %(backend)s; run that backend's own worker "
                    "(for django-tasks-rq: `resuelve rqworker`), `resuelve worker "
                    "--periodic-only` and `resuelve flush-outbox --loop 60`."
                )
                % {"backend": backend}
            )
        worker_id = periodic.new_worker_id()
        argv: list[str] = ["--interval", str(options["interval"]), "--worker-id", worker_id]
        if options["batch"]:
            argv.append("--batch")
            periodic.beat(worker_id, started_at=timezone.now())
            if schedules:
                periodic.run_due(worker_id=worker_id)
            call_command("db_worker", *argv)
            _send_outbox_until_empty()
            return
        if options["outbox_interval"] > 0:
            threading.Thread(
                target=_send_outbox_every,
                args=(options["outbox_interval"], stop),
                name="outbox",
                daemon=True,
            ).start()
        threading.Thread(
            target=_housekeeping,
            args=(worker_id, options["periodic_interval"], stop),
            kwargs={"beats": True, "schedules": schedules},
            name="periodic",
            daemon=True,
        ).start()
        try:
            call_command("db_worker", *argv)
        finally:
            stop.set()
