"""Creating or updating customers and purchases by the shop's or ERP's reference
(`external_ref`): what an import's batch and the API's PUT share, and the PUT itself.

Records are handled as dictionaries of column values (attname -> value), not model
instances: an import of 100,000 customers compares and writes them without building
300,000 objects. The batch write is one `INSERT ... ON CONFLICT (external_ref) DO UPDATE`
statement run for many rows (executemany), which SQLite and PostgreSQL both understand;
the derived columns save() keeps (lower-case e-mail, phone digits, folded name) are
computed here the same way.

The rules (resuelve.customers.importing's docstring) hold for both paths: values not given
stay as they are; consent changes are written to ConsentChange.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from resuelve.core.text import fold
from resuelve.customers.import_values import check_values
from resuelve.customers.models import (
    CONSENT_FIELDS,
    Branch,
    ConsentChange,
    ConsentSource,
    Customer,
    Product,
    Purchase,
    Region,
    normalize_email,
)
from resuelve.customers.phones import significant_digits

# Keys per IN (...) lookup.
LOOKUP_CHUNK = 500

CONSENT_CHANNEL = {name: channel for channel, name in CONSENT_FIELDS.items()}
# The columns an import or a PUT writes (attnames), besides external_ref.
CUSTOMER_COLUMNS = [
    "name",
    "email",
    "phone",
    "phone_digits",
    "search_name",
    "id_document",
    "address",
    "language",
    "tier",
    "member_since",
    "renewal_on",
    "birthday",
    "preferred_channel",
    "region_id",
    "country",
    "time_zone",
    "contact_hours",
    *CONSENT_FIELDS.values(),
    "quiet_from",
    "quiet_until",
    "contact_from",
    "contact_until",
    "contact_days",
]
PURCHASE_COLUMNS = [
    "customer_id",
    "product_id",
    "order_number",
    "branch_id",
    "purchased_on",
    "amount",
    "currency",
    "batch",
]
# What the API may clear with null (the other fields always hold a value).
CUSTOMER_CLEARABLE = frozenset(
    {
        "email",
        "phone",
        "id_document",
        "address",
        "member_since",
        "renewal_on",
        "birthday",
        "region",
        "country",
        "time_zone",
        "contact_hours",
        "quiet_from",
        "quiet_until",
        "contact_from",
        "contact_until",
        "contact_days",
    }
)
PURCHASE_CLEARABLE = frozenset({"branch", "batch"})
# A region or product a dry run would create: differs from every stored id.
WOULD_CREATE = -1

Row = dict[str, Any]
ConsentChanges = list[tuple[str, bool]]


@dataclass
class Upserted:
    obj: Any
    created: bool
    changed: bool


# --- reading what is stored -------------------------------------------------------------------


@cache
def customer_defaults() -> Row:
    """A new customer's columns before the file's values: the model's defaults."""
    meta = Customer._meta
    return {
        name: meta.get_field(name).get_default()
        for name in CUSTOMER_COLUMNS
        if name not in ("region_id",)
    } | {"region_id": None}


def stored(model: type[models.Model], refs: list[str], columns: list[str]) -> dict[str, Row]:
    """external_ref -> the stored columns, for the references that exist."""
    found: dict[str, Row] = {}
    for start in range(0, len(refs), LOOKUP_CHUNK):
        chunk = refs[start : start + LOOKUP_CHUNK]
        rows = model._default_manager.filter(external_ref__in=chunk).values_list(
            "external_ref", *columns
        )
        for ref, *values in rows:
            found[ref] = dict(zip(columns, values, strict=True))
    return found


def ids_by_ref(model: type[models.Model], refs: Iterable[str]) -> dict[str, int]:
    wanted = sorted(set(refs))
    ids: dict[str, int] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start : start + LOOKUP_CHUNK]
        ids.update(
            model._default_manager.filter(external_ref__in=chunk).values_list("external_ref", "pk")
        )
    return ids


class Regions:
    """Regions by name (case and accents aside), created when missing."""

    def __init__(self, *, dry_run: bool = False) -> None:
        self.dry_run = dry_run
        self.created: list[str] = []
        self.ids = {fold(name): pk for pk, name in Region.objects.values_list("pk", "name")}

    def id_for(self, name: str) -> int:
        key = fold(name)
        if key not in self.ids:
            if self.dry_run:
                self.ids[key] = WOULD_CREATE
            else:
                self.ids[key] = Region.objects.get_or_create(name=name)[0].pk
            self.created.append(name)
        return self.ids[key]


