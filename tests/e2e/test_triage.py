"""Triage in a real browser: a complaint filed on the portal arrives routed and assigned with
its "why it went here"; its handler extends the deadline; a second complaint from the same
customer is flagged and merged; a supervisor reads the deadline compliance report. Every page
is checked with axe (WCAG 2.2 AA rules)."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import shoot
from tests.e2e.test_workspace import axe_violations, login

pytestmark = pytest.mark.e2e

CODE = re.compile(r"RS-[0-9A-Z]{5}-[0-9A-Z]{5}")


def file_on_portal(page, base: str, subject: str, description: str, email: str) -> str:
    page.goto(f"{base}/complain/")
    page.locator("input[name=kind][value=claim]").check()
    page.fill("#id_subject", subject)
    page.fill("#id_description", description)
    page.fill("#id_name", "Laura Quintero")
    page.fill("#id_email", email)
    page.check("#id_consent")
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    found = CODE.search(page.inner_text("body"))
    assert found, page.inner_text("body")
    return found.group(0)


def test_a_portal_complaint_is_routed_extended_merged_and_reported(browser, server) -> None:
    base = str(server["base"])
    customer = browser.new_context(locale="es-CO")
    portal = customer.new_page()
    first = file_on_portal(
        portal,
        base,
        "El vehículo llegó con un rayón en la puerta",
        "El camión de transporte entregó mi carro con un golpe y un rayón en la puerta.",
        "laura.q@example.com",
    )
    second = file_on_portal(
        portal,
        base,
        "Otra vez: rayón en la puerta del carro",
        "Les escribo de nuevo: el camión entregó el carro con un rayón en la puerta.",
        "laura.q@example.com",
    )
    customer.close()

    staff = browser.new_context(locale="es-CO", viewport={"width": 1280, "height": 900})
    page = staff.new_page()
    page.set_default_timeout(15_000)
    login(page, base, "jorge")  # logistics: transport problems go to him by the seeds' rule
    page.goto(f"{base}/staff/c/{first}/")
    why = page.locator("#routed").locator("xpath=..").inner_text()
    assert "Transporte y logística" in why and "Jorge Pérez" in why
    assert axe_violations(page) == []
    shoot(page, "case-routed-es")

    # The term cannot be met: extend it with the reasons; the customer is told.
    panel = page.locator("#deadline-panel").locator("xpath=..")
    panel.locator("summary").click()
    panel.locator("input[name$=amount]").fill("5")
    panel.locator("textarea[name$=reason]").fill("Esperamos el informe de la transportadora.")
    panel.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".flash-success").count() == 1, page.locator(".flash").inner_text()
    assert "Esperamos el informe de la transportadora." in page.locator(".timeline").inner_text()
    assert axe_violations(page) == []

    # The second complaint repeats the first: merge it in.
    duplicates = page.locator("#duplicates-h").locator("xpath=..")
    assert second in duplicates.inner_text()
    duplicates.locator("summary").first.click()
    form = duplicates.locator(f"form[data-merge='{second}']")
    form.locator("input[value=from_other]").check()
    form.locator("textarea[name=reason]").fill("La misma entrega, escrita dos veces.")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/staff/c/{first}/")
    assert "Les escribo de nuevo" in page.locator(".timeline").inner_text()
    assert axe_violations(page) == []
    shoot(page, "case-merged-es")

    staff.close()
    staff = browser.new_context(locale="en", viewport={"width": 1280, "height": 900})
    page = staff.new_page()
    login(page, base, "diego")  # supervisor of logistics and sales, reads English
    page.goto(f"{base}/staff/deadlines/compliance/")
    assert "Deadline compliance" in page.locator("h1").inner_text()
    assert page.locator("table.queue tbody tr").count() >= 1
    assert axe_violations(page) == []
    shoot(page, "compliance-en")
    staff.close()
