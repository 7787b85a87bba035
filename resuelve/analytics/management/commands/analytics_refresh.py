"""`resuelve analytics-refresh [--full]`: bring the dashboards' figures up to date now (the
worker does it every few minutes; --full recomputes everything, e.g. after an import)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from resuelve.analytics.refresh import analytics_rebuild, analytics_refresh


class Command(BaseCommand):
    help = "Recompute the analytics facts and monthly figures (incrementally, or --full)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--full", action="store_true", help="recompute everything")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()

        def progress(message: str) -> None:
            self.stdout.write(f"  {message}")

        job = analytics_rebuild if options["full"] else analytics_refresh
        count = job(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"{count:,} complaints recomputed in {time.monotonic() - started:.1f} s."
            )
        )
