"""The complaints dashboard in a real browser, in Spanish and Chinese: headline figures, SVG
charts with a title, description and data table, a bar that opens the complaints behind it
(as many as it shows), no accessibility violations, and a phone layout without sideways
scrolling."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import _resuelve, shoot
from tests.e2e.test_workspace import axe_violations, login

pytestmark = pytest.mark.e2e


def switch_language(page, code: str) -> None:
    """The header's picker; for signed-in staff it changes the profile language."""
    with page.expect_navigation():
        page.locator("#lang-select").select_option(code)


@pytest.fixture
def spanish_afterwards(server):
    """The picker changes profiles; the other browser tests expect the demo's Spanish ones."""
    yield
    _resuelve(
        server["env"], "shell", "-c",
        "from resuelve.accounts.models import User\n"
        "User.objects.filter(username__in=['elena', 'sofia']).update(language='es')",
    )  # fmt: skip


@pytest.mark.parametrize("language", ["es", "zh-hans"])
def test_a_manager_reads_the_dashboard_and_drills_down(
    browser, server, spanish_afterwards, language: str
) -> None:
    base = server["base"]
    context = browser.new_context(locale="es-CO", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, base, "elena")
    page.goto(f"{base}/staff/analytics/")
    if language != "es":
        switch_language(page, language)
    assert page.locator("html").get_attribute("lang") == language
    received = page.locator("[data-kpi='1'] .an-kpi-value")
    total = int(re.sub(r"\D", "", received.inner_text()))
    assert total > 0  # the e2e demo's complaints of the last 12 months
    charts = page.locator("figure.chart svg")
    assert charts.count() >= 10
    for index in range(charts.count()):
        svg = charts.nth(index)
        labelled = (svg.get_attribute("aria-labelledby") or "").split()
        assert len(labelled) == 2, labelled
        assert all(page.locator(f"[id='{name}']").count() == 1 for name in labelled)
    shoot(page, f"dashboard-{language}-1280")
    assert axe_violations(page) == []

    # The "by kind" chart's first bar: its data-table number and its drill-down agree.
    kind_chart = page.locator("figure.chart").nth(1)
    kind_chart.locator("details summary").click()
    first_row = kind_chart.locator("table tbody tr").first
    shown = int(re.sub(r"\D", "", first_row.locator("td").first.inner_text()))
    first_row.locator("a").first.click()
    page.wait_for_load_state()
    assert int(page.locator("[data-total]").get_attribute("data-total")) == shown
    assert page.locator("tr[data-case]").count() == min(shown, 50)
    shoot(page, f"dashboard-drill-{language}")
    assert axe_violations(page) == []
    context.close()

    phone = browser.new_context(locale="es-CO", viewport={"width": 390, "height": 844})
    small = phone.new_page()
    login(small, base, "sofia")
    small.goto(f"{base}/staff/analytics/")
    if language != "es":
        switch_language(small, language)
    assert small.evaluate("document.documentElement.scrollWidth") <= 392
    shoot(small, f"dashboard-{language}-390")
    phone.close()