class Products:
    """Products by SKU; an unknown SKU is created when a name is given."""

    def __init__(self, *, dry_run: bool = False) -> None:
        self.dry_run = dry_run
        self.created: list[str] = []
        self.ids: dict[str, int] = {}

    def load(self, skus: Iterable[str]) -> None:
        wanted = sorted({sku for sku in skus if sku not in self.ids})
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            chunk = wanted[start : start + LOOKUP_CHUNK]
            self.ids.update(Product.objects.filter(sku__in=chunk).values_list("sku", "pk"))

    def id_for(self, sku: str, name: str) -> int | None:
        if sku not in self.ids:
            self.load([sku])
        if sku not in self.ids:
            if not name:
                return None
            if self.dry_run:
                self.ids[sku] = WOULD_CREATE
            else:
                product, _new = Product.objects.get_or_create(sku=sku, defaults={"name": name})
                self.ids[sku] = product.pk
            self.created.append(sku)
        return self.ids[sku]


def branch_ids() -> dict[str, int]:
    return {fold(name): pk for pk, name in Branch.objects.values_list("pk", "name")}


# --- one record's new columns -----------------------------------------------------------------


def customer_row(
    current: Row | None, values: Mapping[str, Any], region_id: Callable[[str], int]
) -> tuple[Row, ConsentChanges]:
    """The customer's columns once `values` (field -> checked value, None: clear) are
    applied to `current` (None: a new customer), and the consents that change."""
    row = dict(current if current is not None else customer_defaults())
    changes: ConsentChanges = []
    for name, value in values.items():
        if name == "external_ref":
            continue
        if name == "region":
            row["region_id"] = None if value is None else region_id(value)
            continue
        if name in CONSENT_CHANNEL and row[name] != value:
            changes.append((CONSENT_CHANNEL[name], value))
        row[name] = value
    row["email"] = normalize_email(row["email"])
    row["phone_digits"] = significant_digits(row["phone"])
    row["search_name"] = fold(row["name"])[:200]
    return row, changes


def purchase_links(
    values: Mapping[str, Any],
    *,
    customers: Mapping[str, int],
    products: Products,
    branches: Mapping[str, int],
) -> tuple[Row, dict[str, list[str]]]:
    """The customer, product and branch columns a purchase's values name, and the errors
    (an unknown customer, SKU without a name to create it, or branch)."""
    links: Row = {}
    errors: dict[str, list[str]] = {}
    if "customer" in values:
        found = customers.get(values["customer"])
        if found is None:
            errors["customer"] = [
                _(
                    "No customer with the external reference “%(value)s”; import the "
                    "customers first."
                )
                % {"value": values["customer"]}
            ]
        links["customer_id"] = found
    if "product" in values:
        product = products.id_for(values["product"], values.get("product_name") or "")
        if product is None:
            errors["product"] = [
                _("No product with the SKU “%(value)s”; give its name (product_name) to create it.")
                % {"value": values["product"]}
            ]
        links["product_id"] = product
    if "branch" in values:
        branch = None
        if values["branch"] is not None:
            branch = branches.get(fold(values["branch"]))
            if branch is None:
                errors["branch"] = [
                    _("No branch called “%(value)s”.") % {"value": values["branch"]}
                ]
        links["branch_id"] = branch
    return links, errors


def purchase_row(current: Row | None, ref: str, values: Mapping[str, Any], links: Row) -> Row:
    row = dict(current) if current is not None else dict.fromkeys(PURCHASE_COLUMNS, None)
    row.update(links)
    for name in ("order_number", "purchased_on", "amount", "currency", "batch"):
        if name in values:
            row[name] = values[name]
    row["order_number"] = row["order_number"] or ref[:60]
    row["currency"] = row["currency"] or settings.RESUELVE_CURRENCY
    row["batch"] = row["batch"] or ""
    return row


