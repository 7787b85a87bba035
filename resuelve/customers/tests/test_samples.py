"""Reproducible random samples of customers (seed 001): filters, exclusion of customers
contacted recently, the stored seed, and the staff pages that draw and download them."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from resuelve.accounts.models import User
from resuelve.customers.models import (
    Customer,
    CustomerSample,
    Product,
    Purchase,
    Region,
    Tier,
)
from resuelve.customers.samples import (
    normalize_filters,
    pick,
    sample_candidates,
    sample_draw,
    sample_redraw,
)
from resuelve.customers.services import consent_set
from resuelve.testing.fixtures import Clock

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NOW = datetime(2025, 6, 2, 15, 0, tzinfo=UTC)


def members(sample: CustomerSample) -> list[int]:
    return list(sample.members.order_by("position").values_list("customer_id", flat=True))


def draw(by: User | None = None, **kwargs: object) -> CustomerSample:
    kwargs.setdefault("name", "Study")
    kwargs.setdefault("filters", {})
    kwargs.setdefault("size", 10)
    kwargs.setdefault("exclude_contacted_days", 0)
    return sample_draw(by=by, now=NOW, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def crowd(db: None) -> list[Customer]:
    """Forty customers, none contacted, in two regions and all four tiers."""
    north = Region.objects.create(name="North")
    south = Region.objects.create(name="South")
    tiers = [Tier.NONE, Tier.SILVER, Tier.GOLD, Tier.PLATINUM]
    return [
        Customer.objects.create(
            name=f"Customer {i:02d}",
            email=f"c{i}@example.com",
            phone=f"300 000 {i:04d}",
            tier=tiers[i % 4],
            region=north if i % 2 else south,
            language="en" if i < 10 else "es",
        )
        for i in range(40)
    ]


def test_it_draws_the_same_members_in_the_same_order_with_the_same_seed(
    crowd: list[Customer], supervisor: User
) -> None:
    first = draw(supervisor, seed=12345)
    second = draw(supervisor, seed=12345)
    assert len(members(first)) == 10
    assert members(first) == members(second)
    assert members(draw(supervisor, seed=54321)) != members(first)
    assert [m.position for m in first.members.order_by("position")] == list(range(1, 11))


def test_it_redraws_a_stored_sample_from_its_filters_and_seed(
    crowd: list[Customer], supervisor: User
) -> None:
    sample = draw(supervisor, filters={"tiers": ["gold", "silver"]}, size=7)
    assert sample.seed is not None and sample.seed > 0  # generated and stored
    assert sample.filters == {"tiers": ["gold", "silver"]}
    assert sample.population == 20
    stored = CustomerSample.objects.get(pk=sample.pk)
    assert sample_redraw(stored) == members(stored)
    again = draw(supervisor, filters=stored.filters, size=stored.size, seed=stored.seed)
    assert members(again) == members(stored)


def test_it_does_not_depend_on_the_order_the_database_returns_candidates() -> None:
    ids = list(range(1, 500, 3))
    assert pick(ids, size=20, seed=7) == pick(list(reversed(ids)), size=20, seed=7)
    assert pick(ids, size=20, seed=7) != pick(ids, size=20, seed=8)
    assert sorted(pick(ids, size=1000, seed=7)) == ids  # asking too many gives everyone


def test_it_leaves_out_customers_contacted_recently(crowd: list[Customer]) -> None:
    recent, long_ago = crowd[0], crowd[1]
    Customer.objects.filter(pk=recent.pk).update(last_contact_at=NOW - timedelta(days=10))
    Customer.objects.filter(pk=long_ago.pk).update(last_contact_at=NOW - timedelta(days=40))
    sample = draw(size=100, exclude_contacted_days=30)
    chosen = members(sample)
    assert recent.pk not in chosen
    assert long_ago.pk in chosen
    assert sample.population == 39
    assert sample.filters == {"exclude_contacted_days": 30}
    # The moment of the draw is stored: a redraw later still counts back from it.
    assert sample_redraw(sample) == chosen
    assert recent.pk in members(draw(size=100, exclude_contacted_days=5))


def test_it_filters_by_tier_region_language_and_membership(crowd: list[Customer]) -> None:
    north = Region.objects.get(name="North")
    golds = sample_candidates(filters=normalize_filters({"tiers": ["gold"]}), now=NOW)
    assert golds == [c.pk for c in crowd if c.tier == Tier.GOLD]
    members_only = sample_candidates(filters=normalize_filters({"members_only": True}), now=NOW)
    assert members_only == [c.pk for c in crowd if c.tier != Tier.NONE]
    in_north = sample_candidates(filters=normalize_filters({"regions": [north.pk]}), now=NOW)
    assert in_north == [c.pk for c in crowd if c.region_id == north.pk]
    english = sample_candidates(filters=normalize_filters({"language": "en"}), now=NOW)
    assert english == [c.pk for c in crowd[:10]]
    both = normalize_filters({"language": "en", "tiers": ["platinum"], "regions": [north.pk]})
    assert sample_candidates(filters=both, now=NOW) == [crowd[3].pk, crowd[7].pk]


def test_it_filters_by_product_bought_by_id_or_sku(crowd: list[Customer]) -> None:
    brakes = Product.objects.create(sku="BRK-1", name="Brake pads")
    tyres = Product.objects.create(sku="TYR-4", name="Tyres")
    numbered = Product.objects.create(sku="1001", name="Numbered SKU")
    for customer, product in [(crowd[5], brakes), (crowd[6], tyres), (crowd[7], numbered)]:
        Purchase.objects.create(
            customer=customer,
            product=product,
            order_number=f"PO-{customer.pk}",
            purchased_on=date(2025, 1, 1),
            amount=1,
        )
    Purchase.objects.create(  # a second purchase does not count the customer twice
        customer=crowd[5],
        product=brakes,
        order_number="PO-x",
        purchased_on=date(2025, 2, 1),
        amount=1,
    )

    def bought(*products: object) -> list[int]:
        return sample_candidates(filters=normalize_filters({"products": list(products)}), now=NOW)

    assert bought("BRK-1") == [crowd[5].pk]
    assert bought(tyres.pk) == [crowd[6].pk]
    assert bought(str(tyres.pk), "BRK-1") == [crowd[5].pk, crowd[6].pk]
    assert bought("1001") == [crowd[7].pk]  # an all-digit SKU is still found
    assert bought("NOPE") == []


def test_it_filters_by_last_contact_dates(crowd: list[Customer]) -> None:
    Customer.objects.filter(pk=crowd[0].pk).update(
        last_contact_at=datetime(2025, 1, 15, 15, tzinfo=UTC)
    )
    Customer.objects.filter(pk=crowd[1].pk).update(
        last_contact_at=datetime(2025, 3, 15, 15, tzinfo=UTC)
    )
    after = normalize_filters({"contacted_after": date(2025, 3, 1)})
    assert sample_candidates(filters=after, now=NOW) == [crowd[1].pk]
    before = normalize_filters({"contacted_before": "2025-03-01"})
    # Never contacted counts as "not contacted since".
    assert sample_candidates(filters=before, now=NOW) == [
        c.pk for c in crowd if c.pk != crowd[1].pk
    ]
    between = normalize_filters({"contacted_after": "2025-01-01", "contacted_before": "2025-02-01"})
    assert sample_candidates(filters=between, now=NOW) == [crowd[0].pk]


def test_it_keeps_only_customers_who_consent_on_a_channel(crowd: list[Customer]) -> None:
    consent_set(customer=crowd[0], channel="email", granted=False, source="staff")
    Customer.objects.filter(pk=crowd[1].pk).update(email="")
    emailable = sample_candidates(filters=normalize_filters({"consent_channel": "email"}), now=NOW)
    assert crowd[0].pk not in emailable
    assert crowd[1].pk not in emailable  # consents, but has no address
    assert len(emailable) == 38
    letters = sample_candidates(filters=normalize_filters({"consent_channel": "letter"}), now=NOW)
    assert letters == []  # nobody has a postal address


def test_it_refuses_bad_filters_and_sizes(crowd: list[Customer]) -> None:
    with pytest.raises(ValidationError):
        draw(filters={"tiers": ["diamond"]})
    with pytest.raises(ValidationError):
        draw(filters={"colour": "blue"})
    with pytest.raises(ValidationError):
        draw(filters={"consent_channel": "pigeon"})
    with pytest.raises(ValidationError):
        draw(size=0)
    with pytest.raises(ValidationError):
        draw(name="  ")
    assert CustomerSample.objects.count() == 0


def test_it_lets_only_supervisors_and_above_draw(
    crowd: list[Customer], agent: User, handler: User, auditor: User, manager: User
) -> None:
    for user in (agent, handler, auditor):
        with pytest.raises(PermissionDenied):
            draw(user)
    assert CustomerSample.objects.count() == 0
    assert draw(manager).created_by == manager


# --- the pages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("agent", 403),
        ("handler", 403),
        ("supervisor", 200),
        ("manager", 200),
        ("admin", 200),
        ("auditor", 200),
    ],
)
def test_it_shows_samples_to_supervisors_and_auditors_only(
    client: Client, personas: dict[str, User], persona: str, status: int
) -> None:
    client.force_login(personas[persona])
    assert client.get(reverse("customers:samples"), **EN).status_code == status


def test_it_draws_a_sample_from_the_page(
    client: Client, crowd: list[Customer], supervisor: User, clock: Clock
) -> None:
    client.force_login(supervisor)
    response = client.post(
        reverse("customers:samples"),
        {
            "name": "Gold study",
            "purpose": "Q2 satisfaction",
            "size": "3",
            "tiers": ["gold"],
            "exclude_contacted_days": "30",
            "seed": "99",
            "products": "",
        },
        **EN,
    )
    sample = CustomerSample.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("customers:sample", kwargs={"pk": sample.pk})
    assert sample.seed == 99
    assert sample.created_by == supervisor
    assert sample.created_at == clock.current
    assert sample.filters == {"tiers": ["gold"], "exclude_contacted_days": 30}
    assert sample.population == 10
    page = client.get(response["Location"], **EN)
    text = page.content.decode()
    assert "Gold study" in text
    assert "3 drawn of 10 matching customers (3 asked)" in text
    for customer_id in members(sample):
        assert reverse("customers:detail", kwargs={"pk": customer_id}) in text
    # Drawing again with the stored seed from the form gives the same people.
    client.post(
        reverse("customers:samples"),
        {
            "name": "Again",
            "size": "3",
            "tiers": ["gold"],
            "exclude_contacted_days": "30",
            "seed": "99",
        },
        **EN,
    )
    assert members(CustomerSample.objects.get(name="Again")) == members(sample)


def test_it_shows_form_errors_without_drawing(
    client: Client, crowd: list[Customer], supervisor: User
) -> None:
    client.force_login(supervisor)
    response = client.post(reverse("customers:samples"), {"name": "", "size": "0"}, **EN)
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert CustomerSample.objects.count() == 0


def test_it_does_not_let_an_auditor_draw(
    client: Client, crowd: list[Customer], auditor: User
) -> None:
    client.force_login(auditor)
    page = client.get(reverse("customers:samples"), **EN)
    assert "Draw the sample" not in page.content.decode()
    response = client.post(reverse("customers:samples"), {"name": "x", "size": "3"}, **EN)
    assert response.status_code == 403
    assert CustomerSample.objects.count() == 0


def test_it_downloads_the_members_as_csv_with_todays_consents(
    client: Client, crowd: list[Customer], supervisor: User, auditor: User
) -> None:
    sample = draw(supervisor, size=5, seed=3)
    first = Customer.objects.get(pk=members(sample)[0])
    consent_set(customer=first, channel="email", granted=False, source="customer")
    client.force_login(auditor)
    response = client.get(reverse("customers:sample_csv", kwargs={"pk": sample.pk}), **EN)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Position", "Customer number", "External reference", "Name"]
    assert [int(r[1]) for r in rows[1:]] == members(sample)
    assert [r[0] for r in rows[1:]] == ["1", "2", "3", "4", "5"]
    email_column = rows[0].index("May be contacted by E-mail")
    assert rows[1][email_column] == "no"
    assert rows[2][email_column] == "yes"


def test_it_hides_the_csv_from_agents(client: Client, crowd: list[Customer], agent: User) -> None:
    sample = draw(size=2)
    client.force_login(agent)
    url = reverse("customers:sample_csv", kwargs={"pk": sample.pk})
    assert client.get(url, **EN).status_code == 403
    assert client.get(reverse("customers:sample", kwargs={"pk": sample.pk})).status_code == 403
