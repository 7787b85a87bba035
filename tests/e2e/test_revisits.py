"""The revisit programme in a real browser: Kadri, a specialist, works through today's calls
with the Estonian script, records a satisfied customer and a call back tomorrow at 10:00
(the customer's time), and sees her list update; a customer resting now has no call button."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.e2e.conftest import _resuelve, shoot
from tests.e2e.test_workspace import axe_violations, login

pytestmark = pytest.mark.e2e

# The demo programme (schedules, scripts, specialists, today's list), then three Estonian
# members of Tallinn given to Kadri today. Liis's quiet hours are set around the moment the
# test runs, so she is resting whenever it runs; the other two have none.
PREPARE = """
import json
from datetime import datetime, timedelta
from django.utils import timezone
from resuelve.accounts.models import User
from resuelve.customers import reach
from resuelve.customers.models import Customer
from resuelve.revisits.demo import ensure_demo_revisits
from resuelve.revisits.models import Revisit, Status
ensure_demo_revisits()
now = timezone.now()
here = reach.local(now, 'Europe/Tallinn')
kadri = User.objects.get(username='kadri')
ids = {}
for key, name, quiet in [('mari', 'Mari Tamm', False), ('jaan', 'Jaan Kask', False),
                         ('liis', 'Liis Puu', True)]:
    start = here - timedelta(hours=1)
    c = Customer.objects.create(
        name=name, email=key + '@example.ee', phone='+372 5555 01' + str(len(ids)),
        language='et', tier='gold', time_zone='Europe/Tallinn', country='EE',
        quiet_from=start.time().replace(second=0, microsecond=0) if quiet else None,
        quiet_until=(start + timedelta(hours=3)).time().replace(second=0, microsecond=0)
        if quiet else None)
    r = Revisit.objects.create(customer=c, reason='member', period_key='e2e-' + key,
        due_on=timezone.localdate(now), latest_on=timezone.localdate(now) + timedelta(days=5),
        status=Status.ASSIGNED, assigned_to=kadri, assigned_at=now, created_at=now)
    ids[key] = r.pk
print(json.dumps(ids))
"""

STATE = """
import json
from resuelve.customers import reach
from resuelve.revisits.models import Revisit
r = Revisit.objects.get(pk={pk})
at = reach.local(r.callback_at, r.customer.time_zone) if r.callback_at else None
print(json.dumps([r.status, r.outcome, at.strftime('%Y-%m-%d %H:%M') if at else '']))
"""


def _state(server, pk: int) -> list[str]:
    return json.loads(_resuelve(server["env"], "shell", "-c", STATE.format(pk=pk)).splitlines()[-1])


def _tomorrow_ten_tallinn() -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    here = datetime.now(ZoneInfo("Europe/Tallinn"))
    return (here + timedelta(days=1)).strftime("%Y-%m-%dT10:00")


def test_it_works_through_todays_calls_with_a_script(page, server) -> None:
    ids = json.loads(_resuelve(server["env"], "shell", "-c", PREPARE).strip().splitlines()[-1])
    base = server["base"]
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, base, "kadri")
    page.goto(f"{base}/staff/revisits/today/")

    mari = page.locator(f"li[data-revisit='{ids['mari']}']")
    liis = page.locator(f"li[data-revisit='{ids['liis']}']")
    assert mari.locator("a.button").count() == 1
    assert liis.locator("a").count() == 0  # resting: no call button, only when she is free
    assert "rv-quiet" in (liis.get_attribute("class") or "")
    shoot(page, "revisits-today-1280")
    assert axe_violations(page) == []

    # Mari: the script in Estonian beside a form that fits on one screen.
    mari.locator("a.button").click()
    page.wait_for_url(f"{base}/staff/revisits/{ids['mari']}/")
    script = page.locator("aside.rv-script")
    assert "Tere" in script.inner_text() and "Mari Tamm" in script.inner_text()
    assert script.locator(".rv-yes").is_visible() and script.locator(".rv-no").is_visible()
    record = page.locator("button[name=record]")
    box = record.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 800, box  # no scrolling needed
    assert page.evaluate("window.scrollY") == 0
    shoot(page, "revisits-form-1280")
    assert axe_violations(page) == []
    page.locator("input[name=channel][value=phone]").check()
    page.locator("input[name=outcome][value=satisfied]").check()
    page.fill("textarea[name=suggestions]", "Soovib hoolduse ajaks asendusautot.")
    record.click()
    page.wait_for_url(f"{base}/staff/revisits/today/")
    assert page.locator(".flash-success").count() == 1
    assert page.locator(f"li[data-revisit='{ids['mari']}']").count() == 0
    assert _state(server, ids["mari"])[:2] == ["done", "satisfied"]

    # Jaan asks to be called back tomorrow at 10:00, his time.
    page.locator(f"li[data-revisit='{ids['jaan']}'] a.button").click()
    page.wait_for_url(f"{base}/staff/revisits/{ids['jaan']}/")
    page.locator("input[name=outcome][value=callback]").check()
    page.fill("input[name=callback_at]", _tomorrow_ten_tallinn())
    page.locator("button[name=record]").click()
    page.wait_for_url(f"{base}/staff/revisits/today/")
    assert page.locator(".flash-success").count() == 1
    assert page.locator(f"li[data-revisit='{ids['jaan']}']").count() == 0  # tomorrow's list
    status, outcome, at = _state(server, ids["jaan"])
    assert (status, outcome) == ("scheduled", "callback")
    assert at == _tomorrow_ten_tallinn().replace("T", " ")
    shoot(page, "revisits-today-after")

    # Phone width: the list and the form reflow into one column.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/staff/revisits/today/")
    shoot(page, "revisits-today-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{base}/staff/revisits/{ids['liis']}/")
    shoot(page, "revisits-form-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []


def test_it_shows_the_supervisor_the_list_and_the_coverage(page, server) -> None:
    _resuelve(
        server["env"],
        "shell",
        "-c",
        "from resuelve.revisits.demo import ensure_demo_revisits; ensure_demo_revisits()",
    )
    base = server["base"]
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, base, "sofia")
    for path, name in [
        ("", "list"),
        ("coverage/", "coverage"),
        ("summary/", "summary"),
        ("archive/", "archive"),
    ]:
        page.goto(f"{base}/staff/revisits/{path}")
        assert page.locator("h1").count() == 1
        shoot(page, f"revisits-{name}-1280")
        assert axe_violations(page) == [], name
    page.set_viewport_size({"width": 390, "height": 844})
    for path, name in [("", "list"), ("archive/", "archive")]:
        page.goto(f"{base}/staff/revisits/{path}")
        shoot(page, f"revisits-{name}-390")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
