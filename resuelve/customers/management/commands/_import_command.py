"""What `import-customers` and `import-purchases` share: the flags, reading the file, the
progress line, the rejects report and the summary."""

from __future__ import annotations

import csv
import time
import zipfile
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from resuelve.core.tabular import read_rows
from resuelve.customers import importing
from resuelve.customers.models import ImportMapping

# What a damaged or mislabelled spreadsheet raises.
UNREADABLE: tuple[type[Exception], ...] = (zipfile.BadZipFile, ParseError, UnicodeDecodeError)
try:
    from openpyxl.utils.exceptions import InvalidFileException

    UNREADABLE += (InvalidFileException,)
except ImportError:  # pragma: no cover
    pass


class ImportCommand(BaseCommand):
    target = ""  # "customers" or "purchases"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help=_("a .csv or .xlsx file with a header row"))
        parser.add_argument(
            "--column",
            action="append",
            default=[],
            metavar="FIELD=HEADING",
            help=_(
                'the file\'s heading for a field, e.g. --column email="E-mail" (repeat it; '
                "by default a field's column is the one named after it)"
            ),
        )
        parser.add_argument("--mapping", default="", help=_("use a saved column mapping"))
        parser.add_argument(
            "--save-mapping",
            default="",
            metavar="NAME",
            help=_("save the columns given (with --mapping's) under this name for next time"),
        )
        parser.add_argument(
            "--batch-size", type=int, default=2000, help=_("rows written per transaction")
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("check the file and report what would change, writing nothing"),
        )
        parser.add_argument(
            "--rejects",
            default="",
            metavar="PATH",
            help=_("where to write the rejected rows (CSV; default: FILE.rejects.csv beside it)"),
        )

    def run_import(self, rows: Any, columns: dict[str, str], options: dict[str, Any]) -> Any:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(
                _("No such file: %(path)s. Give the path of a .csv or .xlsx file.") % {"path": path}
            )
        given = self._given_columns(options)
        try:
            header, rows = read_rows(path)
        except (OSError, UnicodeDecodeError, ValueError, KeyError, *UNREADABLE) as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s. Save it as CSV (UTF-8) or XLSX.")
                % {"path": path, "error": error}
            ) from None
        if not any(header):
            raise CommandError(
                _("%(path)s has no header row: its first row must name the columns.")
                % {"path": path}
            )
        try:
            columns = importing.resolve_columns(self.target, header, given)
        except importing.ImportRefused as refused:
            raise CommandError(refused.message) from None
        if options["save_mapping"]:
            ImportMapping.objects.update_or_create(
                name=options["save_mapping"],
                defaults={"target": self.target, "columns": given},
            )
            self.stdout.write(_("Mapping “%(name)s” saved.") % {"name": options["save_mapping"]})
        ignored = sorted(set(h for h in header if h) - set(columns.values()))
        if ignored:
            self.stdout.write(_("Columns not imported: %(names)s.") % {"names": ", ".join(ignored)})
        started = time.monotonic()
        err = self.stderr

        def progress(report: importing.ImportReport) -> None:
            rate = report.rows / max(0.001, time.monotonic() - started)
            err.write(
                _(
                    "\r%(rows)d rows · %(created)d created · %(updated)d updated · "
                    "%(unchanged)d unchanged · %(rejected)d rejected · %(rate).0f rows/s"
                )
                % {
                    "rows": report.rows,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "rejected": len(report.rejected),
                    "rate": rate,
                },
                ending="",
            )
            err.flush()

        options["progress"] = progress
        options["path"] = path
        rejects = Path(options["rejects"]) if options["rejects"] else _rejects_path(path)
        if rejects.resolve() == path.resolve():
            raise CommandError(
                _("The rejects report would overwrite the file imported; choose another --rejects.")
            )
        # Opened before importing: an unwritable report stops the run before it writes.
        with _open_rejects(rejects) as handle:
            try:
                report = self.run_import(rows, columns, options)
            except UNREADABLE as error:  # found past the header (batches before it stay)
                raise CommandError(
                    _("Cannot read %(path)s: %(error)s. Save it as CSV (UTF-8) or XLSX.")
                    % {"path": path, "error": error}
                ) from None
            err.write("")
            _write_rejects(handle, report.rejected)
        self._summary(report, rejects, time.monotonic() - started, options["dry_run"])

    def _given_columns(self, options: dict[str, Any]) -> dict[str, str]:
        given: dict[str, str] = {}
        if options["mapping"]:
            mapping = ImportMapping.objects.filter(name=options["mapping"]).first()
            if mapping is None:
                names = ImportMapping.objects.filter(target=self.target).values_list(
                    "name", flat=True
                )
                raise CommandError(
                    _("There is no saved mapping “%(name)s”. Saved mappings: %(names)s.")
                    % {"name": options["mapping"], "names": ", ".join(names) or "—"}
                )
            if mapping.target != self.target:
                raise CommandError(
                    _("The mapping “%(name)s” is for importing %(target)s.")
                    % {"name": mapping.name, "target": mapping.get_target_display()}
                )
            given.update({str(k): str(v) for k, v in (mapping.columns or {}).items()})
        for flag in options["column"]:
            name, sep, heading = flag.partition("=")
            if not sep or not name.strip() or not heading.strip():
                raise CommandError(
                    _(
                        'Write --column as FIELD=HEADING, e.g. --column email="E-mail"; got “%(flag)s”.'
                    )
                    % {"flag": flag}
                )
            given[name.strip()] = heading.strip()
        return given

    def _summary(
        self, report: importing.ImportReport, rejects: Path, seconds: float, dry_run: bool
    ) -> None:
        out = self.stdout
        for label, names in (
            (_("New regions: %(names)s."), report.regions_created),
            (_("New products (SKU): %(names)s."), report.products_created),
        ):
            if names:
                shown = ", ".join(names[:20]) + (" …" if len(names) > 20 else "")
                out.write(label % {"names": shown})
        if report.consents_withdrawn or report.consents_granted:
            out.write(
                _("Consents: %(withdrawn)d withdrawn, %(granted)d granted again (on record).")
                % {"withdrawn": report.consents_withdrawn, "granted": report.consents_granted}
            )
        if report.rejected:
            out.write(_("Rejected rows, with the reason: %(path)s") % {"path": rejects})
        message = (
            _(
                "Dry run, nothing written. %(rows)d rows read in %(seconds).1f s: "
                "%(created)d would be created, %(updated)d updated, %(unchanged)d unchanged, "
                "%(rejected)d rejected."
            )
            if dry_run
            else _(
                "%(rows)d rows read in %(seconds).1f s: %(created)d created, %(updated)d "
                "updated, %(unchanged)d unchanged, %(rejected)d rejected."
            )
        )
        out.write(
            self.style.SUCCESS(
                message
                % {
                    "rows": report.rows,
                    "seconds": seconds,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "rejected": len(report.rejected),
                }
            )
        )


def _rejects_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.rejects.csv")


def _open_rejects(path: Path) -> Any:
    try:
        return path.open("w", encoding="utf-8-sig", newline="")
    except OSError as error:
        raise CommandError(
            _("Cannot write the rejects report %(path)s: %(error)s. Choose another with --rejects.")
            % {"path": path, "error": error}
        ) from None


def _write_rejects(handle: Any, rejected: list[importing.Rejected]) -> None:
    """Always written, even empty: a report left from an earlier run must not mislead."""
    writer = csv.writer(handle)
    writer.writerow([_("row"), _("external reference"), _("reason")])
    for row in rejected:
        writer.writerow([row.row, _safe(row.external_ref), row.reason])


def _safe(value: str) -> str:
    # A reference a spreadsheet would run as a formula is written as text.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
