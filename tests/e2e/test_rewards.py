"""Rewards in a real browser (A4): the manager rewards a customer's suggestion from the case
page and sees the reward fund's balance drop on the rewards page."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import SCREENSHOTS, _resuelve, shoot
from tests.e2e.test_workspace import axe_violations, login

pytestmark = pytest.mark.e2e

# A fund of 1,000,000 COP kept by elena and an acknowledged suggestion from a customer who
# accepts e-mail; prints the fund's key and the case's tracking code.
SETUP = """
from decimal import Decimal
from resuelve.accounts.models import User
from resuelve.complaints import services as s
from resuelve.remedies import reward_services as r
elena = User.objects.get(username='elena')
sofia = User.objects.get(username='sofia')
fund = r.reward_fund_create(name='Fondo e2e de ideas', currency='COP', actor=elena)
r.reward_fund_deposit(fund=fund, actor=elena, amount=Decimal('1000000'), note='e2e')
c = s.complaint_register(channel='web', kind='suggestion',
    subject='Citas del taller por internet',
    description='Sería más fácil pedir cita para el taller desde la página web.',
    contact_name='Julián Ortiz', contact_email='julian@example.com', language='es', route=False)
c = s.complaint_acknowledge(complaint=c, actor=sofia)
print(fund.pk)
print(c.tracking_code)
"""


def fund_balance(page, base: str, name: str) -> str:
    page.goto(f"{base}/staff/rewards/")
    return page.locator(f"article.fund[data-fund='{name}']").get_attribute("data-balance")


def test_a_manager_rewards_a_suggestion_and_the_fund_balance_drops(page, server) -> None:
    base = server["base"]
    fund, code = _resuelve(server["env"], "shell", "-c", SETUP).strip().splitlines()[-2:]
    login(page, base, "elena")
    assert fund_balance(page, base, "Fondo e2e de ideas") == "1000000"

    page.goto(f"{base}/staff/c/{code}/")
    panel = page.locator("#rewards")
    panel.locator("summary", has_text="Recompensar esta contribución").click()  # es-CO
    form = panel.locator("form[data-reward-form]")
    form.locator("select[name='reward-fund']").select_option(fund)
    form.locator("[name='reward-amount']").fill("150000")
    form.locator("[name='reward-reason']").fill("La idea de las citas por internet se adoptó.")
    assert axe_violations(page) == []
    panel.screenshot(path=str(SCREENSHOTS / "rewards-case-form-es.png"))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".flash-error").count() == 0, page.locator(".flash").all_inner_texts()
    assert page.locator("#rewards li[data-reward='150000']").count() == 1
    assert page.locator("#rewards form[data-reward-form]").count() == 0  # one per contribution
    assert axe_violations(page) == []
    shoot(page, "rewards-case-es")
    page.set_viewport_size({"width": 390, "height": 844})
    panel.screenshot(path=str(SCREENSHOTS / "rewards-case-es-390.png"))
    page.set_viewport_size({"width": 1280, "height": 900})

    assert fund_balance(page, base, "Fondo e2e de ideas") == "850000"
    assert page.locator(f"tr[data-reward-case='{code}']").count() == 1
    assert axe_violations(page) == []
    shoot(page, "rewards-page-es")
    page.set_viewport_size({"width": 390, "height": 844})
    assert axe_violations(page) == []
    shoot(page, "rewards-page-es-390")
