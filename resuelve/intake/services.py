"""Registering what arrives on any channel: the customer is matched or recorded, the complaint
is registered and acknowledged in one transaction, and a repeated submission (the same
Idempotency-Key, Message-ID or form token) returns what the first one registered."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from resuelve.accounts.models import User
from resuelve.complaints import services as complaint_services
from resuelve.complaints.models import Complaint, Message
from resuelve.complaints.services import Registration
from resuelve.core.prepared import Prepared, insert_only
from resuelve.customers.models import Branch, Customer, Product, Purchase, normalize_email
from resuelve.customers.phones import significant_digits
from resuelve.intake.models import IntakeKey


@dataclass(frozen=True)
class Contact:
    name: str = ""
    email: str = ""
    phone: str = ""
    external_ref: str = ""
    contact_hours: str = ""


@dataclass(frozen=True)
class Idempotency:
    source: str
    key: str
    fingerprint: str = ""


@dataclass(frozen=True)
class Filed:
    complaint: Complaint
    created: bool


class IdempotencyConflict(Exception):
    """The key was used before for a different request."""


def fingerprint(payload: Any) -> str:
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, default=str, separators=(",", ":")).encode()
    ).hexdigest()


# Intake runs these for every complaint: compiled once, not per filing.
_customer_by_ref = Prepared(lambda ref: Customer.objects.filter(external_ref=ref)[:1])
_customer_by_email = Prepared(
    lambda email: Customer.objects.filter(email=email).order_by("-id")[:1]
)
_customer_by_phone = Prepared(
    lambda digits: Customer.objects.filter(phone_digits=digits).order_by("-id")[:1]
)
_intake_key = Prepared(
    lambda source, key: IntakeKey.objects.filter(source=source, key=key).values_list(
        "complaint_id", "fingerprint"
    )[:1]
)


def customer_match(contact: Contact) -> Customer | None:
    """The customer this contact data belongs to: by external reference, then e-mail, then
    phone (the last digits, so +57 300 123 4567 and 3001234567 agree)."""
    if contact.external_ref:
        found = _customer_by_ref.first(contact.external_ref)
        if found:
            return found
    if contact.email:
        found = _customer_by_email.first(normalize_email(contact.email))
        if found:
            return found
    digits = significant_digits(contact.phone)
    if digits:
        found = _customer_by_phone.first(digits)
        if found:
            return found
    return None


def _note_contact_hours(customer: Customer, hours: str) -> None:
    """Keep the hours a known customer gave, unless they already have some."""
    Customer.objects.filter(pk=customer.pk, contact_hours="").update(contact_hours=hours[:80])
    customer.contact_hours = hours[:80]


def _new_customer_name(contact: Contact) -> str:
    return (contact.name or contact.email or contact.phone)[:200]


def _new_customer(contact: Contact, language: str) -> Customer | None:
    if not (contact.email or contact.phone or contact.external_ref):
        return None  # an anonymous suggestion stays anonymous
    return Customer.objects.create(
        name=_new_customer_name(contact),
        email=normalize_email(contact.email),
        phone=contact.phone.strip()[:40],
        external_ref=contact.external_ref or None,
        language=language or settings.LANGUAGE_CODE,
        contact_hours=contact.contact_hours[:80],
    )


def _existing(idem: Idempotency) -> Filed | None:
    # Two narrow reads: almost every key is new, so the first reads two columns only.
    found = _intake_key.first(idem.source, idem.key)
    if found is None:
        return None
    complaint_id, stored_fingerprint = found
    if idem.fingerprint and stored_fingerprint and idem.fingerprint != stored_fingerprint:
        raise IdempotencyConflict(idem.key)
    return Filed(complaint=Complaint.objects.get(pk=complaint_id), created=False)


def _lookup_refs(
    product_ref: str, order_ref: str, customer: Customer | None, new_customer: bool
) -> tuple[Product | None, Purchase | None, dict[str, str]]:
    """The product and the purchase the complaint names. A known customer's order number
    is looked up among their purchases; an anonymous one among all; a customer recorded
    with this complaint has none yet."""
    errors: dict[str, str] = {}
    product = purchase = None
    if order_ref and not new_customer:
        orders = Purchase.objects.select_related("product").filter(order_number=order_ref.strip())
        if customer is not None:
            purchase = orders.filter(customer=customer).first()
        if purchase is None and customer is None:
            purchase = orders.first()
        # An unknown order number is kept in the text, not refused: the customer may be wrong.
    if product_ref:
        product = Product.objects.filter(sku=product_ref.strip()).first()
        if product is None:
            errors["product_ref"] = _("There is no product or service with this reference.")
    return product, purchase, errors


def intake_file(
    *,
    channel: str,
    kind: str,
    subject: str,
    description: str,
    contact: Contact = Contact(),
    customer: Customer | None = None,
    language: str = "",
    product: Product | None = None,
    product_ref: str = "",
    order_ref: str = "",
    branch: Branch | None = None,
    employee_name: str = "",
    remedy_requested: str = "",
    amount_claimed: Decimal | None = None,
    occurred_on: date | None = None,
    received_at: datetime | None = None,
    attachments: Sequence[UploadedFile] = (),
    actor: User | None = None,
    idempotency: Idempotency | None = None,
    solve_on_the_spot: bool = False,
) -> Filed:
    """Register and acknowledge a complaint from any channel (B1, B2). The customer is
    matched by reference, e-mail or phone, or recorded as new (B3). With `idempotency`, a
    repeat of an earlier submission returns the complaint it registered, never a second one;
    the same key with a different request raises IdempotencyConflict. With
    `solve_on_the_spot`, the staff member filing it takes it to solve at once (D2).

    The key is not looked up first: almost every key is new, and its unique row, written
    last in the filing's transaction, is what refuses a repeat (the whole transaction is
    then rolled back and the earlier complaint returned). One read less per filing."""
    # Everything that only reads or computes is done before the transaction: matching the
    # customer, looking up the order, checking and building the complaint with its events,
    # messages and acknowledgement e-mail. On SQLite the write lock is then held only while
    # the rows are written, and that bounds how many complaints per second can be taken.
    known = customer or customer_match(contact)
    new_customer = known is None and bool(contact.email or contact.phone or contact.external_ref)
    found_product, purchase, errors = _lookup_refs(product_ref, order_ref, known, new_customer)
    if errors:
        raise ValidationError(errors)
    if order_ref and purchase is None:
        label = _("Order number")
        description = f"{description.strip()}\n\n{label}: {order_ref.strip()}"
    registration = complaint_services.complaint_registration(
        channel=channel,
        kind=kind,
        subject=subject,
        description=description,
        actor=actor,
        customer=known,
        # A customer recorded now is named by what they gave; so is the case.
        contact_name=contact.name or (_new_customer_name(contact) if new_customer else ""),
        contact_email=contact.email,
        contact_phone=contact.phone,
        language=language,
        product=product or found_product,
        purchase=purchase,
        branch=branch or (purchase.branch if purchase else None),
        employee_name=employee_name,
        remedy_requested=remedy_requested,
        amount_claimed=amount_claimed,
        occurred_on=occurred_on,
        received_at=received_at,
        attachments=attachments,
        acknowledge=True,
        on_the_spot=actor if solve_on_the_spot and actor is not None else None,
    )

    note_hours = bool(
        known is not None and customer is None and contact.contact_hours and not known.contact_hours
    )

    def write(registration: Registration) -> Complaint:
        # A new customer is not looked for again under the lock: two first complaints from
        # one new address at the same instant may record the customer twice, which matching
        # tolerates (it takes the newest), rather than every new customer's filing holding
        # the write lock for one more query.
        recorded = _new_customer(contact, language) if new_customer else None
        if note_hours:
            assert known is not None
            _note_contact_hours(known, contact.contact_hours)
        case = complaint_services.registration_store(registration, customer=recorded)
        if idempotency is not None:
            insert_only(
                [
                    IntakeKey(
                        source=idempotency.source,
                        key=idempotency.key,
                        fingerprint=idempotency.fingerprint,
                        complaint=case,
                        created_at=timezone.now(),
                    )
                ]
            )
        return case

    try:
        case = complaint_services.registration_commit(registration, write)
    except IntegrityError:
        # A concurrent submission with the same key won: everything here was rolled back.
        earlier = _existing(idempotency) if idempotency is not None else None
        if earlier is None:
            raise
        return earlier
    return Filed(complaint=case, created=True)


def intake_reply(
    *,
    complaint: Complaint,
    body: str,
    channel: str,
    attachments: Sequence[UploadedFile] = (),
    idempotency: Idempotency | None = None,
) -> tuple[Message, bool]:
    """A customer's message on an existing case, at most once per idempotency key."""
    if idempotency is not None:
        found = IntakeKey.objects.filter(source=idempotency.source, key=idempotency.key).first()
        if found is not None and found.message_id is not None:
            return Message.objects.get(pk=found.message_id), False
    try:
        with transaction.atomic():
            message = complaint_services.complaint_receive_customer_message(
                complaint=complaint, body=body, channel=channel, attachments=attachments
            )
            if idempotency is not None:
                IntakeKey.objects.create(
                    source=idempotency.source,
                    key=idempotency.key,
                    fingerprint=idempotency.fingerprint,
                    complaint=complaint,
                    message=message,
                    created_at=timezone.now(),
                )
    except IntegrityError:
        if idempotency is None:
            raise
        found = IntakeKey.objects.get(source=idempotency.source, key=idempotency.key)
        return Message.objects.get(pk=found.message_id), False
    return message, True
