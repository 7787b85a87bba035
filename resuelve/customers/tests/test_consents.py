"""Consents on the customer page: a withdrawal is recorded with its history and respected;
read-only roles cannot change them; the form needs POST and a CSRF token."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from resuelve.accounts.models import User
from resuelve.accounts.roles import Role
from resuelve.customers.models import ConsentChange, Customer
from resuelve.testing.fixtures import Clock

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def consent_url(customer: Customer) -> str:
    return reverse("customers:consent", kwargs={"pk": customer.pk})


def detail_url(customer: Customer) -> str:
    return reverse("customers:detail", kwargs={"pk": customer.pk})


def test_it_records_a_withdrawal_with_its_history(
    client: Client, customer: Customer, agent: User, clock: Clock
) -> None:
    client.force_login(agent)
    response = client.post(
        consent_url(customer),
        {"channel": "sms", "granted": "0", "note": "Asked on the phone to stop texts"},
        **EN,
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url(customer) + "#consents"
    customer.refresh_from_db()
    assert customer.consent_sms is False
    assert customer.may_contact("sms") is False
    assert customer.may_contact("phone") is True  # other channels are untouched
    change = ConsentChange.objects.get(customer=customer)
    assert (change.channel, change.granted, change.source, change.by) == (
        "sms",
        False,
        "staff",
        agent,
    )
    assert change.note == "Asked on the phone to stop texts"
    assert change.at == clock.current
    page = client.get(detail_url(customer), **EN).content.decode()
    assert "Consent for Text message is withdrawn" in page
    assert "Withdrawn on 2025-03-03" in page
    assert "Asked on the phone to stop texts" in page


def test_it_grants_again_and_keeps_both_changes_newest_first(
    client: Client, customer: Customer, handler: User, clock: Clock
) -> None:
    client.force_login(handler)
    client.post(consent_url(customer), {"channel": "email", "granted": "0", "note": "stop"})
    clock.advance(days=3)
    client.post(consent_url(customer), {"channel": "email", "granted": "1", "note": "ok again"})
    customer.refresh_from_db()
    assert customer.consent_email is True
    history = list(ConsentChange.objects.filter(customer=customer, channel="email"))
    assert [(c.granted, c.note) for c in history] == [(True, "ok again"), (False, "stop")]
    assert history[0].at - history[1].at == timedelta(days=3)
    page = client.get(detail_url(customer), **EN).content.decode()
    assert "Allowed again on 2025-03-06" in page
    assert "2 changes" in page


def test_it_records_nothing_when_the_consent_is_already_so(
    client: Client, customer: Customer, agent: User
) -> None:
    client.force_login(agent)
    response = client.post(consent_url(customer), {"channel": "phone", "granted": "1"}, **EN)
    assert response.status_code == 302
    assert ConsentChange.objects.count() == 0
    page = client.get(detail_url(customer), **EN).content.decode()
    assert "Nothing changed" in page


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.HR])
def test_it_does_not_let_read_only_roles_change_consents(
    client: Client, customer: Customer, role: str
) -> None:
    user = User.objects.create_user(username=f"ro-{role}", password="x", role=role)
    client.force_login(user)
    response = client.post(consent_url(customer), {"channel": "email", "granted": "0"}, **EN)
    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.consent_email is True
    assert ConsentChange.objects.count() == 0


def test_it_shows_no_consent_forms_to_an_auditor(
    client: Client, customer: Customer, auditor: User
) -> None:
    client.force_login(auditor)
    page = client.get(detail_url(customer), **EN).content.decode()
    assert "Consents" in page
    assert "Withdraw consent" not in page
    assert consent_url(customer) not in page


def test_it_needs_post_and_a_csrf_token(customer: Customer, agent: User) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(agent)
    assert strict.get(consent_url(customer)).status_code == 405
    response = strict.post(consent_url(customer), {"channel": "email", "granted": "0"})
    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.consent_email is True
    # With the token the page's form carries, it goes through.
    page = strict.get(detail_url(customer), **EN)
    token = page.cookies["csrftoken"].value
    response = strict.post(
        consent_url(customer), {"channel": "email", "granted": "0", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.consent_email is False


def test_it_refuses_an_unknown_channel(client: Client, customer: Customer, agent: User) -> None:
    client.force_login(agent)
    response = client.post(consent_url(customer), {"channel": "pigeon", "granted": "0"}, **EN)
    assert response.status_code == 302
    assert ConsentChange.objects.count() == 0
    page = client.get(detail_url(customer), **EN).content.decode()
    assert "could not be recorded" in page


def test_it_requires_sign_in(client: Client, customer: Customer) -> None:
    response = client.post(consent_url(customer), {"channel": "email", "granted": "0"})
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    customer.refresh_from_db()
    assert customer.consent_email is True
