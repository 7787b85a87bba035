"""An agent registers a phone call in a real browser: finds the caller by their number, fills
the form, reads out the tracking code; the page is checked with axe (WCAG 2.2 AA) in Spanish,
on a desktop and on a phone."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import _resuelve, shoot
from tests.e2e.test_workspace import axe_violations, login

pytestmark = pytest.mark.e2e

CASE_URL = re.compile(r".*/staff/c/(RS-[0-9A-Z]{5}-[0-9A-Z]{5})/$")


def demo_customer(server, ref: str) -> tuple[str, str]:
    """A demo customer's name and phone number as stored (e.g. +57 312 345 6789)."""
    out = _resuelve(
        server["env"],
        "shell",
        "-c",
        "from resuelve.customers.models import Customer\n"
        f"c = Customer.objects.get(external_ref='{ref}')\n"
        "print(c.name + '|' + c.phone)",
    )
    name, phone = out.strip().splitlines()[-1].split("|")
    return name, phone


def test_it_registers_a_phone_call_for_a_customer_found_by_phone(page, server) -> None:
    base = server["base"]
    name, phone = demo_customer(server, "demo-7")
    login(page, base, "ana")
    page.click("main a.button[href='/staff/new/']")
    page.wait_for_url(f"{base}/staff/new/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.evaluate("document.activeElement.id") == "id_q"
    assert axe_violations(page) == []

    # The caller says their number without the country code and the spaces.
    page.fill("#id_q", re.sub(r"\D", "", phone)[-10:])
    card = page.locator("#lookup-results article.customer-card")
    card.first.wait_for()  # results appear while typing, without a page load
    assert card.count() == 1
    assert name in card.inner_text()
    assert page.locator("#lookup-status").inner_text() != ""
    assert axe_violations(page) == []
    shoot(page, "staff-new-lookup-es")

    card.locator("a.button").click()
    page.wait_for_url(re.compile(r".*/staff/new/\?customer=\d+.*"))
    assert name in page.locator(".customer-card.chosen").inner_text()
    assert page.locator("input[name=channel][value=phone]").is_checked()
    page.locator("input[name=kind][value=claim]").check()
    page.fill("#id_subject", "La batería no carga")
    page.fill(
        "#id_description", "Desde la semana pasada la batería se descarga de un día para otro."
    )
    page.fill("#id_remedy_requested", "Cambio de la batería")
    page.select_option("#id_purchase", index=1)
    # Ana can replace the battery herself (D2): the case stays hers instead of being routed.
    page.check("#id_solve_on_the_spot")
    assert axe_violations(page) == []
    shoot(page, "staff-new-filled-es")

    page.click("form.staff-complaint button[type=submit]")
    page.wait_for_url(CASE_URL)
    code = CASE_URL.match(page.url).group(1)  # type: ignore[union-attr]
    flash = page.locator(".flash-success").inner_text()
    assert code in flash
    assert code in page.locator("h1").inner_text()
    assert page.locator(".case-head .badges .badge").first.inner_text() == "Acuse de recibo enviado"
    timeline = page.locator(".timeline").inner_text()
    assert "Registrado" in timeline and "Ana Gómez" in timeline
    assert name in page.locator("#customer").locator("xpath=..").inner_text()
    assert "para resolverlo en el acto" in page.locator("#routed").locator("xpath=..").inner_text()
    shoot(page, "staff-new-registered-es")

    # Back and send again: the same form token registers nothing new.
    page.go_back()
    page.wait_for_load_state()
    if page.locator("form.staff-complaint #id_subject").input_value():
        page.click("form.staff-complaint button[type=submit]")
        page.wait_for_url(CASE_URL)
        assert CASE_URL.match(page.url).group(1) == code  # type: ignore[union-attr]


def test_a_call_the_agent_cannot_solve_is_routed_and_the_agent_told_where(page, server) -> None:
    base = server["base"]
    login(page, base, "ana")
    page.goto(f"{base}/staff/new/")
    page.fill("#id_name", "Rodrigo Salas")
    page.fill("#id_phone", "3157778899")
    page.locator("input[name=kind][value=claim]").check()
    page.fill("#id_subject", "El camión de transporte llegó tarde")
    page.fill("#id_description", "La entrega del vehículo llegó con una semana de retraso.")
    page.click("form.staff-complaint button[type=submit]")
    page.wait_for_load_state()
    flash = page.locator(".flash-success, .flash-info").all_inner_texts()
    assert any("Transporte y logística" in text for text in flash), flash
    assert axe_violations(page) == []
    shoot(page, "staff-new-routed-es")


def test_it_explains_what_is_missing_accessibly(page, server) -> None:
    base = server["base"]
    login(page, base, "ana")
    page.goto(f"{base}/staff/new/")
    page.click("form.staff-complaint button[type=submit]")
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert summary.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.locator("#id_subject").get_attribute("aria-invalid") == "true"
    assert axe_violations(page) == []
    shoot(page, "staff-new-errors-es")


def test_it_refuses_the_auditor(page, server) -> None:
    base = server["base"]
    login(page, base, "auditor")
    assert page.locator("a[href='/staff/new/']").count() == 0
    response = page.goto(f"{base}/staff/new/")
    assert response is not None and response.status == 403


def test_it_works_on_a_phone(browser, server) -> None:
    context = browser.new_context(
        locale="es-CO", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    base = server["base"]
    name, phone = demo_customer(server, "demo-11")
    login(page, base, "ana")
    page.goto(f"{base}/staff/new/?q={re.sub(r'[^0-9]', '', phone)}")
    assert name in page.locator("#lookup-results").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
    shoot(page, "staff-new-phone-es")
    page.locator("#lookup-results article.customer-card a.button").first.click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
    shoot(page, "staff-new-phone-chosen-es")
    context.close()
