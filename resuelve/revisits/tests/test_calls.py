"""A specialist's day and the revisit form: quiet hours in the customer's time zone, the
contact window order, call-backs within three days, consent, records made once."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from resuelve.accounts.models import User
from resuelve.complaints.models import Complaint
from resuelve.customers.models import Contact
from resuelve.revisits import selectors, services
from resuelve.revisits.models import CallScript, Revisit, Status
from resuelve.revisits.tests.conftest import QUIET, MakeCustomer, member_revisit
from resuelve.testing.fixtures import Clock

PASSWORD = "correct horse battery staple"


def _client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_it_never_offers_a_customer_in_their_quiet_hours(
    clock: Clock, make_customer: MakeCustomer, wei: User
) -> None:
    # 15:00 UTC: 23:00 in Shanghai, 10:00 in Bogotá, 17:00 in Tallinn and 16:00 in Madrid.
    clock.set(datetime(2025, 3, 3, 15, 0, tzinfo=UTC))
    shanghai = member_revisit(
        make_customer(name="Li Na", language="zh-hans", time_zone="Asia/Shanghai", **QUIET), wei
    )
    bogota = member_revisit(make_customer(name="Rosa", time_zone="America/Bogota", **QUIET), wei)
    tallinn = member_revisit(
        make_customer(name="Mari", language="et", time_zone="Europe/Tallinn", **QUIET), wei
    )

    calls = {c.revisit.pk: c for c in selectors.today_calls(user=wei, now=clock())}

    assert calls[shanghai.pk].quiet and not calls[bogota.pk].quiet
    assert not calls[tallinn.pk].quiet
    assert calls[shanghai.pk].customer_available_local.time() == time(8, 0)
    page = _client(wei).get(reverse("revisits:today")).content.decode()
    assert reverse("revisits:work", args=[bogota.pk]) in page
    assert reverse("revisits:work", args=[shanghai.pk]) not in page
    assert "Available from 08:00 their time (19:00 yours)" in page
    # Not by a typed address either: a call in their quiet hours is refused.
    response = _client(wei).post(
        reverse("revisits:work", args=[shanghai.pk]),
        {"channel": "phone", "outcome": "no_answer", "attempts": "0"},
    )
    assert response.status_code == 400
    assert "quiet hours" in response.content.decode()
    assert Revisit.objects.get(pk=shanghai.pk).attempts == 0

    # Afternoon in Bogotá (20:00 UTC) is 04:00 in Shanghai: still resting.
    clock.set(datetime(2025, 3, 3, 20, 0, tzinfo=UTC))
    calls = {c.revisit.pk: c for c in selectors.today_calls(user=wei, now=clock())}
    assert calls[shanghai.pk].quiet and not calls[bogota.pk].quiet
    # Their morning, 01:00 UTC the next day... the Bogotá evening: Shanghai may be called.
    clock.set(datetime(2025, 3, 4, 1, 30, tzinfo=UTC))
    calls = {c.revisit.pk: c for c in selectors.today_calls(user=wei, now=clock())}
    assert not calls[shanghai.pk].quiet


def test_it_orders_the_day_by_each_customers_window_in_their_time(
    clock: Clock, make_customer: MakeCustomer, kadri: User
) -> None:
    # Tallinn 10:00 is 08:00 UTC; Madrid 09:30 is 08:30 UTC; Bogotá 04:00 is 09:00 UTC.
    tallinn = member_revisit(
        make_customer(time_zone="Europe/Tallinn", contact_from=time(10), contact_until=time(12)),
        kadri,
    )
    bogota = member_revisit(
        make_customer(time_zone="America/Bogota", contact_from=time(4), contact_until=time(6)),
        kadri,
    )
    madrid = member_revisit(
        make_customer(time_zone="Europe/Madrid", contact_from=time(9, 30), contact_until=time(11)),
        kadri,
    )
    order = [c.revisit.pk for c in selectors.today_calls(user=kadri, now=clock())]
    assert order == [tallinn.pk, madrid.pk, bogota.pk]


def test_it_schedules_a_call_back_within_three_days_in_the_customers_time(
    clock: Clock, make_customer: MakeCustomer, kadri: User
) -> None:
    customer = make_customer(language="et", time_zone="Europe/Tallinn", **QUIET)
    revisit = member_revisit(customer, kadri)
    client = _client(kadri)
    url = reverse("revisits:work", args=[revisit.pk])
    # Now 16:00 in Tallinn; four days later is too late, and the refusal says why.
    response = client.post(
        url,
        {
            "channel": "phone",
            "outcome": "callback",
            "callback_at": "2025-03-07T10:00",
            "attempts": "0",
        },
    )
    assert response.status_code == 400
    assert "A call back must be within three days" in response.content.decode()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.revisit_record(
            revisit=revisit,
            actor=kadri,
            channel="phone",
            outcome="callback",
            callback_at=datetime(2025, 3, 4, 23, 0, tzinfo=timezone.get_fixed_timezone(120)),
        )
    assert "quiet hours" in str(refused.value)

    response = client.post(
        url,
        {
            "channel": "phone",
            "outcome": "callback",
            "callback_at": "2025-03-04T10:00",
            "attempts": "0",
        },
    )
    assert response.status_code == 302
    revisit.refresh_from_db()
    assert revisit.status == Status.SCHEDULED
    assert revisit.callback_at == datetime(2025, 3, 4, 8, 0, tzinfo=UTC)  # 10:00 EET
    assert revisit.due_on == timezone.localdate(revisit.callback_at)
    assert Contact.objects.filter(customer=customer, kind="revisit").count() == 1
    # Tomorrow it is on the list at the customer's time.
    clock.set(datetime(2025, 3, 4, 7, 0, tzinfo=UTC))
    calls = selectors.today_calls(user=kadri, now=clock())
    assert [c.revisit.pk for c in calls] == [revisit.pk]
    assert calls[0].starts_at == revisit.callback_at


def test_it_tries_again_after_no_answer_and_gives_up_after_three(
    clock: Clock, make_customer: MakeCustomer, ana: User
) -> None:
    revisit = member_revisit(make_customer(), ana)
    for attempt in range(3):
        revisit = services.revisit_record(
            revisit=revisit,
            actor=ana,
            channel="phone",
            outcome="no_answer",
            now=clock() + timedelta(days=attempt),
        )
        if attempt < 2:
            assert revisit.status == Status.ASSIGNED
            assert revisit.due_on == timezone.localdate(clock()) + timedelta(days=attempt + 1)
    assert (revisit.status, revisit.attempts) == (Status.MISSED, 3)
    assert not Contact.objects.filter(customer=revisit.customer).exists()  # nobody was reached


def test_it_offers_only_consented_channels(
    clock: Clock, make_customer: MakeCustomer, ana: User
) -> None:
    customer = make_customer(consent_phone=False, preferred_channel="sms")
    revisit = member_revisit(customer, ana)
    client = _client(ana)
    url = reverse("revisits:work", args=[revisit.pk])

    page = client.get(url).content.decode()

    assert 'value="sms"' in page and 'value="email"' in page
    assert 'value="phone"' not in page
    response = client.post(url, {"channel": "phone", "outcome": "satisfied", "attempts": "0"})
    assert response.status_code == 400
    with pytest.raises(ValidationError):
        services.revisit_record(revisit=revisit, actor=ana, channel="phone", outcome="satisfied")
    assert Revisit.objects.get(pk=revisit.pk).status == Status.ASSIGNED
    assert not Contact.objects.filter(customer=customer).exists()


def test_it_records_a_revisit_once(clock: Clock, make_customer: MakeCustomer, ana: User) -> None:
    revisit = member_revisit(make_customer(), ana)
    client = _client(ana)
    url = reverse("revisits:work", args=[revisit.pk])
    data = {
        "channel": "phone",
        "outcome": "satisfied",
        "suggestions": "Open on Sundays.",
        "attempts": "0",
    }

    first = client.post(url, data)
    second = client.post(url, data, follow=True)

    assert first.status_code == 302 and first["Location"] == reverse("revisits:today")
    assert "This revisit was already recorded." in second.content.decode()
    assert Contact.objects.filter(customer=revisit.customer, kind="revisit").count() == 1
    revisit.refresh_from_db()
    assert (revisit.status, revisit.outcome, revisit.done_by) == (Status.DONE, "satisfied", ana)
    # A stale form (seen before another attempt was recorded) is refused too.
    other = member_revisit(make_customer(), ana)
    services.revisit_record(revisit=other, actor=ana, channel="phone", outcome="no_answer")
    with pytest.raises(services.AlreadyRecorded):
        services.revisit_record(
            revisit=other, actor=ana, channel="phone", outcome="no_answer", seen_attempts=0
        )


def test_it_hides_another_specialists_revisit(
    clock: Clock, make_customer: MakeCustomer, ana: User, wei: User, agent: User, supervisor: User
) -> None:
    revisit = member_revisit(make_customer(), wei)
    url = reverse("revisits:work", args=[revisit.pk])
    assert _client(ana).get(url).status_code == 404
    assert (
        _client(ana)
        .post(url, {"channel": "phone", "outcome": "satisfied", "attempts": "0"})
        .status_code
        == 404
    )
    assert _client(agent).get(url).status_code == 404
    assert _client(agent).get(reverse("revisits:today")).status_code == 403
    assert _client(supervisor).get(url).status_code == 200
    assert Revisit.objects.get(pk=revisit.pk).status == Status.ASSIGNED


def test_it_opens_a_complaint_from_a_revisit_in_one_click(
    clock: Clock, make_customer: MakeCustomer, ana: User
) -> None:
    customer = make_customer(name="Rosa Díaz", language="es")
    revisit = member_revisit(customer, ana)
    response = _client(ana).post(
        reverse("revisits:work", args=[revisit.pk]),
        {
            "channel": "phone",
            "outcome": "unsatisfied",
            "attempts": "0",
            "suggestions": "El aire acondicionado sigue fallando.\nLo llevó dos veces al taller.",
            "open_complaint": "1",
        },
    )
    revisit.refresh_from_db()
    case = Complaint.objects.get(pk=revisit.new_complaint_id)
    assert response.status_code == 302
    assert (case.customer, case.channel, case.language) == (customer, "phone", "es")
    assert case.subject == "El aire acondicionado sigue fallando."
    assert "dos veces" in case.description
    assert revisit.outcome == "unsatisfied"
    # The supervisor sees the unsatisfied customer flagged on the list and in the summary.
    today = timezone.localdate(clock())
    assert list(selectors.unsatisfied_recent(today=today)) == [revisit]
    summary = selectors.summary_report(start=today, end=today)
    assert {c: n for c, _label, n in summary.outcomes}["unsatisfied"] == 1
    assert list(summary.suggestions) == [revisit]


def test_it_shows_the_script_in_the_customers_language(
    clock: Clock, make_customer: MakeCustomer, wei: User
) -> None:
    for language, hello in (("zh-hans", "您好，{customer}。我是{specialist}。"), ("es", "Hola")):
        CallScript.objects.create(
            language=language,
            occasion="birthday",
            greeting=hello,
            satisfied="S",
            unsatisfied="U",
            closing="C",
        )
    CallScript.objects.create(
        language="et",
        occasion="member",
        greeting="Tere, {customer}!",
        satisfied="S",
        unsatisfied="U",
        closing="C",
    )
    li = member_revisit(make_customer(name="李娜", language="zh-hans"), wei, reason="birthday")
    mari = member_revisit(make_customer(name="Mari", language="et"), wei, reason="birthday")

    script = selectors.script_for(li, specialist=wei)
    assert script is not None and script.greeting == "您好，李娜。我是Wei Test。"
    fallback = selectors.script_for(mari, specialist=wei)  # no Estonian birthday script
    assert fallback is not None and fallback.greeting == "Tere, Mari!"
    page = _client(wei).get(reverse("revisits:work", args=[li.pk])).content.decode()
    assert "您好，李娜。" in page and 'lang="zh-hans"' in page
