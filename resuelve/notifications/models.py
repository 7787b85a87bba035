"""The outbox: every notification is a row written in the same transaction as the change
that causes it, then sent by the task worker with retries (see tasks.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from resuelve.core.prepared import PreparedInsertModel


class Transport(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Webhook")
    # Text messages and messaging apps go through a configurable HTTP gateway (tasks.py).
    SMS = "sms", _("Text message")
    MESSAGING = "messaging", _("Messaging app")


class Outbox(PreparedInsertModel):
    transport = models.CharField(_("transport"), max_length=10, choices=Transport.choices)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    message = models.ForeignKey(
        "complaints.Message",
        verbose_name=_("message"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outbox",
    )
    endpoint = models.ForeignKey(
        "notifications.WebhookEndpoint",
        verbose_name=_("webhook"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    recipient = models.CharField(_("recipient"), max_length=500)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("body"))
    headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("written"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    failed_at = models.DateTimeField(_("given up"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outgoing notification")
        verbose_name_plural = _("outbox")
        indexes = [
            # Pending rows (sent_at and failed_at both null) by when they are due.
            models.Index(fields=["sent_at", "failed_at", "next_attempt_at"], name="outbox_due_idx")
        ]

    def __str__(self) -> str:
        return f"{self.transport} → {self.recipient}"

    @property
    def pending(self) -> bool:
        return self.sent_at is None and self.failed_at is None


class WebhookEvent(models.TextChoices):
    CREATED = "complaint.created", _("Complaint created")
    STATE_CHANGED = "complaint.state_changed", _("Complaint state changed")
    MESSAGE = "complaint.message", _("Message added")


def _all_events() -> list[str]:
    return [WebhookEvent.CREATED, WebhookEvent.STATE_CHANGED]


class WebhookEndpoint(models.Model):
    """An integration that wants to hear about complaints. Each POST carries
    `X-Resuelve-Signature: sha256=<hex HMAC of the body with the secret>`."""

    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=128)
    events = models.JSONField(_("events"), default=_all_events)
    active = models.BooleanField(_("active"), default=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.url
