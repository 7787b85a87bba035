"""Playbooks in a real browser: an agent opens a routine spare-parts case, ticks the steps of
its playbook, picks a reply template that comes in the customer's language, adds a sentence the
conduct check flags, rephrases, sends it and sees it in the timeline; an Estonian case shows the template that has no Estonian text as missing."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import SCREENSHOTS, _resuelve, shoot
from tests.e2e.test_workspace import axe_violations, login

pytestmark = pytest.mark.e2e

# The demo's playbooks, and a spare-parts case of the service desk assigned to ana and being
# investigated; prints its tracking code.
CASE = """
from django.utils import timezone
from resuelve.accounts.models import Department, User
from resuelve.conduct.services import seed_conduct_rules
seed_conduct_rules()
from resuelve.complaints import services as s
from resuelve.complaints.models import Category
from resuelve.guidance.demo import ensure_demo_guidance
ensure_demo_guidance(timezone.now())
sofia = User.objects.get(username='sofia')
c = s.complaint_register(channel='phone', kind='complaint', subject='{subject}',
    description='{description}', contact_name='{name}', contact_email='cliente@example.com',
    language='{language}', route=False)
c = s.complaint_acknowledge(complaint=c, actor=sofia)
c = s.complaint_assess(complaint=c, actor=sofia, established=True, reason='ok',
    category=Category.objects.get(code='repuestos'))
c = s.complaint_assign(complaint=c, actor=sofia, department=Department.objects.get(code='atencion'),
    assignee=User.objects.get(username='ana'))
