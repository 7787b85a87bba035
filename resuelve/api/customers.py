"""/api/v1/customers and /api/v1/purchases: a shop or ERP keeps its customers and their
purchases in step with Resuelve, one record per PUT, keyed by its own reference. The checks
and the upsert are the importer's (resuelve.customers.upserts), so a value a file may
hold is accepted here and refused for the same reason.

A field left out of the body keeps its stored value; `null` clears an optional one. Who may
write: supervisors, managers and administrators (an integration gets a user of its own with
one of those roles and a token); every other staff role except human resources may read."""

# No `from __future__ import annotations`: ninja reads the handlers' annotations.

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import register_converter
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError
from pydantic import BaseModel, Field

from resuelve.accounts.models import User
from resuelve.accounts.roles import Role
from resuelve.api.complaints import READ_ERRORS, WRITE_ERRORS, _user
from resuelve.api.schemas import ErrorOut, In, Out, Text
from resuelve.customers import upserts
from resuelve.customers.models import CONSENT_FIELDS, ConsentSource, Customer, Purchase


class _ReferenceConverter:
    """An external reference in a path: anything, "/" and control characters included (the
    stock `path` converter stops at a newline, so such a request fell through to the HTML
    404 page instead of the API's JSON error)."""

    regex = r"[\s\S]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(_ReferenceConverter, "reference")

router = Router(tags=["customers and purchases"])

# Who may create and change customers and purchases through the API.
SYNC_WRITERS = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})
# Human resources reads cases, not the customer base.
SYNC_READERS = frozenset(Role.values) - {Role.HR}

Consent = Field(default=None, description="true: may be contacted this way; false: withdrawn.")
LocalTime = Field(default=None, description="HH:MM in the customer's time zone (24 hours).")


class CustomerRecordIn(In):
    name: Text(200) | None = Field(default=None, description="Required to create.")  # type: ignore[valid-type]
    email: Text(254) | None = None  # type: ignore[valid-type]
    phone: Text(40) | None = None  # type: ignore[valid-type]
    id_document: Text(40) | None = None  # type: ignore[valid-type]
    address: Text(300) | None = None  # type: ignore[valid-type]
    language: Text(20) | None = Field(default=None, description="es, en, zh-hans or et.")  # type: ignore[valid-type]
    tier: Text(20) | None = Field(default=None, description="none, silver, gold or platinum.")  # type: ignore[valid-type]
    member_since: date | None = Field(default=None, description="When they joined.")
    renewal_on: date | None = Field(default=None, description="When the membership renews.")
    birthday: date | None = None
    preferred_channel: Text(20) | None = Field(  # type: ignore[valid-type]
        default=None, description="email, phone, sms, messaging or letter."
    )
    region: Text(120) | None = Field(default=None, description="By name; created when new.")  # type: ignore[valid-type]
    country: Text(2) | None = Field(default=None, description="ISO 3166 two-letter code.")  # type: ignore[valid-type]
    time_zone: Text(64) | None = Field(default=None, description="IANA name, e.g. Europe/Tallinn.")  # type: ignore[valid-type]
    contact_hours: Text(80) | None = None  # type: ignore[valid-type]
    consent_email: bool | None = Consent
    consent_phone: bool | None = Consent
    consent_sms: bool | None = Consent
    consent_messaging: bool | None = Consent
    consent_letter: bool | None = Consent
    quiet_from: Text(8) | None = LocalTime  # type: ignore[valid-type]
    quiet_until: Text(8) | None = LocalTime  # type: ignore[valid-type]
    contact_from: Text(8) | None = LocalTime  # type: ignore[valid-type]
    contact_until: Text(8) | None = LocalTime  # type: ignore[valid-type]
    contact_days: Text(20) | None = Field(  # type: ignore[valid-type]
        default=None, description="ISO weekdays, e.g. 12345 for Monday to Friday."
    )


