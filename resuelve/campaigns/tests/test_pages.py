"""The campaign pages: who opens them, the new-campaign form prefilled from an alert, the
preview, approving and starting from the page, the members table and its filter."""

from __future__ import annotations

import pytest
from django.test import Client

from resuelve.accounts.models import User
from resuelve.campaigns import services
from resuelve.campaigns.models import Campaign, CampaignMember, CampaignStatus, MemberStatus
from resuelve.customers.models import Product

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_who_opens_the_campaign_pages(client: Client, personas: dict[str, User], draft) -> None:
    campaign = draft()
    expected = {
        "agent": 404, "outsider": 404, "handler": 200, "supervisor": 200,
        "manager": 200, "admin": 200, "auditor": 200,
    }  # fmt: skip
    for name, status in expected.items():
        client.force_login(personas[name])
        assert client.get("/staff/campaigns/", **EN).status_code == status, name
        assert client.get(f"/staff/campaigns/{campaign.pk}/", **EN).status_code == status, name


def test_the_auditor_reads_but_cannot_change(client: Client, auditor: User, draft) -> None:
    campaign = draft()
    client.force_login(auditor)
    html = client.get(f"/staff/campaigns/{campaign.pk}/", **EN).content.decode()
    assert "Heater thermostat" in html and f"/staff/campaigns/{campaign.pk}/approve/" not in html
    assert client.get("/staff/campaigns/new/", **EN).status_code == 403
    assert client.post(f"/staff/campaigns/{campaign.pk}/approve/", **EN).status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_a_quality_manager_starts_a_campaign_from_an_alert(
    client: Client, handler: User, supervisor: User, heater: Product, buy, clock
) -> None:
    from resuelve.earlywarning.models import Alert, key_text

    key = [["product", str(heater.pk)]]
    alert = Alert.objects.create(
        kind="rise", key=key, key_text=key_text(key), title="Heater", since=clock().date(),
        observed=9, created_at=clock(), last_seen_at=clock(),
    )  # fmt: skip
    buy("Ana", language="en")
    buy("Ben", consent_email=False)
    client.force_login(handler)
    page = client.get(f"/staff/campaigns/new/?alert={alert.pk}&product={heater.pk}&batch=L1", **EN)
    html = page.content.decode()
    assert page.status_code == 200 and f"From alert #{alert.pk}." in html
    assert 'value="L1"' in html and f'<option value="{heater.pk}" selected>' in html

    response = client.post(
        "/staff/campaigns/new/",
        {
            "title": "Heater thermostat", "product": heater.pk, "batch": "L1",
            "remedy_kind": "repair", "unit_cost": "40000", "currency": "cop", "alert": str(alert.pk),
            "remedy_es": "Le cambiamos el termostato.", "remedy_en": "We replace the thermostat.",
        },
        **EN,
    )  # fmt: skip
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and campaign.alert == alert
    assert list(alert.campaigns.all()) == [campaign]
    assert campaign.currency == "COP" and campaign.created_by == handler
    detail = client.get(f"/staff/campaigns/{campaign.pk}/", **EN).content.decode()
    assert f"From alert #{alert.pk}." in detail and "will be contacted" in detail
    assert "A supervisor or a manager other than its creator approves" in detail

    # The creator's approval is refused even when posted directly.
    client.post(f"/staff/campaigns/{campaign.pk}/approve/", **EN)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT

    client.force_login(supervisor)
    client.post(f"/staff/campaigns/{campaign.pk}/approve/", **EN)
    client.post(f"/staff/campaigns/{campaign.pk}/start/", **EN)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.RUNNING
    assert campaign.members.filter(status=MemberStatus.PENDING).count() == 1
    assert campaign.members.filter(status=MemberStatus.SKIPPED_CONSENT).count() == 1


def test_a_draft_without_the_company_language_text_is_refused(
    client: Client, handler: User, heater: Product
) -> None:
    client.force_login(handler)
    response = client.post(
        "/staff/campaigns/new/",
        {"title": "T", "product": heater.pk, "remedy_kind": "repair", "unit_cost": "0",
         "currency": "COP", "remedy_en": "Only English."},
        **EN,
    )  # fmt: skip
    assert response.status_code == 400 and not Campaign.objects.exists()
    assert 'class="error"' in response.content.decode()


def test_the_members_table_filters_and_records_answers(
    client: Client, supervisor: User, buy, running
) -> None:
    ana = buy("Ana")
    buy("Ben", consent_email=False)
    campaign = running()
    services.campaign_send_due()
    client.force_login(supervisor)
    url = f"/staff/campaigns/{campaign.pk}/"
    sent_only = client.get(url + "?status=sent", **EN).content.decode()
    assert "Ana" in sent_only and "Ben" not in sent_only
    skipped = client.get(url + "?status=skipped_consent", **EN).content.decode()
    assert "Ben" in skipped and "Ana" not in skipped

    member = CampaignMember.objects.get(campaign=campaign, customer=ana)
    response = client.post(
        f"{url}members/{member.pk}/answer/",
        {"answer": "accepted", "note": "Wants it on Friday", "from_status": "sent"},
        **EN,
    )
    assert response.status_code == 302 and response["Location"].endswith("?status=sent#members")
    html = client.get(url, **EN).content.decode()
    assert "1 / 1" in html  # reach and uptake
    assert "40.000,00 COP" in html or "40,000.00 COP" in html


def test_campaign_actions_need_post_and_csrf(supervisor: User, draft) -> None:
    campaign = draft()
    client = Client(enforce_csrf_checks=True)
    client.force_login(supervisor)
    assert client.get(f"/staff/campaigns/{campaign.pk}/approve/").status_code == 405
    assert client.post(f"/staff/campaigns/{campaign.pk}/approve/").status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
