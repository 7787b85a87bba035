"""The staff customer page and search: who sees them, and that the page never shows a case
(or its compensation, or the details of its contacts) the viewer may not see."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from resuelve.accounts.models import Department, User
from resuelve.accounts.roles import Role
from resuelve.complaints.lifecycle import State
from resuelve.complaints.models import Complaint
from resuelve.customers.models import Customer, Tier
from resuelve.customers.selectors import PAGE_CAP, customer_profile, customer_search
from resuelve.customers.services import contact_record
from resuelve.remedies.models import LedgerEntry, Proposal, RemedyItem
from resuelve.testing.fixtures import Clock, MakeComplaint

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def detail_url(customer: Customer) -> str:
    return reverse("customers:detail", kwargs={"pk": customer.pk})


def page_text(client: Client, user: User, url: str) -> str:
    client.force_login(user)
    response = client.get(url, **EN)
    assert response.status_code == 200
    return response.content.decode()


def compensate(
    case: Complaint, customer: Customer, amount: str, currency: str, at: datetime
) -> None:
    proposal, _new = Proposal.objects.get_or_create(
        complaint=case,
        number=1,
        defaults={"created_at": at, "proposed_by": User.objects.get(username="manager")},
    )
    item = RemedyItem.objects.create(
        proposal=proposal, type="refund", description=f"Refund {amount}", amount=Decimal(amount)
    )
    LedgerEntry.objects.create(
        item=item,
        complaint=case,
        customer=customer,
        type="refund",
        amount=Decimal(amount),
        currency=currency,
        department=case.department,
        at=at,
    )


@pytest.fixture
def cases(
    make_complaint: MakeComplaint, customer: Customer, workshop: Department, outsider: User
) -> dict[str, Complaint]:
    """The customer's cases in each corner of the visibility rules."""
    return {
        "quality": make_complaint(
            state=State.ASSIGNED, customer=customer, subject="Squeaky brakes"
        ),
        "secret": make_complaint(
            state=State.ASSIGNED, customer=customer, confidential=True, subject="Injury at the shop"
        ),
        "workshop": make_complaint(
            state=State.ASSIGNED,
            customer=customer,
            department=workshop,
            assignee=outsider,
            subject="Oil leak after service",
        ),
        "unrouted": make_complaint(
            state=State.ACKNOWLEDGED, customer=customer, subject="Where is my invoice"
        ),
    }


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("agent", 200),
        ("handler", 200),
        ("outsider", 200),
        ("supervisor", 200),
        ("manager", 200),
        ("admin", 200),
        ("auditor", 200),
    ],
)
def test_it_shows_the_customer_pages_to_staff(
    client: Client, customer: Customer, personas: dict[str, User], persona: str, status: int
) -> None:
    client.force_login(personas[persona])
    assert client.get(reverse("customers:list"), **EN).status_code == status
    assert client.get(detail_url(customer), **EN).status_code == status


def test_it_keeps_human_resources_and_strangers_out(client: Client, customer: Customer) -> None:
    assert client.get(detail_url(customer)).status_code == 302  # to the sign-in page
    hr = User.objects.create_user(username="hr", password="x", role=Role.HR)
    client.force_login(hr)
    assert client.get(reverse("customers:list")).status_code == 403
    assert client.get(detail_url(customer)).status_code == 403
    assert client.get(reverse("customers:detail", kwargs={"pk": 999999})).status_code == 403


def test_it_answers_404_for_a_customer_that_does_not_exist(client: Client, agent: User) -> None:
    client.force_login(agent)
    assert client.get(reverse("customers:detail", kwargs={"pk": 999999})).status_code == 404


def test_it_lists_only_the_cases_the_viewer_may_see(
    client: Client, customer: Customer, cases: dict[str, Complaint], personas: dict[str, User]
) -> None:
    def shown(persona: str) -> set[str]:
        text = page_text(client, personas[persona], detail_url(customer))
        return {name for name, case in cases.items() if case.tracking_code in text}

    # The agent (service desk) sees the unrouted case only: not quality's, not the secret one.
    assert shown("agent") == {"unrouted"}
    # The outsider (workshop) sees the profile and the workshop case, no other department's.
    assert shown("outsider") == {"workshop"}
    assert shown("handler") == {"quality", "secret"}  # the handler is the secret case's assignee
    assert shown("supervisor") == {"quality", "secret", "unrouted"}
    assert shown("auditor") == {"quality", "workshop", "unrouted"}  # no confidential cases
    assert shown("manager") == set(cases)
    text = page_text(client, personas["agent"], detail_url(customer))
    assert "Injury at the shop" not in text
    assert reverse("complaints:case", kwargs={"code": cases["unrouted"].tracking_code}) in text


