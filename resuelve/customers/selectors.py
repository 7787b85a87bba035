"""Reads about customers: who may see them, the search, the customer page, stored samples.

The customer page shows only the cases the viewer may see (complaints selectors' scope):
compensation and contacts tied to a case outside that scope are left out or shown without
their details, so the page never leaks a confidential case."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet, Sum

from resuelve.accounts import roles
from resuelve.accounts.roles import Role
from resuelve.complaints.models import Complaint
from resuelve.complaints.selectors import complaints_visible_to
from resuelve.core.text import fold
from resuelve.customers.models import (
    CONSENT_FIELDS,
    ConsentChange,
    Contact,
    ContactChannel,
    Customer,
    CustomerSample,
    Purchase,
    SampleMember,
    normalize_email,
)
from resuelve.customers.phones import significant_digits

if TYPE_CHECKING:
    from resuelve.accounts.models import User
    from resuelve.remedies.models import LedgerEntry

# Every staff role that works with customers. Human resources reads accountability records,
# not the customer base, so it has no customer pages.
CUSTOMER_READERS = frozenset(
    {Role.AGENT, Role.HANDLER, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN, Role.AUDITOR}
)
# Samples pick people for studies and invitations: a supervisor's decision; auditors read them.
SAMPLE_DRAWERS = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})
SAMPLE_READERS = SAMPLE_DRAWERS | {Role.AUDITOR}

# How much of a long history the customer page shows before "show all".
PAGE_CAP = 50


def may_see_customers(user: User) -> bool:
    return user.is_active and (user.is_superuser or user.role in CUSTOMER_READERS)


def may_change_consents(user: User) -> bool:
    return may_see_customers(user) and (user.is_superuser or user.role not in roles.READ_ONLY)


def may_see_samples(user: User) -> bool:
    return user.is_active and (user.is_superuser or user.role in SAMPLE_READERS)


def may_draw_samples(user: User) -> bool:
    return user.is_active and (user.is_superuser or user.role in SAMPLE_DRAWERS)


# --- search -----------------------------------------------------------------------------------


def customer_search_q(text: str) -> Q | None:
    """What a search box's text matches: an e-mail address exactly, a phone number by its
    significant digits, an external reference exactly, or a part of the name without case
    or accents. None for an empty search (everyone)."""
    text = text.strip()
    if not text:
        return None
    if "@" in text:
        return Q(email=normalize_email(text))
    q = Q(external_ref=text)
    phone = significant_digits(text)
    if phone and not any(c.isalpha() for c in text):
        q |= Q(phone_digits=phone)
    folded = fold(text)
    if folded:
        q |= Q(search_name__contains=folded)
    return q


def customer_search(*, q: str = "", page: int | str = 1, per_page: int = 25) -> Page:
    """A page of customers matching the search text, by name."""
    # By name: what the name index serves, so the first page of 100,000 customers is cheap.
    qs = Customer.objects.select_related("region").order_by("name", "pk")
    condition = customer_search_q(q)
    if condition is not None:
        qs = qs.filter(condition)
    return Paginator(qs, per_page).get_page(page)


# --- the customer page ------------------------------------------------------------------------


@dataclass
class ConsentRow:
    channel: str
    label: str
    granted: bool
    # Whether the customer has an address for the channel (consent alone does not reach them).
    reachable: bool
    changed_at: datetime | None
    history: list[ConsentChange] = field(default_factory=list)


@dataclass
class ContactRow:
    contact: Contact
    # False when the contact belongs to a case the viewer may not see: shown without details.
    case_visible: bool


@dataclass
class CustomerProfile:
    customer: Customer
    purchases: list[Purchase]
    purchases_total: int
    complaints: list[Complaint]
    complaints_total: int
    compensation: list[LedgerEntry]
    compensation_totals: list[tuple[str, Decimal]]
    consents: list[ConsentRow]
    contacts: list[ContactRow]
    contacts_total: int


def _capped(qs: QuerySet[Any], cap: int | None) -> tuple[list[Any], int]:
    if cap is None:
        rows = list(qs)
        return rows, len(rows)
    rows = list(qs[: cap + 1])
    if len(rows) <= cap:
        return rows, len(rows)
    return rows[:cap], qs.count()


def customer_consents(customer: Customer) -> list[ConsentRow]:
    """Each channel's consent now, with its history of changes, newest first."""
    changes: dict[str, list[ConsentChange]] = {}
    for change in ConsentChange.objects.filter(customer=customer).select_related("by"):
        changes.setdefault(change.channel, []).append(change)
    rows = []
    for channel, label in ContactChannel.choices:
        history = changes.get(channel, [])
        granted = bool(getattr(customer, CONSENT_FIELDS[channel]))  # type: ignore[index]
        rows.append(
            ConsentRow(
                channel=channel,
                label=str(label),
                granted=granted,
                reachable=_has_address(customer, channel),
                changed_at=history[0].at if history else None,
                history=history,
            )
        )
    return rows


