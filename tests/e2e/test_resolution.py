"""The investigation of a case in a real browser: the handler records it with evidence and
asks another department for input, that department answers from its requests page, a
manager records accountability and an improvement action, the auditor reads the actions;
each page checked with axe-core (WCAG 2.2 AA rules)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import _resuelve, shoot
from tests.e2e.test_workspace import PASSWORD, axe_violations

pytestmark = pytest.mark.e2e

FINDINGS = "Pastillas del lote L-2207 del proveedor con dureza fuera de norma."
ASK = "¿Qué lote de pastillas se montó en el mantenimiento?"
ANSWER = "Lote L-2207, montado el 3 de marzo."
MEASURE = "Recapacitación en recepción de repuestos."
ACTION = "Control de dureza en la recepción de pastillas"


def _investigating_case(env: dict[str, str]) -> str:
    """A case in `investigating` in quality, assigned to lucia, walked through the services."""
    return (
        _resuelve(
            env,
            "shell",
            "-c",
            "from resuelve.accounts.models import Department, User\n"
            "from resuelve.complaints import services\n"
            "from resuelve.complaints.models import Category\n"
            "s = User.objects.get(username='sofia')\n"
            "c = services.complaint_register(channel='phone', kind='claim',"
            " subject='Frenos con vibración', description='Vibran al frenar desde el cambio.',"
            " contact_name='Mateo Ríos', contact_email='mateo@example.com', language='es',"
            " route=False)\n"
            "c = services.complaint_acknowledge(complaint=c, actor=s)\n"
            "c = services.complaint_assess(complaint=c, actor=s, established=True, reason='ok',"
            " category=Category.objects.get(code='defecto-vehiculo'))\n"
            "c = services.complaint_assign(complaint=c, actor=s,"
            " department=Department.objects.get(code='calidad'),"
            " assignee=User.objects.get(username='lucia'))\n"
            "c = services.complaint_start_investigation(complaint=c, actor=s)\n"
            "print(c.tracking_code)",
        )
        .strip()
        .splitlines()[-1]
    )


def _as(browser, server, username: str):  # type: ignore[no-untyped-def]
    """A fresh browser context logged in as `username`."""
    context = browser.new_context(locale="es-CO", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    base = server["base"]
    page.goto(f"{base}/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/staff/")
    return context, page


def _open_all_details(page) -> None:  # type: ignore[no-untyped-def]
    """So axe checks the forms folded inside <details> too."""
    page.locator("details").evaluate_all("els => els.forEach(e => e.open = true)")


def _submit(form) -> None:  # type: ignore[no-untyped-def]
    form.locator("button[type=submit]").click()
    form.page.wait_for_load_state()
    page = form.page
    assert page.locator(".flash-error").count() == 0, page.locator(".flash").all_inner_texts()


def test_it_investigates_asks_another_department_and_records_the_lessons(browser, server) -> None:
    base = server["base"]
    code = _investigating_case(server["env"])
    case_url = f"{base}/staff/c/{code}/"

    # Lucía records the investigation with an evidence file and sees its term.
    lucia_context, lucia = _as(browser, server, "lucia")
    lucia.goto(case_url)
    panel = lucia.locator("section[aria-labelledby='investigation-h']")
    assert panel.locator("dl.facts time[datetime]").count() == 1  # the term, opened with the step
    panel.locator("details summary").first.click()
    form = panel.locator("form[action$='/investigation/']")
    form.locator("select[name='investigation-cause']").select_option(label="Proveedor")
    form.locator("select[name='investigation-responsible_department']").select_option(
        label="Gestión de calidad"
    )
    form.locator("textarea[name='investigation-findings']").fill(FINDINGS)
    form.locator("input[name='investigation-evidence']").set_input_files(
        files=[
            {
                "name": "medicion-dureza.txt",
                "mimeType": "text/plain",
                "buffer": b"Dureza medida: 62 HRB (norma 70-80 HRB)\n",
            }
        ]
    )
    _submit(form)
    facts = panel.locator("dl.facts").inner_text()
    assert "Proveedor" in facts and "Gestión de calidad" in facts and FINDINGS in facts
    assert panel.locator("dl.facts time[datetime]").count() == 1
    assert "medicion-dureza.txt" in lucia.locator("body").inner_text()
    # The history names what changed in the reader's words, not the fields' names.
    assert "responsible_department" not in panel.inner_text()

    # ... and asks the workshop for input.
    coop = lucia.locator("section[aria-labelledby='cooperation-h']")
    coop.locator("details summary").click()
    form = coop.locator("form")
    form.locator("select[name='coop-kind']").select_option(value="input")
    form.locator("select[name='coop-department']").select_option(label="Taller y posventa")
    form.locator("textarea[name='coop-note']").fill(ASK)
    _submit(form)
    assert coop.locator("ul.cooperation li").count() == 1
    assert ASK in coop.locator("ul.cooperation").inner_text()
    _open_all_details(lucia)
    shoot(lucia, "resolution-case-lucia-es")
    assert axe_violations(lucia) == []

    # Carlos sees the request on his department's page and answers it.
    carlos_context, carlos = _as(browser, server, "carlos")
    carlos.goto(f"{base}/staff/cooperation/")
    request = carlos.locator("section.resolution", has=carlos.locator(f"a.code:text-is('{code}')"))
    assert request.count() == 1
    assert ASK in request.inner_text()
    shoot(carlos, "resolution-cooperation-carlos-es")
    assert axe_violations(carlos) == []
    request.locator("textarea[name='answer']").fill(ANSWER)
    _submit(request.locator("form"))
    assert carlos.locator(f"a.code:text-is('{code}')").count() == 0
    carlos_context.close()

    # The answer is on the case for Lucía.
    lucia.goto(case_url)
    answer = lucia.locator("section[aria-labelledby='cooperation-h'] .answer")
    assert ANSWER in answer.inner_text()
    assert ANSWER in lucia.locator(".timeline").inner_text()

    # Elena records accountability and an improvement action linked to the case.
    elena_context, elena = _as(browser, server, "elena")
    elena.goto(case_url)
    acc = elena.locator("section[aria-labelledby='accountability-h']")
    acc.locator("details summary").click()
    form = acc.locator("form")
    form.locator("select[name='acc-kind']").select_option(value="caused")
    form.locator("select[name='acc-department']").select_option(label="Taller y posventa")
    form.locator("select[name='acc-person']").select_option(label="Carlos Ruiz")
    form.locator("textarea[name='acc-measure']").fill(MEASURE)
    _submit(form)
    assert MEASURE in acc.inner_text()

    elena.goto(f"{base}/staff/accountability/")
    assert elena.locator(f"table.resolution-table a.code:text-is('{code}')").count() == 1
    shoot(elena, "resolution-accountability-elena-es")
    assert axe_violations(elena) == []

    elena.goto(f"{base}/staff/improvements/")
    form = elena.locator("section[aria-labelledby='new-action'] form")
    form.locator("input[name='title']").fill(ACTION)
    form.locator("select[name='kind']").select_option(value="corrective")
    form.locator("select[name='cause']").select_option(label="Proveedor")
    form.locator("select[name='owner']").select_option(label="Lucía Martínez")
    form.locator("textarea[name='description']").fill("Medir la dureza de cada lote recibido.")
    form.locator("input[name='due_on']").fill("2031-06-30")
    form.locator("select[name='status']").select_option(value="open")
    _submit(form)
    assert elena.locator(f"table.resolution-table a:text-is('{ACTION}')").count() == 1
    assert axe_violations(elena) == []

    elena.goto(case_url)
    link = elena.locator("section[aria-labelledby='improvements-h']")
    link.locator("details summary").click()
    link.locator("select[name='link-action']").select_option(label=ACTION)
    _submit(link.locator("form"))
    link.locator(f"a:text-is('{ACTION}')").click()
    elena.wait_for_url(f"{base}/staff/improvements/*/")
    improvement_url = elena.url
    # The edit form's date inputs show the saved dates (they take ISO dates only).
    assert elena.locator("input[name='due_on']").input_value() == "2031-06-30"
    assert elena.locator(f"section[aria-labelledby='cases'] a.code:text-is('{code}')").count() == 1
    shoot(elena, "resolution-improvement-elena-es")
    assert axe_violations(elena) == []
    elena_context.close()

    # The auditor reads the improvement actions, and changes nothing.
    auditor_context, auditor = _as(browser, server, "auditor")
    auditor.goto(f"{base}/staff/improvements/")
    assert auditor.locator(f"table.resolution-table a:text-is('{ACTION}')").count() == 1
    assert auditor.locator("main form[method=post]").count() == 0
    shoot(auditor, "resolution-improvements-auditor-es")
    assert axe_violations(auditor) == []
    auditor.goto(improvement_url)
    assert auditor.locator("main form[method=post]").count() == 0
    assert axe_violations(auditor) == []
    auditor_context.close()

    # Human resources reads the entry and changes nothing (the demo has no HR user yet).
    _resuelve(
        server["env"],
        "shell",
        "-c",
        "from resuelve.resolution.demo import ensure_demo_hr\nensure_demo_hr()",
    )
    hr_context, hr = _as(browser, server, "marta")
    hr.goto(f"{base}/staff/accountability/")
    assert MEASURE in hr.locator("table.resolution-table").inner_text()
    assert axe_violations(hr) == []
    hr.goto(case_url)
    hr_panel = hr.locator("section[aria-labelledby='accountability-h']")
    assert MEASURE in hr_panel.inner_text() and hr_panel.locator("form").count() == 0
    hr_context.close()

    # Lucía never sees the accountability entry.
    lucia.goto(case_url)
    assert lucia.locator("section[aria-labelledby='accountability-h']").count() == 0
    assert MEASURE not in lucia.content()
    response = lucia.goto(f"{base}/staff/accountability/")
    assert response is not None and response.status == 403
    lucia_context.close()
