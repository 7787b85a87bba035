"""Deadline policies: the legal (or company) terms a complaint must be acknowledged and
answered in, as data an administrator edits. Presets for each jurisdiction of
JURISDICTIONS.md are loaded by a migration; each names its legal source."""

from __future__ import annotations

from datetime import datetime

import holidays
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from resuelve.deadlines.calendar import Calendar, Clock, Term, Unit, deadline


class TermUnit(models.TextChoices):
    HOURS = Unit.HOURS.value, _("hours")
    CALENDAR_DAYS = Unit.CALENDAR_DAYS.value, _("calendar days")
    BUSINESS_DAYS = Unit.BUSINESS_DAYS.value, _("business days")
    CALENDAR_MONTHS = Unit.CALENDAR_MONTHS.value, _("calendar months")


class DeadlinePolicy(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160)
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        help_text=_("ISO code whose public holidays are days off, e.g. CO, ES, CN."),
    )
    subdivision = models.CharField(
        _("region"),
        max_length=10,
        blank=True,
        help_text=_("Region with its own holidays, e.g. MD for Madrid; empty for national."),
    )
    kinds = models.JSONField(
        _("kinds covered"),
        default=list,
        blank=True,
        help_text=_("Complaint kinds this policy covers; empty covers every kind."),
    )
    ack_amount = models.PositiveIntegerField(_("acknowledge within"))
    ack_unit = models.CharField(_("acknowledgement unit"), max_length=20, choices=TermUnit.choices)
    answer_amount = models.PositiveIntegerField(_("answer within"))
    answer_unit = models.CharField(_("answer unit"), max_length=20, choices=TermUnit.choices)
    roll_to_business_day = models.BooleanField(
        _("a term ending on a day off ends on the next business day"), default=False
    )
    extension_amount = models.PositiveIntegerField(
        _("longest extension"),
        default=0,
        help_text=_("How much longer a notified extension may make the term; 0: none."),
    )
    pauses = models.TextField(_("what pauses the clock"), blank=True)
    must_record = models.TextField(_("what the complaint must record"), blank=True)
    external_body = models.CharField(_("external body"), max_length=200, blank=True)
    legal_source = models.CharField(_("legal source"), max_length=300)
    unconfirmed = models.BooleanField(
        _("figures not confirmed against the statute"),
        default=False,
        help_text=_("Collected from public summaries; check them before relying on them."),
    )
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A country or region the holidays calendar does not know would make every filing
        under this policy fail: refuse it here, in the administrator's form."""
        supported = holidays.list_supported_countries()
        self.country = self.country.strip().upper()
        self.subdivision = self.subdivision.strip().upper()
        if self.country and self.country not in supported:
            raise ValidationError(
                {"country": _("There is no holiday calendar for this country code.")}
            )
        if self.subdivision and not self.country:
            raise ValidationError({"subdivision": _("Choose the country of this region first.")})
        if self.subdivision and self.subdivision not in supported[self.country]:
            raise ValidationError({"subdivision": _("This country has no region with this code.")})
        units_in_days = {TermUnit.CALENDAR_DAYS, TermUnit.BUSINESS_DAYS, TermUnit.CALENDAR_MONTHS}
        if self.answer_amount == 0 and self.answer_unit in units_in_days:
            raise ValidationError({"answer_amount": _("The answer term must be at least one.")})

    def calendar(self) -> Calendar:
        return Calendar(
            country=self.country, subdivision=self.subdivision, timezone=settings.TIME_ZONE
        )

    def ack_due(self, received_at: datetime, clock: Clock | None = None) -> datetime:
        term = Term(self.ack_amount, Unit(self.ack_unit), self.roll_to_business_day)
        return deadline(received_at, term, self.calendar(), clock)

    def answer_due(self, received_at: datetime, clock: Clock | None = None) -> datetime:
        term = Term(self.answer_amount, Unit(self.answer_unit), self.roll_to_business_day)
        return deadline(received_at, term, self.calendar(), clock)


class AlertKind(models.TextChoices):
    WARNING = "warning", _("Deadline warning")
    NOTICE = "notice", _("Progress notice to the customer")
    ESCALATION = "escalation", _("Escalation")


class EscalationLevel(models.IntegerChoices):
    SUPERVISOR = 1, _("to the supervisor")
    MANAGER = 2, _("to the managers")


class DeadlineAlert(models.Model):
    """That the deadline job did something about a case, once: a warning at `level` percent
    of the answer term, the progress notice to the customer, or an escalation at `level`.
    The unique row is the claim: two workers scanning at once cannot both insert it."""

    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        on_delete=models.CASCADE,
        related_name="deadline_alerts",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=AlertKind.choices)
    level = models.PositiveSmallIntegerField(_("level"), default=0)
    at = models.DateTimeField(_("at"))
    due_at = models.DateTimeField(_("answer by"), null=True, blank=True)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)

    class Meta:
        verbose_name = _("deadline alert")
        verbose_name_plural = _("deadline alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "kind", "level"], name="deadline_alert_once_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} {self.level}"


class PeriodicRun(models.Model):
    """When a periodic job (resuelve.core.periodic) runs next. A worker runs an occurrence
    only after moving `next_run_at` on with a conditional UPDATE from the value it read, so
    of many workers exactly one runs each occurrence."""

    name = models.CharField(_("job"), max_length=100, unique=True)
    next_run_at = models.DateTimeField(_("next run"))
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_worker = models.CharField(_("last run by"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkerBeat(models.Model):
    """A `resuelve worker` process saying it is alive. A task left RUNNING by a worker that
    stopped beating was killed with it and goes back to the queue (core.periodic)."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    seen_at = models.DateTimeField(_("last seen"))
    started_at = models.DateTimeField(_("started"))
    host = models.CharField(_("host"), max_length=200, blank=True)
    pid = models.PositiveIntegerField(_("process"), default=0)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        indexes = [models.Index(fields=["seen_at"], name="worker_beat_seen_idx")]

    def __str__(self) -> str:
        return self.worker_id