def _has_address(customer: Customer, channel: str) -> bool:
    if channel == ContactChannel.EMAIL:
        return bool(customer.email)
    if channel == ContactChannel.LETTER:
        return bool(customer.address)
    return bool(customer.phone_digits or customer.phone)


def customer_compensation(
    *, customer: Customer, user: User
) -> tuple[list[LedgerEntry], list[tuple[str, Decimal]]]:
    """What the customer received on the cases the viewer may see, newest first, and the
    total per currency."""
    from resuelve.remedies.models import LedgerEntry

    visible = complaints_visible_to(user).filter(customer=customer).values("pk")
    entries = LedgerEntry.objects.filter(
        kind="compensation", customer=customer, complaint_id__in=visible
    )
    totals = [
        (row["currency"], row["total"])
        for row in entries.order_by("currency").values("currency").annotate(total=Sum("amount"))
    ]
    rows = list(entries.select_related("complaint", "item").order_by("-at", "-id"))
    return rows, totals


def customer_contacts(
    *, customer: Customer, user: User, cap: int | None = PAGE_CAP
) -> tuple[list[ContactRow], int]:
    qs = (
        Contact.objects.filter(customer=customer)
        .select_related("by", "complaint")
        .order_by("-at", "-id")
    )
    contacts, total = _capped(qs, cap)
    case_ids = {c.complaint_id for c in contacts if c.complaint_id is not None}
    visible = (
        set(complaints_visible_to(user).filter(pk__in=case_ids).values_list("pk", flat=True))
        if case_ids
        else set()
    )
    rows = [
        ContactRow(contact=c, case_visible=c.complaint_id is None or c.complaint_id in visible)
        for c in contacts
    ]
    return rows, total


def customer_profile(*, customer: Customer, user: User, show_all: bool = False) -> CustomerProfile:
    """Everything the customer page shows, scoped to what `user` may see. Long lists are cut
    at PAGE_CAP rows unless `show_all`."""
    cap = None if show_all else PAGE_CAP
    purchases, purchases_total = _capped(
        Purchase.objects.filter(customer=customer)
        .select_related("product", "branch")
        .order_by("-purchased_on", "-id"),
        cap,
    )
    complaints, complaints_total = _capped(
        complaints_visible_to(user)
        .filter(customer=customer)
        .select_related("department")
        .order_by("-received_at", "-id"),
        cap,
    )
    compensation, totals = customer_compensation(customer=customer, user=user)
    contacts, contacts_total = customer_contacts(customer=customer, user=user, cap=cap)
    return CustomerProfile(
        customer=customer,
        purchases=purchases,
        purchases_total=purchases_total,
        complaints=complaints,
        complaints_total=complaints_total,
        compensation=compensation,
        compensation_totals=totals,
        consents=customer_consents(customer),
        contacts=contacts,
        contacts_total=contacts_total,
    )


# --- samples ----------------------------------------------------------------------------------


def sample_list() -> QuerySet[CustomerSample]:
    return CustomerSample.objects.select_related("created_by").order_by("-created_at", "-id")


def sample_members(sample: CustomerSample) -> QuerySet[SampleMember]:
    return (
        SampleMember.objects.filter(sample=sample)
        .select_related("customer__region")
        .order_by("position")
    )
