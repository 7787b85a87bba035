"""`resuelve demo`: load Autoandes, a believable car dealer, with its complaints."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from resuelve.demo import company, loader


class Command(BaseCommand):
    help = (
        "Load the demo company (departments, staff, customers, purchases) and N complaints "
        "spread over every state and the last 12 months. Safe to run again: it adds only what "
        "is missing. Use --complaints 1000000 for benchmarks."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--complaints", type=int, default=500, help="how many complaints (500)")
        parser.add_argument("--batch", type=int, default=5000, help="rows per transaction")
        parser.add_argument("--no-migrate", action="store_true", help="do not run migrations first")
        parser.add_argument(
            "--no-programmes",
            action="store_true",
            help="complaints only, for benchmarks: skip the follow-up programmes (surveys, "
            "revisits, rewards...), which take a long time at a million complaints",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["complaints"] < 0:
            self.stderr.write("--complaints must be zero or more.")
            sys.exit(2)
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        started = time.monotonic()
        tty = self.stdout.isatty()

        def progress(text: str) -> None:
            self.stdout.write(f"  {text}", ending="\r" if tty else "\n")
            self.stdout.flush()

        loader.ensure_company()
        added = loader.load_complaints(
            options["complaints"],
            now=timezone.now(),
            progress=progress,
            batch_size=options["batch"],
        )
        if not options["no_programmes"]:
            loader.ensure_programmes(now=timezone.now(), progress=progress)
        if tty:
            self.stdout.write("")
        elapsed = time.monotonic() - started
        if added:
            self.stdout.write(self.style.SUCCESS(f"Added {added:,} complaints in {elapsed:.1f} s."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo data already loaded; nothing to add."))
        self.stdout.write(f"\nDemo logins (password for all: {company.DEMO_PASSWORD}):")
        for username, first, last, role, depts, language in company.USERS:
            where = ", ".join(depts) or "all departments"
            self.stdout.write(f"  {username:<8} {role:<10} {first} {last} · {where} · {language}")
        # Human resources reads accountability records (resuelve.resolution.demo).
        from resuelve.resolution.demo import HR_USERNAME

        self.stdout.write(
            f"  {HR_USERNAME:<8} {'hr':<10} Marta Salazar · accountability records · es"
        )
