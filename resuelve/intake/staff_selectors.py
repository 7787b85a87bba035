"""Reads for the staff intake desk: finding the customer on the line (B3) by whatever they can
tell the agent, and their record at a glance (tier, language, how to reach them, open cases,
recent purchases)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet

from resuelve.complaints.models import Complaint
from resuelve.complaints.selectors import TRUE, complaints_visible_to
from resuelve.core.text import fold
from resuelve.customers.models import Customer, Purchase, normalize_email
from resuelve.customers.phones import SIGNIFICANT_DIGITS, significant_digits

if TYPE_CHECKING:
    from resuelve.accounts.models import User

LOOKUP_LIMIT = 10
CARD_PURCHASES = 5
CARD_OPEN_CASES = 5

_LOOKS_LIKE_PHONE = re.compile(r"^[\d\s+().\-/]+$")


@dataclass(frozen=True)
class CustomerCard:
    customer: Customer
    purchases: list[Purchase] = field(default_factory=list)
    open_cases: list[Complaint] = field(default_factory=list)


def looks_like_phone(text: str) -> bool:
    return bool(_LOOKS_LIKE_PHONE.match(text)) and bool(significant_digits(text))


def _phone_q(phone: str) -> Q | None:
    """Customers with the same number: the last ten digits, compared on the indexed column
    (a shorter local number matches the end of a stored one)."""
    wanted = significant_digits(phone)
    if not wanted:
        return None
    if len(wanted) == SIGNIFICANT_DIGITS:
        return Q(phone_digits=wanted)
    return Q(phone_digits__endswith=wanted)


def _identifier_matches(query: str, limit: int) -> list[int]:
    """Customer ids matching the query as an exact identifier: customer number, e-mail,
    order number or phone. Each uses an index except the phone, whose formatting varies."""
    variants = {query, query.upper(), query.lower()}
    found: list[int] = []

    def add(ids: QuerySet[Customer] | QuerySet[Purchase] | list[int]) -> None:
        for pk in ids:
            if pk not in found:
                found.append(pk)

    add(Customer.objects.filter(external_ref__in=variants).values_list("id", flat=True)[:limit])
    if "@" in query:
        add(
            Customer.objects.filter(email=normalize_email(query))
            .order_by("-id")
            .values_list("id", flat=True)[:limit]
        )
    add(
        Purchase.objects.filter(order_number__in=variants)
        .order_by("-purchased_on")
        .values_list("customer_id", flat=True)[:limit]
    )
    if _LOOKS_LIKE_PHONE.match(query):
        phone = _phone_q(query)
        if phone is not None:
            add(Customer.objects.filter(phone).order_by("-id").values_list("id", flat=True)[:limit])
    return found[:limit]


def _name_matches(query: str, limit: int, exclude: list[int]) -> list[int]:
    words = [w for w in query.split() if len(w) >= 2]
    if not words or _LOOKS_LIKE_PHONE.match(query):
        return []
    q = Q()
    for word in words:  # "lucia" finds Lucía, "MUNOZ" finds Muñoz
        q &= Q(search_name__contains=fold(word))
    return list(
        Customer.objects.filter(q)
        .exclude(id__in=exclude)
        .order_by("name", "id")
        .values_list("id", flat=True)[:limit]
    )


def customer_cards(*, ids: list[int], user: User) -> list[CustomerCard]:
    """The customers with these ids, in this order, each with their recent purchases and the
    open complaints this user may see (C6: the lookup shows no case the queue would hide)."""
    if not ids:
        return []
    customers = Customer.objects.filter(id__in=ids).prefetch_related(
        Prefetch(
            "purchases",
            queryset=Purchase.objects.select_related("product", "branch").order_by(
                "-purchased_on", "-id"
            )[:CARD_PURCHASES],
            to_attr="recent_purchases",
        ),
        Prefetch(
            "complaints",
            queryset=complaints_visible_to(user)
            .filter(is_open__in=TRUE)
            .only("id", "customer_id", "tracking_code", "subject", "state", "received_at", "kind")
            .order_by("-received_at", "-id")[:CARD_OPEN_CASES],
            to_attr="open_cases",
        ),
    )
    by_id = {c.pk: c for c in customers}
    return [
        CustomerCard(
            customer=by_id[pk],
            purchases=by_id[pk].recent_purchases,  # type: ignore[attr-defined]
            open_cases=by_id[pk].open_cases,  # type: ignore[attr-defined]
        )
        for pk in ids
        if pk in by_id
    ]


def customer_lookup(*, query: str, user: User, limit: int = LOOKUP_LIMIT) -> list[CustomerCard]:
    """The customers an agent means by what the caller told them: a phone number in any
    formatting, an e-mail address (any case), a customer number, an order number, or words of
    the name. Exact identifiers come first, then name matches."""
    query = " ".join((query or "").split())[:200]
    if len(query) < 2:
        return []
    ids = _identifier_matches(query, limit)
    if len(ids) < limit:
        ids += _name_matches(query, limit - len(ids), exclude=ids)
    return customer_cards(ids=ids, user=user)


def customer_card(*, customer_id: int, user: User) -> CustomerCard | None:
    cards = customer_cards(ids=[customer_id], user=user)
    return cards[0] if cards else None


def customer_for_contact(*, email: str = "", phone: str = "") -> Customer | None:
    """The one existing customer these contact details belong to, so a caller the agent did
    not look up is not recorded twice. None when nothing or more than one customer matches."""
    email = normalize_email(email)
    if email:
        found = list(Customer.objects.filter(email=email).order_by("-id")[:2])
        if len(found) == 1:
            return found[0]
        if found:
            return None
    phone_q = _phone_q(phone)
    if phone_q is not None:
        found = list(Customer.objects.filter(phone_q).order_by("-id")[:2])
        if len(found) == 1:
            return found[0]
    return None
