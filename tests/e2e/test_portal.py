"""The public portal in a real browser, in each language: a customer files a complaint,
finds it again by tracking number and e-mail, replies, and accepts the proposed solution."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import _resuelve, shoot
from tests.e2e.test_workspace import axe_violations

pytestmark = pytest.mark.e2e

# What the customer sees in each language (checked against the catalogues, not guessed).
WORDS = {
    "es": {"send": "Enviar", "stage_new": "Recibido", "accept": "Aceptar la solución", "accepted": "Solución aceptada"},
    "en": {"send": "Send", "stage_new": "Received", "accept": "Accept the solution", "accepted": "Solution accepted"},
    "zh-hans": {"send": "发送", "stage_new": "已接收", "accept": "接受解决方案", "accepted": "已接受解决方案"},
    "et": {"send": "Saada", "stage_new": "Vastu võetud", "accept": "Nõustun lahendusega", "accepted": "Lahendusega nõustutud"},
}

WALK_TO_PROPOSAL = """
from decimal import Decimal
from resuelve.accounts.models import Department, User
from resuelve.complaints import services as s
from resuelve.complaints.models import Category, Complaint
c = Complaint.objects.get(tracking_code='{code}')
m = User.objects.get(username='elena')
c = s.complaint_assess(complaint=c, actor=m, established=True, reason='ok', category=Category.objects.get(code='taller'))
c = s.complaint_assign(complaint=c, actor=m, department=Department.objects.get(code='taller'))
c = s.complaint_start_investigation(complaint=c, actor=m)
c = s.complaint_propose_solution(complaint=c, actor=m, solution='{solution}', value=Decimal('120000'))
c = s.complaint_approve_solution(complaint=c, actor=m)
c = s.complaint_communicate(complaint=c, actor=m)
print(c.state)
"""


@pytest.mark.parametrize("language", ["es", "en", "zh-hans", "et"])
def test_a_customer_files_tracks_replies_and_accepts(browser, server, language) -> None:
    base = server["base"]
    words = WORDS[language]
    context = browser.new_context(locale=language, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{base}/")
        page.select_option("#lang-select", language)
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == language
        page.click("nav.portal-actions a[href='/complain/']")
        page.wait_for_url(f"{base}/complain/")
        assert axe_violations(page) == []
        page.check("input[name=kind][value=claim]")
        page.fill("#id_subject", f"Brakes squeak ({language})")
        page.fill("#id_description", "Since the service the brakes squeak when I stop.")
        page.fill("#id_remedy_requested", "Check them again.")
        page.fill("#id_name", "Test Customer")
        email = f"portal-{language}@example.com"
        page.fill("#id_email", email)
        page.select_option("#id_language", language)
        page.check("#id_consent")
        page.click("form.portal-form button[type=submit]")
        page.wait_for_url(re.compile(r".*/track/RS-[0-9A-Z]{5}-[0-9A-Z]{5}/[0-9a-f]{32}/$"))
        code = page.locator("h1 .code").inner_text()
        assert code in page.locator(".flash").inner_text()
        assert page.locator(".stage-badge").inner_text() == words["stage_new"]
        shoot(page, f"portal-case-{language}-390")
        assert axe_violations(page) == []

        # Find it again by code and e-mail, typed carelessly.
        page.goto(f"{base}/track/")
        page.fill("#id_code", code.lower().replace("-", " "))
        page.fill("#id_email", email.upper())
        page.click("form.portal-form button[type=submit]")
        page.wait_for_url(re.compile(rf".*/track/{code}/[0-9a-f]{{32}}/$"))
        private = page.url

        # Reply.
        page.fill("#id_body", "I forgot: it happens mostly in the morning.")
        page.click("form[action$='/reply/'] button[type=submit]")
        page.wait_for_url(private)
        assert "mostly in the morning" in page.locator("ol.conversation").inner_text()

        # The company proposes a solution; the customer accepts it.
        solution = "We replace the pads free of charge"
        _resuelve(server["env"], "shell", "-c", WALK_TO_PROPOSAL.format(code=code, solution=solution))
        page.goto(private)
        assert solution in page.locator("section.solution").inner_text()
        assert axe_violations(page) == []
        shoot(page, f"portal-proposal-{language}-390")
        page.fill("#id_name", "Test Customer")
        page.check("#id_confirm")
        assert page.locator("form[action$='/accept/'] button").inner_text() == words["accept"]
        page.click("form[action$='/accept/'] button")
        page.wait_for_url(private)
        assert page.locator(".stage-badge").inner_text() == words["accepted"]
    finally:
        context.close()


def test_the_suggestion_box_needs_no_contact_data(page, server) -> None:
    base = server["base"]
    page.goto(f"{base}/suggest/")
    assert page.locator("input[type=email]").count() == 0
    page.fill("#id_text", "Abran el taller los sábados.")
    page.click("form.portal-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Gracias"
    assert axe_violations(page) == []


def test_the_home_and_published_pages_pass_axe(page, server) -> None:
    base = server["base"]
    for path in ["/", "/track/", "/pages/how-to-complain/", "/pages/service-standards/", "/pages/privacy/"]:
        page.goto(f"{base}{path}")
        assert axe_violations(page) == [], path
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/complain/")
    shoot(page, "portal-file-es-390")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
