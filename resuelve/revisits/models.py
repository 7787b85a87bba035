"""The revisit programme (REQUIREMENTS I1-I6, F3; seed 004): who is called, when, by whom,
with which script, and what came of it.

A Revisit row is one call (or message) owed to one customer for one reason in one period;
the unique (customer, reason, period_key) makes the daily build idempotent, however many
times and workers run it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from resuelve.customers.models import ContactChannel, Customer, Product, Tier


class Occasion(models.TextChoices):
    COMPLAINT_FOLLOWUP = "complaint_followup", _("Complaint follow-up")
    MEMBER = "member", _("Member revisit")
    HOLIDAY = "holiday", _("Holiday greeting")
    ANNIVERSARY = "anniversary", _("Membership anniversary")
    BIRTHDAY = "birthday", _("Birthday")
    RENEWAL = "renewal", _("Renewal reminder")
    PROMOTION = "promotion", _("Promotion")


class Status(models.TextChoices):
    PENDING = "pending", _("To classify")
    ASSIGNED = "assigned", _("Assigned")
    SCHEDULED = "scheduled", _("Call back scheduled")
    DONE = "done", _("Done")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (Status.PENDING, Status.ASSIGNED, Status.SCHEDULED)


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


class Outcome(models.TextChoices):
    SATISFIED = "satisfied", _("Reached: satisfied")
    UNSATISFIED = "unsatisfied", _("Reached: unsatisfied")
    REACHED = "reached", _("Reached: greeting or reminder given")
    NO_ANSWER = "no_answer", _("No answer")
    CALLBACK = "callback", _("Asked to be called back")


# Outcomes that close the revisit; the others keep it on the list.
FINAL_OUTCOMES = (Outcome.SATISFIED, Outcome.UNSATISFIED, Outcome.REACHED)
# How a revisit may reach the customer (a letter is not a revisit).
REVISIT_CHANNELS = (
    ContactChannel.PHONE,
    ContactChannel.SMS,
    ContactChannel.MESSAGING,
    ContactChannel.EMAIL,
)


class RevisitSchedule(models.Model):
    """How often the members of one tier are revisited, and which occasions they get."""

    tier = models.CharField(
        _("membership tier"),
        max_length=10,
        unique=True,
        choices=[c for c in Tier.choices if c[0] != Tier.NONE],
    )
    every_days = models.PositiveSmallIntegerField(
        _("revisit every (days)"),
        help_text=_("Every member of the tier is revisited once per period."),
    )
    starts_on = models.DateField(
        _("first period starts on"),
        help_text=_("Members are spread evenly over each period counted from this day."),
    )
    birthdays = models.BooleanField(_("birthday calls"), default=True)
    anniversaries = models.BooleanField(_("membership anniversary calls"), default=True)
    holidays = models.BooleanField(_("holiday greetings"), default=False)
    renewal_notice_days = models.PositiveSmallIntegerField(
        _("renewal reminder (days before)"),
        default=14,
        help_text=_("0: no renewal reminders."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("revisit schedule")
        verbose_name_plural = _("revisit schedules")
        ordering = ["every_days"]

    def __str__(self) -> str:
        return f"{self.get_tier_display()} · {self.every_days}"


class Promotion(models.Model):
    name = models.CharField(_("name"), max_length=160)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    tiers = models.JSONField(
        _("membership tiers"),
        default=list,
        blank=True,
        help_text=_('Tiers invited, e.g. ["gold", "platinum"]; empty: every member.'),
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("only buyers of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField(_("what to tell the customer"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.name


class CallScript(models.Model):
    """What the specialist says, per language and occasion (I5). Placeholders: {customer},
    {specialist}, {company}, {promotion}."""

    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices)
    greeting = models.TextField(_("greeting"))
    satisfied = models.TextField(_("if satisfied"))
    unsatisfied = models.TextField(_("if unsatisfied or so-so"))
    closing = models.TextField(_("closing"))

    class Meta:
        verbose_name = _("call script")
        verbose_name_plural = _("call scripts")
        ordering = ["occasion", "language"]
        constraints = [
            models.UniqueConstraint(fields=["language", "occasion"], name="callscript_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_occasion_display()} · {self.language}"


class Specialist(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="revisit_specialist",
    )
    active = models.BooleanField(_("active"), default=True)
    daily_capacity = models.PositiveSmallIntegerField(_("calls per day"), default=40)
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_('e.g. ["es", "en"]; empty: any.')
    )
    tiers = models.JSONField(
        _("membership tiers served"),
        default=list,
        blank=True,
        help_text=_('e.g. ["platinum"]; empty: every tier.'),
    )
    handles_complaints = models.BooleanField(_("follows up complaints"), default=True)

    class Meta:
        verbose_name = _("revisit specialist")
        verbose_name_plural = _("revisit specialists")

    def __str__(self) -> str:
        return str(self.user)


class Revisit(models.Model):
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="revisits"
    )
    reason = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices)
    # Which period or event the revisit is for: one revisit per customer, reason and key.
    period_key = models.CharField(max_length=40, editable=False)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("case followed up"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    promotion = models.ForeignKey(
        Promotion,
        verbose_name=_("promotion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revisits",
    )
    due_on = models.DateField(_("due"))
    latest_on = models.DateField(_("at the latest"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    priority = models.CharField(
        _("priority"), max_length=6, choices=Priority.choices, blank=True, default=""
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("specialist"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    callback_at = models.DateTimeField(_("call back at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    channel = models.CharField(
        _("channel"), max_length=10, choices=ContactChannel.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    suggestions = models.TextField(_("suggestions and remarks"), blank=True)
    new_complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("case opened"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("revisit")
        verbose_name_plural = _("revisits")
        ordering = ["-due_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "reason", "period_key"], name="revisit_unique_period"
            )
        ]
        indexes = [
            # A specialist's today view: their open revisits due by today.
            models.Index(fields=["assigned_to", "status", "due_on"], name="revisit_today_idx"),
            # The supervisor's list and the sweep: open revisits by due day.
            models.Index(fields=["status", "due_on"], name="revisit_status_idx"),
            # Coverage by period and the summary by completion.
            models.Index(fields=["reason", "due_on"], name="revisit_reason_idx"),
            models.Index(fields=["done_at"], name="revisit_done_idx"),
            models.Index(fields=["customer", "-due_on"], name="revisit_customer_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.reason} {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
