"""The early-warning pages: who opens them, what an alert page shows, and its buttons."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import State
from resuelve.earlywarning.jobs import earlywarning_scan
from resuelve.earlywarning.models import Alert, AlertStatus
from resuelve.resolution.models import ImprovementAction, RootCause
from resuelve.testing.fixtures import MakeComplaint

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def rise(make_complaint: MakeComplaint, catalogue, fake_detector, signal_for) -> Alert:
    product = catalogue["product"]
    for branch in ("bogota", "bogota", "barranquilla"):
        make_complaint(
            state=State.ASSESSED, product=product, purchase=catalogue["purchase"],
            branch=catalogue[branch],
        )  # fmt: skip
    make_complaint(state=State.ASSESSED, product=product, confidential=True)
    fake_detector.signals = [
        signal_for((("product", str(product.pk)),), (0, 1, 2, 3), expected=1.6)
    ]
    earlywarning_scan()
    return Alert.objects.get()


def test_the_quality_department_and_those_in_charge_open_the_pages_others_get_404(
    client: Client, rise: Alert, personas: dict[str, User]
) -> None:
    expected = {"agent": 404, "outsider": 404, "handler": 200, "supervisor": 200,
                "manager": 200, "admin": 200, "auditor": 200}  # fmt: skip
    for name, status in expected.items():
        client.force_login(personas[name])
        assert client.get("/staff/early-warning/", **EN).status_code == status, name
        assert client.get(f"/staff/early-warning/{rise.pk}/", **EN).status_code == status, name


def test_the_alert_page_says_what_rose_by_how_much_since_when_and_where(
    client: Client, rise: Alert, handler: User, catalogue
) -> None:
    client.force_login(handler)
    listing = client.get("/staff/early-warning/", **EN).content.decode()
    assert f'data-alert="{rise.pk}"' in listing and "Product: Ceramic pads" in listing

    html = client.get(f"/staff/early-warning/{rise.pk}/", **EN).content.decode()
    assert "Complaints rose" in html and "Product: Ceramic pads" in html
    assert "2025-03-01" in html and "× 2.5" in html  # 4 observed against 1.6 expected
    assert "would happen by chance about once in 1,000 times." in html  # p = 0.001
    regions = re.findall(r'data-region="([^"]+)"><th scope="row">[^<]+</th><td>(\d+)</td>', html)
    assert regions == [("Andina", "2"), ("Caribe", "1")]
    # The handler does not see the confidential complaint: three listed, one said hidden.
    assert len(re.findall(r'data-case="', html)) == 3
    assert "1 more complaint is outside what you may see." in html
    product = catalogue["product"].pk
    assert (
        f'href="/staff/campaigns/new/?alert={rise.pk}&amp;product={product}&amp;batch=L-2025-07"'
        in html
    )
    assert "Acknowledge" in html and "Dismiss" in html
    # Quality management keeps improvement actions: the quality handler may open one here.
    assert "data-no-action" not in html and 'name="due_on"' in html


def test_an_auditor_reads_the_alert_without_its_buttons(
    client: Client, rise: Alert, auditor: User
) -> None:
    client.force_login(auditor)
    html = client.get(f"/staff/early-warning/{rise.pk}/", **EN).content.decode()
    assert "Acknowledge" not in html and "data-campaign" not in html
    response = client.post(f"/staff/early-warning/{rise.pk}/acknowledge/", **EN)
    assert response.status_code == 404
    rise.refresh_from_db()
    assert rise.status == AlertStatus.OPEN


def test_the_buttons_acknowledge_dismiss_and_open_an_action(
    client: Client, rise: Alert, supervisor: User, handler: User
) -> None:
    client.force_login(supervisor)
    base = f"/staff/early-warning/{rise.pk}"
    assert 'name="due_on"' in client.get(f"{base}/", **EN).content.decode()
    client.post(f"{base}/acknowledge/", **EN)
    rise.refresh_from_db()
    assert rise.status == AlertStatus.ACKNOWLEDGED

    page = client.post(f"{base}/dismiss/", {"reason": ""}, follow=True, **EN)
    assert "Say why the alert is dismissed." in page.content.decode()

    cause = RootCause.objects.create(code="material", name="Material")
    response = client.post(
        f"{base}/action/",
        {"title": "Replace lot L-2025-07", "kind": "corrective", "cause": cause.pk,
         "owner": handler.pk, "due_on": date(2025, 4, 1).isoformat()},
        **EN,
    )  # fmt: skip
    action = ImprovementAction.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/staff/improvements/{action.pk}/"
    )
    assert action.complaints.count() == 4
    rise.refresh_from_db()
    assert rise.status == AlertStatus.ACTIONED


def test_a_serious_alert_on_a_confidential_case_is_not_listed_to_who_cannot_see_it(
    client: Client, make_complaint: MakeComplaint, handler: User, supervisor: User
) -> None:
    make_complaint(
        state=State.ASSESSED, confidential=True, subject="Intoxicación",
        description="Mi hijo terminó en el hospital.",
    )  # fmt: skip
    earlywarning_scan()
    alert = Alert.objects.get()
    client.force_login(handler)
    assert client.get(f"/staff/early-warning/{alert.pk}/", **EN).status_code == 404
    assert (
        f'data-alert="{alert.pk}"' not in client.get("/staff/early-warning/", **EN).content.decode()
    )
    client.force_login(supervisor)
    html = client.get(f"/staff/early-warning/{alert.pk}/", **EN).content.decode()
    assert "Serious words in a complaint" in html and "hospital" in html


def test_those_in_charge_scan_now_and_see_when_it_last_ran(
    client: Client, make_complaint: MakeComplaint, handler: User, auditor: User,
    django_capture_on_commit_callbacks,
) -> None:  # fmt: skip
    make_complaint(subject="Explosion", description="The battery exploded in my hand.")
    client.force_login(auditor)  # reads the alerts, does not run scans
    assert "Scan now" not in client.get("/staff/early-warning/", **EN).content.decode()
    assert client.post("/staff/early-warning/scan/", **EN).status_code == 404

    client.force_login(handler)
    page = client.get("/staff/early-warning/", **EN).content.decode()
    assert "No scan has run yet." in page and "Scan now" in page
    assert client.get("/staff/early-warning/scan/", **EN).status_code == 405
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post("/staff/early-warning/scan/", **EN)
    assert queued and response.status_code == 302  # the scan ran once queued (immediate backend)
    page = client.get(response["Location"], **EN).content.decode()
    assert "The scan is queued" in page
    assert "new rise alerts: 0 · new serious-word alerts: 1" in page
    assert Alert.objects.filter(kind="serious").count() == 1

    with django_capture_on_commit_callbacks(execute=True) as queued:
        again = client.post("/staff/early-warning/scan/", follow=True, **EN)
    assert not queued and "A scan was queued less than a minute ago." in again.content.decode()
