"""`resuelve flush-outbox`: queue every pending notification that is due (run from cron, or
with --loop beside the workers)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from resuelve.notifications.tasks import flush


class Command(BaseCommand):
    help = "Queue pending notifications whose task was lost or whose retry is due."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--loop", type=float, default=0, help="repeat every N seconds")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            queued = flush()
            if queued or not options["loop"]:
                self.stdout.write(f"{queued} notification(s) queued")
            if not options["loop"]:
                return
            time.sleep(options["loop"])
