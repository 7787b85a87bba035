"""Which channel a campaign reaches a customer on. Pure: reads only the customer given.

The customer's preferred channel when they consent to it and we have the address, else
e-mail, a text message, a messaging app, a call and a letter, in that order. Customers with
an address for some channel but no consent for any of them are skipped for consent; those
with no contact details at all are skipped as unreachable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from resuelve.customers.models import ContactChannel

if TYPE_CHECKING:
    from resuelve.customers.models import Customer

ORDER = (
    ContactChannel.EMAIL,
    ContactChannel.SMS,
    ContactChannel.MESSAGING,
    ContactChannel.PHONE,
    ContactChannel.LETTER,
)
# Sent by the worker through the outbox; calls and letters are made by staff, who record them.
AUTOMATIC = frozenset({ContactChannel.EMAIL, ContactChannel.SMS, ContactChannel.MESSAGING})


@dataclass(frozen=True)
class Route:
    channel: str
    recipient: str


def phone_number(phone: str) -> str:
    """The phone as the gateway expects it: digits, with a leading + kept."""
    digits = "".join(c for c in phone if c.isdigit())
    return f"+{digits}" if phone.strip().startswith("+") and digits else digits


def address(customer: Customer, channel: str) -> str:
    if channel == ContactChannel.EMAIL:
        return customer.email
    if channel == ContactChannel.LETTER:
        return customer.address
    return phone_number(customer.phone)


def route_for(customer: Customer) -> Route | None:
    """The channel and address to reach the customer on, or None without a consented one."""
    preferred = customer.preferred_channel
    order = ([preferred] if preferred in ORDER else []) + [c for c in ORDER if c != preferred]
    for channel in order:
        if customer.may_contact(channel) and address(customer, channel):
            return Route(channel, address(customer, channel))
    return None


def reachable_at_all(customer: Customer) -> bool:
    """Whether we hold any contact details for the customer, consent aside."""
    return any(address(customer, channel) for channel in ORDER)
