"""`resuelve report-pdf --month 2026-11 --language es --out report.pdf [--department CODE]
[--user USERNAME]`: the month's management report as a PDF file, as the page makes it.

Without --user the report covers every department (as a manager reads it); with --user it
covers what that user may see."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from resuelve.accounts.models import Department, User
from resuelve.accounts.roles import Role
from resuelve.analytics.forms import parse_month
from resuelve.reports.pdf import report_pdf
from resuelve.reports.selectors import may_report_on


class Command(BaseCommand):
    help = "Write the monthly management report of a month as a PDF file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--language", default=settings.LANGUAGE_CODE)
        parser.add_argument("--out", required=True, help="the PDF file to write")
        parser.add_argument("--department", default="", help="a department's code")
        parser.add_argument("--user", default="", help="report what this user may see")

    def handle(self, *args: Any, **options: Any) -> None:
        month = parse_month(options["month"])
        if month is None:
            raise CommandError("--month must be YYYY-MM")
        language = options["language"]
        if language not in {code for code, _name in settings.LANGUAGES}:
            raise CommandError(f"--language must be one of {[c for c, _n in settings.LANGUAGES]}")
        department = None
        if options["department"]:
            department = Department.objects.filter(code=options["department"]).first()
            if department is None:
                raise CommandError(f"no department with the code {options['department']!r}")
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user {options['user']!r}")
        else:
            # Not saved: a reader who sees every department, for an operator's command.
            user = User(username="report-pdf", role=Role.MANAGER, is_active=True)
        if not may_report_on(user, department):
            raise CommandError("that user may not read these figures")
        pdf = report_pdf(user=user, month=month, language=language, department=department)
        Path(options["out"]).write_bytes(pdf)
        self.stdout.write(self.style.SUCCESS(f"{options['out']}: {len(pdf):,} bytes"))
