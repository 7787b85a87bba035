"""A product, its buyers and a drafted campaign for the campaign tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from resuelve.accounts.models import User
from resuelve.campaigns import services
from resuelve.campaigns.models import Campaign
from resuelve.customers.models import Customer, Product, Purchase

BuyFn = Callable[..., Customer]


@pytest.fixture(autouse=True)
def _quality_department(settings: Any) -> None:
    """The shared fixtures' quality department has the code "quality"."""
    settings.RESUELVE_QUALITY_DEPARTMENT = "quality"


@pytest.fixture
def heater(db: None) -> Product:
    return Product.objects.create(sku="HTR-9", name="Oil heater")


@pytest.fixture
def buy(heater: Product) -> BuyFn:
    """buy(name, batch="L1", **customer_fields): a customer who bought the heater."""
    counter = iter(range(1, 10_000))

    def make(
        name: str, *, batch: str = "L1", product: Product | None = None, **fields: Any
    ) -> Customer:
        n = next(counter)
        fields.setdefault("email", f"{name.lower()}@example.com")
        customer = Customer.objects.create(name=name, **fields)
        Purchase.objects.create(
            customer=customer,
            product=product or heater,
            order_number=f"SO-{n}",
            purchased_on=date(2025, 1, n % 28 + 1),
            amount=Decimal("250000"),
            batch=batch,
        )
        return customer

    return make


REMEDY = {
    "es": "Le cambiamos el termostato sin costo.",
    "en": "We replace the thermostat free of charge.",
}


@pytest.fixture
def draft(heater: Product, handler: User, clock: Any) -> Callable[..., Campaign]:
    def make(**overrides: Any) -> Campaign:
        kwargs: dict[str, Any] = {
            "actor": handler,
            "title": "Heater thermostat",
            "product": heater,
            "batch": "L1",
            "remedy_texts": dict(REMEDY),
            "remedy_kind": "repair",
            "unit_cost": Decimal("40000"),
            "currency": "COP",
        }
        kwargs.update(overrides)
        return services.campaign_create(**kwargs)

    return make


@pytest.fixture
def running(
    draft: Callable[..., Campaign], supervisor: User, handler: User
) -> Callable[..., Campaign]:
    """running(**draft_overrides): a campaign drafted by the handler, approved by the
    supervisor and started."""

    def make(**overrides: Any) -> Campaign:
        campaign = draft(**overrides)
        services.campaign_approve(campaign=campaign, actor=supervisor)
        return services.campaign_start(campaign=campaign, actor=handler)

    return make
