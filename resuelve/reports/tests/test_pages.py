"""The reports page: who may open it, the PDF download, and managing one's own
subscriptions."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from resuelve.accounts.models import Department, User
from resuelve.reports import services
from resuelve.reports.models import ReportSubscription

pytestmark = pytest.mark.django_db


def test_only_dashboard_readers_open_the_reports(client: Client, handler: User, auditor: User):
    client.force_login(handler)
    assert client.get(reverse("reports:index")).status_code == 404
    client.force_login(auditor)
    response = client.get(reverse("reports:index"))
    assert response.status_code == 200
    assert f'action="{reverse("reports:pdf")}"' in response.content.decode()


def test_the_pdf_downloads_as_an_attachment(client: Client, report_cases, manager: User):
    client.force_login(manager)
    response = client.get(reverse("reports:pdf"), {"month": "2025-02", "language": "en"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="resuelve-2025-02-en.pdf"'
    assert response.content.startswith(b"%PDF")


def test_building_reports_is_rate_limited_like_exports(
    client: Client, manager: User, monkeypatch: pytest.MonkeyPatch
):
    from resuelve.complaints import views_export

    monkeypatch.setattr(views_export, "EXPORTS_PER_WINDOW", 1)
    client.force_login(manager)
    query = {"month": "2025-02", "language": "en"}
    assert client.get(reverse("reports:pdf"), query).status_code == 200
    refused = client.get(reverse("reports:pdf"), query, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert "Please wait a few minutes" in refused.content.decode()


def test_a_supervisor_cannot_report_on_another_department(
    client: Client, supervisor: User, workshop: Department
):
    client.force_login(supervisor)
    response = client.get(
        reverse("reports:pdf"), {"month": "2025-02", "language": "en", "department": workshop.pk}
    )
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


def test_a_user_subscribes_pauses_and_deletes_their_own(client: Client, supervisor: User):
    client.force_login(supervisor)
    response = client.post(
        reverse("reports:subscribe"),
        {"kind": "summary", "frequency": "weekly", "language": "et", "department": ""},
    )
    assert response.status_code == 302
    (subscription,) = ReportSubscription.objects.filter(user=supervisor)
    assert (subscription.frequency, subscription.language) == ("weekly", "et")
    client.post(reverse("reports:toggle", args=[subscription.pk]))
    subscription.refresh_from_db()
    assert not subscription.active
    assert 'class="rp-off"' in client.get(reverse("reports:index")).content.decode()
    client.post(reverse("reports:delete", args=[subscription.pk]))
    assert not ReportSubscription.objects.filter(pk=subscription.pk).exists()


def test_the_pdf_report_cannot_be_daily(client: Client, supervisor: User):
    client.force_login(supervisor)
    response = client.post(
        reverse("reports:subscribe"),
        {"kind": "monthly_pdf", "frequency": "daily", "language": "es"},
    )
    assert response.status_code == 400
    assert not ReportSubscription.objects.exists()


def test_a_user_cannot_pause_or_delete_anothers_subscription(
    client: Client, supervisor: User, manager: User
):
    theirs = services.subscription_create(user=manager, kind="summary", frequency="daily")
    client.force_login(supervisor)
    assert client.post(reverse("reports:delete", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("reports:toggle", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.active
