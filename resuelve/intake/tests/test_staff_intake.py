"""The staff intake desk: finding the caller's record by what they say, and registering a
phone call, visit or letter for them (A1, B1-B4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from resuelve.complaints.lifecycle import Action, State
from resuelve.complaints.models import Channel, Complaint, ComplaintEvent
from resuelve.customers.models import Branch, Customer, Product, Purchase, Region
from resuelve.intake.models import IntakeKey
from resuelve.intake.staff_selectors import customer_for_contact, customer_lookup

NEW = "/staff/new/"
LOOKUP = "/staff/new/lookup/"


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def branch(db: None) -> Branch:
    return Branch.objects.create(name="Bogotá Norte", region=Region.objects.create(name="Colombia"))


@pytest.fixture
def caller(db: None, branch: Branch) -> Customer:
    """A gold member, stored with a formatted phone, who bought a car battery."""
    customer = Customer.objects.create(
        name="Mateo Ríos",
        email="Mateo.Rios@Example.com",
        phone="+57 300 123 4567",
        external_ref="CLI-0042",
        language="es",
        tier="gold",
        preferred_channel="phone",
        contact_hours="9:00-12:00",
    )
    Purchase.objects.create(
        customer=customer,
        product=Product.objects.create(sku="BAT-9", name="Car battery"),
        order_number="AA-0000042-1",
        branch=branch,
        purchased_on=date(2025, 1, 5),
        amount=Decimal("420000"),
    )
    return customer


def names(cards: list) -> list[str]:
    return [card.customer.name for card in cards]


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "token": "tok-1",
        "channel": Channel.PHONE,
        "kind": "claim",
        "subject": "Battery dead after a week",
        "description": "The battery bought in January no longer holds a charge.",
        "remedy_requested": "A new battery",
        "language": "es",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- the lookup ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["3001234567", "+57 300 123 4567", "(300) 123-4567", "300.123.4567", "+573001234567"]
)
def test_it_finds_a_formatted_phone_however_it_is_typed(caller, customer, agent, typed) -> None:
    assert names(customer_lookup(query=typed, user=agent)) == ["Mateo Ríos"]


def test_it_finds_a_plain_phone_typed_with_the_country_code(db, agent) -> None:
    Customer.objects.create(name="Plain Phone", phone="3009998877")
    Customer.objects.create(name="Other Phone", phone="3109998877")
    assert names(customer_lookup(query="+57 300 999 8877", user=agent)) == ["Plain Phone"]
    assert customer_lookup(query="+57 300 999 0000", user=agent) == []


def test_it_finds_an_email_in_any_case(caller, agent) -> None:
    assert names(customer_lookup(query="MATEO.rios@example.COM", user=agent)) == ["Mateo Ríos"]
    assert customer_lookup(query="mateo@example.com", user=agent) == []


def test_it_finds_a_customer_number_and_an_order_number(caller, customer, agent) -> None:
    assert names(customer_lookup(query="CLI-0042", user=agent)) == ["Mateo Ríos"]
    assert names(customer_lookup(query="cli-0042", user=agent)) == ["Mateo Ríos"]
    assert names(customer_lookup(query="aa-0000042-1", user=agent)) == ["Mateo Ríos"]
    assert names(customer_lookup(query="PO-1002", user=agent)) == ["Carla Client"]


def test_it_finds_words_of_a_name(caller, customer, agent) -> None:
    assert names(customer_lookup(query="ríos mat", user=agent)) == ["Mateo Ríos"]
    assert names(customer_lookup(query="carla", user=agent)) == ["Carla Client"]
    assert customer_lookup(query="x", user=agent) == []


def test_it_finds_a_name_typed_without_its_accents_or_in_capitals(caller, agent) -> None:
    Customer.objects.create(name="Lucía Muñoz Peñalosa", language="es")
    assert names(customer_lookup(query="rios", user=agent)) == ["Mateo Ríos"]
    assert names(customer_lookup(query="lucia munoz", user=agent)) == ["Lucía Muñoz Peñalosa"]
    assert names(customer_lookup(query="PEÑALOSA", user=agent)) == ["Lucía Muñoz Peñalosa"]
    renamed = Customer.objects.get(name="Mateo Ríos")
    renamed.name = "Mateo Ríos Ibáñez"
    renamed.save(update_fields=["name"])
    assert names(customer_lookup(query="ibanez", user=agent)) == ["Mateo Ríos Ibáñez"]


def test_it_lists_at_most_ten(db, agent) -> None:
    for n in range(15):
        Customer.objects.create(name=f"García {n}")
    assert len(customer_lookup(query="garcía", user=agent)) == 10


def test_it_shows_purchases_and_only_the_open_cases_the_user_may_see(
    caller, make_complaint, agent, outsider, manager
) -> None:
    unrouted = make_complaint(state=State.ACKNOWLEDGED, customer=caller, subject="Unrouted")
    quality = make_complaint(state=State.ASSIGNED, customer=caller, subject="Quality")
    make_complaint(state=State.CLOSED, customer=caller, subject="Closed long ago")

    def open_cases(user: object) -> set[str]:
        [card] = customer_lookup(query="CLI-0042", user=user)  # type: ignore[arg-type]
        assert [p.order_number for p in card.purchases] == ["AA-0000042-1"]
        return {c.tracking_code for c in card.open_cases}

    assert open_cases(manager) == {unrouted.tracking_code, quality.tracking_code}
    assert open_cases(agent) == {unrouted.tracking_code}
    assert open_cases(outsider) == set()


def test_it_matches_contact_details_only_to_one_customer(caller, db) -> None:
    assert customer_for_contact(phone="300 123 4567") == caller
    assert customer_for_contact(email="MATEO.RIOS@example.com") == caller
    Customer.objects.create(name="Namesake", phone="+57 (300) 123-4567")
    assert customer_for_contact(phone="3001234567") is None
    assert customer_for_contact(phone="12") is None


# --- the page -----------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_the_login(client, db) -> None:
    response = client.get(NEW)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


def test_it_refuses_read_only_roles(client, auditor, caller) -> None:
    client.force_login(auditor)
    assert client.get(NEW).status_code == 403
    assert client.get(LOOKUP, {"q": "CLI-0042"}).status_code == 403
    response = client.post(NEW, form_data(customer=caller.pk))
    assert response.status_code == 403
    assert "read-only" in response.content.decode()
    assert not Complaint.objects.exists()
    assert "New complaint" not in client.get("/staff/").content.decode()


def test_it_offers_the_page_from_the_queue(client, agent) -> None:
    client.force_login(agent)
    page = client.get("/staff/").content.decode()
    assert f'href="{NEW}"' in page
    assert "New complaint" in page


def test_it_lists_matching_customers_with_their_record(client, agent, caller) -> None:
    client.force_login(agent)
    page = client.get(NEW, {"q": "300 123 4567"}).content.decode()
    assert "Mateo Ríos" in page
    assert "Gold member" in page
    assert "9:00-12:00" in page
    assert "AA-0000042-1" in page
    assert f"?customer={caller.pk}&amp;q=300%20123%204567" in page
    partial = client.get(LOOKUP, {"q": "mateo.rios@example.com"}).content.decode()
    assert "Mateo Ríos" in partial and "<html" not in partial
    assert "No customer matches" in client.get(LOOKUP, {"q": "nobody@x.org"}).content.decode()


def test_it_fills_the_form_for_the_chosen_customer(client, agent, caller) -> None:
    client.force_login(agent)
    response = client.get(NEW, {"customer": caller.pk})
    form = response.context["form"]
    assert form.initial["customer"] == caller.pk
    assert form.initial["language"] == "es"
    assert [p.order_number for p in form.fields["purchase"].queryset] == ["AA-0000042-1"]
    page = response.content.decode()
    assert "Choose another customer" in page
    assert 'name="purchase"' in page
    # Only the channels staff log, phone first and chosen.
    assert [v for v, _label in form.fields["channel"].choices][0] == Channel.PHONE
    assert Channel.WEB not in dict(form.fields["channel"].choices)
    assert form["channel"].value() == Channel.PHONE


def test_it_starts_a_new_record_with_what_was_searched(client, agent, caller) -> None:
    client.force_login(agent)
    assert "phone" not in client.get(NEW, {"q": "3001234567"}).context["form"].initial
    form = client.get(NEW, {"q": "+57 311 555 0101"}).context["form"]
    assert form.initial["phone"] == "+57 311 555 0101"
    assert client.get(NEW, {"q": "new@example.com"}).context["form"].initial["email"] == (
        "new@example.com"
    )


# --- registering --------------------------------------------------------------------------


def test_it_registers_and_acknowledges_for_the_chosen_customer(client, agent, caller) -> None:
    client.force_login(agent)
    purchase = caller.purchases.get()
    response = client.post(
        NEW,
        form_data(
            customer=caller.pk,
            purchase=purchase.pk,
            employee_name="Pedro at the counter",
            amount_claimed="420000",
            occurred_on="2025-02-01",
        ),
    )
    case = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:case", kwargs={"code": case.tracking_code})
    assert case.customer == caller
    assert case.channel == Channel.PHONE
    assert case.state == State.ACKNOWLEDGED
    assert case.purchase == purchase
    assert case.product == purchase.product
    assert case.branch == purchase.branch
    assert case.contact_phone == caller.phone
    assert case.amount_claimed == Decimal("420000")
    assert case.employee_name == "Pedro at the counter"
    register = ComplaintEvent.objects.get(complaint=case, action=Action.REGISTER)
    assert register.actor == agent
    page = client.get(response["Location"]).content.decode()
    assert f"Tracking code to read out to the customer: {case.tracking_code}" in page
    assert Customer.objects.count() == 1


def test_it_records_a_new_customer(client, agent) -> None:
    client.force_login(agent)
    response = client.post(
        NEW,
        form_data(
            name="Lucía Nueva",
            phone="+57 311 555 0101",
            contact_hours="after 17:00",
            channel=Channel.IN_PERSON,
            order_ref="INV-77",
        ),
    )
    assert response.status_code == 302
    case = Complaint.objects.get()
    customer = Customer.objects.get()
    assert case.customer == customer
    assert (customer.name, customer.phone, customer.contact_hours) == (
        "Lucía Nueva",
        "+57 311 555 0101",
        "after 17:00",
    )
    assert case.channel == Channel.IN_PERSON
    assert "INV-77" in case.description  # an unknown order number is kept in the text
    # The same caller again, their number typed differently: the same record.
    client.post(NEW, form_data(token="tok-2", name="Lucía N.", phone="3115550101"))
    assert Customer.objects.count() == 1
    assert Complaint.objects.filter(customer=customer).count() == 2


def test_the_agent_can_take_a_case_to_solve_it_on_the_spot(client, agent, caller) -> None:
    client.force_login(agent)
    form = client.get(NEW, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "I will solve it myself now" in form
    response = client.post(NEW, form_data(customer=caller.pk, solve_on_the_spot="on"))
    case = Complaint.objects.get()
    assert response.status_code == 302
    assert (case.assignee, case.department.code) == (agent, "customer-service")
    routed = ComplaintEvent.objects.get(complaint=case, action=Action.ROUTE)
    assert routed.changes["trace"] == {"on_the_spot": str(agent)}
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "took the case to solve it on the spot" in page


def test_it_registers_a_scanned_letter(client, agent, caller) -> None:
    client.force_login(agent)
    letter = SimpleUploadedFile("carta.pdf", b"%PDF-1.4 letter", content_type="application/pdf")
    client.post(NEW, form_data(customer=caller.pk, channel=Channel.LETTER, attachments=letter))
    case = Complaint.objects.get()
    assert case.channel == Channel.LETTER
    assert [a.original_name for a in case.attachments.all()] == ["carta.pdf"]


def test_it_registers_once_when_the_form_is_sent_twice(client, agent, caller) -> None:
    client.force_login(agent)
    first = client.post(NEW, form_data(customer=caller.pk))
    second = client.post(NEW, form_data(customer=caller.pk), follow=True)
    case = Complaint.objects.get()
    assert first["Location"] == second.redirect_chain[-1][0]
    assert "was not registered twice" in second.content.decode()
    assert IntakeKey.objects.get(source="staff", key="tok-1").complaint == case


def test_it_gives_each_form_a_fresh_token(client, agent) -> None:
    client.force_login(agent)
    first = client.get(NEW).context["form"].initial["token"]
    second = client.get(NEW).context["form"].initial["token"]
    assert first and second and first != second


def test_it_explains_what_is_missing_and_saves_nothing(client, agent) -> None:
    client.force_login(agent)
    response = client.post(NEW, {"token": "tok-1", "channel": "web", "language": "es"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"channel", "kind", "subject", "description", "phone"}
    page = response.content.decode()
    assert 'id="error-summary"' in page and 'role="alert"' in page
    assert 'href="#id_subject"' in page and 'href="#id_kind_0"' in page
    assert 'aria-invalid="true"' in page
    assert 'name="token" value="tok-1"' in page  # the retry is still the same submission
    assert not Complaint.objects.exists() and not Customer.objects.exists()


def test_it_maps_a_refused_attachment_onto_its_field_and_keeps_no_new_customer(
    client, agent
) -> None:
    client.force_login(agent)
    fake = SimpleUploadedFile("photo.png", b"%PDF-1.4 not a picture", content_type="image/png")
    response = client.post(
        NEW, form_data(name="Nuevo", email="nuevo@example.com", attachments=fake)
    )
    assert response.status_code == 400
    assert "attachments" in response.context["form"].errors
    assert not Complaint.objects.exists()
    assert not Customer.objects.exists()
    assert not IntakeKey.objects.exists()


def test_it_refuses_a_future_date_and_a_negative_amount(client, agent, caller) -> None:
    client.force_login(agent)
    response = client.post(
        NEW, form_data(customer=caller.pk, occurred_on="2999-01-01", amount_claimed="-5")
    )
    assert set(response.context["form"].errors) == {"occurred_on", "amount_claimed"}
    assert not Complaint.objects.exists()


def test_it_refuses_a_customer_that_does_not_exist(client, agent) -> None:
    client.force_login(agent)
    response = client.post(NEW, form_data(customer=999999))
    assert response.status_code == 400
    assert "This customer record no longer exists." in response.content.decode()
    assert not Complaint.objects.exists()


def test_it_accepts_an_anonymous_suggestion(client, agent) -> None:
    client.force_login(agent)
    client.post(NEW, form_data(kind="suggestion", channel=Channel.SUGGESTION_BOX))
    case = Complaint.objects.get()
    assert case.customer is None and case.channel == Channel.SUGGESTION_BOX


def test_it_tells_a_handler_the_code_of_a_case_they_cannot_see_yet(
    client, outsider, caller
) -> None:
    client.force_login(outsider)
    response = client.post(NEW, form_data(customer=caller.pk), follow=True)
    case = Complaint.objects.get()
    assert response.redirect_chain[-1][0] == NEW
    page = response.content.decode()
    assert case.tracking_code in page
    assert "intake desk will route it" in page
    assert ComplaintEvent.objects.get(complaint=case, action=Action.REGISTER).actor == outsider
