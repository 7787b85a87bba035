"""The conduct check in a real browser: a reply that refuses flatly and doubts the customer is
held with its findings; the agent sends it anyway and the supervisor sees the override."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import _resuelve, shoot
from tests.e2e.test_remedies import investigating_case
from tests.e2e.test_workspace import axe_violations, login

pytestmark = pytest.mark.e2e

BAD = "Eso no es posible, usted miente."


def test_it_holds_a_flagged_reply_until_the_agent_sends_it_anyway(browser, server) -> None:
    base = server["base"]
    _resuelve(
        server["env"],
        "shell",
        "-c",
        "from resuelve.conduct.services import seed_conduct_rules; seed_conduct_rules()",
    )
    code, _path = investigating_case(server, "Cobro de la revisión de frenos")
    for width, name in ((1280, "desktop"), (390, "phone")):
        context = browser.new_context(  # type: ignore[attr-defined]
            viewport={"width": width, "height": 900}, locale="en-US"
        )
        page = context.new_page()
        login(page, base, "ana")
        page.goto(f"{base}/staff/c/{code}/")
        form = page.locator("form[data-step='reply']")
        form.locator("xpath=..").locator("summary").click()
        width_before = page.evaluate("document.documentElement.scrollWidth")
        form.locator("[name='reply-body']").fill(BAD)
        form.locator("button[type=submit]:not([name])").click()
        page.wait_for_load_state()
        findings = page.locator("form[data-step='reply'] .conduct")
        assert findings.is_visible()
        assert findings.locator("mark").first.inner_text().startswith("Eso no es posible")
        assert page.locator("form[data-step='reply'] [name='reply-body']").input_value() == BAD
        findings.scroll_into_view_if_needed()
        shoot(page, f"conduct-held-{name}")
        page.screenshot(path=f"screenshots/conduct-held-{name}-panel.png")  # the viewport
        wide = page.evaluate(
            "() => [...document.querySelectorAll('.case-side *')].filter(e => "
            "e.getBoundingClientRect().right > window.innerWidth + 1).slice(-12)"
            ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
        )
        assert axe_violations(page) == []
        if name == "phone":
            # Neither the open reply form nor the findings make the page wider than the phone.
            assert width_before <= 392
            assert page.evaluate("document.documentElement.scrollWidth") <= 392, wide
            context.close()
            break
        page.locator("button[name='conduct_override']").click()
        page.wait_for_load_state()
        assert page.locator(".conduct").count() == 0
        assert BAD in page.locator(".timeline").inner_text()
        context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")  # type: ignore[attr-defined]
    page = context.new_page()
    login(page, base, "sofia")
    page.goto(f"{base}/staff/conduct/")
    assert code in page.locator("main").inner_text()
    shoot(page, "conduct-overrides")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 390, "height": 900})
    shoot(page, "conduct-overrides-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
    context.close()
