"""Staff competence, training, hiring standards and contests between staff (REQUIREMENTS H6,
A4: employees are rewarded and thanked for handling complaints well).

Skills and languages are not kept here: they live on routing.AgentProfile, which automatic
assignment reads, and the competence page edits them there. What routing does not need
(notes on a person's competence) is kept in CompetenceNote. Recognitions are
remedies.StaffRecognition rows; a contest's prize is a ledger row of kind "staff_reward"."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from resuelve.accounts.models import Department
from resuelve.accounts.roles import Role


class CompetenceNote(models.Model):
    """What a supervisor notes about one person's competence, beside their skills."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="competence_note",
    )
    notes = models.TextField(_("notes on competence"), blank=True)
    updated_at = models.DateTimeField(_("updated"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("competence note")
        verbose_name_plural = _("competence notes")

    def __str__(self) -> str:
        return str(self.user)


class TrainingRecord(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trained"),
        on_delete=models.CASCADE,
        related_name="training_records",
    )
    title = models.CharField(_("course"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    completed_on = models.DateField(_("completed on"))
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True, help_text=_("Empty: it does not expire.")
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-completed_on", "-id"]
        indexes = [models.Index(fields=["expires_on"], name="training_expires_idx")]

    def __str__(self) -> str:
        return f"{self.user}: {self.title}"

    def clean(self) -> None:
        if self.expires_on and self.completed_on and self.expires_on < self.completed_on:
            raise ValidationError({"expires_on": _("It expires before it was completed.")})


class HiringStandard(models.Model):
    """What a role's staff must bring (H6: hiring standards): an ordered checklist."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, unique=True)
    introduction = models.TextField(_("introduction"), blank=True)

    class Meta:
        verbose_name = _("hiring standard")
        verbose_name_plural = _("hiring standards")
        ordering = ["role"]

    def __str__(self) -> str:
        return str(self.get_role_display())


class HiringRequirement(models.Model):
    standard = models.ForeignKey(
        HiringStandard,
        verbose_name=_("standard"),
        on_delete=models.CASCADE,
        related_name="requirements",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("requirement"), max_length=300)

    class Meta:
        verbose_name = _("hiring requirement")
        verbose_name_plural = _("hiring requirements")
        ordering = ["standard", "position", "id"]

    def __str__(self) -> str:
        return self.text


class HiringCheck(models.Model):
    """Whether one person meets one requirement of their role's standard, and the evidence."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="hiring_checks",
    )
    requirement = models.ForeignKey(
        HiringRequirement,
        verbose_name=_("requirement"),
        on_delete=models.CASCADE,
        related_name="checks",
    )
    met = models.BooleanField(_("met"), default=False)
    evidence = models.CharField(_("evidence"), max_length=300, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked"))

    class Meta:
        verbose_name = _("hiring check")
        verbose_name_plural = _("hiring checks")
        constraints = [
            models.UniqueConstraint(fields=["user", "requirement"], name="hiring_check_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.requirement_id} {self.met}"


class Metric(models.TextChoices):
    CSAT = "csat", _("Best average satisfaction (CSAT)")
    ON_TIME = "on_time", _("Highest on-time answer rate")
    FIRST_CONTACT = "first_contact", _("Highest first-contact resolution rate")
    RESOLVED = "resolved", _("Most cases resolved")


class ContestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Contest(models.Model):
    """A contest between staff over one measure of their cases received in a period (H6)."""

    name = models.CharField(_("name"), max_length=160)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: every department."),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (inclusive)"))
    metric = models.CharField(_("measure"), max_length=20, choices=Metric.choices)
    min_volume = models.PositiveIntegerField(
        _("minimum cases"),
        default=10,
        help_text=_("People with fewer cases counted for the measure do not compete."),
    )
    prize_amount = models.DecimalField(
        _("prize"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="COP")
    fund = models.ForeignKey(
        "remedies.RewardFund",
        verbose_name=_("paid from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the first open reward fund in the prize's currency."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ContestStatus.choices, default=ContestStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-ends_on", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == ContestStatus.OPEN


class ContestWinner(models.Model):
    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="winners"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("winner"),
        on_delete=models.PROTECT,
        related_name="contest_wins",
    )
    value = models.DecimalField(_("result"), max_digits=10, decimal_places=2)
    volume = models.PositiveIntegerField(_("cases"))
    recognition = models.OneToOneField(
        "remedies.StaffRecognition",
        verbose_name=_("recognition"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ledger_entry = models.OneToOneField(
        "remedies.LedgerEntry",
        verbose_name=_("prize paid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("contest winner")
        verbose_name_plural = _("contest winners")
        ordering = ["contest", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "user"], name="contest_winner_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.contest_id}: {self.user_id}"