class CustomerRecordOut(Out):
    external_ref: str
    name: str
    email: str
    phone: str
    id_document: str
    address: str
    language: str
    tier: str
    member_since: date | None
    renewal_on: date | None
    birthday: date | None
    preferred_channel: str
    region: str | None
    country: str
    time_zone: str
    contact_hours: str
    consent_email: bool
    consent_phone: bool
    consent_sms: bool
    consent_messaging: bool
    consent_letter: bool
    quiet_from: str | None
    quiet_until: str | None
    contact_from: str | None
    contact_until: str | None
    contact_days: str
    last_contact_at: datetime | None
    created_at: datetime


class PurchaseRecordIn(In):
    customer: Text(80) | None = Field(  # type: ignore[valid-type]
        default=None, description="The customer's external reference. Required to create."
    )
    product: Text(60) | None = Field(default=None, description="SKU. Required to create.")  # type: ignore[valid-type]
    product_name: Text(200) | None = Field(  # type: ignore[valid-type]
        default=None, description="Creates the product when the SKU is new."
    )
    order_number: Text(60) | None = Field(default=None, description="Default: the reference.")  # type: ignore[valid-type]
    branch: Text(120) | None = Field(default=None, description="An existing branch's name.")  # type: ignore[valid-type]
    purchased_on: date | None = Field(default=None, description="Required to create.")
    amount: Decimal | None = Field(
        default=None, ge=0, max_digits=14, decimal_places=2, description="Required to create."
    )
    currency: Text(3) | None = Field(default=None, description="ISO 4217; default the company's.")  # type: ignore[valid-type]
    batch: Text(60) | None = None  # type: ignore[valid-type]


class PurchaseRecordOut(Out):
    external_ref: str
    customer: str | None = Field(description="The customer's external reference.")
    product: str = Field(description="SKU")
    product_name: str
    order_number: str
    branch: str | None
    purchased_on: date
    amount: Decimal
    currency: str
    batch: str


def _writer(request: HttpRequest) -> User:
    user = _user(request)
    if user.read_only or user.role not in SYNC_WRITERS:
        raise HttpError(
            403,
            _("Customers and purchases are changed by supervisors, managers and administrators."),
        )
    return user


def _reader(request: HttpRequest) -> User:
    user = _user(request)
    if user.role not in SYNC_READERS:
        raise HttpError(403, _("Your role does not read the customer base."))
    return user


def _split(payload: BaseModel) -> tuple[dict[str, Any], list[str]]:
    """The fields sent with a value, and those sent as null (to clear)."""
    given = {name: getattr(payload, name) for name in payload.model_fields_set}
    return (
        {name: value for name, value in given.items() if value is not None},
        [name for name, value in given.items() if value is None],
    )


