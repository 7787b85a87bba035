"""Early-warning fixtures: the quality department is the personas' "quality", a product of a
supplier with a lot, two regions with a branch each, and a detector stand-in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest

from resuelve.customers.models import Branch, Customer, Product, Purchase, Region, Supplier
from resuelve.earlywarning import detector


@pytest.fixture(autouse=True)
def _quality_department(settings: Any) -> None:
    settings.RESUELVE_QUALITY_DEPARTMENT = "quality"


@pytest.fixture
def catalogue(db: None) -> dict[str, Any]:
    supplier = Supplier.objects.create(name="Frenos Andinos", contact_email="calidad@frenos.test")
    product = Product.objects.create(sku="PAD-9", name="Ceramic pads", supplier=supplier)
    customer = Customer.objects.create(name="Beto Buyer", email="beto@example.com", language="es")
    purchase = Purchase.objects.create(
        customer=customer, product=product, order_number="PO-77", purchased_on=date(2025, 2, 1),
        amount=Decimal("90000"), batch="L-2025-07",
    )  # fmt: skip
    andina = Region.objects.create(name="Andina")
    caribe = Region.objects.create(name="Caribe")
    return {
        "supplier": supplier,
        "product": product,
        "purchase": purchase,
        "bogota": Branch.objects.create(name="Bogotá Norte", region=andina),
        "barranquilla": Branch.objects.create(name="Barranquilla", region=caribe),
    }


class FakeDetector:
    """detect() returning the signals a test sets, and remembering what it was given."""

    def __init__(self) -> None:
        self.signals: list[detector.Signal] = []
        self.calls: list[tuple[pd.DataFrame, date, detector.Config]] = []

    def __call__(
        self, frame: pd.DataFrame, *, as_of: date, config: detector.Config
    ) -> list[detector.Signal]:
        self.calls.append((frame, as_of, config))
        return list(self.signals)


@pytest.fixture
def fake_detector(monkeypatch: pytest.MonkeyPatch) -> FakeDetector:
    fake = FakeDetector()
    monkeypatch.setattr(detector, "detect", fake)
    return fake


SignalFor = Callable[..., detector.Signal]


@pytest.fixture
def signal_for() -> SignalFor:
    def make(key: tuple[tuple[str, str], ...], rows: tuple[int, ...], **extra: Any) -> Any:
        values = {"since": date(2025, 3, 1), "observed": len(rows), "expected": 0.8,
                  "score": 4.2, "p_value": 0.001, "regions": ()}  # fmt: skip
        values.update(extra)
        return detector.Signal(key=key, rows=rows, **values)

    return make