def test_it_shows_the_profile_header(
    client: Client, customer: Customer, agent: User, clock: Clock
) -> None:
    Customer.objects.filter(pk=customer.pk).update(
        tier=Tier.GOLD,
        member_since=date(2019, 5, 1),
        renewal_on=date(2025, 5, 1),
        birthday=date(1990, 8, 17),
        time_zone="Asia/Shanghai",
        quiet_from=time(22, 0),
        quiet_until=time(7, 0),
        contact_from=time(9, 0),
        contact_until=time(12, 0),
        contact_days="135",
        preferred_channel="phone",
    )
    text = page_text(client, agent, detail_url(customer))
    assert "Carla Client" in text
    assert "Gold member" in text
    assert "2019-05-01" in text and "2025-05-01" in text
    assert "17 August" in text
    assert "Asia/Shanghai" in text
    assert "22:00 there now" in text  # 14:00 UTC is 22:00 in Shanghai
    assert "22:00–07:00" in text
    assert "Resting now: do not call" in text
    assert "09:00–12:00 · Monday, Wednesday, Friday" in text
    assert "Phone" in text


def test_it_lists_purchases_newest_first(client: Client, customer: Customer, agent: User) -> None:
    text = page_text(client, agent, detail_url(customer))
    assert text.index("PO-1002") < text.index("PO-1001")
    assert "Resting now" not in text  # no quiet hours given
    assert "All-season tyres" in text


def test_it_totals_compensation_per_currency_on_visible_cases_only(
    client: Client, customer: Customer, cases: dict[str, Complaint], supervisor: User, agent: User
) -> None:
    day = datetime(2025, 3, 1, 15, tzinfo=UTC)
    compensate(cases["quality"], customer, "100000", "COP", day)
    compensate(cases["quality"], customer, "50000", "COP", day + timedelta(days=1))
    compensate(cases["secret"], customer, "900000", "COP", day + timedelta(days=2))
    compensate(cases["unrouted"], customer, "20", "USD", day + timedelta(days=3))

    profile = customer_profile(customer=customer, user=supervisor)
    assert [e.amount for e in profile.compensation] == [
        Decimal("20"),
        Decimal("900000"),
        Decimal("50000"),
        Decimal("100000"),
    ]
    assert profile.compensation_totals == [("COP", Decimal("1050000")), ("USD", Decimal("20"))]

    as_agent = customer_profile(customer=customer, user=agent)
    assert as_agent.compensation_totals == [("USD", Decimal("20"))]
    text = page_text(client, agent, detail_url(customer))
    assert "900,000" not in text and "Refund 900000" not in text
    assert "Refund 20" in text


def test_it_lists_contacts_newest_first_without_leaking_hidden_cases(
    client: Client,
    customer: Customer,
    cases: dict[str, Complaint],
    agent: User,
    supervisor: User,
) -> None:
    start = datetime(2025, 3, 1, 15, tzinfo=UTC)
    contact_record(
        customer=customer, channel="email", kind="survey", summary="Survey sent", at=start
    )
    contact_record(
        customer=customer,
        channel="phone",
        kind="revisit",
        summary="Called about the injury claim",
        by=supervisor,
        complaint=cases["secret"],
        at=start + timedelta(days=1),
    )
    contact_record(
        customer=customer,
        channel="sms",
        kind="message",
        summary="Invoice resent",
        complaint=cases["unrouted"],
        at=start + timedelta(days=2),
    )
    text = page_text(client, agent, detail_url(customer))
    assert text.index("Invoice resent") < text.index("On a case you may not see")
    assert text.index("On a case you may not see") < text.index("Survey sent")
    assert "Called about the injury claim" not in text
    assert cases["secret"].tracking_code not in text
    text = page_text(client, supervisor, detail_url(customer))
    assert "Called about the injury claim" in text
    assert "On a case you may not see" not in text


def test_it_cuts_long_histories_and_shows_all_on_request(
    client: Client, customer: Customer, agent: User
) -> None:
    start = datetime(2025, 1, 1, 15, tzinfo=UTC)
    for i in range(PAGE_CAP + 2):
        contact_record(
            customer=customer,
            channel="email",
            kind="message",
            summary=f"Note {i:03d}",
            at=start + timedelta(hours=i),
        )
    profile = customer_profile(customer=customer, user=agent)
    assert profile.contacts_total == PAGE_CAP + 2
    assert len(profile.contacts) == PAGE_CAP
    assert profile.contacts[0].contact.summary == f"Note {PAGE_CAP + 1:03d}"  # newest first
    text = page_text(client, agent, detail_url(customer))
    assert "Note 000" not in text
    assert "?all=1" in text
    text = page_text(client, agent, detail_url(customer) + "?all=1")
    assert "Note 000" in text


