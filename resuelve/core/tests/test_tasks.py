"""The database task queue: with it, the outbox is its own queue. A notification is a row
written in the transaction that causes it (no task row beside it), and `resuelve worker`
sends it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from resuelve.complaints.lifecycle import Kind
from resuelve.complaints.models import Channel, Message
from resuelve.intake.services import Contact, intake_file
from resuelve.notifications.models import Outbox
from resuelve.notifications.tasks import send_due

DATABASE_QUEUES = ["resuelve.core.tasks.DatabaseBackend", "django_tasks_db.DatabaseBackend"]


def _file(email="ana@example.com"):
    return intake_file(
        channel=Channel.API,
        kind=Kind.COMPLAINT,
        subject="Late delivery",
        description="The car arrived a week late.",
        contact=Contact(name="Ana", email=email),
    )


@pytest.fixture
def worker_keeps_the_test_connection(monkeypatch):
    # The worker drops stale connections between tasks; the test's transaction is not one.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


@pytest.mark.parametrize("backend", DATABASE_QUEUES)
def test_the_acknowledgement_is_an_outbox_row_with_no_task_and_the_worker_sends_it(
    db, settings, worker_keeps_the_test_connection, backend
):
    settings.TASKS = {"default": {"BACKEND": backend}}
    filed = _file()
    row = Outbox.objects.get()
    assert row.pending and row.recipient == "ana@example.com"
    assert DBTaskResult.objects.count() == 0
    assert mail.outbox == []

    call_command("worker", "--batch", verbosity=0)

    (sent,) = mail.outbox
    assert sent.to == ["ana@example.com"]
    assert filed.complaint.tracking_code in sent.subject
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 1
    assert Message.objects.get(pk=row.message_id).delivered_at == row.sent_at


def test_two_workers_send_each_notification_once(db, settings):
    settings.TASKS = {"default": {"BACKEND": "resuelve.core.tasks.DatabaseBackend"}}
    for n in range(3):
        _file(email=f"c{n}@example.com")
    assert send_due() == 3
    assert send_due() == 0  # the second worker finds nothing left
    assert sorted(m.to[0] for m in mail.outbox) == [f"c{n}@example.com" for n in range(3)]


def test_a_failed_send_waits_for_its_backoff_then_is_sent_by_the_worker(
    db, settings, clock, monkeypatch
):
    settings.TASKS = {"default": {"BACKEND": "resuelve.core.tasks.DatabaseBackend"}}
    _file()
    from resuelve.notifications import tasks

    send_email = tasks._send_email
    server_down = [True]

    def sometimes_refuse(row, mailer=None):
        if server_down[0]:
            raise ConnectionRefusedError("mail server down")
        send_email(row, mailer)

    monkeypatch.setattr(tasks, "_send_email", sometimes_refuse)
    assert send_due() == 1
    row = Outbox.objects.get()
    assert row.pending and row.attempts == 1 and "mail server down" in row.last_error
    assert DBTaskResult.objects.count() == 0  # no deferred task: the row is the queue

    server_down[0] = False
    clock.advance(timedelta(seconds=20))
    assert send_due() == 0 and mail.outbox == []  # not due before its 30 s backoff
    clock.advance(timedelta(seconds=15))
    assert send_due() == 1
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2


def test_a_complaint_rolled_back_leaves_no_notification_behind(db, settings):
    settings.TASKS = {"default": {"BACKEND": "resuelve.core.tasks.DatabaseBackend"}}
    with pytest.raises(RuntimeError), transaction.atomic():
        _file()
        assert Outbox.objects.count() == 1
        raise RuntimeError("the caller's transaction fails after filing")
    assert Outbox.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    assert send_due() == 0 and mail.outbox == []


def test_a_batch_of_e_mails_goes_through_one_smtp_connection(db, settings):
    """A real SMTP conversation over loopback: the worker sends a batch in one session."""
    import socket

    from aiosmtpd.controller import Controller

    class Sink:
        def __init__(self):
            self.sessions = 0
            self.messages = []

        async def handle_EHLO(self, server, session, envelope, hostname, responses):
            self.sessions += 1
            session.host_name = hostname
            return responses

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope.rcpt_tos[0])
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.TASKS = {"default": {"BACKEND": "resuelve.core.tasks.DatabaseBackend"}}
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        for n in range(5):
            _file(email=f"c{n}@example.com")
        assert send_due() == 5
    finally:
        controller.stop()
    assert sorted(sink.messages) == [f"c{n}@example.com" for n in range(5)]
    assert sink.sessions == 1
    assert Outbox.objects.filter(sent_at__isnull=True).count() == 0
