"""Sending surveys with a controllable clock: the delay, the channel chosen by consent,
quiet hours in the customer's own time zone, reminders, expiry, two workers."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from resuelve.complaints.lifecycle import State
from resuelve.complaints.models import Complaint
from resuelve.customers.models import ConsentSource, Contact, ContactChannel, ContactKind, Customer
from resuelve.customers.services import consent_set
from resuelve.followup import jobs, services
from resuelve.followup.models import Survey, SurveyStatus
from resuelve.followup.tests.conftest import SendSurvey, link_in
from resuelve.notifications.models import Outbox, Transport
from resuelve.notifications.tasks import send_due
from resuelve.testing.fixtures import Clock, MakeComplaint

pytestmark = pytest.mark.django_db


def survey_rows(case: Complaint) -> list[Outbox]:
    return list(Outbox.objects.filter(complaint=case, body__contains="/survey/").order_by("id"))


def withdraw(customer: Customer, *channels: str) -> None:
    for channel in channels:
        consent_set(
            customer=customer, channel=channel, granted=False, source=ConsentSource.CUSTOMER
        )


def test_it_sends_the_survey_after_the_delay_and_not_before(
    clock: Clock, resolved: Complaint, customer: Customer
) -> None:
    clock.advance(hours=23, minutes=59)
    assert jobs.survey_send_due(now=clock()) == {"created": 0, "sent": 0}
    assert not Survey.objects.exists()

    clock.advance(minutes=2)
    assert jobs.survey_send_due(now=clock()) == {"created": 1, "sent": 1}
    survey = Survey.objects.get(complaint=resolved)
    assert survey.channel == "email" and survey.recipient == "carla@example.com"
    assert survey.language == "en"
    assert survey.sent_at == clock() and survey.expires_at == clock() + timedelta(days=14)
    [row] = survey_rows(resolved)
    assert row.transport == Transport.EMAIL and row.recipient == "carla@example.com"
    contact = Contact.objects.get(customer=customer, kind=ContactKind.SURVEY)
    assert contact.complaint == resolved and contact.channel == "email" and contact.at == clock()

    # Idempotent: a second run (or a second worker) sends nothing more.
    assert jobs.survey_send_due(now=clock()) == {"created": 0, "sent": 0}
    assert len(survey_rows(resolved)) == 1

    send_due(now=clock())
    [email] = [m for m in mail.outbox if "/survey/" in m.body]
    assert email.to == ["carla@example.com"]
    assert email.subject == f"[{resolved.tracking_code}] How did we do?"  # the customer's English
    assert "Your case" in email.body and link_in(row) in email.body


def test_it_never_emails_a_customer_who_withdrew_email_consent(
    clock: Clock, resolved: Complaint, customer: Customer
) -> None:
    withdraw(customer, ContactChannel.EMAIL)
    clock.advance(hours=25)
    jobs.survey_send_due(now=clock())
    survey = Survey.objects.get(complaint=resolved)
    assert survey.channel == "sms" and survey.recipient == "+573000000000"
    rows = survey_rows(resolved)
    assert [r.transport for r in rows] == [Transport.SMS]
    assert not Outbox.objects.filter(transport=Transport.EMAIL, body__contains="/survey/").exists()
    assert Contact.objects.get(customer=customer, kind=ContactKind.SURVEY).channel == "sms"


def test_it_records_a_survey_not_sent_when_no_channel_is_consented(
    clock: Clock, resolved: Complaint, customer: Customer
) -> None:
    withdraw(customer, ContactChannel.EMAIL, ContactChannel.SMS, ContactChannel.MESSAGING)
    clock.advance(hours=25)
    assert jobs.survey_send_due(now=clock()) == {"created": 1, "sent": 0}
    survey = Survey.objects.get(complaint=resolved)
    assert (
        survey.status == SurveyStatus.NOT_SENT and survey.not_sent_reason == "no consented channel"
    )
    assert survey_rows(resolved) == []
    assert not Contact.objects.filter(customer=customer).exists()
    clock.advance(days=1)
    assert jobs.survey_send_due(now=clock()) == {"created": 0, "sent": 0}


def test_it_uses_the_preferred_channel_when_consented(
    clock: Clock, resolved: Complaint, customer: Customer
) -> None:
    customer.preferred_channel = ContactChannel.MESSAGING
    customer.save()
    clock.advance(hours=25)
    jobs.survey_send_due(now=clock())
    assert [r.transport for r in survey_rows(resolved)] == [Transport.MESSAGING]


def test_it_surveys_a_case_without_customer_record_at_its_contact_address(
    clock: Clock, make_complaint: MakeComplaint
) -> None:
    case = make_complaint(state=State.RESOLVED, contact_email="ana@example.com", language="es")
    clock.advance(hours=25)
    jobs.survey_send_due(now=clock())
    survey = Survey.objects.get(complaint=case)
    assert survey.customer is None and survey.channel == "email" and survey.language == "es"
    [row] = survey_rows(case)
    assert row.recipient == "ana@example.com"
    with translation.override("es"):
        assert row.headers["Content-Language"] == "es"


def test_it_waits_for_the_end_of_quiet_hours_in_the_customers_time_zone(
    clock: Clock, make_complaint: MakeComplaint
) -> None:
    def texter(name: str, zone: str) -> Customer:
        return Customer.objects.create(
            name=name,
            phone="+86 138 0000 0000" if zone == "Asia/Shanghai" else "+372 5000 0000",
            language="en",
            preferred_channel=ContactChannel.SMS,
            time_zone=zone,
            quiet_from=time(21, 0),
            quiet_until=time(8, 0),
        )

    shanghai = make_complaint(state=State.RESOLVED, customer=texter("Li Wei", "Asia/Shanghai"))
    tallinn = make_complaint(state=State.RESOLVED, customer=texter("Mari Tamm", "Europe/Tallinn"))
    # 14:00 UTC: 22:00 in Shanghai (quiet), 16:00 in Tallinn.
    clock.set(datetime(2025, 3, 4, 14, 0, tzinfo=UTC))
    assert jobs.survey_send_due(now=clock()) == {"created": 2, "sent": 1}
    assert [r.recipient for r in survey_rows(tallinn)] == ["+37250000000"]
    assert survey_rows(shanghai) == []
    waiting = Survey.objects.get(complaint=shanghai)
    assert waiting.send_after == datetime(2025, 3, 5, 0, 0, tzinfo=UTC)  # 08:00 in Shanghai

    clock.set(datetime(2025, 3, 4, 23, 59, tzinfo=UTC))
    assert jobs.survey_send_due(now=clock())["sent"] == 0
    clock.set(datetime(2025, 3, 5, 0, 0, tzinfo=UTC))
    assert jobs.survey_send_due(now=clock())["sent"] == 1
    assert [r.recipient for r in survey_rows(shanghai)] == ["+8613800000000"]


def test_it_rechecks_consent_when_a_held_message_comes_due(
    clock: Clock, make_complaint: MakeComplaint
) -> None:
    texter = Customer.objects.create(
        name="Li Wei",
        email="li@example.com",
        phone="+86 138 0000 0000",
        language="en",
        preferred_channel=ContactChannel.SMS,
        time_zone="Asia/Shanghai",
        quiet_from=time(21, 0),
        quiet_until=time(8, 0),
    )
    case = make_complaint(state=State.RESOLVED, customer=texter)
    clock.set(datetime(2025, 3, 4, 14, 0, tzinfo=UTC))  # 22:00 in Shanghai: held
    assert jobs.survey_send_due(now=clock()) == {"created": 1, "sent": 0}
    withdraw(texter, ContactChannel.SMS)  # the customer says no more texts, that night
    clock.set(datetime(2025, 3, 5, 0, 0, tzinfo=UTC))
    assert jobs.survey_send_due(now=clock())["sent"] == 1
    assert [r.transport for r in survey_rows(case)] == [Transport.EMAIL]
    assert Survey.objects.get(complaint=case).channel == "email"


def test_it_reminds_then_expires(
    clock: Clock, settings: object, resolved: Complaint, customer: Customer, sent_survey: SendSurvey
) -> None:
    settings.RESUELVE_SURVEY_REMINDER_DAYS = [3, 7]  # type: ignore[attr-defined]
    survey, first_link = sent_survey(resolved)
    sent = survey.sent_at
    assert sent is not None

    clock.set(sent + timedelta(days=2, hours=23))
    assert jobs.survey_remind_and_expire(now=clock()) == {"reminded": 0, "expired": 0}
    clock.set(sent + timedelta(days=3))
    assert jobs.survey_remind_and_expire(now=clock()) == {"reminded": 1, "expired": 0}
    assert jobs.survey_remind_and_expire(now=clock()) == {"reminded": 0, "expired": 0}
    rows = survey_rows(resolved)
    assert len(rows) == 2 and "Reminder" in rows[1].subject
    second_link = link_in(rows[1])
    assert second_link != first_link
    assert Contact.objects.filter(customer=customer, kind=ContactKind.SURVEY_REMINDER).count() == 1

    clock.set(sent + timedelta(days=7))
    assert jobs.survey_remind_and_expire(now=clock()) == {"reminded": 1, "expired": 0}
    clock.set(sent + timedelta(days=13))
    assert jobs.survey_remind_and_expire(now=clock()) == {"reminded": 0, "expired": 0}
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.get(first_link).status_code == 200  # the first link still works

    clock.set(sent + timedelta(days=14))
    assert jobs.survey_remind_and_expire(now=clock()) == {"reminded": 0, "expired": 1}
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.EXPIRED and survey.reminders_sent == 2
    for link in (first_link, second_link):
        response = client.get(link)
        assert response.status_code == 410
        assert b"This survey is closed" in response.content
        assert resolved.tracking_code.encode() not in response.content


def test_it_sends_no_reminder_after_consent_is_withdrawn(
    clock: Clock, resolved: Complaint, customer: Customer, sent_survey: SendSurvey
) -> None:
    survey, _link = sent_survey(resolved)
    withdraw(customer, ContactChannel.EMAIL)
    clock.advance(days=3)
    assert jobs.survey_remind_and_expire(now=clock())["reminded"] == 0
    assert len(survey_rows(resolved)) == 1


def test_it_sends_a_reminder_only_once_across_two_workers(
    clock: Clock, resolved: Complaint, sent_survey: SendSurvey
) -> None:
    survey, _link = sent_survey(resolved)
    stale = Survey.objects.get(pk=survey.pk)
    clock.advance(days=3)
    assert services.survey_remind(survey=survey, now=clock()) is True
    assert services.survey_remind(survey=stale, now=clock()) is False  # the other worker's copy
    assert len(survey_rows(resolved)) == 2


def test_it_sends_a_survey_only_once_across_two_workers(clock: Clock, resolved: Complaint) -> None:
    clock.advance(hours=25)
    survey = services.survey_create(complaint=resolved, now=clock())
    again = services.survey_create(complaint=resolved, now=clock())
    assert again.pk == survey.pk
    stale = Survey.objects.get(pk=survey.pk)
    assert services.survey_send(survey=survey, now=clock()) is True
    assert services.survey_send(survey=stale, now=clock()) is False
    assert len(survey_rows(resolved)) == 1


def test_it_does_not_survey_open_or_long_resolved_cases(
    clock: Clock, make_complaint: MakeComplaint, resolved: Complaint
) -> None:
    open_case = make_complaint(state=State.INVESTIGATING)
    clock.advance(days=40)  # resolved longer ago than the delay plus the expiry
    assert jobs.survey_send_due(now=clock()) == {"created": 0, "sent": 0}
    assert not Survey.objects.filter(complaint__in=[open_case, resolved]).exists()


@pytest.mark.parametrize(
    ("language", "subject"),
    [("et", "Kuidas meil läks?"), ("zh-hans", "您对我们的服务满意吗？"), ("es", None)],
)
def test_it_asks_in_the_customers_own_language(
    clock: Clock, make_complaint: MakeComplaint, customer: Customer, language: str, subject: str
) -> None:
    customer.language = language
    customer.save(update_fields=["language"])
    case = make_complaint(state=State.RESOLVED, customer=customer, language=language)
    clock.advance(hours=25)
    with translation.override("en"):  # the worker's own language does not matter
        jobs.survey_send_due(now=clock())
        send_due(now=clock())
    assert Survey.objects.get(complaint=case).language == language
    [email] = [m for m in mail.outbox if "/survey/" in m.body]
    with translation.override(language):
        expected = translation.gettext("How did we do?")
    assert expected != "How did we do?" and email.subject.endswith(expected)
    if subject:
        assert email.subject == f"[{case.tracking_code}] {subject}"
    assert "Your case" not in email.body
