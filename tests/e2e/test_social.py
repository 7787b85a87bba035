"""The social channel in a real browser: a listening tool posts a signed public complaint to
the running server; the agent drafts a public reply, the strict conduct check stops a sentence
that doubts the customer (no "send anyway" here), the agent rephrases and asks for approval;
the supervisor approves it, marks it posted and sees the public-posts list."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest

from resuelve.social.contract import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature
from tests.e2e.conftest import SCREENSHOTS, _resuelve, shoot
from tests.e2e.test_workspace import axe_violations, login

pytestmark = pytest.mark.e2e

DOUBT = "Eso no es posible, usted miente."
GOOD = (
    "Hola, lamentamos mucho lo ocurrido con su pedido y gracias por contárnoslo. "
    "Le escribimos por mensaje privado para resolverlo hoy mismo."
)
ASSIGN = """
from resuelve.accounts.models import Department, User
from resuelve.complaints import services as s
from resuelve.complaints.lifecycle import State
from resuelve.complaints.models import Complaint
c = Complaint.objects.get(tracking_code='{code}')
sofia = User.objects.get(username='sofia')
if c.state == State.ACKNOWLEDGED:
    c = s.complaint_assess(complaint=c, actor=sofia, established=True, reason='pública')
s.complaint_assign(complaint=c, actor=sofia, department=Department.objects.get(code='atencion'),
    assignee=User.objects.get(username='ana'))
"""


def post_to_hook(server, post: dict) -> dict:
    secret = (
        _resuelve(
            server["env"],
            "shell",
            "-c",
            "from resuelve.social.models import SocialSource\n"
            "print(SocialSource.objects.get(code='x-autoandes').secret)",
        )
        .strip()
        .splitlines()[-1]
    )
    body = json.dumps(post).encode()
    stamp = str(int(time.time()))
    request = urllib.request.Request(
        f"{server['base']}/social/hook/x-autoandes/",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: stamp,
            SIGNATURE_HEADER: signature(secret, stamp, body),
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201
        return json.loads(response.read())


def test_a_public_post_is_answered_in_public_after_approval(browser, server) -> None:
    base = server["base"]
    got = post_to_hook(
        server,
        {
            "id": f"e2e-{time.time_ns()}",
            "text": "Pedí un filtro a @AutoandesCO hace dos semanas y nadie me dice nada.",
            "author": {"handle": "@camilo_r", "name": "Camilo Rojas"},
            "url": "https://x.example/camilo_r/status/1",
            "language": "es",
        },
    )
    code = got["tracking_code"]
    _resuelve(server["env"], "shell", "-c", ASSIGN.format(code=code))

    context = browser.new_context(locale="es-CO", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, base, "ana")
    page.goto(f"{base}/staff/c/{code}/")
    assert page.locator(".case-head .badge.public").is_visible()
    panel = page.locator("#social")
    assert "@camilo_r" in panel.inner_text()
    panel.locator("textarea[name='body']").fill(GOOD.split(".")[0] + ". " + DOUBT)
    panel.locator("form.social-draft button").click()
    page.wait_for_load_state()
    flags = page.locator("#social-flags")
    assert flags.is_visible()
    assert "Eso no es posible" in flags.locator("mark").first.inner_text()
    assert page.locator("button[name='conduct_override']").count() == 0  # strict: no override
    flags.scroll_into_view_if_needed()
    shoot(page, "social-flagged-1280")
    assert axe_violations(page) == []

    page.locator("#social textarea[name='body']").fill(GOOD)
    page.locator("#social form.social-draft button").click()
    page.wait_for_load_state()
    assert page.locator(".flash-error").count() == 0, page.locator(".flash").all_inner_texts()
    assert page.locator("#social .social-reply.status-pending").count() == 1
    assert page.locator("#social form.social-decide").count() == 0  # ana cannot approve
    context.close()

    context = browser.new_context(locale="es-CO", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, base, "sofia")
    page.goto(f"{base}/staff/social/")
    assert code in page.locator("main").inner_text()
    shoot(page, "social-watch-1280")
    assert axe_violations(page) == []
    page.goto(f"{base}/staff/c/{code}/")
    page.locator("#social form.social-decide button[value='approve']").click()
    page.wait_for_load_state()
    assert page.locator("#social .social-reply.status-approved").count() == 1
    page.locator("#social .social-reply.status-approved form button").click()
    page.wait_for_load_state()
    assert page.locator("#social .social-reply.status-posted").count() == 1
    page.locator("#social").scroll_into_view_if_needed()
    shoot(page, "social-case-1280")
    assert axe_violations(page) == []

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/staff/c/{code}/#social")
    page.locator("#social").screenshot(path=str(SCREENSHOTS / "social-panel-390.png"))
    page.goto(f"{base}/staff/social/")
    shoot(page, "social-watch-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
    context.close()
