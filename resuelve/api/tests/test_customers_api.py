"""PUT/GET /api/v1/customers/{external_ref} and /api/v1/purchases/{external_ref}."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from resuelve.accounts.models import User
from resuelve.accounts.roles import Role
from resuelve.accounts.tokens import token_create
from resuelve.customers.models import (
    Branch,
    ConsentChange,
    Customer,
    Product,
    Purchase,
    Region,
)
from resuelve.testing.fixtures import Clock

pytestmark = pytest.mark.django_db


class Sync:
    def __init__(self, client: Client, user: User) -> None:
        _row, token = token_create(user=user, name="erp")
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "en"}

    def put(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.put(
            f"/api/v1{path}", json.dumps(body), content_type="application/json", **self.headers
        )

    def get(self, path: str) -> Any:
        return self.client.get(f"/api/v1{path}", **self.headers)


@pytest.fixture
def erp(client: Client, manager: User) -> Sync:
    return Sync(client, manager)


ANA = {
    "name": "Ana Pérez",
    "email": "Ana@Example.com",
    "phone": "+57 300 123 4567",
    "language": "es",
    "tier": "gold",
    "member_since": "2020-01-15",
    "renewal_on": "2026-01-15",
    "birthday": "1985-06-30",
    "preferred_channel": "phone",
    "region": "Andina",
    "country": "co",
    "time_zone": "America/Bogota",
    "consent_sms": False,
    "quiet_from": "22:00",
    "quiet_until": "07:00",
    "contact_from": "09:00",
    "contact_until": "12:00",
    "contact_days": "12345",
}


def test_it_creates_then_updates_a_customer(erp: Sync, manager: User, clock: Clock) -> None:
    created = erp.put("/customers/C-1", ANA)
    assert created.status_code == 201, created.content
    assert created["Location"] == "/api/v1/customers/C-1"
    body = created.json()
    assert body["external_ref"] == "C-1" and body["email"] == "ana@example.com"
    assert body["tier"] == "gold" and body["region"] == "Andina" and body["country"] == "CO"
    assert body["quiet_from"] == "22:00" and body["consent_sms"] is False
    ana = Customer.objects.get(external_ref="C-1")
    assert ana.phone_digits == "3001234567" and ana.search_name == "ana perez"
    change = ConsentChange.objects.get()
    assert (change.channel, change.granted, change.source, change.by) == (
        "sms",
        False,
        "api",
        manager,
    )

    again = erp.put("/customers/C-1", ANA)
    assert again.status_code == 200 and again.json() == body
    assert ConsentChange.objects.count() == 1

    updated = erp.put("/customers/C-1", {"tier": "platino", "email": None, "consent_sms": True})
    assert updated.status_code == 200, updated.content
    ana.refresh_from_db()
    assert ana.tier == "platinum" and ana.email == "" and ana.consent_sms is True
    assert ana.name == "Ana Pérez" and ana.time_zone == "America/Bogota"  # left out: kept
    assert [c.granted for c in ConsentChange.objects.order_by("id")] == [False, True]
    assert erp.get("/customers/C-1").json() == updated.json()


def test_it_refuses_what_the_importer_refuses(erp: Sync) -> None:
    response = erp.put(
        "/customers/C-2",
        {
            "email": "not-an-address",
            "tier": "diamond",
            "time_zone": "Mars/Olympus",
            "quiet_from": "25:00",
            "contact_days": "89",
            "consent_email": None,
        },
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["email"] == ["“not-an-address” is not an e-mail address."]
    assert errors["tier"][0].startswith("Unknown membership tier “diamond”")
    assert errors["time_zone"][0].startswith("Unknown time zone “Mars/Olympus”")
    assert errors["quiet_from"][0].startswith("Cannot read the time “25:00”")
    assert errors["contact_days"][0].startswith("“89” is not a list of weekdays")
    assert errors["consent_email"] == ["This field cannot be empty."]
    assert not Customer.objects.exists()

    nameless = erp.put("/customers/C-2", {"email": "x@example.com"})
    assert nameless.status_code == 422
    assert nameless.json()["errors"] == {"name": ["This field is required."]}
    unknown = erp.put("/customers/C-2", {"name": "X", "shoe_size": 42})
    assert unknown.status_code == 422 and unknown.json()["errors"] == {
        "shoe_size": ["Unknown field."]
    }
    too_long = erp.put("/customers/" + "x" * 81, {"name": "X"})
    assert too_long.status_code == 422
    assert too_long.json()["errors"] == {
        "external_ref": ["Ensure this value has at most 80 characters."]
    }


def test_a_reference_may_hold_a_slash(erp: Sync) -> None:
    assert erp.put("/customers/2024/001", {"name": "Slash"}).status_code == 201
    assert erp.get("/customers/2024/001").json()["name"] == "Slash"
    assert erp.get("/customers/2024/002").status_code == 404


def test_an_unknown_reference_with_a_newline_is_a_json_404(erp: Sync) -> None:
    # Found by the schemathesis fuzz test: Django's `path` converter stops at a newline.
    response = erp.get("/customers/a%0Ab")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert erp.put("/customers/line%0Abreak", {"name": "x"})["Content-Type"].startswith(
        "application/json"
    )


@pytest.mark.parametrize("role", [Role.AGENT, Role.HANDLER, Role.AUDITOR, Role.HR])
def test_only_supervisors_managers_and_admins_write(client: Client, role: str) -> None:
    user = User.objects.create_user(username=f"u-{role}", password="x", role=role)
    response = Sync(client, user).put("/customers/C-1", {"name": "Ana"})
    assert response.status_code == 403
    assert "supervisors, managers and administrators" in response.json()["detail"]
    assert not Customer.objects.exists()


def test_readers_and_writers(client: Client, supervisor: User, agent: User, admin: User) -> None:
    assert Sync(client, supervisor).put("/customers/C-1", {"name": "Ana"}).status_code == 201
    assert Sync(client, admin).put("/customers/C-1", {"name": "Ana B"}).status_code == 200
    assert Sync(client, agent).get("/customers/C-1").json()["name"] == "Ana B"
    hr = User.objects.create_user(username="people", password="x", role=Role.HR)
    assert Sync(client, hr).get("/customers/C-1").status_code == 403
    anonymous = client.get("/api/v1/customers/C-1")
    assert anonymous.status_code == 401


def test_it_creates_and_updates_a_purchase(erp: Sync) -> None:
    ana = Customer.objects.create(name="Ana", external_ref="C-1")
    luis = Customer.objects.create(name="Luis", external_ref="C-2")
    Product.objects.create(sku="BRK-1", name="Brake pads")
    branch = Branch.objects.create(name="Bogotá Norte", region=Region.objects.create(name="A"))
    body = {
        "customer": "C-1",
        "product": "TYR-4",
        "product_name": "All-season tyres",
        "branch": "bogota norte",
        "purchased_on": "2025-02-14",
        "amount": "1200000.50",
        "batch": "L-7",
    }
    created = erp.put("/purchases/P-1", body)
    assert created.status_code == 201, created.content
    assert created.json() == {
        "external_ref": "P-1",
        "customer": "C-1",
        "product": "TYR-4",
        "product_name": "All-season tyres",
        "order_number": "P-1",
        "branch": "Bogotá Norte",
        "purchased_on": "2025-02-14",
        "amount": "1200000.50",
        "currency": "COP",
        "batch": "L-7",
    }
    purchase = Purchase.objects.get(external_ref="P-1")
    assert purchase.customer == ana and purchase.branch == branch
    assert erp.put("/purchases/P-1", body).status_code == 200

    moved = erp.put(
        "/purchases/P-1", {"customer": "C-2", "product": "BRK-1", "branch": None, "amount": 10}
    )
    assert moved.status_code == 200, moved.content
    purchase.refresh_from_db()
    assert purchase.customer == luis and purchase.product.sku == "BRK-1"
    assert purchase.branch is None and purchase.amount == Decimal("10.00")
    assert purchase.batch == "L-7"
    assert erp.get("/purchases/P-1").json()["customer"] == "C-2"


def test_a_purchase_is_refused_with_reasons(erp: Sync) -> None:
    Customer.objects.create(name="Ana", external_ref="C-1")
    missing = erp.put("/purchases/P-1", {"customer": "C-1"})
    assert missing.status_code == 422
    assert set(missing.json()["errors"]) == {"product", "purchased_on", "amount"}
    unknown = erp.put(
        "/purchases/P-1",
        {
            "customer": "C-9",
            "product": "NOPE",
            "branch": "Cali",
            "purchased_on": "2025-01-01",
            "amount": "5",
            "currency": "pe$",
        },
    )
    assert unknown.status_code == 422
    errors = unknown.json()["errors"]
    assert errors["currency"] == ["“pe$” is not a three-letter currency code (ISO 4217)."]
    fixed = erp.put(
        "/purchases/P-1",
        {
            "customer": "C-9",
            "product": "NOPE",
            "branch": "Cali",
            "purchased_on": "2025-01-01",
            "amount": "5",
        },
    )
    errors = fixed.json()["errors"]
    assert errors["customer"][0].startswith("No customer with the external reference “C-9”")
    assert errors["product"][0].startswith("No product with the SKU “NOPE”")
    assert errors["branch"] == ["No branch called “Cali”."]
    negative = erp.put("/purchases/P-1", {"amount": "-1"})
    assert negative.status_code == 422 and "amount" in negative.json()["errors"]
    assert not Purchase.objects.exists() and not Product.objects.exists()
