"""Solution plans in a real browser: an agent resolves a small claim alone within her limit;
a large one goes to the supervisor, who approves two plans side by side, and the customer
chooses one on the portal; delivery writes the compensation ledger."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import _resuelve, shoot
from tests.e2e.test_workspace import axe_violations, login, state_badge, step

pytestmark = pytest.mark.e2e

# A claim of the service desk, walked by the complaints services to investigating and
# assigned to ana; prints the tracking code and the path of the customer's private link.
INVESTIGATING = """
from resuelve.accounts.models import Department, User
from resuelve.complaints import services as s
from resuelve.complaints import tracking
from resuelve.complaints.models import Category
from django.urls import reverse
sofia = User.objects.get(username='sofia')
c = s.complaint_register(channel='phone', kind='claim', subject='{subject}',
    description='La factura llegó con un cobro que no reconozco.',
    contact_name='Camilo Rojas', contact_email='camilo@example.com', language='es', route=False)
c = s.complaint_acknowledge(complaint=c, actor=sofia)
c = s.complaint_assess(complaint=c, actor=sofia, established=True, reason='ok',
    category=Category.objects.get(code='atencion'))
c = s.complaint_assign(complaint=c, actor=sofia, department=Department.objects.get(code='atencion'),
    assignee=User.objects.get(username='ana'))
c = s.complaint_start_investigation(complaint=c, actor=sofia)
print(c.tracking_code)
print(reverse('intake:case', kwargs={{'code': c.tracking_code,
    'key': tracking.access_key(c.tracking_code)}}))
