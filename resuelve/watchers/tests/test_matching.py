from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import State
from resuelve.customers.models import Branch, Customer, Product, Purchase, Region, Supplier
from resuelve.resolution.models import RootCause
from resuelve.resolution.services import investigation_record
from resuelve.watchers.matching import CaseFacts, matches, mentioned_usernames
from resuelve.watchers.selectors import case_facts


@dataclass
class F:
    product_id: int | None = None
    supplier_id: int | None = None
    category_id: int | None = None
    cause_id: int | None = None
    region_id: int | None = None
    tier: str = ""


FACTS = CaseFacts(product_id=1, supplier_id=2, category_id=3, cause_id=4, region_id=5, tier="gold")


@pytest.mark.parametrize(
    "name,value",
    [
        ("product_id", 1),
        ("supplier_id", 2),
        ("category_id", 3),
        ("cause_id", 4),
        ("region_id", 5),
        ("tier", "gold"),
    ],
)
def test_it_matches_by_each_filter_alone(name: str, value: object) -> None:
    assert matches(F(**{name: value}), FACTS)
    other = 99 if name != "tier" else "silver"
    assert not matches(F(**{name: other}), FACTS)
    assert not matches(F(**{name: value}), CaseFacts())  # the case lacks the value


def test_it_needs_every_filter_set_to_match() -> None:
    assert matches(F(category_id=3, tier="gold"), FACTS)
    assert not matches(F(category_id=3, tier="silver"), FACTS)
    assert not matches(F(product_id=1, supplier_id=7), FACTS)


def test_it_never_matches_a_watch_without_filters() -> None:
    assert not matches(F(), FACTS)
    assert not matches(F(), CaseFacts())


def test_it_reads_mentions_not_email_addresses() -> None:
    body = "Ask @hugo and @sara.t. Also @hugo again; write to ana@example.com, @omar!"
    assert mentioned_usernames(body) == ["hugo", "sara.t", "omar"]
    assert mentioned_usernames("no mention here, x@y") == []
    assert mentioned_usernames("") == []


@pytest.mark.django_db
def test_it_reads_the_facts_from_the_order_customer_and_investigation(
    make_complaint, manager: User, category
) -> None:
    north = Region.objects.create(name="North")
    south = Region.objects.create(name="South")
    acme = Supplier.objects.create(name="Acme")
    pads = Product.objects.create(sku="PAD-9", name="Pads", supplier=acme)
    gold = Customer.objects.create(name="Gil", email="gil@example.com", tier="gold", region=north)
    order = Purchase.objects.create(
        customer=gold,
        product=pads,
        order_number="PO-9",
        purchased_on=date(2025, 1, 2),
        amount=Decimal("1000"),
    )
    branch = Branch.objects.create(name="Centro", region=south)
    by_order = make_complaint(state=State.ASSIGNED, customer=gold, purchase=order)
    by_branch = make_complaint(contact_email="x@example.com", branch=branch, product=pads)
    cause = RootCause.objects.filter(active=True).first()
    assert cause is not None
    investigation_record(
        complaint=by_order,
        actor=manager,
        cause=cause,
        responsible_department=None,
        findings="Worn batch.",
    )

    facts = case_facts([by_order.pk, by_branch.pk])

    assert facts[by_order.pk] == CaseFacts(
        product_id=pads.pk,
        supplier_id=acme.pk,
        category_id=category.pk,
        cause_id=cause.pk,
        region_id=north.pk,  # the customer's region before the branch's
        tier="gold",
    )
    assert facts[by_branch.pk] == CaseFacts(
        product_id=pads.pk, supplier_id=acme.pk, region_id=south.pk
    )