c = s.complaint_start_investigation(complaint=c, actor=sofia)
print(c.tracking_code)
"""


# What an agent should not write: it doubts the customer's honesty (J2).
DOUBT = "Eso no es posible, usted miente."


def make_case(server, *, subject: str, description: str, name: str, language: str) -> str:
    script = CASE.format(subject=subject, description=description, name=name, language=language)
    return _resuelve(server["env"], "shell", "-c", script).strip().splitlines()[-1]


def no_error(page) -> None:
    assert page.locator(".flash-error").count() == 0, page.locator(".flash").all_inner_texts()


def test_it_follows_a_playbook_and_answers_with_a_template_in_the_customer_language(
    page, browser, server
) -> None:
    base = server["base"]
    code = make_case(
        server,
        subject="Me entregaron un filtro que no es",
        description="Pedí el filtro de aire del Sedán Andes y me dieron uno de otro modelo.",
        name="Camilo Rojas",
        language="es",
    )
    login(page, base, "ana")
    page.goto(f"{base}/staff/c/{code}/")
    panel = page.locator("#playbook")
    assert "Repuesto equivocado o defectuoso" in panel.locator("h2").inner_text()
    steps = panel.locator(".checklist li")
    assert steps.count() == 4

    for number in range(1, 5):
        page.locator(f"#playbook .checklist li[data-step='{number}'] button.tick").click()
        page.wait_for_load_state()
        no_error(page)
        assert (
            page.locator(f"#playbook .checklist li[data-step='{number}']").get_attribute("class")
            == "done"
        )
    assert page.locator("#playbook-progress").get_attribute("data-done") == "4"
    assert (
        "Ana Gómez" in page.locator("#playbook .checklist li[data-step='1'] .who-when").inner_text()
    )
    # Each tick is on the case's audit trail.
    assert page.locator(".timeline .event .reason", has_text="Verificar el pedido").count() >= 1

    template = page.locator("#playbook li[data-template='solucion-repuestos']")
    assert template.get_attribute("data-language") == "es"
    assert template.locator(".missing").count() == 0
    template.locator("button.use-template").click()
    reply = page.locator("form[data-step='reply'] textarea[name='reply-body']")
    assert reply.is_visible()
    text = reply.input_value()
    assert text.startswith("Hola, Camilo Rojas. Lamentamos el inconveniente con el repuesto.")
    assert code in text and "Ana Gómez" in text
    assert "{remedy}" in text  # no plan approved yet: the page said to fill it in by hand
    reply.fill(text.replace("{remedy}", "cambio del filtro sin costo, listo el jueves"))
    shoot(page, "guidance-case-1280")
    page.locator("#playbook").screenshot(path=str(SCREENSHOTS / "guidance-panel-1280.png"))
    assert axe_violations(page) == []

    # The agent adds a sentence of their own that doubts the customer: the conduct check
    # holds the reply, marks the sentence and suggests a better one; nothing is sent.
    final = reply.input_value()
    reply.fill(final + " " + DOUBT)
    page.locator("form[data-step='reply'] button[type=submit]:not([name])").click()
    page.wait_for_load_state()
    findings = page.locator("form[data-step='reply'] .conduct")
    assert findings.is_visible()
    assert DOUBT.split(",")[0] in findings.locator("mark").first.inner_text()
    assert findings.locator(".conduct-suggestion").count() >= 1
    assert page.locator(".timeline li.to-customer .body", has_text="cambio del filtro").count() == 0
    findings.scroll_into_view_if_needed()
    shoot(page, "guidance-conduct-flag-1280")
    assert axe_violations(page) == []

    # The agent rephrases (drops the sentence) and sends without overriding.
    held = page.locator("form[data-step='reply'] textarea[name='reply-body']")
    assert held.input_value().endswith(DOUBT)
    held.fill(final)
    page.locator("form[data-step='reply'] button[type=submit]:not([name])").click()
    page.wait_for_load_state()
    no_error(page)
    assert page.locator(".conduct").count() == 0
    sent = page.locator(".timeline li.to-customer .body").last
    assert "cambio del filtro sin costo, listo el jueves" in sent.inner_text()
    assert "Hola, Camilo Rojas." in sent.inner_text()
    assert DOUBT not in sent.inner_text()

    phone = browser.new_context(locale="es-CO", viewport={"width": 390, "height": 844})
    small = phone.new_page()
    login(small, base, "ana")
    small.goto(f"{base}/staff/c/{code}/#playbook")
    width = small.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    small.locator("#playbook").scroll_into_view_if_needed()
    shoot(small, "guidance-case-390")
    small.locator("#playbook").screenshot(path=str(SCREENSHOTS / "guidance-panel-390.png"))
    phone.close()


def test_it_shows_a_missing_translation_instead_of_another_language_silently(page, server) -> None:
    base = server["base"]
    code = make_case(
        server,
        subject="Vale varuosa",
        description="Tellisin õhufiltri, aga sain teise mudeli oma.",
        name="Mari Tamm",
        language="et",
    )
    login(page, base, "ana")
    page.goto(f"{base}/staff/c/{code}/")
    answer = page.locator("#playbook li[data-template='solucion-repuestos']")
    assert answer.get_attribute("data-language") == "et"
    assert answer.locator(".missing").count() == 0
    ask = page.locator("#playbook li[data-template='pedir-datos']")
    assert ask.get_attribute("data-language") == "es"
    assert ask.locator(".missing").is_visible()
    ask.locator("button.use-template").click()
    question = page.locator("form[data-step='wait'] textarea[name='wait-question']")
    assert question.input_value().startswith("Hola, Mari Tamm.")
    shoot(page, "guidance-missing-translation")
    page.locator("#playbook").screenshot(path=str(SCREENSHOTS / "guidance-panel-missing.png"))
    assert axe_violations(page) == []


def test_it_shows_the_playbook_report_to_a_supervisor(page, browser, server) -> None:
    base = server["base"]
    _resuelve(
        server["env"],
        "shell",
        "-c",
        "from django.utils import timezone\n"
        "from resuelve.guidance.demo import ensure_demo_guidance\n"
        "ensure_demo_guidance(timezone.now())",
    )
    login(page, base, "sofia")
    page.goto(f"{base}/staff/guidance/report/")
    assert page.locator("section[data-playbook]").count() == 3
    followed = page.locator(
        "section[data-playbook] tr[data-group='followed'] td[data-cell='cases']"
    )
    assert sum(int(n) for n in followed.all_inner_texts()) > 0  # the demo's cases
    shoot(page, "guidance-report-1280")
    assert axe_violations(page) == []
    phone = browser.new_context(locale="es-CO", viewport={"width": 390, "height": 844})
    small = phone.new_page()
    login(small, base, "sofia")
    small.goto(f"{base}/staff/guidance/report/")
    shoot(small, "guidance-report-390")
    phone.close()
