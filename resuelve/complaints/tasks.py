"""Background work for complaints. Tasks fetch their rows and are safe to run twice."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from resuelve.complaints.models import Message

log = logging.getLogger(__name__)


@task()
def deliver_message(message_id: int) -> str:
    """E-mail a customer-visible message to the customer, once."""
    message = Message.objects.select_related("complaint").get(pk=message_id)
    if message.delivered_at is not None:
        return "already delivered"
    case = message.complaint
    if not case.contact_email:
        return "no e-mail address"
    with translation.override(case.language):
        subject = _("[%(code)s] %(subject)s") % {
            "code": case.tracking_code,
            "subject": case.subject,
        }
    email = EmailMessage(
        subject=subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[case.contact_email],
        headers={
            "Message-ID": f"<{case.tracking_code}.{message.pk}@resuelve>",
            "Content-Language": case.language,
        },
    )
    email.send()
    Message.objects.filter(pk=message.pk, delivered_at__isnull=True).update(
        delivered_at=timezone.now()
    )
    return "sent"
