"""Keeping customers and their purchases in step with the shop's or ERP's files:
`resuelve import-customers FILE` and `resuelve import-purchases FILE` (CSV or XLSX). The API's
PUT (resuelve.customers.upserts) checks a record the same way and follows the same rules.

The rules (docs/customers.md says them to users):

- Records are matched by `external_ref`: a second run of the same file writes nothing.
- A blank cell, or a column the file does not have, leaves the stored value as it is: an
  import never erases data by omission (the API clears a value with `null`). A new customer
  gets the model's defaults for what the file leaves blank.
- Consents: a blank never changes a consent; "no" withdraws it, "yes" grants it again. Every
  change is written to ConsentChange (source "import" or "api"), so a re-grant is on record,
  never silent, and the summary counts withdrawals and grants.
- A reference seen twice in one file: the first row is imported, later ones are rejected
  with the row number of the first.
- Regions are found by name (case and accents aside) and created when missing. Branches
  must exist (a branch needs its region). A purchase's product is found by SKU; when
  unknown and the row has a product name, the product is created with it, else the row is
  rejected. An existing product keeps its name.
- Rows are checked one by one and written in batches, one transaction each, only the rows
  that are new or differ from what is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from resuelve.core.tabular import cell_text
from resuelve.customers import upserts
from resuelve.customers.import_values import READERS, check_values
from resuelve.customers.models import ConsentSource, Customer, Purchase

# Columns a file must have, and cells every row must fill.
REQUIRED = {
    "customers": ("external_ref", "name"),
    "purchases": ("external_ref", "customer", "product", "purchased_on", "amount"),
}
# Other headings a column is recognised by when no mapping names it.
ALIASES = {"member_since": ("joined",)}


class ImportRefused(Exception):
    """The file cannot be imported at all (not one of its rows)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Rejected:
    row: int
    external_ref: str
    reason: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    consents_withdrawn: int = 0
    consents_granted: int = 0
    regions_created: list[str] = field(default_factory=list)
    products_created: list[str] = field(default_factory=list)

    def count(self, current: Any, row: Any) -> bool:
        """Count the row as created, updated or unchanged; whether it is to be written."""
        if current is None:
            self.created += 1
        elif row != current:
            self.updated += 1
        else:
            self.unchanged += 1
            return False
        return True

    def count_consents(self, changes: upserts.ConsentChanges) -> None:
        for _channel, granted in changes:
            if granted:
                self.consents_granted += 1
            else:
                self.consents_withdrawn += 1


Progress = Callable[[ImportReport], None]
Batch = list[tuple[int, dict[str, Any]]]


# --- columns ----------------------------------------------------------------------------------


def resolve_columns(target: str, header: list[str], given: Mapping[str, str]) -> dict[str, str]:
    """field -> heading for the fields the file has: the `given` mapping first, else a
    heading equal to the field's name (or an alias), case aside. Refuses unknown fields,
    mapped headings the file lacks and files without the required columns."""
    readers = READERS[target]
    unknown = [name for name in given if name not in readers]
    if unknown:
        raise ImportRefused(
            _("Unknown field(s) %(fields)s; the fields are: %(choices)s.")
            % {"fields": ", ".join(unknown), "choices": ", ".join(readers)}
        )
    missing = [heading for heading in given.values() if heading not in header]
    if missing:
        raise ImportRefused(
            _(
                "Column(s) not in the file: %(missing)s. Its columns: %(header)s. "
                "Fix the --column flags or the saved mapping."
            )
            % {"missing": ", ".join(missing), "header": ", ".join(header)}
        )
    by_folded = {heading.casefold(): heading for heading in reversed(header) if heading}
    columns: dict[str, str] = {}
    for name in readers:
        if name in given:
            columns[name] = given[name]
            continue
        for candidate in (name, *ALIASES.get(name, ())):
            if candidate.casefold() in by_folded:
                columns[name] = by_folded[candidate.casefold()]
                break
    absent = [name for name in REQUIRED[target] if name not in columns]
    if absent:
        raise ImportRefused(
            _(
                "The file has no column for %(fields)s. Name the columns after the fields, "
                'or map them: --column %(example)s="Your heading".'
            )
            % {"fields": ", ".join(absent), "example": absent[0]}
        )
    return columns


def _reason(errors: dict[str, list[str]], columns: Mapping[str, str]) -> str:
    return "; ".join(
        f"{columns.get(name, name)}: {message}"
        for name, messages in errors.items()
        for message in messages
    )


