"""Satisfaction surveys in a real browser: a customer answers on a phone-sized screen with a
low score and "not solved"; the supervisor sees it in her follow-up view and on the case."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import _resuelve, shoot
from tests.e2e.test_workspace import axe_violations, login

pytestmark = pytest.mark.e2e

# A request of the service desk, answered and resolved through the complaints services, then
# surveyed; prints the tracking code and the path of the survey's private link.
RESOLVED_WITH_SURVEY = """
from django.urls import reverse
from resuelve.accounts.models import Department, User
from resuelve.complaints import services as s
from resuelve.complaints.models import Category
from resuelve.followup import services as f
sofia = User.objects.get(username='sofia')
c = s.complaint_register(channel='phone', kind='petition', subject='Cambio de fecha de la cita',
    description='Necesito mover la cita del taller al viernes.',
    contact_name='Lucía Gómez', contact_email='lucia@example.com', language='es', route=False)
c = s.complaint_acknowledge(complaint=c, actor=sofia)
c = s.complaint_assess(complaint=c, actor=sofia, established=True, reason='ok',
    category=Category.objects.get(code='atencion'))
c = s.complaint_assign(complaint=c, actor=sofia, department=Department.objects.get(code='atencion'),
    assignee=User.objects.get(username='ana'))
c = s.complaint_resolve(complaint=c, actor=sofia, summary='Cita movida al viernes.',
    answer='Su cita quedó para el viernes a las 9:00.')
survey = f.survey_create(complaint=c)
assert f.survey_send(survey=survey)
print(c.tracking_code)
print(reverse('followup_public:survey', args=[f.link_issue(survey=survey)]))
"""


def test_it_takes_a_low_score_from_a_phone_to_the_supervisor(browser, server) -> None:
    base = server["base"]
    lines = _resuelve(server["env"], "shell", "-c", RESOLVED_WITH_SURVEY)
    code, path = lines.strip().splitlines()[-2:]

    phone = browser.new_context(locale="es-CO", viewport={"width": 390, "height": 844})
    page = phone.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{base}{path}")
        assert page.locator("html").get_attribute("lang") == "es"
        assert page.locator("fieldset legend").count() == 5
        # The 0-10 scale wraps on the phone instead of overflowing the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shoot(page, "survey-phone")
        assert axe_violations(page) == []

        page.locator("label[for=id_csat_0]").click()  # 1: very dissatisfied
        page.locator("label[for=id_solved_1]").click()  # not solved
        page.locator("label[for=id_effort_1]").click()
        page.locator("label[for=id_nps_2]").click()
        page.locator("label[for=id_compared_1]").click()
        page.fill("#id_comment", "Me movieron la cita pero nadie me confirmó la hora.")
        assert page.locator("#id_nps_2").is_checked()
        page.locator("button.send").click()
        page.wait_for_load_state()
        page.wait_for_url(f"{base}{path}thanks/")
        assert page.locator("[role=status]").count() == 1
        shoot(page, "survey-phone-thanks")
        assert axe_violations(page) == []

        page.goto(f"{base}{path}")  # the link is single-use
        assert page.locator("h1").count() == 1
        assert page.locator("form.survey-form").count() == 0
    finally:
        phone.close()

    desk = browser.new_context(locale="es-CO", viewport={"width": 1280, "height": 900})
    staff = desk.new_page()
    staff.set_default_timeout(15_000)
    try:
        login(staff, base, "sofia")
        staff.goto(f"{base}/staff/followup/")
        task = staff.locator("li.task", has=staff.locator(f"a:text('{code}')"))
        assert task.count() == 1
        assert "nadie me confirmó la hora" in task.inner_text()
        assert staff.locator("tr[data-survey]", has=staff.locator(f"a:text('{code}')")).count() == 1
        shoot(staff, "survey-followup-supervisor")
        assert axe_violations(staff) == []

        staff.goto(f"{base}/staff/c/{code}/")
        panel = staff.locator("#survey")
        assert panel.locator("[data-survey-status=answered]").count() == 1
        assert panel.locator("li.task").count() == 1
        shoot(staff, "survey-case-panel")

        staff.goto(f"{base}/staff/followup/results/")
        assert staff.locator("#kpis [data-kpi=sent]").inner_text() != "0"
        shoot(staff, "survey-results")
        assert axe_violations(staff) == []

        staff.set_viewport_size({"width": 390, "height": 844})
        staff.goto(f"{base}/staff/followup/")
        shoot(staff, "survey-followup-phone")
        assert staff.evaluate("document.documentElement.scrollWidth") <= 390
        staff.goto(f"{base}/staff/followup/results/")
        shoot(staff, "survey-results-phone")
    finally:
        desk.close()
