"""`resuelve import-complaints FILE`: load earlier complaints from CSV or XLSX."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from resuelve.complaints.models import Channel
from resuelve.triage import importing

MAX_REJECTIONS_SHOWN = 200


class Command(BaseCommand):
    help = _(
        "Import the company's earlier complaints from a CSV or XLSX file as closed cases, so "
        "the classifier can learn from them. Running it again imports nothing twice."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help=_("a .csv or .xlsx file with a header row"))
        parser.add_argument(
            "--text-column", required=True, help=_("column with what the customer wrote")
        )
        parser.add_argument(
            "--category-column", required=True, help=_("column with the category's name")
        )
        parser.add_argument("--subject-column", default="", help=_("column with the subject"))
        parser.add_argument(
            "--date-column", default="", help=_("column with the date received (else: now)")
        )
        parser.add_argument(
            "--kind-column",
            default="",
            help=_("column with the kind (petition, complaint, claim, suggestion, compliment)"),
        )
        parser.add_argument(
            "--severity-column", default="", help=_("column with the severity (low ... critical)")
        )
        parser.add_argument(
            "--language-column",
            default="",
            help=_("column with the language (es, en, zh-hans, et)"),
        )
        parser.add_argument(
            "--id-column",
            default="",
            help=_("column with the row's id in the old system (else a hash of the row)"),
        )
        parser.add_argument(
            "--channel",
            default=Channel.LETTER,
            choices=Channel.values,
            help=_("channel recorded for the imported cases (default: letter)"),
        )
        parser.add_argument(
            "--batch-size", type=int, default=1000, help=_("rows written per transaction")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        columns = importing.Columns(
            text=options["text_column"],
            category=options["category_column"],
            subject=options["subject_column"],
            date=options["date_column"],
            kind=options["kind_column"],
            severity=options["severity_column"],
            language=options["language_column"],
            id=options["id_column"],
        )
        try:
            header, rows = importing.read_rows(path)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}
            ) from None
        missing = importing.missing_columns(header, columns)
        if missing:
            raise CommandError(
                _("Column(s) not in the file: %(missing)s. Its columns: %(header)s.")
                % {"missing": ", ".join(missing), "header": ", ".join(header)}
            )
        started = time.monotonic()
        err = self.stderr

        def progress(report: importing.ImportReport) -> None:
            rate = report.rows / max(0.001, time.monotonic() - started)
            err.write(
                _(
                    "\r%(rows)d rows · %(imported)d imported · %(already)d already there · "
                    "%(rejected)d rejected · %(rate).0f rows/s"
                )
                % {
                    "rows": report.rows,
                    "imported": report.imported,
                    "already": report.already,
                    "rejected": len(report.rejected),
                    "rate": rate,
                },
                ending="",
            )
            err.flush()

        try:
            report = importing.history_import(
                rows,
                columns=columns,
                channel=options["channel"],
                batch_size=max(1, options["batch_size"]),
                progress=progress,
            )
        except importing.ImportRefused as refused:
            raise CommandError(refused.message) from None
        err.write("")
        out = self.stdout
        for rejected in report.rejected[:MAX_REJECTIONS_SHOWN]:
            out.write(
                _("Row %(row)d rejected: %(reason)s.")
                % {"row": rejected.row, "reason": rejected.reason}
            )
        hidden = len(report.rejected) - MAX_REJECTIONS_SHOWN
        if hidden > 0:
            out.write(_("… and %(count)d more rejected rows.") % {"count": hidden})
        if report.categories_created:
            out.write(
                _("New categories: %(names)s.") % {"names": ", ".join(report.categories_created)}
            )
        out.write(
            self.style.SUCCESS(
                _(
                    "%(rows)d rows read in %(seconds).1f s: %(imported)d imported, "
                    "%(already)d already imported, %(rejected)d rejected."
                )
                % {
                    "rows": report.rows,
                    "seconds": time.monotonic() - started,
                    "imported": report.imported,
                    "already": report.already,
                    "rejected": len(report.rejected),
                }
            )
        )