def test_it_includes_the_other_programmes_sections(
    client: Client, customer: Customer, agent: User
) -> None:
    text = page_text(client, agent, detail_url(customer))
    for section in ("Purchases", "Complaints", "Compensation received", "Consents", "Contacts"):
        assert f">{section}" in text


# --- search -----------------------------------------------------------------------------------


@pytest.fixture
def people(db: None) -> dict[str, Customer]:
    return {
        "jose": Customer.objects.create(
            name="José Ñúñez", email="Jose@Example.com", phone="+57 (310) 555-1234"
        ),
        "maria": Customer.objects.create(
            name="María Gómez", email="maria@example.com", external_ref="ERP-77"
        ),
        "wang": Customer.objects.create(name="王伟", phone="138 0013 8000"),
    }


def found(q: str) -> list[str]:
    return [c.name for c in customer_search(q=q).object_list]


def test_it_finds_customers_by_name_without_case_or_accents(people: dict[str, Customer]) -> None:
    assert found("jose nunez") == ["José Ñúñez"]
    assert found("GOMEZ") == ["María Gómez"]
    assert found("王") == ["王伟"]
    assert found("") == ["José Ñúñez", "María Gómez", "王伟"]
    assert found("nobody") == []


def test_it_finds_customers_by_email_phone_and_reference(people: dict[str, Customer]) -> None:
    assert found("JOSE@example.COM ") == ["José Ñúñez"]
    assert found("3105551234") == ["José Ñúñez"]
    assert found("+86 138-0013-8000") == ["王伟"]
    assert found("ERP-77") == ["María Gómez"]


def test_it_pages_the_search(client: Client, agent: User) -> None:
    for i in range(30):
        Customer.objects.create(name=f"Pérez {i:02d}")
    first = customer_search(q="perez", page=1)
    assert first.paginator.count == 30
    assert len(first.object_list) == 25
    text = page_text(client, agent, reverse("customers:list") + "?q=perez&page=2")
    assert "Pérez 29" in text and "Pérez 00" not in text
    assert "30 customers" in text
    assert "Page 2 of 2" in text
    text = page_text(client, agent, reverse("customers:list") + "?q=perez")
    assert 'href="?q=perez&amp;page=2"' in text


def test_it_shows_the_append_only_records_read_only_in_the_admin(
    client: Client, customer: Customer, admin: User, clock: Clock
) -> None:
    from resuelve.customers.models import ConsentChange, Contact, CustomerSample, ImportMapping
    from resuelve.customers.samples import sample_draw
    from resuelve.customers.services import consent_set

    consent_set(customer=customer, channel="email", granted=False, source="staff", note="stop")
    contact = contact_record(customer=customer, channel="phone", kind="revisit", summary="Hello")
    sample = sample_draw(name="S", filters={}, size=1, by=admin, now=clock.current)
    mapping = ImportMapping.objects.create(
        name="erp", target="customers", columns={"name": "Nombre"}
    )
    client.force_login(admin)
    change = ConsentChange.objects.get()
    for model, obj in [
        (Customer, customer),
        (ConsentChange, change),
        (Contact, contact),
        (CustomerSample, sample),
        (ImportMapping, mapping),
    ]:
        name = f"admin:customers_{model._meta.model_name}"
        assert client.get(reverse(f"{name}_changelist"), **EN).status_code == 200
        assert client.get(reverse(f"{name}_change", args=[obj.pk]), **EN).status_code == 200
    for model in (ConsentChange, Contact, CustomerSample):
        name = f"admin:customers_{model._meta.model_name}"
        assert client.get(reverse(f"{name}_add")).status_code == 403
        assert client.get(reverse(f"{name}_delete", args=[1])).status_code == 403
    # Saving the customer in the admin cannot flip a consent past consent_set's history.
    page = client.get(reverse("admin:customers_customer_change", args=[customer.pk]), **EN)
    text = page.content.decode()
    assert 'name="consent_email"' not in text
    assert "Hello" in text and "stop" in text  # the inlines


def test_it_does_not_count_a_reward_as_compensation(
    customer: Customer, cases: dict[str, Complaint], manager: User
) -> None:
    from resuelve.remedies.reward_services import (
        reward_fund_create,
        reward_fund_deposit,
        reward_grant,
    )

    day = datetime(2025, 3, 1, 15, tzinfo=UTC)
    compensate(cases["quality"], customer, "100000", "COP", day)
    fund = reward_fund_create(name="Ideas", currency="COP", actor=manager)
    reward_fund_deposit(fund=fund, actor=manager, amount="500000")
    reward_grant(
        complaint=cases["quality"],
        actor=manager,
        amount="70000",
        currency="COP",
        reason="A useful idea",
        fund=fund,
    )
    profile = customer_profile(customer=customer, user=manager)
    assert profile.compensation_totals == [("COP", Decimal("100000"))]
    assert [e.amount for e in profile.compensation] == [Decimal("100000")]
