"""Early warning in a real browser: a quality supervisor opens the alert a serious complaint
raised, reads its complaints by region, opens an improvement action from it and starts a
remedy campaign for the product."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import _resuelve, shoot
from tests.e2e.test_workspace import axe_violations, login

pytestmark = pytest.mark.e2e

SERIOUS_CASE = (
    "from resuelve.complaints import services\n"
    "from resuelve.customers.models import Branch, Product\n"
    "from resuelve.earlywarning.jobs import earlywarning_scan\n"
    "from resuelve.earlywarning.models import Alert\n"
    "branch = Branch.objects.filter(region__isnull=False).order_by('id').first()\n"
    "product = Product.objects.order_by('id').first()\n"
    "c = services.complaint_register(kind='complaint', channel='web',"
    " subject='El cargador del carro hizo humo',"
    " description='Anoche el cargador empezó a echar humo y hubo un pequeño incendio en el garaje.',"
    " contact_name='Lucía Mora', contact_email='lucia@example.com', language='es',"
    " product=product, branch=branch, route=False)\n"
    "earlywarning_scan()\n"
    "a = Alert.objects.filter(complaints=c, kind='serious').get()\n"
    "print(f'{a.pk}|{branch.region.name}')"
)


def test_a_quality_supervisor_acts_on_a_serious_complaint_alert(browser, server) -> None:
    alert, region = (
        _resuelve(server["env"], "shell", "-c", SERIOUS_CASE).strip().splitlines()[-1].split("|")
    )
    base = server["base"]
    context = browser.new_context(locale="es-CO", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, base, "sofia")  # supervisor of quality, among others
    page.goto(f"{base}/staff/early-warning/")
    page.locator(f"a[href='/staff/early-warning/{alert}/']").first.click()
    page.wait_for_load_state()
    assert "incendio" in page.locator(".ew-terms").inner_text()
    assert page.locator(f"tr[data-region='{region}']").count() == 1  # by region
    shoot(page, "early-warning-alert-es-1280")
    assert axe_violations(page) == []

    # An improvement action from the alert.
    form = page.locator(f"form[action='/staff/early-warning/{alert}/action/']")
    form.locator("input[name$=title]").fill("Revisar los cargadores del lote")
    form.locator("select[name$=cause]").select_option(index=1)
    form.locator("select[name$=owner]").select_option(index=1)
    form.locator("input[name$=due_on]").fill("2027-01-15")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "/staff/improvements/" in page.url  # the new action, opened from the alert
    assert "Revisar los cargadores del lote" in page.content()
    page.goto(f"{base}/staff/early-warning/{alert}/")
    assert page.locator("[data-status='actioned']").count() == 1

    # A remedy campaign for the product, prefilled from the alert.
    with page.expect_navigation():
        page.locator("[data-campaign]").click()
    assert "/staff/campaigns/new/" in page.url and f"alert={alert}" in page.url
    assert page.locator("form.card").count() == 1
    shoot(page, "early-warning-campaign-es-1280")
    context.close()