def _run(
    rows: Iterable[tuple[int, dict[str, Any]]],
    *,
    target: str,
    columns: Mapping[str, str],
    batch_size: int,
    report: ImportReport,
    flush: Callable[[Batch], None],
    progress: Progress | None,
) -> ImportReport:
    """Check every row, reject the bad ones and the repeated references, and hand the good
    ones to `flush` in batches."""
    seen: dict[str, int] = {}
    batch: Batch = []
    required = REQUIRED[target]
    ref_heading = columns["external_ref"]
    for number, row in rows:
        report.rows += 1
        raw = {name: row.get(heading) for name, heading in columns.items()}
        values, errors = check_values(target, raw, required=required)
        if errors:
            ref = cell_text(row, ref_heading)[:80]
            report.rejected.append(Rejected(number, ref, _reason(errors, columns)))
            continue
        ref = values["external_ref"]
        first = seen.get(ref)
        if first is not None:
            reason = _(
                "The external reference is already on row %(row)d; only the first is imported."
            )
            report.rejected.append(Rejected(number, ref, reason % {"row": first}))
            continue
        seen[ref] = number
        batch.append((number, values))
        if len(batch) >= batch_size:
            flush(batch)
            batch = []
            if progress is not None:
                progress(report)
    if batch:
        flush(batch)
    report.rejected.sort(key=lambda rejected: rejected.row)
    if progress is not None:
        progress(report)
    return report


# --- customers --------------------------------------------------------------------------------


def customers_import(
    rows: Iterable[tuple[int, dict[str, Any]]],
    *,
    columns: Mapping[str, str],
    batch_size: int = 2000,
    dry_run: bool = False,
    note: str = "",
    progress: Progress | None = None,
) -> ImportReport:
    """Create or update customers by external reference (the rules: the module's
    docstring). `columns` is field -> heading (resolve_columns). With `dry_run` nothing is
    written and the report says what would be."""
    report = ImportReport()
    regions = upserts.Regions(dry_run=dry_run)
    statistics = upserts.Statistics(Customer)
    report.regions_created = regions.created
    columns_written = upserts.CUSTOMER_COLUMNS

    def flush(batch: Batch) -> None:
        refs = [values["external_ref"] for _n, values in batch]
        existing = upserts.stored(Customer, refs, columns_written)
        writes: list[tuple[str, upserts.Row]] = []
        consents: list[tuple[str, upserts.ConsentChanges]] = []
        for _number, values in batch:
            ref = values["external_ref"]
            current = existing.get(ref)
            row, changes = upserts.customer_row(current, values, regions.id_for)
            if report.count(current, row):
                writes.append((ref, row))
                if changes:
                    consents.append((ref, changes))
                    report.count_consents(changes)
        if dry_run or not writes:
            return
        with transaction.atomic():
            upserts.upsert(Customer, writes, columns_written)
            ids = upserts.ids_by_ref(Customer, [ref for ref, _c in consents])
            upserts.insert_consent_changes(
                [
                    (ids[ref], channel, granted)
                    for ref, changes in consents
                    for channel, granted in changes
                ],
                source=ConsentSource.IMPORT,
                by=None,
                note=note,
            )
        statistics.grew(report.created)

    return _run(
        rows,
        target="customers",
        columns=columns,
        batch_size=batch_size,
        report=report,
        flush=flush,
        progress=progress,
    )


# --- purchases --------------------------------------------------------------------------------


def purchases_import(
    rows: Iterable[tuple[int, dict[str, Any]]],
    *,
    columns: Mapping[str, str],
    batch_size: int = 2000,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Create or update purchases by external reference; the customer is named by its
    external reference, the product by SKU (the rules: the module's docstring)."""
    report = ImportReport()
    products = upserts.Products(dry_run=dry_run)
    report.products_created = products.created
    branches = upserts.branch_ids()
    statistics = upserts.Statistics(Purchase)
    columns_written = upserts.PURCHASE_COLUMNS

    def flush(batch: Batch) -> None:
        existing = upserts.stored(
            Purchase, [values["external_ref"] for _n, values in batch], columns_written
        )
        customers = upserts.ids_by_ref(Customer, (values["customer"] for _n, values in batch))
        products.load(values["product"] for _n, values in batch)
        writes: list[tuple[str, upserts.Row]] = []
        for number, values in batch:
            ref = values["external_ref"]
            links, errors = upserts.purchase_links(
                values, customers=customers, products=products, branches=branches
            )
            if errors:
                report.rejected.append(Rejected(number, ref, _reason(errors, columns)))
                continue
            current = existing.get(ref)
            row = upserts.purchase_row(current, ref, values, links)
            if report.count(current, row):
                writes.append((ref, row))
        if dry_run or not writes:
            return
        with transaction.atomic():
            upserts.upsert(Purchase, writes, columns_written)
        statistics.grew(report.created)

    return _run(
        rows,
        target="purchases",
        columns=columns,
        batch_size=batch_size,
        report=report,
        flush=flush,
        progress=progress,
    )
