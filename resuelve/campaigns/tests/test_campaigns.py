"""Remedy campaigns end to end through the services: who is targeted and skipped, the
message each customer gets, quiet hours, sending once, answers and their cost, and the
complaints that arrive later."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from resuelve.accounts.models import User
from resuelve.campaigns import selectors, services
from resuelve.campaigns.jobs import campaigns_send_due
from resuelve.campaigns.models import CampaignMember, CampaignStatus, MemberStatus
from resuelve.customers.models import Contact, ContactKind, Customer, Product
from resuelve.notifications.models import Outbox, Transport

pytestmark = pytest.mark.django_db


def member_of(campaign, customer: Customer) -> CampaignMember:
    return CampaignMember.objects.get(campaign=campaign, customer=customer)


def outreach(customer: Customer) -> list[Outbox]:
    return list(Outbox.objects.filter(complaint__isnull=True, recipient=customer.email))


# --- who is targeted ------------------------------------------------------------------------


def test_it_targets_buyers_of_the_batch_who_have_not_complained(
    buy, heater: Product, make_complaint
) -> None:
    ana = buy("Ana")
    ben = buy("Ben")
    buy("Other", batch="L2")
    complained = buy("Carla")
    make_complaint(customer=complained, product=heater)
    via_purchase = buy("Dario")
    make_complaint(customer=via_purchase, purchase=via_purchase.purchases.get())

    targets = set(selectors.campaign_targets(product=heater, batch="L1"))
    assert targets == {ana, ben}
    every_batch = set(selectors.campaign_targets(product=heater))
    assert {c.name for c in every_batch} == {"Ana", "Ben", "Other"}


def test_starting_skips_customers_without_consent_and_those_who_complained(
    buy, heater: Product, make_complaint, running
) -> None:
    ok = buy("Ana")
    no_consent = buy(
        "Ben", phone="+57 300 111 2222", consent_email=False, consent_sms=False,
        consent_messaging=False, consent_phone=False,
    )  # fmt: skip
    no_details = buy("Cleo", email="")
    complained = buy("Dora")
    make_complaint(customer=complained, product=heater)
    sms_only = buy("Eva", email="", phone="+57 300 333 4444")

    campaign = running()
    status = {m.customer.name: m.status for m in campaign.members.select_related("customer")}
    assert status == {
        "Ana": MemberStatus.PENDING,
        "Ben": MemberStatus.SKIPPED_CONSENT,
        "Cleo": MemberStatus.SKIPPED_NO_CHANNEL,
        "Dora": MemberStatus.SKIPPED_COMPLAINED,
        "Eva": MemberStatus.PENDING,
    }
    assert member_of(campaign, sms_only).channel == "sms"
    assert member_of(campaign, ok).channel == "email"

    result = services.campaign_send_due()
    assert result["sent"] == 2
    assert Outbox.objects.filter(complaint__isnull=True).count() == 2
    assert not Contact.objects.filter(customer__in=[no_consent, no_details, complained]).exists()


def test_the_preview_counts_what_starting_would_do(buy, heater, make_complaint, draft) -> None:
    buy("Ana")
    buy("Ben", consent_email=False)
    buy("Cleo", email="")
    make_complaint(customer=buy("Dora"), product=heater)
    preview = selectors.campaign_preview(campaign=draft())
    assert (preview.buyers, preview.reachable, preview.skipped_consent) == (4, 1, 1)
    assert (preview.skipped_no_channel, preview.complained) == (1, 1)


# --- the message ----------------------------------------------------------------------------


def test_each_customer_reads_the_remedy_in_their_language(buy, running) -> None:
    english = buy("Emma", language="en")
    spanish = buy("Sofia", language="es")
    estonian = buy("Mari", language="et")  # no Estonian text: the company language's
    running()
    services.campaign_send_due()

    (to_emma,) = outreach(english)
    assert "We replace the thermostat free of charge." in to_emma.body
    assert "termostato" not in to_emma.body
    assert to_emma.headers["Content-Language"] == "en" and to_emma.transport == Transport.EMAIL
    (to_sofia,) = outreach(spanish)
    assert "Le cambiamos el termostato sin costo." in to_sofia.body
    assert to_sofia.headers["Content-Language"] == "es"
    (to_mari,) = outreach(estonian)
    assert "Le cambiamos el termostato sin costo." in to_mari.body


def test_each_send_is_on_the_customers_contact_log(buy, running) -> None:
    ana = buy("Ana")
    running()
    services.campaign_send_due()
    contact = Contact.objects.get(customer=ana)
    assert contact.kind == ContactKind.MESSAGE and contact.channel == "email"
    assert "Heater thermostat" in contact.summary


def test_a_campaign_needs_the_remedy_in_the_company_language(draft) -> None:
    with pytest.raises(ValidationError) as error:
        draft(remedy_texts={"en": "We replace the thermostat."})
    assert "remedy_es" in error.value.message_dict


# --- when and how often ---------------------------------------------------------------------


def test_quiet_hours_defer_the_send_to_their_end(buy, running, clock) -> None:
    # 22:00 in Bogotá (03:00 UTC), quiet from 21:00 to 08:00.
    clock.set(datetime(2025, 3, 4, 3, 0, tzinfo=UTC))
    resting = buy("Rita", quiet_from=time(21), quiet_until=time(8))
    awake = buy("Alex")
    campaign = running()

    assert services.campaign_send_due() == {"sent": 1, "deferred": 1}
    assert outreach(awake) and not outreach(resting)
    member = member_of(campaign, resting)
    assert member.status == MemberStatus.PENDING
    assert member.send_after == datetime(2025, 3, 4, 13, 0, tzinfo=UTC)  # 08:00 in Bogotá

    clock.set(datetime(2025, 3, 4, 12, 59, tzinfo=UTC))
    assert services.campaign_send_due()["sent"] == 0
    clock.set(datetime(2025, 3, 4, 13, 0, tzinfo=UTC))
    assert services.campaign_send_due()["sent"] == 1
    assert len(outreach(resting)) == 1


def test_sending_twice_sends_each_member_once(buy, running) -> None:
    ana = buy("Ana")
    campaign = running()
    stale = member_of(campaign, ana)  # a second worker that read the row before the first sent
    assert campaigns_send_due()["sent"] == 1
    assert campaigns_send_due()["sent"] == 0
    assert services.member_send(member=stale) is False
    assert len(outreach(ana)) == 1
    assert Contact.objects.filter(customer=ana).count() == 1


def test_consent_withdrawn_after_the_start_is_respected(buy, running) -> None:
    ana = buy("Ana", phone="+57 300 555 6666")
    campaign = running()
    Customer.objects.filter(pk=ana.pk).update(consent_email=False)
    services.campaign_send_due()
    member = member_of(campaign, ana)
    assert member.status == MemberStatus.SENT and member.channel == "sms"
    assert not outreach(ana) and Outbox.objects.get(recipient="+573005556666")


def test_calls_wait_for_a_person_who_records_them(buy, running, handler: User) -> None:
    caller = buy("Pablo", email="", phone="300 777 8888", preferred_channel="phone")
    campaign = running()
    assert services.campaign_send_due()["sent"] == 0
    member = member_of(campaign, caller)
    assert member.channel == "phone" and member.status == MemberStatus.PENDING
    assert services.member_contacted(member=member, actor=handler) is True
    assert services.member_contacted(member=member, actor=handler) is False
    assert Contact.objects.filter(customer=caller, by=handler, channel="phone").count() == 1


# --- answers and cost -----------------------------------------------------------------------


def test_an_accepted_remedy_records_its_cost(buy, running, handler: User) -> None:
    ana, ben = buy("Ana"), buy("Ben")
    campaign = running()
    services.campaign_send_due()
    services.campaign_record_response(member=member_of(campaign, ana), actor=handler, accepted=True)
    services.campaign_record_response(
        member=member_of(campaign, ben), actor=handler, accepted=False
    )
    with pytest.raises(services.StepRefused):  # answered already: no second cost row
        services.campaign_record_response(
            member=member_of(campaign, ana), actor=handler, accepted=True
        )

    stats = selectors.campaign_stats(campaign=campaign)
    assert (stats.targeted, stats.reached, stats.accepted, stats.declined) == (2, 2, 1, 1)
    assert stats.cost == [("COP", Decimal("40000.00"))]
    assert stats.uptake == 0.5 and stats.reach == 1.0
    assert member_of(campaign, ana).remedy.delivered_by == handler


def test_an_accepted_remedy_is_on_the_company_ledger_with_the_compensation(
    buy, running, handler: User, manager: User
) -> None:
    from resuelve.remedies.models import LedgerEntry
    from resuelve.remedies.selectors import ledger_entries

    ana = buy("Ana")
    campaign = running()
    services.campaign_send_due()
    services.campaign_record_response(member=member_of(campaign, ana), actor=handler, accepted=True)
    entry = LedgerEntry.objects.get(kind="campaign")
    assert entry.customer == ana and entry.complaint is None
    assert entry.amount == Decimal("40000.00") and entry.product == campaign.product
    assert member_of(campaign, ana).remedy.ledger_entry == entry
    # The ledger's compensation figures count it; reward lists do not.
    assert list(ledger_entries(user=manager)) == [entry]
    assert not ledger_entries(user=manager, kind="reward").exists()


def test_the_ledger_page_csv_and_api_list_a_campaign_remedy_without_a_case(
    buy, running, handler: User, manager: User, client
) -> None:
    from resuelve.accounts.tokens import token_create

    ana = buy("Ana")
    campaign = running()
    services.campaign_send_due()
    services.campaign_record_response(member=member_of(campaign, ana), actor=handler, accepted=True)
    client.force_login(manager)
    assert client.get("/staff/ledger/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    rows = client.get("/staff/ledger/?format=csv", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "40000.00" in rows.splitlines()[1]
    _row, token = token_create(user=manager, name="tests")
    page = client.get("/api/v1/ledger", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert page["items"][0]["kind"] == "campaign"
    assert page["items"][0]["tracking_code"] is None


def test_an_answer_needs_a_contacted_customer(buy, running, handler: User) -> None:
    ana = buy("Ana")
    campaign = running()
    with pytest.raises(services.StepRefused):
        services.campaign_record_response(
            member=member_of(campaign, ana), actor=handler, accepted=True
        )


# --- complaints that come later -------------------------------------------------------------


def test_a_later_complaint_about_the_batch_links_to_the_campaign(
    buy, heater: Product, running, make_complaint, clock
) -> None:
    ana = buy("Ana")
    campaign = running()
    clock.advance(days=2)
    case = make_complaint(customer=ana, product=heater)
    link = services.campaign_link_complaint(complaint=case)
    assert link is not None and link.campaign == campaign and link.member.customer == ana
    assert services.campaign_for_complaint(case) == campaign
    assert services.campaign_link_complaint(complaint=case) == link  # once

    stranger = Customer.objects.create(name="Walk-in", email="walk@example.com")
    other = make_complaint(customer=stranger, product=heater)  # no purchase: not of the batch
    assert services.campaign_link_complaint(complaint=other) is None
    purchase = buy("Late", batch="L1").purchases.get()
    of_batch = make_complaint(customer=purchase.customer, purchase=purchase)
    late_link = services.campaign_link_complaint(complaint=of_batch)
    assert late_link is not None and late_link.campaign == campaign and late_link.member is None
    assert list(selectors.campaign_later_complaints(campaign=campaign)) == [late_link, link]


def test_a_complaint_about_another_product_or_before_the_start_does_not_link(
    buy, heater: Product, running, make_complaint, clock
) -> None:
    ana = buy("Ana")
    before = make_complaint(customer=ana, product=heater, received_at=clock() - timedelta(days=1))
    running()
    other = make_complaint(customer=ana, product=Product.objects.create(sku="X", name="Kettle"))
    assert services.campaign_link_complaint(complaint=before) is None
    assert services.campaign_link_complaint(complaint=other) is None


# --- the steps and who takes them -----------------------------------------------------------


def test_the_creator_cannot_approve_their_own_campaign(draft, supervisor: User, manager) -> None:
    own = draft(actor=supervisor)
    with pytest.raises(PermissionDenied):
        services.campaign_approve(campaign=own, actor=supervisor)
    own.refresh_from_db()
    assert own.status == CampaignStatus.DRAFT
    services.campaign_approve(campaign=own, actor=manager)
    own.refresh_from_db()
    assert own.status == CampaignStatus.APPROVED and own.approved_by == manager


def test_a_handler_cannot_approve_and_a_draft_cannot_start(draft, handler, supervisor) -> None:
    campaign = draft(actor=supervisor)
    with pytest.raises(PermissionDenied):
        services.campaign_approve(campaign=campaign, actor=handler)
    with pytest.raises(services.StepRefused):
        services.campaign_start(campaign=campaign, actor=supervisor)


def test_a_finished_campaign_sends_nothing_more(buy, running, handler) -> None:
    ana = buy("Ana")
    campaign = running()
    services.campaign_finish(campaign=campaign, actor=handler)
    assert services.campaign_send_due()["sent"] == 0
    assert not outreach(ana)


def test_the_worker_links_the_complaints_that_arrived_since_the_start(
    buy, heater: Product, running, make_complaint, clock
) -> None:
    from resuelve.campaigns.jobs import campaigns_send_due
    from resuelve.campaigns.models import CampaignComplaint

    ana = buy("Ana")
    campaign = running()
    clock.advance(days=2)
    case = make_complaint(customer=ana, product=heater)
    assert campaigns_send_due(now=clock())["linked"] == 1
    assert CampaignComplaint.objects.get(complaint=case).campaign == campaign
    assert campaigns_send_due(now=clock())["linked"] == 0  # once
