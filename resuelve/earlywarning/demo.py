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
# What the lot's buyers write, each in their own language (the first buyer, a Spanish speaker,
# writes of smoke and fire).
TEXTS = {
    "es": (
        ("El cargador portátil dejó de cargar", "El cargador que compré hace un mes ya no carga la batería del carro."),
        ("Cargador recalienta", "El cargador se calienta mucho a los pocos minutos y se apaga solo."),
        ("Cargador defectuoso", "El cargador nuevo no enciende; la luz parpadea en rojo."),
    ),
    "en": (
        ("The portable charger stopped charging", "The charger I bought a month ago no longer charges the car battery."),
        ("Charger overheats", "The charger gets very hot after a few minutes and switches itself off."),
        ("Faulty charger", "The new charger does not turn on; its light blinks red."),
    ),
    "zh-hans": (
        ("便携充电器不充电了", "一个月前买的充电器已经不能给车的电池充电了。"),
        ("充电器过热", "充电器用几分钟就非常烫，然后自己关机。"),
        ("充电器有问题", "新充电器开不了机，指示灯一直闪红灯。"),
    ),
    "et": (
        ("Kaasaskantav laadija ei lae enam", "Kuu aega tagasi ostetud laadija ei lae enam auto akut."),
        ("Laadija kuumeneb üle", "Laadija läheb mõne minutiga väga kuumaks ja lülitub ise välja."),
        ("Vigane laadija", "Uus laadija ei lülitu sisse; tuli vilgub punaselt."),
    ),
}  # fmt: skip
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
    # The first buyer, who writes of the fire in Spanish, is a Spanish speaker.
    first = next((i for i, c in enumerate(customers) if (c.language or "es") == "es"), 0)
    if customers:
        customers.insert(0, customers.pop(first))
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
        language = customer.language if customer.language in TEXTS else "es"
        texts = TEXTS[language]
        subject, description = SERIOUS if index == 0 else texts[i % len(texts)]
        services.complaint_register(
            kind="complaint", channel="web", subject=subject, description=description,
            customer=customer, product=product, purchase=purchase, branch=branch,
            language="es" if index == 0 else language,
            received_at=now - timedelta(hours=2 + 40 * index / len(slots)),
        )  # fmt: skip
        made += 1
    return made
