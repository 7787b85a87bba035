"""`resuelve import-purchases FILE`: create or update purchases from CSV or XLSX."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from resuelve.customers import importing
from resuelve.customers.management.commands._import_command import ImportCommand


class Command(ImportCommand):
    target = "purchases"
    help = _(
        "Create or update purchases from a CSV or XLSX file, matched by their external "
        "reference (external_ref); each names its customer's external reference and the "
        "product's SKU. Running it again changes nothing. See docs/customers.md."
    )

    def run_import(
        self, rows: Any, columns: dict[str, str], options: dict[str, Any]
    ) -> importing.ImportReport:
        return importing.purchases_import(
            rows,
            columns=columns,
            batch_size=max(1, options["batch_size"]),
            dry_run=options["dry_run"],
            progress=options["progress"],
        )
