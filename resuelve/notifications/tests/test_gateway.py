"""Text and messaging-app notifications through the generic HTTP gateway, sent for real to
a loopback receiver: the JSON body, the HMAC signature, retries and a missing gateway."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from resuelve.notifications.models import Outbox, Transport
from resuelve.notifications.tasks import backoff, send, send_due
from resuelve.notifications.tests.test_webhooks import Receiver, verify
from resuelve.testing.fixtures import Clock

pytestmark = pytest.mark.django_db
SECRET = "gateway-secret-for-tests"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def gateway(settings: Any, receiver: Receiver) -> Receiver:
    settings.RESUELVE_SMS_GATEWAY_URL = receiver.url
    settings.RESUELVE_SMS_GATEWAY_SECRET = SECRET
    settings.RESUELVE_MESSAGING_GATEWAY_URL = ""
    return receiver


def text(
    transport: str = Transport.SMS, body: str = "¿Cómo lo hicimos? https://x/survey/abc/"
) -> Outbox:
    return Outbox.objects.create(
        transport=transport, recipient="+573001234567", body=body, created_at=timezone.now()
    )


def test_it_posts_a_signed_json_message_to_the_gateway(gateway: Receiver, clock: Clock) -> None:
    row = text()
    assert send(row.pk) == "sent"
    [got] = gateway.received
    payload = json.loads(got["body"])
    assert payload == {
        "to": "+573001234567",
        "channel": "sms",
        "text": "¿Cómo lo hicimos? https://x/survey/abc/",
        "reference": row.pk,
    }
    headers = got["headers"]
    assert verify(SECRET, got["body"], headers["X-Resuelve-Signature"])
    assert not verify("another-secret", got["body"], headers["X-Resuelve-Signature"])
    assert headers["Content-Type"].startswith("application/json")
    assert headers["X-Resuelve-Delivery"] == str(row.pk)
    row.refresh_from_db()
    assert row.sent_at == clock() and row.attempts == 1
    assert send(row.pk) == "not due or already handled"
    assert len(gateway.received) == 1


def test_messaging_uses_its_own_gateway_or_falls_back_to_the_sms_one(
    settings: Any, gateway: Receiver
) -> None:
    row = text(Transport.MESSAGING)
    assert send(row.pk) == "sent"
    assert json.loads(gateway.received[0]["body"])["channel"] == "messaging"
    other = Receiver()
    try:
        settings.RESUELVE_MESSAGING_GATEWAY_URL = other.url
        assert send(text(Transport.MESSAGING).pk) == "sent"
        assert len(other.received) == 1 and len(gateway.received) == 1
    finally:
        other.close()


def test_a_failing_gateway_is_retried_with_backoff(
    gateway: Receiver, clock: Clock, settings: Any
) -> None:
    settings.RESUELVE_OUTBOX_MAX_ATTEMPTS = 5
    gateway.statuses = [503, 400]
    row = text()
    assert send(row.pk) == "will retry"
    row.refresh_from_db()
    assert row.attempts == 1 and "503" in row.last_error
    assert row.next_attempt_at == clock() + backoff(1)
    assert send_due(now=clock()) == 0  # not due yet
    clock.advance(backoff(1))
    assert send(row.pk) == "will retry"
    clock.advance(backoff(2) + timedelta(seconds=1))
    assert send(row.pk) == "sent"
    assert len(gateway.received) == 3


def test_it_gives_up_at_once_without_a_gateway(settings: Any) -> None:
    settings.RESUELVE_SMS_GATEWAY_URL = ""
    settings.RESUELVE_MESSAGING_GATEWAY_URL = ""
    row = text()
    assert send(row.pk) == "given up"
    row.refresh_from_db()
    assert row.failed_at is not None and row.attempts == 1
    assert "no gateway is configured for sms" in row.last_error
