"""`resuelve themes-build`: group the suggestions and complaints into themes now (the worker
does it nightly)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from resuelve.themes.services import themes_build


class Command(BaseCommand):
    help = "Group the last months' suggestions and complaints into themes."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--max-texts", type=int, default=None, help="learn from at most N")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()

        def progress(message: str) -> None:
            self.stdout.write(f"  {message}")

        run = themes_build(progress=progress, max_texts=options["max_texts"])
        self.stdout.write(
            self.style.SUCCESS(
                f"{run.themes.count()} themes from {run.n_texts:,} texts "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
