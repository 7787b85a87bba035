"""Webhooks sent for real: a loopback HTTP server receives the POSTs and checks their
signatures; failures are retried with backoff and finally given up; flush-outbox re-queues
rows whose task was lost."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from resuelve.accounts.models import User
from resuelve.complaints import services
from resuelve.complaints.lifecycle import State
from resuelve.notifications.models import Outbox, Transport, WebhookEndpoint
from resuelve.notifications.services import forget_endpoints, webhook_endpoint_create
from resuelve.notifications.tasks import deliver, flush
from resuelve.testing.fixtures import Clock, MakeComplaint

pytestmark = pytest.mark.django_db
SECRET = "s3cret-for-tests"


class Receiver:
    """A loopback HTTP server that answers each POST with the next queued status."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                status = receiver.statuses.pop(0) if receiver.statuses else 204
                self.send_response(status)
                if status in (301, 302, 307):
                    self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def _fresh_endpoint_cache() -> Iterator[None]:
    forget_endpoints()
    yield
    forget_endpoints()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def endpoint(receiver: Receiver) -> WebhookEndpoint:
    return webhook_endpoint_create(url=receiver.url, secret=SECRET)


def webhook_rows() -> list[Outbox]:
    return list(Outbox.objects.filter(transport=Transport.WEBHOOK).order_by("id"))


