"""The demo's incident (seed 002's story): a supplier's lot reaches customers in every region,
and in the last two days each region sees a few complaints about it, each looking isolated;
one customer writes of smoke and a small fire. The scan turns them into one alert for the lot
and one for the serious words. Idempotent."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from resuelve.complaints import services
from resuelve.customers.models import Branch, Customer, Product, Purchase

LOT = "LOTE-2611"
PER_BRANCH = 3
TEXTS = (
    ("El cargador portátil dejó de cargar", "El cargador que compré hace un mes ya no carga la batería del carro."),
    ("Cargador recalienta", "El cargador se calienta mucho a los pocos minutos y se apaga solo."),
    ("Cargador defectuoso", "El cargador nuevo no enciende; la luz parpadea en rojo."),
)  # fmt: skip
SERIOUS = (
    "El cargador echó humo",
    "Anoche el cargador empezó a echar humo y hubo un pequeño incendio en el garaje.",
)


def ensure_demo_incident(now: datetime) -> int:
    if Purchase.objects.filter(batch=LOT).exists():
        return 0
    product = (
        Product.objects.filter(supplier__isnull=False, is_service=False).order_by("id").first()
    )
    branches = {}
    for branch in Branch.objects.select_related("region").order_by("id"):
        branches.setdefault(branch.region_id, branch)  # one branch per region
    customers = list(
        Customer.objects.exclude(email="").order_by("id")[: PER_BRANCH * len(branches)]
    )
    if product is None or not branches or not customers:
        return 0
    made = 0
    slots = [(b, i) for b in branches.values() for i in range(PER_BRANCH)]
    for index, ((branch, i), customer) in enumerate(zip(slots, customers, strict=False)):
        purchase = Purchase.objects.create(
            customer=customer, product=product, order_number=f"DEMO-{LOT}-{index + 1:03d}",
            branch=branch, purchased_on=(now - timedelta(days=30)).date(),
            amount=Decimal("350000"), batch=LOT,
        )  # fmt: skip
        subject, description = SERIOUS if index == 0 else TEXTS[i % len(TEXTS)]
        services.complaint_register(
            kind="complaint", channel="web", subject=subject, description=description,
            customer=customer, product=product, purchase=purchase, branch=branch,
            language=customer.language or "es",
            received_at=now - timedelta(hours=2 + 40 * index / len(slots)),
        )  # fmt: skip
        made += 1
    return made
