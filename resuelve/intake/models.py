from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from resuelve.core.prepared import PreparedInsertModel


class IntakeKey(PreparedInsertModel):
    """What makes intake idempotent: one row per (source, key) that has been registered,
    written in the same transaction as the complaint or message it produced. Sources:
    `api:<user id>` with the Idempotency-Key header, `email` with the Message-ID, `portal`
    with the form's one-time token."""

    source = models.CharField(max_length=40)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, blank=True)
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="+"
    )
    message = models.ForeignKey(
        "complaints.Message", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("intake key")
        verbose_name_plural = _("intake keys")
        constraints = [models.UniqueConstraint(fields=["source", "key"], name="intake_key_uniq")]

    def __str__(self) -> str:
        return f"{self.source}:{self.key}"


class PageSlug(models.TextChoices):
    HOW_TO_COMPLAIN = "how-to-complain", _("How to complain")
    STANDARDS = "service-standards", _("Service standards and compensation")
    PRIVACY = "privacy", _("Privacy notice")


class PublishedPage(models.Model):
    """A public page the administrator writes, one row per page and language (A3)."""

    slug = models.CharField(_("page"), max_length=40, choices=PageSlug.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"),
        help_text=_(
            "Plain text or simple HTML (headings, lists, links, bold); scripts are removed."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("published page")
        verbose_name_plural = _("published pages")
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="published_page_uniq")
        ]
        ordering = ["slug", "language"]

    def __str__(self) -> str:
        return f"{self.get_slug_display()} ({self.language})"
