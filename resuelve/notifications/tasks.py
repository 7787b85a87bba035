"""Sending the outbox. Each row is claimed with a conditional update before it is sent, so two
workers never send one notification twice; a failure is retried with exponential backoff
until RESUELVE_OUTBOX_MAX_ATTEMPTS, after which the row is marked given up (visible in the
admin). With the database queue the outbox is the queue: `resuelve worker` calls send_due
every second. Other backends run the `deliver` task queued after commit."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from resuelve.complaints.models import Message
from resuelve.notifications.models import Outbox, Transport

log = logging.getLogger(__name__)

WEBHOOK_TIMEOUT_SECONDS = 10
# While one worker sends, the row's next attempt is pushed this far ahead: a second worker
# (or flush-outbox) leaves it alone, and if the first one dies the row is retried after it.
CLAIM_SECONDS = 120


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... capped at 6 hours."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 6 * 3600))


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class _Mailer:
    """One SMTP connection for a whole batch of e-mails, opened on the first one and opened
    again after a failure (the server may have dropped it): a handshake per message would
    cap one worker at a few dozen e-mails a second."""

    def __init__(self) -> None:
        self._connection: Any = None

    def connection(self) -> Any:
        if self._connection is None:
            self._connection = get_connection()
            self._connection.open()
        return self._connection

    def reset(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:  # already gone
                log.debug("closing a broken mail connection failed", exc_info=True)
            self._connection = None


def _send_email(row: Outbox, mailer: _Mailer | None = None) -> None:
    email = EmailMessage(
        connection=mailer.connection() if mailer is not None else None,
        subject=row.subject,
        body=row.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.recipient],
        headers={k: v for k, v in row.headers.items() if k != "Reply-To"},
        reply_to=[row.headers["Reply-To"]] if row.headers.get("Reply-To") else None,
    )
    email.send()


class GiveUp(Exception):
    """A failure that retrying cannot fix."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirected POST would arrive as a GET without its body (or at another host): a
    # webhook endpoint must answer at its own URL.
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _send_webhook(row: Outbox) -> None:
    endpoint = row.endpoint
    if endpoint is None or not endpoint.active:
        raise GiveUp("the webhook endpoint was removed or deactivated")
    body = row.body.encode()
    request = urllib.request.Request(
        row.recipient,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Resuelve-Webhook/1",
            "X-Resuelve-Event": row.subject,
            "X-Resuelve-Delivery": str(row.pk),
            "X-Resuelve-Signature": sign(endpoint.secret, body),
        },
    )
    with _opener.open(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
        if not 200 <= response.status < 300:
            raise RuntimeError(f"HTTP {response.status}")


GATEWAY_TIMEOUT_SECONDS = 10


def gateway_url(transport: str) -> str:
    """Where text and messaging-app notifications are POSTed: the messaging gateway falls
    back to the SMS one when it is not configured separately."""
    sms = getattr(settings, "RESUELVE_SMS_GATEWAY_URL", "") or ""
    if transport == Transport.MESSAGING:
        return getattr(settings, "RESUELVE_MESSAGING_GATEWAY_URL", "") or sms
    return sms


def gateway_payload(row: Outbox) -> bytes:
    """The generic provider's body: no vendor is hard-wired, an adapter (or the provider's
    own generic-webhook input) maps it to its API."""
    return json.dumps(
        {"to": row.recipient, "channel": row.transport, "text": row.body, "reference": row.pk},
        separators=(",", ":"),
        sort_keys=True,
        ensure_ascii=False,
    ).encode()


def _send_gateway(row: Outbox) -> None:
    url = gateway_url(row.transport)
    if not url:
        raise GiveUp(
            f"no gateway is configured for {row.transport} "
            "(set RESUELVE_SMS_GATEWAY_URL or RESUELVE_MESSAGING_GATEWAY_URL)"
        )
    body = gateway_payload(row)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Resuelve-Gateway/1",
        "X-Resuelve-Delivery": str(row.pk),
    }
    secret = getattr(settings, "RESUELVE_SMS_GATEWAY_SECRET", "") or ""
    if secret:
        headers["X-Resuelve-Signature"] = sign(secret, body)
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    with _opener.open(request, timeout=GATEWAY_TIMEOUT_SECONDS) as response:
        if not 200 <= response.status < 300:
            raise RuntimeError(f"HTTP {response.status}")