def consent_changes(
    customer_id: int, changes: ConsentChanges, *, source: str, by: Any, note: str
) -> list[ConsentChange]:
    now = timezone.now()
    return [
        ConsentChange(
            customer_id=customer_id,
            channel=channel,
            granted=granted,
            source=source,
            by=by if getattr(by, "pk", None) else None,
            note=note[:300],
            at=now,
        )
        for channel, granted in changes
    ]


# --- writing many -----------------------------------------------------------------------------


def _prepare(field: models.Field[Any, Any], ops: Any) -> Callable[[Any], Any] | None:
    """How a value goes to the database, for the column types an import writes (text,
    booleans and keys go as they are): the backend's own adapters, called directly."""
    if isinstance(field, models.DateTimeField):
        return lambda value: None if value is None else ops.adapt_datetimefield_value(value)
    if isinstance(field, models.DateField):
        return lambda value: None if value is None else ops.adapt_datefield_value(value)
    if isinstance(field, models.TimeField):
        return lambda value: None if value is None else ops.adapt_timefield_value(value)
    if isinstance(field, models.DecimalField):
        digits, places = field.max_digits, field.decimal_places
        return lambda value: (
            None if value is None else ops.adapt_decimalfield_value(value, digits, places)
        )
    return None


def _execute_many(sql: str, params: list[list[Any]]) -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.executemany(sql, params)


def upsert(model: type[models.Model], rows: list[tuple[str, Row]], columns: list[str]) -> None:
    """INSERT the rows (external_ref, columns), or UPDATE the columns of the row with the
    same external_ref: one statement, run for every row. `created_at`, where the model has
    it, is set on insert only."""
    if not rows:
        return
    db = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    quote = db.ops.quote_name
    fields = [meta.get_field("external_ref"), *(meta.get_field(c) for c in columns)]
    inserted_only = [f for f in meta.concrete_fields if f.name == "created_at"]
    now = timezone.now()
    prepares = [_prepare(field, db.ops) for field in fields]
    created = [field.get_db_prep_save(now, db) for field in inserted_only]
    names = [quote(field.column) for field in (*fields, *inserted_only)]
    updates = ", ".join(
        f"{quote(field.column)} = EXCLUDED.{quote(field.column)}" for field in fields[1:]
    )
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(names)}) "
        f"VALUES ({', '.join(['%s'] * len(names))}) "
        f"ON CONFLICT ({quote('external_ref')}) DO UPDATE SET {updates}"
    )
    adapted = [(i, prepare) for i, prepare in enumerate(prepares) if prepare is not None]
    params = []
    for ref, row in rows:
        values = [ref, *[row[c] for c in columns]]
        for i, prepare in adapted:
            values[i] = prepare(values[i])
        params.append(values + created)
    _execute_many(sql, params)


