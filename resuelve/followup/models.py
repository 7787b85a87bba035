"""Satisfaction surveys after resolution (REQUIREMENTS F4, F5) and the follow-up tasks a low
score opens for the department's supervisor (F3).

A survey's private link carries a random secret; only its SHA-256 is stored (SurveyLink), one
per message sent, so the first e-mail's link still works after a reminder and nothing in the
database rebuilds a link. The survey's status is derived from its timestamps."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

COMMENT_MAX = 2000


class SurveyChannel(models.TextChoices):
    """The channels a survey goes out on (a subset of customers.ContactChannel)."""

    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message")
    MESSAGING = "messaging", _("Messaging app")


class Compared(models.TextChoices):
    """F5: how we handled it, compared with other companies the customer buys from."""

    MUCH_WORSE = "much_worse", _("Much worse")
    WORSE = "worse", _("Worse")
    SAME = "same", _("About the same")
    BETTER = "better", _("Better")
    MUCH_BETTER = "much_better", _("Much better")


class SurveyStatus(models.TextChoices):
    NOT_SENT = "not_sent", _("Not sent")
    SCHEDULED = "scheduled", _("Scheduled")
    SENT = "sent", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")
    EXPIRED = "expired", _("Expired")


class Survey(models.Model):
    complaint = models.OneToOneField(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        on_delete=models.PROTECT,
        related_name="survey",
    )
    # Null when the case was filed with contact details only (no customer record).
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    # Blank: no channel the customer consented to (see not_sent_reason).
    channel = models.CharField(
        _("channel"), max_length=10, choices=SurveyChannel.choices, blank=True
    )
    recipient = models.CharField(_("sent to"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("created"))
    # Not before this moment (the end of the customer's quiet hours for text messages).
    send_after = models.DateTimeField(_("send after"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    not_sent_reason = models.CharField(_("not sent because"), max_length=200, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminder_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    expired_at = models.DateTimeField(_("expired"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    csat = models.PositiveSmallIntegerField(_("satisfaction (1-5)"), null=True, blank=True)
    effort = models.PositiveSmallIntegerField(_("ease (1-5)"), null=True, blank=True)
    nps = models.PositiveSmallIntegerField(_("likely to recommend (0-10)"), null=True, blank=True)
    compared = models.CharField(
        _("compared with other companies"), max_length=12, choices=Compared.choices, blank=True
    )
    solved = models.BooleanField(_("solved"), null=True, blank=True)
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX, blank=True)

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        indexes = [
            # The sending job: created, not sent, not given up.
            models.Index(
                fields=["send_after"],
                name="survey_to_send_idx",
                condition=Q(sent_at__isnull=True, not_sent_reason=""),
            ),
            # Reminders and expiry: sent, not answered, not expired.
            models.Index(
                fields=["sent_at"],
                name="survey_waiting_idx",
                condition=Q(answered_at__isnull=True, expired_at__isnull=True)
                & Q(sent_at__isnull=False),
            ),
            models.Index(fields=["answered_at"], name="survey_answered_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(csat__isnull=True) | Q(csat__gte=1, csat__lte=5), name="survey_csat"
            ),
            models.CheckConstraint(
                condition=Q(effort__isnull=True) | Q(effort__gte=1, effort__lte=5),
                name="survey_effort",
            ),
            models.CheckConstraint(
                condition=Q(nps__isnull=True) | Q(nps__lte=10), name="survey_nps"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.status}"

    def status_at(self, now: datetime) -> str:
        if self.answered_at is not None:
            return SurveyStatus.ANSWERED
        if self.expired_at is not None or (self.expires_at is not None and self.expires_at <= now):
            return SurveyStatus.EXPIRED
        if self.sent_at is not None:
            return SurveyStatus.SENT
        if self.not_sent_reason:
            return SurveyStatus.NOT_SENT
        return SurveyStatus.SCHEDULED

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    def get_status_display(self) -> str:
        return str(SurveyStatus(self.status).label)


class SurveyLink(models.Model):
    """One private link sent to the customer (the invitation or a reminder): only the
    SHA-256 of its secret is kept."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("survey link")
        verbose_name_plural = _("survey links")

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.token_hash[:8]}…"


class TaskReason(models.TextChoices):
    NOT_SOLVED = "not_solved", _("The customer says it is not solved")
    LOW_CSAT = "low_csat", _("Low satisfaction")
    LOW_NPS = "low_nps", _("Would not recommend us")


class FollowUpTask(models.Model):
    """A case that needs the supervisor's attention again after the customer's answer."""

    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        on_delete=models.PROTECT,
        related_name="followup_tasks",
    )
    survey = models.ForeignKey(
        Survey,
        verbose_name=_("survey"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    reason = models.CharField(_("reason"), max_length=12, choices=TaskReason.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The department's head when it has one; every supervisor of the department sees the task.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("opened"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        indexes = [
            models.Index(
                fields=["department", "created_at"],
                name="followup_task_open_idx",
                condition=Q(done_at__isnull=True),
            )
        ]
        constraints = [
            # One task per answer, however many workers or double submissions.
            models.UniqueConstraint(
                fields=["survey"],
                name="followup_task_one_per_survey",
                condition=Q(survey__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.reason}"

    @property
    def is_open(self) -> bool:
        return self.done_at is None
