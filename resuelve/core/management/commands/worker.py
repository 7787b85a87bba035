"""`resuelve worker`: run a background task worker (any number may run at once)."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils.translation import gettext as _

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


class Command(BaseCommand):
    help = "Run a task worker that takes work from the database queue and sends the outbox."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help=_("seconds between polls for tasks")
        )
        parser.add_argument(
            "--batch", action="store_true", help=_("exit when the queue and the outbox are empty")
        )
        parser.add_argument(
            "--outbox-interval",
            type=float,
            default=1.0,
            help=_("seconds between looks for e-mails and webhooks to send (0: never)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = settings.TASKS["default"]["BACKEND"]
        if not uses_database_queue():
            raise CommandError(
                _(
                    "TASKS_BACKEND is %(backend)s; run that backend's own worker "
                    "(for django-tasks-rq: `resuelve rqworker`) and `resuelve flush-outbox "
                    "--loop 60`."
                )
                % {"backend": backend}
            )
        argv: list[str] = ["--interval", str(options["interval"])]
        if options["batch"]:
            argv.append("--batch")
            call_command("db_worker", *argv)
            _send_outbox_until_empty()
            return
        stop = threading.Event()
        if options["outbox_interval"] > 0:
            threading.Thread(
                target=_send_outbox_every,
                args=(options["outbox_interval"], stop),
                name="outbox",
                daemon=True,
            ).start()
        try:
            call_command("db_worker", *argv)
        finally:
            stop.set()
