"""Writing notifications to the outbox. Called inside the transaction of the change that
causes them, so a notification exists if and only if its change was committed."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from resuelve.complaints import tracking
from resuelve.core.prepared import insert_only
from resuelve.core.tasks import uses_database_queue
from resuelve.notifications.models import Outbox, Transport, WebhookEndpoint, WebhookEvent

if TYPE_CHECKING:
    from resuelve.complaints.models import Complaint, ComplaintEvent, Message

# Endpoints are read at most this often per process: intake must not pay a query per case.
_ENDPOINT_TTL_SECONDS = 5.0
_endpoint_cache: tuple[float, list[WebhookEndpoint]] = (0.0, [])


def private_url(case: Complaint) -> str:
    """The customer's private link to their case (no sign-in, no e-mail needed)."""
    path = reverse(
        "intake:case",
        kwargs={"code": case.tracking_code, "key": tracking.access_key(case.tracking_code)},
    )
    return f"{settings.RESUELVE_PUBLIC_URL}{path}"


def _schedule(outbox_id: int) -> None:
    """Hand the row to the task worker. With the database queue the outbox row is its own
    queue entry: every `resuelve worker` sends pending rows as they come due, so nothing more
    is written. Other backends (RQ) get a task after commit, and `resuelve flush-outbox`
    re-queues anything left pending."""
    if uses_database_queue():
        return
    from resuelve.notifications.tasks import deliver

    transaction.on_commit(lambda: deliver.enqueue(outbox_id))


def outbox_retry(rows: Iterable[Outbox]) -> int:
    """Send unsent rows again now, given up or not (the admin's "send again"); returns how
    many were revived. Their attempts are kept, so the history shows every try."""
    revived = 0
    for row in rows:
        if row.sent_at is None:
            Outbox.objects.filter(pk=row.pk, sent_at__isnull=True).update(
                failed_at=None, next_attempt_at=None
            )
            _schedule(row.pk)
            revived += 1
    return revived


@dataclass(frozen=True)
class Email:
    """A customer e-mail rendered and ready for the outbox (the Message-ID, which carries
    the message's number, is added when the row is written)."""

    recipient: str
    subject: str
    body: str
    headers: dict[str, str]


def customer_email(case: Complaint, message: Message) -> Email | None:
    """The e-mail for a customer-visible message, in the customer's language with the case's
    private link; None when the customer left no e-mail address. Reads nothing from the
    database, so it can be rendered before a transaction starts."""
    if not case.contact_email:
        return None
    with translation.override(case.language):
        subject = _("[%(code)s] %(subject)s") % {
            "code": case.tracking_code,
            "subject": case.subject,
        }
        body = render_to_string(
            "notifications/email/customer_message.txt",
            {
                "case": case,
                "message": message,
                "link": private_url(case),
                "company": settings.RESUELVE_COMPANY_NAME,
            },
        )
    headers = {
        "Content-Language": case.language,
        "Auto-Submitted": "auto-generated" if message.author_id is None else "no",
    }
    if settings.RESUELVE_INTAKE_ADDRESS:
        headers["Reply-To"] = settings.RESUELVE_INTAKE_ADDRESS
    return Email(recipient=case.contact_email, subject=subject[:300], body=body, headers=headers)


def outbox_email(case: Complaint, message: Message, email: Email) -> Outbox:
    """Write a rendered e-mail for a saved message to the outbox and hand it to the worker.
    With the database queue nothing reads the row's key (workers find it by its state), so
    it is inserted without waiting for it: on PostgreSQL, one round trip less per filing."""
    row = Outbox(
        transport=Transport.EMAIL,
        complaint=case,
        message=message,
        recipient=email.recipient,
        subject=email.subject,
        body=email.body,
        headers={"Message-ID": f"<{case.tracking_code}.{message.pk}@resuelve>", **email.headers},
        created_at=timezone.now(),
    )
    if uses_database_queue():
        insert_only([row])
        return row
    row.save(force_insert=True)
    _schedule(row.pk)
    return row


def outbox_customer_email(message: Message) -> Outbox | None:
    """Queue a customer-visible message for e-mail, rendered in the customer's language with
    the case's private link; nothing is queued when the customer left no e-mail address."""
    case = message.complaint
    email = customer_email(case, message)
    return None if email is None else outbox_email(case, message, email)


def _active_endpoints() -> list[WebhookEndpoint]:
    global _endpoint_cache
    fetched_at, endpoints = _endpoint_cache
    now = time.monotonic()
    if now - fetched_at > _ENDPOINT_TTL_SECONDS:
        endpoints = list(WebhookEndpoint.objects.filter(active=True))
        _endpoint_cache = (now, endpoints)
    return endpoints


def forget_endpoints() -> None:
    """Drop the per-process endpoint cache (after an endpoint is added or changed)."""
    global _endpoint_cache
    _endpoint_cache = (0.0, [])


def webhook_payload(case: Complaint, event: ComplaintEvent, name: str) -> dict[str, Any]:
    return {
        "event": name,
        "tracking_code": case.tracking_code,
        "seq": event.seq,
        "at": event.at.isoformat(),
        "action": event.action,
        "from_state": event.from_state or None,
        "state": case.state,
        "kind": case.kind,
        "channel": case.channel,
        "department": case.department.code if case.department_id else None,
    }


def outbox_webhooks(case: Complaint, event: ComplaintEvent) -> list[Outbox]:
    """Queue one signed POST per interested endpoint for a new case or a change of state."""
    if event.from_state == "":
        name = WebhookEvent.CREATED
    elif event.from_state != event.to_state:
        name = WebhookEvent.STATE_CHANGED
    else:
        return []
    endpoints = [e for e in _active_endpoints() if name in (e.events or [])]
    if not endpoints:
        return []
    body = json.dumps(webhook_payload(case, event, name), separators=(",", ":"), sort_keys=True)
    now = timezone.now()
    rows = []
    for endpoint in endpoints:
        row = Outbox.objects.create(
            transport=Transport.WEBHOOK,
            complaint=case,
            endpoint=endpoint,
            recipient=endpoint.url,
            subject=name,
            body=body,
            created_at=now,
        )
        _schedule(row.pk)
        rows.append(row)
    return rows


def webhook_endpoint_create(
    *,
    url: str,
    secret: str = "",
    events: list[str] | None = None,
    description: str = "",
    active: bool = True,
    created_by: Any = None,
) -> WebhookEndpoint:
    """Register an endpoint; a signing secret is generated when none is given."""
    endpoint = WebhookEndpoint.objects.create(
        url=url,
        secret=secret or secrets.token_urlsafe(32),
        events=list(events)
        if events is not None
        else [WebhookEvent.CREATED, WebhookEvent.STATE_CHANGED],
        description=description,
        active=active,
        created_by=created_by,
    )
    forget_endpoints()
    return endpoint


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Stop sending to an endpoint. It is deactivated, not deleted, so its delivery history
    stays; pending deliveries to it are given up by the sender."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(active=False)
    forget_endpoints()
