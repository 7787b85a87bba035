"""The scan with the real detector: a product that suddenly draws complaints becomes one
alert, with the complaints of the burst."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from resuelve.customers.models import Product, Purchase
from resuelve.earlywarning.jobs import earlywarning_scan
from resuelve.earlywarning.models import Alert, AlertKind
from resuelve.testing.fixtures import Clock, MakeComplaint

pytestmark = pytest.mark.django_db


def test_a_product_that_suddenly_draws_complaints_raises_one_alert(
    make_complaint: MakeComplaint, catalogue, clock: Clock
) -> None:
    pads, old_lot = catalogue["product"], catalogue["purchase"]
    other = Product.objects.create(sku="OIL-1", name="Engine oil")
    for days_ago in range(120, 3, -2):  # a steady trickle: the company's volume and the pads'
        make_complaint(
            product=other if days_ago % 4 else pads, received_at=clock() - timedelta(days=days_ago)
        )
    burst = []
    for hours_ago in (40, 34, 28, 22, 16, 10, 6, 2):
        purchase = Purchase.objects.create(
            customer=old_lot.customer, product=pads, order_number=f"PO-{hours_ago}",
            purchased_on=date(2025, 2, 1), amount=Decimal("90000"), batch="L-2025-09",
        )  # fmt: skip
        burst.append(
            make_complaint(
                product=pads,
                purchase=purchase,
                branch=catalogue["bogota"],
                received_at=clock() - timedelta(hours=hours_ago),
            )  # fmt: skip
        )

    earlywarning_scan()

    rises = list(Alert.objects.filter(kind=AlertKind.RISE))
    assert len(rises) == 1, [a.key for a in rises]
    assert ["product", str(pads.pk)] in rises[0].key
    assert set(rises[0].complaints.all()) == set(burst)
    assert earlywarning_scan()["rises"] == 0  # the next run refreshes it
    assert Alert.objects.filter(kind=AlertKind.RISE).count() == 1