"""


def investigating_case(server, subject: str) -> tuple[str, str]:
    lines = _resuelve(server["env"], "shell", "-c", INVESTIGATING.format(subject=subject))
    code, path = lines.strip().splitlines()[-2:]
    return code, path


def plans(page) -> dict[int, str]:
    """The plans of the panel: number -> status."""
    rows = page.locator("#plans article[data-plan]").evaluate_all(
        "els => els.map(e => [e.dataset.plan, e.dataset.status])"
    )
    return {int(n): status for n, status in rows}


def no_error(page) -> None:
    assert page.locator(".flash-error").count() == 0, page.locator(".flash").all_inner_texts()


def draft_plan(page, items: list[tuple[str, str, str]], *, submit: bool, cost: str = "0") -> None:
    form = page.locator("form[data-plan-form]")
    details = form.locator("xpath=..")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    form.locator("[name='plan-purchase_value']").fill("0")
    form.locator("[name='plan-customer_cost']").fill(cost)
    for index, (kind, description, amount) in enumerate(items):
        form.locator(f"select[name='item-{index}-type']").select_option(kind)
        form.locator(f"[name='item-{index}-description']").fill(description)
        form.locator(f"[name='item-{index}-amount']").fill(amount)
    if submit:
        form.locator("button[name=submit]").click()
    else:
        form.locator("button[type=submit]:not([name])").click()
    page.wait_for_load_state()
    no_error(page)


def post(page, action: str) -> None:
    page.locator(f"#plans form[action$='/plans/{action}/'] button[type=submit]").click()
    page.wait_for_load_state()
    no_error(page)


def deliver_all(page) -> None:
    forms = page.locator("#plans form.fulfil")
    count = forms.count()
    assert count > 0
    for _ in range(count):
        form = page.locator("#plans form.fulfil").first
        form.locator("input[name='fulfil-note']").fill("Entregado")
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        no_error(page)
    assert page.locator("#plans form.fulfil").count() == 0


def ledger_entries(page, base: str) -> int:
    """The ledger's entry count, from the sum of the department table's "entries" column."""
    page.goto(f"{base}/staff/ledger/")
    cells = page.locator("section[aria-labelledby='by-department'] tbody td.num:first-of-type")
    return sum(int(text) for text in cells.all_inner_texts())


def customer_accepts(browser, server, path: str, *, option: int | None = None) -> None:
    context = browser.new_context(locale="es-CO", viewport={"width": 390, "height": 844})
    portal = context.new_page()
    portal.set_default_timeout(15_000)
    try:
        url = f"{server['base']}{path}"
        portal.goto(url)
        radios = portal.locator("input[name=proposal]")
        if option is None:
            assert radios.count() == 0
        else:
            assert radios.count() == 2
            assert axe_violations(portal) == []
            shoot(portal, "remedies-portal-options-es-390")
            portal.check(f"#option-{option}")
        portal.fill("#id_name", "Camilo Rojas")
        portal.check("#id_confirm")
        portal.click("form[action$='/accept/'] button")
        portal.wait_for_url(url)
        assert portal.locator(".stage-badge").inner_text() == "Solución aceptada"
    finally:
        context.close()


def test_an_agent_resolves_a_small_claim_alone_within_her_limit(page, browser, server) -> None:
    base = server["base"]
    code, path = investigating_case(server, "Cobro no reconocido en la factura")
    login(page, base, "ana")
    page.goto(f"{base}/staff/c/{code}/")
    assert page.locator("#plans h2").inner_text() == "Planes de solución"
    draft_plan(
        page,
        [
            ("refund", "Devolución del cobro no reconocido", "150000"),
            ("apology", "Carta de disculpas", "0"),
        ],
        submit=True,
    )
    # Within ana's limit (200,000): approved at once.
    assert plans(page) == {1: "approved"}
    assert page.locator("#plans article[data-plan='1']").get_attribute("data-total") == "150000"
    assert state_badge(page) == "Solución aprobada"
    assert axe_violations(page) == []
    shoot(page, "remedies-agent-approved-es")

    post(page, "offer")
    assert plans(page) == {1: "offered"}
    assert state_badge(page) == "Solución enviada al cliente"

    customer_accepts(browser, server, path)
    page.reload()
    assert plans(page) == {1: "chosen"}
    assert state_badge(page) == "Aceptado por el cliente"
    deliver_all(page)
    assert page.locator("#plans article[data-plan='1'] li.item.done").count() == 2
    shoot(page, "remedies-agent-delivered-es")
    step(page, "resolve", fill={"summary": "Cobro devuelto y disculpas enviadas."})
    assert state_badge(page) == "Resuelto"


def test_a_large_claim_goes_to_the_supervisor_and_the_customer_chooses(
    page, browser, server
) -> None:
    base = server["base"]
    code, path = investigating_case(server, "Vehículo entregado con la pintura rayada")
    login(page, base, "ana")
    page.goto(f"{base}/staff/c/{code}/")
    draft_plan(page, [("replacement", "Cambio de la puerta rayada", "900000")], submit=False)
    assert plans(page) == {1: "draft"}
    draft_plan(
        page,
        [
            ("repair", "Pintura completa en el taller", "600000"),
            ("credit", "Bono para el próximo mantenimiento", "100000"),
        ],
        submit=True,
    )
    # Above ana's limit: both wait for a supervisor, and ana may not decide them.
    assert plans(page) == {1: "pending_approval", 2: "pending_approval"}
    assert state_badge(page) == "Solución propuesta"
    assert page.locator("#plans form[action$='/plans/decide/']").count() == 0
    assert "Pendiente de aprobación" in page.locator("#plans").inner_text()
    shoot(page, "remedies-agent-waiting-es")
    page.context.clear_cookies()

    login(page, base, "sofia")
    page.goto(f"{base}/staff/c/{code}/")
    # Both plans in one panel, in order (side by side where the column is wide enough; the
    # panel sits in the case page's side column, so at 1280px they are stacked).
    boxes = [page.locator(f"#plans article[data-plan='{n}']").bounding_box() for n in (1, 2)]
    assert boxes[0]["y"] < boxes[1]["y"] or boxes[0]["x"] < boxes[1]["x"]
    assert axe_violations(page) == []
    shoot(page, "remedies-supervisor-decides-es")
    decide = page.locator("#plans form[action$='/plans/decide/']")
    decide.locator("input[name='decide-chosen'][value='1']").check()
    decide.locator("input[name='decide-chosen'][value='2']").check()
    decide.locator("[name='decide-comment']").fill("Ambas opciones caben en el presupuesto.")
    decide.locator("button[type=submit]").click()
    page.wait_for_load_state()
    no_error(page)
    assert plans(page) == {1: "approved", 2: "approved"}
    post(page, "offer")
    assert plans(page) == {1: "offered", 2: "offered"}
    assert state_badge(page) == "Solución enviada al cliente"

    customer_accepts(browser, server, path, option=2)
    page.reload()
    assert plans(page) == {1: "declined", 2: "chosen"}
    assert state_badge(page) == "Aceptado por el cliente"
    before = ledger_entries(page, base)
    page.goto(f"{base}/staff/c/{code}/")
    deliver_all(page)
    assert page.locator("#plans article[data-plan='2'] li.item.done").count() == 2
    assert axe_violations(page) == []
    shoot(page, "remedies-supervisor-delivered-es")

    assert ledger_entries(page, base) == before + 2
    assert page.locator("h1").inner_text() == "Libro de compensaciones"
    assert page.locator("section[aria-labelledby='by-department'] tbody tr").count() >= 1
    assert axe_violations(page) == []
    shoot(page, "remedies-ledger-es")


OFFER_TWO = """
from decimal import Decimal
from resuelve.accounts.models import User
from resuelve.complaints.models import Complaint
from resuelve.remedies import services as r
c = Complaint.objects.get(tracking_code='{code}')
ana = User.objects.get(username='ana')
for amount in ('120000', '80000'):
    r.proposal_create(complaint=c, actor=ana, customer_cost=Decimal('0'), purchase_value=Decimal('0'),
        items=[r.ItemInput(type='refund', description='Devolución', amount=Decimal(amount))])
r.proposal_submit(complaint=c, actor=ana)
r.proposals_offer(complaint=c, actor=ana)
print(c.state)
"""


def test_staff_record_the_customers_choice_told_by_phone(page, server) -> None:
    base = server["base"]
    code, _path = investigating_case(server, "Cobro duplicado del mantenimiento")
    _resuelve(server["env"], "shell", "-c", OFFER_TWO.format(code=code))
    login(page, base, "ana")
    page.goto(f"{base}/staff/c/{code}/")
    assert plans(page) == {1: "offered", 2: "offered"}
    form = page.locator("#plans form[data-plan-accept]")
    assert form.locator("input[name='accept-plan']").count() == 2
    assert axe_violations(page) == []
    shoot(page, "remedies-staff-accept-es")
    form.locator("input[name='accept-plan'][value='2']").check()
    form.locator("[name='accept-name']").fill("Camilo Rojas")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    no_error(page)
    assert plans(page) == {1: "declined", 2: "chosen"}
    assert state_badge(page) == "Aceptado por el cliente"
    assert "Camilo Rojas" in page.locator(".facts").first.inner_text()
