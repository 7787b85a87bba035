"""Routing rules an administrator edits, and what automatic assignment needs to know about
the people in a department: capacity, skills, languages and absences (C3, C4)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from resuelve.accounts.models import Department
from resuelve.complaints.lifecycle import Kind
from resuelve.complaints.models import Category, Channel, Severity
from resuelve.customers.models import Product, Supplier, Tier


def _check_choices(values: object, allowed: list[str], field: str) -> None:
    if not isinstance(values, list) or any(v not in allowed for v in values):
        raise ValidationError(
            {
                field: _("Choose from: %(choices)s.")
                % {"choices": ", ".join(str(a) for a in allowed)}
            }
        )


class RoutingRule(models.Model):
    """When every condition that is filled in holds, the rule's actions apply. Rules are
    evaluated in `position` order; an earlier matching rule's action wins over a later one's
    for the same field, and a rule with `stop` ends the evaluation."""

    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveIntegerField(
        _("order"), default=100, help_text=_("Lower numbers are evaluated first.")
    )
    active = models.BooleanField(_("active"), default=True)
    stop = models.BooleanField(
        _("stop here"), default=True, help_text=_("When this rule matches, evaluate no more.")
    )

    # Conditions: an empty condition holds for every case.
    kinds = models.JSONField(_("kinds"), default=list, blank=True)
    categories = models.ManyToManyField(
        Category, verbose_name=_("categories"), blank=True, related_name="+"
    )
    channels = models.JSONField(_("channels"), default=list, blank=True)
    products = models.ManyToManyField(
        Product, verbose_name=_("products or services"), blank=True, related_name="+"
    )
    suppliers = models.ManyToManyField(
        Supplier, verbose_name=_("suppliers"), blank=True, related_name="+"
    )
    customer_tiers = models.JSONField(_("customer tiers"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    text_contains = models.TextField(
        _("text contains"),
        blank=True,
        help_text=_(
            "Words or phrases, one per line; the rule holds when the subject or the "
            "description contains any of them (case and accents ignored)."
        ),
    )

    # Actions: an empty action leaves that field to later rules and the defaults.
    department = models.ForeignKey(
        Department,
        verbose_name=_("route to department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assign to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the least-loaded available person of the department."),
    )
    severity = models.CharField(
        _("set severity"), max_length=10, choices=Severity.choices, blank=True
    )
    confidential = models.BooleanField(
        _("mark confidential"),
        null=True,
        blank=True,
        help_text=_("Serious cases handled confidentially, with a superior involved (C6)."),
    )
    deadline_policy = models.ForeignKey(
        "deadlines.DeadlinePolicy",
        verbose_name=_("deadline policy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        _check_choices(self.kinds, list(Kind.values), "kinds")
        _check_choices(self.channels, list(Channel.values), "channels")
        _check_choices(self.customer_tiers, list(Tier.values), "customer_tiers")
        _check_choices(self.languages, [code for code, _n in settings.LANGUAGES], "languages")
        if self.assignee_id and self.department_id:
            assignee = self.assignee
            if not (
                assignee.sees_all_departments
                or assignee.departments.filter(pk=self.department_id).exists()
            ):
                raise ValidationError(
                    {"assignee": _("This person is not a member of the department.")}
                )
        if not any(
            [
                self.department_id,
                self.assignee_id,
                self.severity,
                self.confidential is not None,
                self.deadline_policy_id,
            ]
        ):
            raise ValidationError(_("Give the rule at least one action."))


class AgentProfile(models.Model):
    """How automatic assignment sees one person. Only people with a profile that takes
    assignments are given cases automatically; the others pick cases from the queue."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="agent_profile",
    )
    takes_assignments = models.BooleanField(_("takes automatic assignments"), default=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), default=25, help_text=_("Open cases this person can carry at once.")
    )
    skills = models.ManyToManyField(
        Category,
        verbose_name=_("skills"),
        blank=True,
        related_name="+",
        help_text=_("Categories this person handles; empty: every category."),
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_("Languages this person answers in; empty: every language."),
    )

    class Meta:
        verbose_name = _("agent profile")
        verbose_name_plural = _("agent profiles")

    def __str__(self) -> str:
        return str(self.user)

    def clean(self) -> None:
        _check_choices(self.languages, [code for code, _n in settings.LANGUAGES], "languages")


class Absence(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="absences",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (inclusive)"))
    reason = models.CharField(_("reason"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["-starts_on"]
        indexes = [models.Index(fields=["ends_on", "starts_on"], name="absence_dates_idx")]

    def __str__(self) -> str:
        return f"{self.user}: {self.starts_on} – {self.ends_on}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The absence ends before it starts.")})

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on
