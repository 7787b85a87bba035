"""Watches in a real browser: a supervisor sets a watch on a category for her department;
the page is accessible at desktop and phone width; a mentioned colleague's panel shows on
the case page."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import _resuelve, shoot
from tests.e2e.test_workspace import axe_violations, login

pytestmark = pytest.mark.e2e

DEMO = """
from django.utils import timezone
from resuelve.watchers.demo import ensure_demo_watchers
from resuelve.watchers.models import Mention
ensure_demo_watchers(timezone.now())
m = Mention.objects.order_by('pk').first()
print(m.complaint.tracking_code if m else '')
"""


def test_a_supervisor_sets_a_department_watch_on_a_category(page, server) -> None:
    base = server["base"]
    login(page, base, "sofia")
    page.goto(f"{base}/staff/watchers/")
    assert page.locator("h1").inner_text()
    # Option labels are not translated yet: chosen by the department's name.
    owner = page.locator("#id_owner option", has_text="Gestión de calidad").get_attribute("value")
    page.select_option("#id_owner", value=owner)
    page.select_option("#id_category", label="Garantía")
    page.select_option("#id_mode", value="digest")
    page.check("#id_on_resolved")
    page.click("form[action='/staff/watchers/'] button[type=submit]")
    page.wait_for_url(f"{base}/staff/watchers/")
    assert page.locator(".flash-success").count() == 1
    item = page.locator("li.watch").filter(has_text="Garantía")
    assert item.count() == 1
    shoot(page, "watchers-list")
    assert axe_violations(page) == []

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/staff/watchers/")
    shoot(page, "watchers-list-phone")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert axe_violations(page) == []

    # Change it back to instant, then remove it.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/staff/watchers/")
    page.locator("li.watch").filter(has_text="Garantía").locator("a").click()
    page.select_option("#id_mode", value="instant")
    page.locator("form[action$='/'] button[type=submit]").last.click()
    page.wait_for_url(f"{base}/staff/watchers/")
    assert page.locator(".flash-success").count() == 1
    page.locator("li.watch").filter(has_text="Garantía").locator("button").click()
    page.wait_for_url(f"{base}/staff/watchers/")
    assert page.locator("li.watch").filter(has_text="Garantía").count() == 0


def test_a_mentioned_colleague_reads_the_case(page, server) -> None:
    base = server["base"]
    code = _resuelve(server["env"], "shell", "-c", DEMO).strip().splitlines()[-1]
    assert code
    login(page, base, "jorge")  # transport: the case is quality's
    page.goto(f"{base}/staff/watchers/")
    assert page.locator(f"a:has-text('{code}')").count() == 1
    page.click(f"a:has-text('{code}')")
    page.wait_for_url(f"{base}/staff/c/{code}/")
    assert page.locator("#watchers-h").count() == 1
    assert page.locator("[data-mention='jorge']").count() == 1
    shoot(page, "watchers-case-mention")
    assert axe_violations(page) == []