def _hhmm(value: time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M")


def _customer(c: Customer) -> dict[str, Any]:
    return {
        "external_ref": c.external_ref,
        "name": c.name,
        "email": c.email,
        "phone": c.phone,
        "id_document": c.id_document,
        "address": c.address,
        "language": c.language,
        "tier": c.tier,
        "member_since": c.member_since,
        "renewal_on": c.renewal_on,
        "birthday": c.birthday,
        "preferred_channel": c.preferred_channel,
        "region": c.region.name if c.region_id else None,  # type: ignore[attr-defined]
        "country": c.country,
        "time_zone": c.time_zone,
        "contact_hours": c.contact_hours,
        **{name: getattr(c, name) for name in CONSENT_FIELDS.values()},
        "quiet_from": _hhmm(c.quiet_from),
        "quiet_until": _hhmm(c.quiet_until),
        "contact_from": _hhmm(c.contact_from),
        "contact_until": _hhmm(c.contact_until),
        "contact_days": c.contact_days,
        "last_contact_at": c.last_contact_at,
        "created_at": c.created_at,
    }


def _purchase(p: Purchase) -> dict[str, Any]:
    return {
        "external_ref": p.external_ref,
        "customer": p.customer.external_ref,
        "product": p.product.sku,
        "product_name": p.product.name,
        "order_number": p.order_number,
        "branch": p.branch.name if p.branch_id else None,  # type: ignore[attr-defined]
        "purchased_on": p.purchased_on,
        "amount": p.amount,
        "currency": p.currency,
        "batch": p.batch,
    }


def _answer(
    request: HttpRequest, response: HttpResponse, done: upserts.Upserted, body: dict[str, Any]
) -> Status[dict[str, Any]]:
    if done.created:
        response["Location"] = request.path
    return Status(201 if done.created else 200, body)


SYNC_WRITE_ERRORS: dict[int, Any] = {**WRITE_ERRORS, 403: ErrorOut}


@router.put(
    "/customers/{reference:external_ref}",
    response={201: CustomerRecordOut, 200: CustomerRecordOut, **SYNC_WRITE_ERRORS},
    operation_id="customer_put",
    summary="Create or update a customer by the shop's reference",
    description=(
        "201 when created, 200 when it existed (changed or not). Fields left out keep their "
        "values; null clears an optional one. Values are checked as `resuelve "
        "import-customers` checks a file's cells (a tier, channel or language may be given "
        "in any served language). A consent set to false is recorded as withdrawn (source "
        "api); true grants it again, also on record."
    ),
)
def customer_put(
    request: HttpRequest, response: HttpResponse, external_ref: str, payload: CustomerRecordIn
) -> Status[dict[str, Any]]:
    user = _writer(request)
    data, cleared = _split(payload)
    done = upserts.customer_put(
        external_ref=external_ref, data=data, cleared=cleared, by=user, source=ConsentSource.API
    )
    customer = Customer.objects.select_related("region").get(pk=done.obj.pk)
    return _answer(request, response, done, _customer(customer))


@router.get(
    "/customers/{reference:external_ref}",
    response={200: CustomerRecordOut, **READ_ERRORS, 403: ErrorOut},
    operation_id="customer_get",
    summary="A customer by the shop's reference",
)
def customer_get(request: HttpRequest, external_ref: str) -> dict[str, Any]:
    _reader(request)
    customer = Customer.objects.select_related("region").filter(external_ref=external_ref).first()
    if customer is None:
        raise Http404(_("No customer with this external reference."))
    return _customer(customer)


@router.put(
    "/purchases/{reference:external_ref}",
    response={201: PurchaseRecordOut, 200: PurchaseRecordOut, **SYNC_WRITE_ERRORS},
    operation_id="purchase_put",
    summary="Create or update a purchase by the shop's reference",
    description=(
        "201 when created, 200 when it existed. A new purchase needs `customer` (the "
        "customer's external reference), `product` (SKU; with `product_name` an unknown SKU "
        "is created), `purchased_on` and `amount`. Fields left out keep their values; null "
        "clears `branch` or `batch`."
    ),
)
def purchase_put(
    request: HttpRequest, response: HttpResponse, external_ref: str, payload: PurchaseRecordIn
) -> Status[dict[str, Any]]:
    _writer(request)
    data, cleared = _split(payload)
    done = upserts.purchase_put(external_ref=external_ref, data=data, cleared=cleared)
    purchase = Purchase.objects.select_related("customer", "product", "branch").get(pk=done.obj.pk)
    return _answer(request, response, done, _purchase(purchase))


@router.get(
    "/purchases/{reference:external_ref}",
    response={200: PurchaseRecordOut, **READ_ERRORS, 403: ErrorOut},
    operation_id="purchase_get",
    summary="A purchase by the shop's reference",
)
def purchase_get(request: HttpRequest, external_ref: str) -> dict[str, Any]:
    _reader(request)
    purchase = (
        Purchase.objects.select_related("customer", "product", "branch")
        .filter(external_ref=external_ref)
        .first()
    )
    if purchase is None:
        raise Http404(_("No purchase with this external reference."))
    return _purchase(purchase)