def verify(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does: recompute the HMAC of the raw body and compare in constant time."""
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header)


def test_it_posts_a_signed_event_for_a_new_case_and_each_change_of_state(
    endpoint: WebhookEndpoint, receiver: Receiver, make_complaint: MakeComplaint, manager: User
) -> None:
    case = make_complaint(state=State.ACKNOWLEDGED)
    # A note does not change the state: no event for it.
    services.complaint_add_message(complaint=case, actor=manager, body="x", to_customer=False)
    rows = webhook_rows()
    assert [r.subject for r in rows] == ["complaint.created", "complaint.state_changed"]
    for row in rows:
        assert deliver.call(row.pk) == "sent"
    assert len(receiver.received) == 2
    for got in receiver.received:
        headers = got["headers"]
        assert verify(SECRET, got["body"], headers["X-Resuelve-Signature"])
        assert not verify("wrong", got["body"], headers["X-Resuelve-Signature"])
        assert headers["Content-Type"] == "application/json"
    created = json.loads(receiver.received[0]["body"])
    assert created["event"] == "complaint.created"
    assert created["tracking_code"] == case.tracking_code and created["state"] == "received"
    changed = json.loads(receiver.received[1]["body"])
    assert (changed["from_state"], changed["state"]) == ("received", "acknowledged")
    assert all(r.sent_at is not None and r.attempts == 1 for r in webhook_rows())


def test_it_does_not_send_twice(
    endpoint: WebhookEndpoint, receiver: Receiver, make_complaint: MakeComplaint
) -> None:
    make_complaint()
    (row,) = webhook_rows()
    assert deliver.call(row.pk) == "sent"
    assert deliver.call(row.pk) == "not due or already handled"
    assert len(receiver.received) == 1


def test_a_failing_endpoint_is_retried_with_backoff_then_given_up(
    endpoint: WebhookEndpoint,
    receiver: Receiver,
    make_complaint: MakeComplaint,
    clock: Clock,
    settings: Any,
) -> None:
    settings.RESUELVE_OUTBOX_MAX_ATTEMPTS = 3
    receiver.statuses = [500, 503, 500]
    make_complaint()
    (row,) = webhook_rows()
    assert deliver.call(row.pk) == "will retry"
    row.refresh_from_db()
    assert row.attempts == 1 and "500" in row.last_error
    assert row.next_attempt_at == clock() + timedelta(seconds=30)
    assert flush() == 0  # not due yet
    clock.advance(seconds=31)
    assert flush() == 1  # the immediate backend runs it now
    row.refresh_from_db()
    assert row.attempts == 2 and row.failed_at is None
    assert (row.next_attempt_at - clock()).total_seconds() == 60
    clock.advance(seconds=61)
    flush()
    row.refresh_from_db()
    assert row.attempts == 3 and row.failed_at is not None and row.sent_at is None
    assert len(receiver.received) == 3
    clock.advance(hours=1)
    assert flush() == 0  # given up: only the admin's "send again" revives it


def test_the_admin_sends_a_given_up_notification_again(
    endpoint: WebhookEndpoint,
    receiver: Receiver,
    make_complaint: MakeComplaint,
    admin_client: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_complaint()
    (row,) = webhook_rows()
    Outbox.objects.filter(pk=row.pk).update(attempts=8, failed_at=row.created_at)
    receiver.received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/notifications/outbox/",
            {"action": "retry", "_selected_action": [row.pk]},
            follow=True,
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert "1 notification will be sent again." in response.content.decode()
    row.refresh_from_db()
    assert row.failed_at is None and row.sent_at is not None and row.attempts == 9
    assert len(receiver.received) == 1


def test_an_unreachable_endpoint_and_a_redirect_are_failures(
    receiver: Receiver, make_complaint: MakeComplaint, clock: Clock
) -> None:
    receiver.statuses = [302]
    webhook_endpoint_create(url=receiver.url, secret=SECRET)
    webhook_endpoint_create(url="http://127.0.0.1:9/nothing-listens", secret=SECRET)
    make_complaint()
    rows = webhook_rows()
    assert [deliver.call(r.pk) for r in rows] == ["will retry", "will retry"]
    assert len(receiver.received) == 1  # the redirect was not followed


def test_a_deactivated_endpoint_is_given_up_at_once(
    endpoint: WebhookEndpoint, receiver: Receiver, make_complaint: MakeComplaint
) -> None:
    make_complaint()
    (row,) = webhook_rows()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(active=False)
    assert deliver.call(row.pk) == "given up"
    row.refresh_from_db()
    assert row.failed_at is not None and receiver.received == []


def test_endpoints_hear_only_their_events(
    receiver: Receiver, make_complaint: MakeComplaint
) -> None:
    webhook_endpoint_create(url=receiver.url, secret=SECRET, events=["complaint.state_changed"])
    make_complaint(state=State.ACKNOWLEDGED)
    assert [r.subject for r in webhook_rows()] == ["complaint.state_changed"]


def test_flush_outbox_requeues_rows_whose_task_was_lost(
    endpoint: WebhookEndpoint, receiver: Receiver, make_complaint: MakeComplaint, manager: User
) -> None:
    # In the test transaction on_commit never runs: the rows' tasks are "lost".
    case = make_complaint(state=State.ACKNOWLEDGED)
    services.complaint_add_message(complaint=case, actor=manager, body="Hello", to_customer=True)
    pending = Outbox.objects.filter(sent_at__isnull=True).count()
    assert pending >= 3  # two webhooks, the acknowledgement... and the reply e-mail
    out = StringIO()
    call_command("flush_outbox", stdout=out)
    assert f"{pending} notification(s) queued" in out.getvalue()
    assert not Outbox.objects.filter(sent_at__isnull=True).exists()
    assert len(receiver.received) == 2
    assert {m.to[0] for m in mail.outbox} == {case.contact_email}
    reply = case.messages.filter(body="Hello").get()
    assert reply.delivered_at is not None


def test_a_worker_that_died_mid_send_is_retried_after_its_claim_expires(
    endpoint: WebhookEndpoint, receiver: Receiver, make_complaint: MakeComplaint, clock: Clock
) -> None:
    from resuelve.notifications.tasks import CLAIM_SECONDS, _claim

    make_complaint()
    (row,) = webhook_rows()
    assert _claim(row.pk, clock())  # a worker claimed it, then died
    assert flush() == 0
    clock.advance(seconds=CLAIM_SECONDS + 1)
    assert flush() == 1
    row.refresh_from_db()
    assert row.sent_at is not None and len(receiver.received) == 1
