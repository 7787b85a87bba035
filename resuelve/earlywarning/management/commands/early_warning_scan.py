"""`resuelve early-warning-scan`: look for serious words and rises in complaints now (the
worker does it every ten minutes)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from resuelve.earlywarning.jobs import earlywarning_scan


class Command(BaseCommand):
    help = "Scan the complaints for serious words and unusual rises, and raise alerts."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = earlywarning_scan()
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary['serious']} serious-word alerts raised, {summary['rises']} rise "
                f"alerts raised, {summary['refreshed']} open alerts refreshed."
            )
        )
