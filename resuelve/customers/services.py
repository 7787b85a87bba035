"""Writes about customers that other apps share: the contact log and consents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from resuelve.customers.models import (
    CONSENT_FIELDS,
    ConsentChange,
    Contact,
    Customer,
)


def contact_record(
    *,
    customer: Customer,
    channel: str,
    kind: str,
    summary: str = "",
    by: Any = None,
    complaint: Any = None,
    at: datetime | None = None,
) -> Contact:
    """Log one contact made with the customer and move their last-contact moment on (never
    back: an older contact recorded late does not make the customer look more recent)."""
    at = at or timezone.now()
    contact = Contact.objects.create(
        customer=customer,
        channel=channel,
        kind=kind,
        summary=summary[:300],
        by=by if getattr(by, "pk", None) else None,
        complaint=complaint,
        at=at,
    )
    Customer.objects.filter(pk=customer.pk).exclude(last_contact_at__gte=at).update(
        last_contact_at=at
    )
    if customer.last_contact_at is None or customer.last_contact_at < at:
        customer.last_contact_at = at
    return contact


@transaction.atomic
def consent_set(
    *,
    customer: Customer,
    channel: str,
    granted: bool,
    source: str,
    by: Any = None,
    note: str = "",
    at: datetime | None = None,
) -> bool:
    """Grant or withdraw consent for one channel, keeping the change on record. Returns
    whether anything changed (setting the same value twice records nothing)."""
    field = CONSENT_FIELDS[channel]  # type: ignore[index]
    if getattr(customer, field) == granted:
        return False
    setattr(customer, field, granted)
    Customer.objects.filter(pk=customer.pk).update(**{field: granted})
    ConsentChange.objects.create(
        customer=customer,
        channel=channel,
        granted=granted,
        source=source,
        by=by if getattr(by, "pk", None) else None,
        note=note[:300],
        at=at or timezone.now(),
    )
    return True
