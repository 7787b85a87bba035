"""The staff customer pages in a real browser: a supervisor finds a customer, opens the page,
withdraws a consent, and draws a reproducible random sample; every page is checked with
axe-core and looked at on a desktop and at phone width."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import _resuelve, shoot
from tests.e2e.test_workspace import axe_violations, login

pytestmark = pytest.mark.e2e

# A known customer with a history, made through the same services the product uses.
CUSTOMER = """
from datetime import date, time, timedelta
from decimal import Decimal
from django.utils import timezone
from resuelve.accounts.models import User
from resuelve.customers.models import Customer, Product, Purchase, Region
from resuelve.customers.services import consent_set, contact_record
region = Region.objects.order_by('name').first()
c = Customer.objects.create(name='NAME', email='ximena.nanez@example.com',
    phone='+57 311 222 3344', language='es', tier='gold', member_since=date(2019, 4, 2),
    renewal_on=date(2026, 4, 2), birthday=date(1988, 11, 23), region=region,
    time_zone='America/Lima', quiet_from=time(21), quiet_until=time(8),
    contact_from=time(9), contact_until=time(12), contact_days='12345',
    address='Calle 80 # 12-34, Bogotá')
product = Product.objects.order_by('pk').first()
for n, days in enumerate([400, 30]):
    Purchase.objects.create(customer=c, product=product, order_number=f'XN-{n}',
        purchased_on=timezone.localdate() - timedelta(days=days), amount=Decimal('1250000'))
sofia = User.objects.get(username='sofia')
contact_record(customer=c, channel='phone', kind='revisit', summary='Llamada de seguimiento: satisfecha.',
    by=sofia, at=timezone.now() - timedelta(days=200))
contact_record(customer=c, channel='email', kind='survey', summary='Encuesta de satisfacción enviada.',
    at=timezone.now() - timedelta(days=120))
consent_set(customer=c, channel='letter', granted=False, source='customer', note='Prefiere correo electrónico.')
print(c.pk)
"""


def make_customer(server, name: str) -> int:
    script = CUSTOMER.replace("NAME", name)
    return int(_resuelve(server["env"], "shell", "-c", script).strip().splitlines()[-1])


def no_error(page) -> None:
    assert page.locator(".flash-error").count() == 0, page.locator(".flash").all_inner_texts()


def test_it_finds_a_customer_withdraws_a_consent_and_draws_a_sample(page, server) -> None:
    base = server["base"]
    pk = make_customer(server, "Ximena Ñáñez Olarte")
    login(page, base, "sofia")

    page.goto(f"{base}/staff/customers/")
    assert axe_violations(page) == []
    page.fill("#id_q", "ximena nanez")  # without accents or case
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state()
    rows = page.locator("table.queue tbody tr")
    assert rows.count() == 1
    shoot(page, "customers-search")
    assert axe_violations(page) == []
    rows.first.locator("a").click()
    page.wait_for_url(f"{base}/staff/customers/{pk}/")
    assert page.locator("h1").inner_text() == "Ximena Ñáñez Olarte"
    assert page.locator("#purchases tbody tr").count() == 2
    assert page.locator("#contacts tbody tr").count() == 2
    # Newest first: the survey (120 days ago) before the revisit call (200 days ago).
    assert "Encuesta" in page.locator("#contacts tbody tr").first.inner_text()
    assert page.locator("#consents li[data-channel=letter] .badge.no").count() == 1
    assert axe_violations(page) == []
    shoot(page, "customers-detail")

    sms = page.locator("#consents li[data-channel=sms]")
    assert sms.locator(".badge.ok").count() == 1
    sms.locator("input[name=note]").fill("Pidió por teléfono no recibir mensajes de texto.")
    sms.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf".*/staff/customers/{pk}/(#consents)?$"))
    no_error(page)
    assert page.locator(".flash-success").count() == 1
    sms = page.locator("#consents li[data-channel=sms]")
    assert sms.locator(".badge.no").count() == 1
    sms.locator("details summary").click()
    assert "Pidió por teléfono" in sms.locator(".history").inner_text()
    assert axe_violations(page) == []
    shoot(page, "customers-consent-withdrawn")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert axe_violations(page) == []
    shoot(page, "customers-detail-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{base}/staff/customers/samples/")
    assert axe_violations(page) == []
    page.fill("#id_name", "Estudio de satisfacción oro")
    page.fill("#id_purpose", "Encuesta trimestral")
    page.fill("#id_size", "5")
    page.fill("#id_seed", "2025")
    page.fill("#id_exclude_contacted_days", "30")
    page.check("input[name=tiers][value=gold]")
    shoot(page, "customers-samples-form")
    page.click("form.sample-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/staff/customers/samples/\d+/$"))
    no_error(page)
    members = page.locator("table.queue tbody tr")
    assert members.count() == 5
    first_url = page.url
    names = members.locator("th a").all_inner_texts()
    assert axe_violations(page) == []
    shoot(page, "customers-sample")

    # The same seed and filters give the same people in the same order.
    page.goto(f"{base}/staff/customers/samples/")
    page.fill("#id_name", "Otra vez")
    page.fill("#id_size", "5")
    page.fill("#id_seed", "2025")
    page.fill("#id_exclude_contacted_days", "30")
    page.check("input[name=tiers][value=gold]")
    page.click("form.sample-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/staff/customers/samples/\d+/$"))
    assert page.url != first_url
    assert page.locator("table.queue tbody tr th a").all_inner_texts() == names

    with page.expect_download() as download:
        page.click("a[href$='/csv/']")
    assert download.value.suggested_filename.endswith(".csv")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert axe_violations(page) == []
    shoot(page, "customers-sample-390")
    page.goto(f"{base}/staff/customers/samples/")
    assert axe_violations(page) == []
    shoot(page, "customers-samples-390")


def test_it_shows_an_auditor_the_page_without_consent_forms(page, server) -> None:
    base = server["base"]
    pk = make_customer(server, "Auditada Pérez")
    login(page, base, "auditor")
    page.goto(f"{base}/staff/customers/{pk}/")
    assert page.locator("#consents li[data-channel]").count() == 5
    assert page.locator("#consents form").count() == 0
    assert axe_violations(page) == []
