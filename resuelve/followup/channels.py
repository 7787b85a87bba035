"""Which channel a survey goes out on, and to which address. Pure: reads only the objects
given, never the database.

The customer's preferred channel when they consent to it and we have the address, else
e-mail, else a text message, else a messaging app; a channel the customer withdrew is never
used (Customer.may_contact). A case filed without a customer record is surveyed at the
contact details given with it: e-mail, else a text message to the phone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from resuelve.customers import reach
from resuelve.followup.models import SurveyChannel

if TYPE_CHECKING:
    from resuelve.complaints.models import Complaint
    from resuelve.customers.models import Customer

FALLBACK_ORDER = (SurveyChannel.EMAIL, SurveyChannel.SMS, SurveyChannel.MESSAGING)
TEXT_CHANNELS = frozenset({SurveyChannel.SMS, SurveyChannel.MESSAGING})


@dataclass(frozen=True)
class Route:
    channel: str
    recipient: str


def phone_number(phone: str) -> str:
    """The phone as a gateway expects it: digits, with the leading + kept (E.164-ish)."""
    digits = "".join(c for c in phone if c.isdigit())
    return f"+{digits}" if phone.strip().startswith("+") and digits else digits


def _address(customer: Customer, channel: str) -> str:
    if channel == SurveyChannel.EMAIL:
        return customer.email
    return phone_number(customer.phone)


def route_for(case: Complaint, customer: Customer | None) -> Route | None:
    """The channel and address to survey on, or None when there is no consented channel."""
    if customer is not None:
        preferred = customer.preferred_channel
        order = ([preferred] if preferred in SurveyChannel.values else []) + [
            c for c in FALLBACK_ORDER if c != preferred
        ]
        for channel in order:
            if customer.may_contact(channel) and _address(customer, channel):
                return Route(channel, _address(customer, channel))
        return None
    if case.contact_email:
        return Route(SurveyChannel.EMAIL, case.contact_email)
    if phone_number(case.contact_phone or ""):
        return Route(SurveyChannel.SMS, phone_number(case.contact_phone))
    return None


def still_allowed(channel: str, customer: Customer | None) -> bool:
    """Whether the channel may still be used (consent can be withdrawn after the survey was
    scheduled, and before a reminder)."""
    return customer is None or customer.may_contact(channel)


def reachable_from(at: datetime, channel: str, customer: Customer | None) -> datetime:
    """When a message on `channel` may go out: text messages wait for the end of the
    customer's quiet hours, in their own time zone; e-mail goes at once."""
    if customer is None or channel not in TEXT_CHANNELS:
        return at
    return reach.next_reachable(
        at,
        zone_name=customer.time_zone,
        quiet_from=customer.quiet_from,
        quiet_until=customer.quiet_until,
    )