class Statistics:
    """Keeps PostgreSQL's planner told how big a table an import fills has grown. An
    import into an empty table would otherwise look up each batch's references with
    sequential scans (the statistics still say "empty"), slower with every batch; ANALYZE
    each time the rows created double costs a few tenths of a second in all."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.next_at = 2000

    def grew(self, created: int) -> None:
        db = connections[DEFAULT_DB_ALIAS]
        if created < self.next_at or db.vendor != "postgresql":
            return
        self.next_at = created * 2
        with db.cursor() as cursor:
            cursor.execute(f"ANALYZE {db.ops.quote_name(self.model._meta.db_table)}")


def insert_consent_changes(
    changes: list[tuple[int, str, bool]], *, source: str, by: Any, note: str
) -> None:
    """Record (customer id, channel, granted) consent changes: one INSERT run for each."""
    if not changes:
        return
    db = connections[DEFAULT_DB_ALIAS]
    meta = ConsentChange._meta
    quote = db.ops.quote_name
    names = ["customer_id", "channel", "granted", "source", "by_id", "note", "at"]
    columns = ", ".join(quote(meta.get_field(name).column) for name in names)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"
    )
    at = db.ops.adapt_datetimefield_value(timezone.now())
    by_id = by.pk if getattr(by, "pk", None) else None
    _execute_many(
        sql,
        [
            [customer_id, channel, granted, source, by_id, note[:300], at]
            for customer_id, channel, granted in changes
        ],
    )


# --- one record: the API's PUT ----------------------------------------------------------------


def _checked(
    target: str,
    external_ref: str,
    data: Mapping[str, Any],
    cleared: Iterable[str],
    clearable: frozenset[str],
) -> tuple[str, dict[str, Any]]:
    ref_values, errors = check_values(
        target, {"external_ref": external_ref}, required=["external_ref"]
    )
    values, more = check_values(target, dict(data))
    errors.update(more)
    for name in cleared:
        if name in clearable:
            values[name] = None
        else:
            errors.setdefault(name, []).append(_("This field cannot be empty."))
    if errors:
        raise ValidationError(errors)
    return ref_values["external_ref"], values


_TEXT = frozenset(
    {
        "email",
        "phone",
        "id_document",
        "address",
        "country",
        "time_zone",
        "contact_hours",
        "contact_days",
        "batch",
    }
)


def _cleared_as_blank(values: dict[str, Any]) -> dict[str, Any]:
    # Text columns hold "" rather than NULL.
    return {
        name: ("" if value is None and name in _TEXT else value) for name, value in values.items()
    }


def _region_id(name: str) -> int:
    found = Region.objects.filter(name__iexact=name).values_list("pk", flat=True).first()
    return found if found is not None else Region.objects.create(name=name).pk


def customer_put(
    *,
    external_ref: str,
    data: Mapping[str, Any],
    cleared: Iterable[str] = (),
    by: Any = None,
    source: str = ConsentSource.API,
) -> Upserted:
    """Create or update the customer with this external reference from `data` (field ->
    value, checked as an import's cells; fields not given stay as they are) and clear the
    `cleared` fields. A new customer needs a name. Consent changes are recorded
    (ConsentChange, `source`, `by`). Raises ValidationError with the errors per field."""
    ref, values = _checked("customers", external_ref, data, cleared, CUSTOMER_CLEARABLE)
    values = _cleared_as_blank(values)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                customer = Customer.objects.select_for_update().filter(external_ref=ref).first()
                if customer is None and "name" not in values:
                    raise ValidationError({"name": [_("This field is required.")]})
                current = None
                if customer is not None:
                    current = {c: getattr(customer, c) for c in CUSTOMER_COLUMNS}
                row, changes = customer_row(current, values, _region_id)
                changed = row != current
                if customer is None:
                    customer = Customer(external_ref=ref, **row)
                    customer.save()
                elif changed:
                    for column, value in row.items():
                        setattr(customer, column, value)
                    customer.save()
                ConsentChange.objects.bulk_create(
                    consent_changes(customer.pk, changes, source=source, by=by, note="")
                )
                return Upserted(customer, current is None, changed)
        except IntegrityError:
            continue  # created by another request meanwhile: now an update
    raise IntegrityError(f"customer {ref!r} could not be written")


def purchase_put(
    *, external_ref: str, data: Mapping[str, Any], cleared: Iterable[str] = ()
) -> Upserted:
    """Create or update the purchase with this external reference (see customer_put); a
    new purchase needs its customer (external reference), product (SKU), date and amount."""
    ref, values = _checked("purchases", external_ref, data, cleared, PURCHASE_CLEARABLE)
    values = _cleared_as_blank(values)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                purchase = Purchase.objects.select_for_update().filter(external_ref=ref).first()
                if purchase is None:
                    missing = [
                        n
                        for n in ("customer", "product", "purchased_on", "amount")
                        if n not in values
                    ]
                    if missing:
                        raise ValidationError({n: [_("This field is required.")] for n in missing})
                links, errors = purchase_links(
                    values,
                    customers=ids_by_ref(
                        Customer, [values["customer"]] if "customer" in values else []
                    ),
                    products=Products(),
                    branches=branch_ids(),
                )
                if errors:
                    raise ValidationError(errors)
                current = None
                if purchase is not None:
                    current = {c: getattr(purchase, c) for c in PURCHASE_COLUMNS}
                row = purchase_row(current, ref, values, links)
                changed = row != current
                if purchase is None:
                    purchase = Purchase(external_ref=ref, **row)
                    purchase.save()
                elif changed:
                    for column, value in row.items():
                        setattr(purchase, column, value)
                    purchase.save()
                return Upserted(purchase, current is None, changed)
        except IntegrityError:
            continue
    raise IntegrityError(f"purchase {ref!r} could not be written")
