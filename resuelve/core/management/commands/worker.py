"""`resuelve worker`: run a background task worker (any number may run at once)."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from resuelve.core.tasks import uses_database_queue

log = logging.getLogger(__name__)


def _flush_outbox_every(seconds: float, stop: threading.Event) -> None:
    """Re-queue notifications whose task was lost (see notifications.tasks.flush). Every
    worker may do this: a notification is claimed before it is sent, so it is sent once."""
    from resuelve.notifications.tasks import flush

    while not stop.wait(seconds):
        try:
            queued = flush()
            if queued:
                log.info("outbox: %s pending notification(s) queued again", queued)
        except Exception:  # the database may be briefly away; try again next round
            log.exception("outbox flush failed")
        finally:
            close_old_connections()


class Command(BaseCommand):
    help = "Run a task worker that takes work from the database queue."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument("--batch", action="store_true", help="exit when the queue is empty")
        parser.add_argument(
            "--flush-outbox-every",
            type=float,
            default=60.0,
            help="seconds between sweeps for lost notifications (0: never)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = settings.TASKS["default"]["BACKEND"]
        if not uses_database_queue():
            raise CommandError(
                f"TASKS_BACKEND is {backend}; run that backend's own worker "
                "(for django-tasks-rq: `resuelve rqworker`) and `resuelve flush-outbox --loop 60`."
            )
        argv: list[str] = ["--interval", str(options["interval"])]
        if options["batch"]:
            argv.append("--batch")
        stop = threading.Event()
        if options["flush_outbox_every"] > 0 and not options["batch"]:
            threading.Thread(
                target=_flush_outbox_every,
                args=(options["flush_outbox_every"], stop),
                name="outbox-flush",
                daemon=True,
            ).start()
        try:
            call_command("db_worker", *argv)
        finally:
            stop.set()
