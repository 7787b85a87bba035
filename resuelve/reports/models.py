"""Report subscriptions: who receives which report, how often, in which language and scope,
and when it is due next (the worker's queue: a partial index on the active rows' next_due)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from resuelve.reports import schedule


class ReportKind(models.TextChoices):
    MONTHLY_PDF = "monthly_pdf", _("Monthly management report (PDF)")
    SUMMARY = "summary", _("Summary of the headline figures (e-mail)")


class Frequency(models.TextChoices):
    DAILY = schedule.DAILY, _("Daily, at 07:00 for the day before")
    WEEKLY = schedule.WEEKLY, _("Weekly, on Mondays for the week before")
    MONTHLY = schedule.MONTHLY, _("Monthly, on the 1st for the month before")


class ReportSubscription(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="report_subscriptions",
    )
    kind = models.CharField(_("report"), max_length=20, choices=ReportKind.choices)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    # None: every department the subscriber may see when the report is sent.
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    active = models.BooleanField(_("active"), default=True)
    next_due = models.DateTimeField(_("next due"))
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    last_period_start = models.DateField(_("last period sent from"), null=True, blank=True)
    last_period_end = models.DateField(_("last period sent to"), null=True, blank=True)
    sent_count = models.PositiveIntegerField(_("times sent"), default=0)
    failures = models.PositiveSmallIntegerField(_("failed attempts in a row"), default=0)
    last_error = models.TextField(_("last problem"), blank=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["next_due"], condition=Q(active=True), name="reportsub_due_idx")
        ]
        constraints = [
            # The PDF is the monthly management report: it has no daily or weekly edition.
            models.CheckConstraint(
                condition=~Q(kind="monthly_pdf") | Q(frequency="monthly"),
                name="reportsub_pdf_monthly",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.kind} · {self.frequency}"
