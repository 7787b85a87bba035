"""Report subscriptions: the worker sends each due one once, in the subscriber's language,
with what they may see when it is sent."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core import mail

from resuelve.accounts.models import Department, User
from resuelve.reports import services
from resuelve.reports.jobs import reports_send_due
from resuelve.reports.models import ReportKind, ReportSubscription
from resuelve.testing.fixtures import Clock

pytestmark = pytest.mark.django_db

# Subscribed in February: the first monthly occurrence is 1 March 07:00 in Bogotá.
IN_FEBRUARY = datetime(2025, 2, 20, 15, 0, tzinfo=UTC)


def subscribe(user: User, kind: str = ReportKind.MONTHLY_PDF, **kwargs) -> ReportSubscription:
    return services.subscription_create(
        user=user, kind=kind, frequency="monthly", now=IN_FEBRUARY, **kwargs
    )


def test_it_sends_the_monthly_pdf_once_even_when_the_job_runs_twice(
    clock: Clock, report_cases, supervisor: User
) -> None:
    supervisor.language = "es"
    supervisor.save()
    subscription = subscribe(supervisor)
    assert subscription.language == "es"  # the profile's language by default
    assert subscription.next_due == datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

    assert reports_send_due() == 1
    assert reports_send_due() == 0
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["supervisor@resuelve.test"]
    assert "febrero de 2025" in email.subject
    ((name, content, mimetype),) = email.attachments
    assert (name, mimetype) == ("resuelve-2025-02-es.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    subscription.refresh_from_db()
    assert subscription.sent_count == 1
    assert subscription.last_period_start.isoformat() == "2025-02-01"
    assert subscription.next_due == datetime(2025, 4, 1, 12, 0, tzinfo=UTC)


def test_an_occurrence_claimed_by_another_worker_is_not_sent_again(
    clock: Clock, supervisor: User
) -> None:
    subscription = subscribe(supervisor, kind=ReportKind.SUMMARY)
    claim = {"subscription_id": subscription.pk, "frequency": "monthly",
             "seen_due": subscription.next_due, "now": clock()}  # fmt: skip
    assert services.subscription_claim(**claim)
    assert not services.subscription_claim(**claim)
    assert reports_send_due() == 0
    assert mail.outbox == []


def test_the_summary_is_in_the_subscribers_language(
    clock: Clock, report_cases, manager: User
) -> None:
    subscribe(manager, kind=ReportKind.SUMMARY, language="zh-hans")
    assert reports_send_due() == 1
    (email,) = mail.outbox
    assert "2025年2月" in email.subject
    assert "已接收: 9" in email.body  # the dashboard's "Received", February's 9
    assert email.attachments == []


def test_a_supervisor_moved_to_another_department_gets_the_new_ones_figures_only(
    clock: Clock, report_cases, supervisor: User, quality: Department, workshop: Department
) -> None:
    everything = subscribe(supervisor, kind=ReportKind.SUMMARY, language="en")
    only_quality = subscribe(supervisor, kind=ReportKind.SUMMARY, language="en", department=quality)
    supervisor.departments.set([workshop])

    assert reports_send_due() == 1
    (email,) = mail.outbox
    assert "Received: 2" in email.body  # the workshop's February, not quality's 7
    only_quality.refresh_from_db()
    assert not only_quality.active
    assert "Quality" in only_quality.last_error
    everything.refresh_from_db()
    assert everything.active and everything.sent_count == 1


def test_a_failed_send_is_retried_by_the_next_run(
    clock: Clock, report_cases, manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    subscription = subscribe(manager, kind=ReportKind.SUMMARY, language="en")

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    assert reports_send_due() == 0
    subscription.refresh_from_db()
    assert subscription.failures == 1 and "mail server is down" in subscription.last_error
    monkeypatch.undo()
    assert reports_send_due() == 1
    assert "February 2025" in mail.outbox[0].subject
