"""Complaints made in public on a social network (J3): where they come from, the public
thread each case belongs to, and the public replies that wait for a supervisor's approval."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SocialSource(models.Model):
    """A social-listening tool or a platform's webhook that posts public complaints to
    /social/hook/<code>/, signing each request with `secret` (see docs/social.md)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    platform = models.CharField(
        _("platform"), max_length=60, blank=True, help_text=_("e.g. X, Facebook, Instagram.")
    )
    secret = models.CharField(_("signing secret"), max_length=128)
    first_answer_hours = models.PositiveSmallIntegerField(
        _("first public answer within (hours)"), default=2
    )
    deadline_policy = models.ForeignKey(
        "deadlines.DeadlinePolicy",
        verbose_name=_("deadline policy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The answer deadline of public complaints; empty keeps the usual one."),
    )
    reply_endpoint = models.ForeignKey(
        "notifications.WebhookEndpoint",
        verbose_name=_("where approved replies are posted"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: approved replies are posted by hand and marked as posted."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("social source")
        verbose_name_plural = _("social sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PrivateChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    DIRECT = "direct", _("Direct message")


class SocialThread(models.Model):
    """The public post a case came from. While `public`, replies are seen by everyone."""

    complaint = models.OneToOneField(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        on_delete=models.PROTECT,
        related_name="social",
    )
    source = models.ForeignKey(
        SocialSource, verbose_name=_("source"), on_delete=models.PROTECT, related_name="threads"
    )
    external_id = models.CharField(_("post id"), max_length=200)
    author_handle = models.CharField(_("author"), max_length=200, blank=True)
    post_url = models.URLField(_("post address"), max_length=500, blank=True)
    public = models.BooleanField(_("public"), default=True)
    private_channel = models.CharField(
        _("continued on"), max_length=10, choices=PrivateChannel.choices, blank=True
    )
    private_since = models.DateTimeField(_("private since"), null=True, blank=True)
    first_answer_due_at = models.DateTimeField(_("first public answer due"))
    first_answered_at = models.DateTimeField(_("first public answer"), null=True, blank=True)

    class Meta:
        verbose_name = _("social thread")
        verbose_name_plural = _("social threads")
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="social_thread_post")
        ]
        indexes = [models.Index(fields=["first_answered_at", "first_answer_due_at"])]

    def __str__(self) -> str:
        return f"{self.source.code}:{self.external_id}"


class ReplyStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    REJECTED = "rejected", _("Sent back")
    APPROVED = "approved", _("Approved, to post by hand")
    QUEUED = "queued", _("Approved, being posted")
    POSTED = "posted", _("Posted")


class PublicReply(models.Model):
    thread = models.ForeignKey(
        SocialThread, verbose_name=_("thread"), on_delete=models.PROTECT, related_name="replies"
    )
    body = models.TextField(_("reply"))
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=ReplyStatus.choices, default=ReplyStatus.PENDING
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    drafted_at = models.DateTimeField(_("drafted"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)
    outbox = models.ForeignKey(
        "notifications.Outbox",
        verbose_name=_("delivery"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)

    class Meta:
        verbose_name = _("public reply")
        verbose_name_plural = _("public replies")
        ordering = ["drafted_at", "id"]
        indexes = [models.Index(fields=["status", "drafted_at"])]

    def __str__(self) -> str:
        return f"{self.thread} #{self.pk} ({self.status})"