def _claim(outbox_id: int, now: datetime) -> bool:
    pending = Q(pk=outbox_id, sent_at__isnull=True, failed_at__isnull=True)
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return bool(
        Outbox.objects.filter(pending & due).update(
            next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS)
        )
    )


NOT_DUE = "not due or already handled"


def send(outbox_id: int, *, mailer: _Mailer | None = None) -> str:
    """Send one outbox row if it is pending and due; safe to run twice, or in two workers."""
    now = timezone.now()
    if not _claim(outbox_id, now):
        return NOT_DUE
    row = Outbox.objects.select_related("endpoint").get(pk=outbox_id)
    try:
        if row.transport == Transport.EMAIL:
            _send_email(row, mailer)
        elif row.transport in (Transport.SMS, Transport.MESSAGING):
            _send_gateway(row)
        else:
            _send_webhook(row)
    except Exception as exc:  # any failure of the far side: retry later
        if mailer is not None and row.transport == Transport.EMAIL:
            mailer.reset()
        attempts = row.attempts + 1
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if attempts >= settings.RESUELVE_OUTBOX_MAX_ATTEMPTS or isinstance(exc, GiveUp):
            Outbox.objects.filter(pk=row.pk).update(
                attempts=attempts, last_error=error, failed_at=timezone.now()
            )
            log.error("outbox %s given up after %s attempts: %s", row.pk, attempts, error)
            return "given up"
        retry_at = timezone.now() + backoff(attempts)
        Outbox.objects.filter(pk=row.pk).update(
            attempts=attempts, last_error=error, next_attempt_at=retry_at
        )
        log.warning(
            "outbox %s attempt %s failed, retry at %s: %s", row.pk, attempts, retry_at, error
        )
        _retry_later(row.pk, retry_at)
        return "will retry"
    sent = timezone.now()
    Outbox.objects.filter(pk=row.pk).update(attempts=row.attempts + 1, sent_at=sent, last_error="")
    if row.message_id:
        Message.objects.filter(pk=row.message_id, delivered_at__isnull=True).update(
            delivered_at=sent
        )
    return "sent"


@task()
def deliver(outbox_id: int) -> str:
    """The task other backends run for one row (see send)."""
    return send(outbox_id)


def _due_ids(now: datetime, limit: int) -> list[int]:
    return list(
        Outbox.objects.filter(sent_at__isnull=True, failed_at__isnull=True)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


def send_due(*, now: datetime | None = None, limit: int = 100) -> int:
    """Send every pending row that is due, oldest first, up to `limit`; returns how many
    were sent or retried by this call (rows another worker claimed first are skipped)."""
    handled = 0
    mailer = _Mailer()
    try:
        for outbox_id in _due_ids(now or timezone.now(), limit):
            if send(outbox_id, mailer=mailer) != NOT_DUE:
                handled += 1
    finally:
        mailer.reset()
    return handled


def _retry_later(outbox_id: int, retry_at: datetime) -> None:
    from resuelve.core.tasks import uses_database_queue

    if uses_database_queue():
        return  # the row is sent by send_due once retry_at has come
    if deliver.get_backend().supports_defer:
        deliver.using(run_after=retry_at).enqueue(outbox_id)
    # Backends that cannot defer (the immediate one in tests) leave the row to flush-outbox.


def flush(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Queue every pending row that is due: the safety net for rows whose task was lost
    (a worker killed mid-send, a queue emptied). Returns how many were queued."""
    ids = _due_ids(now or timezone.now(), limit)
    for outbox_id in ids:
        deliver.enqueue(outbox_id)
    return len(ids)
