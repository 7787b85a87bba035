"""`resuelve import-customers FILE`: create or update customers from CSV or XLSX."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from resuelve.customers import importing
from resuelve.customers.management.commands._import_command import ImportCommand


class Command(ImportCommand):
    target = "customers"
    help = _(
        "Create or update customers from a CSV or XLSX file, matched by their external "
        "reference (external_ref). Running it again changes nothing. See docs/customers.md."
    )

    def run_import(
        self, rows: Any, columns: dict[str, str], options: dict[str, Any]
    ) -> importing.ImportReport:
        return importing.customers_import(
            rows,
            columns=columns,
            batch_size=max(1, options["batch_size"]),
            dry_run=options["dry_run"],
            note=_("Imported from %(file)s") % {"file": options["path"].name},
            progress=options["progress"],
        )
