"""Playbooks for routine cases and reply templates (REQUIREMENTS C5).

A playbook is the set procedure for a recurring problem of one category (and optionally one
kind): a checklist the agent ticks on the case, the usual remedy within the front-line limit
and the reply templates to use. A case the agent judges unusual is marked not routine and goes
to the department's specialists. Reply templates hold one text per language; a language
without a text is shown as missing, never silently replaced."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from resuelve.accounts.roles import AUTHORITY_LIMITS, Role
from resuelve.complaints.lifecycle import Action, Kind
from resuelve.complaints.models import Category, Complaint

# The steps of the case page whose form carries a text the customer reads: the reply
# templates are chosen for one of these (or for any).
TEMPLATE_ACTIONS = [
    (Action.ACKNOWLEDGE.value, Action.ACKNOWLEDGE.label),
    (Action.ASSESS.value, Action.ASSESS.label),
    (Action.WAIT.value, Action.WAIT.label),
    (Action.COMMUNICATE.value, Action.COMMUNICATE.label),
    (Action.REFER_EXTERNAL.value, Action.REFER_EXTERNAL.label),
    (Action.RESOLVE.value, Action.RESOLVE.label),
    (Action.REPLY.value, Action.REPLY.label),
]


class ReplyTemplate(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=Kind.choices,
        blank=True,
        help_text=_("Empty: every kind."),
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: every category."),
    )
    action = models.CharField(
        _("step"),
        max_length=24,
        choices=TEMPLATE_ACTIONS,
        blank=True,
        help_text=_("The step whose customer text this fills; empty: a message to the customer."),
    )
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def missing_languages(self) -> list[str]:
        have = {t.language for t in self.texts.all()}
        return [code for code, _name in settings.LANGUAGES if code not in have]


class ReplyTemplateText(models.Model):
    template = models.ForeignKey(
        ReplyTemplate, verbose_name=_("template"), on_delete=models.CASCADE, related_name="texts"
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(
        _("text"),
        help_text=_(
            "Placeholders: {customer_name} {tracking_code} {deadline} {remedy} {agent_name} "
            "{company}."
        ),
    )

    class Meta:
        verbose_name = _("template text")
        verbose_name_plural = _("template texts")
        ordering = ["template", "language"]
        constraints = [
            models.UniqueConstraint(fields=["template", "language"], name="reply_text_lang_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.template} · {self.language}"


def front_line_limit() -> Decimal:
    return AUTHORITY_LIMITS[Role.AGENT] or Decimal("0")


class Playbook(models.Model):
    name = models.CharField(_("name"), max_length=120)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="playbooks"
    )
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=Kind.choices,
        blank=True,
        help_text=_("Empty: every kind of this category."),
    )
    active = models.BooleanField(_("active"), default=True)
    usual_remedy = models.TextField(_("usual remedy"), blank=True)
    usual_amount = models.DecimalField(
        _("usual amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Within the front-line authority limit, so an agent may give it alone."),
    )
    templates = models.ManyToManyField(
        ReplyTemplate, verbose_name=_("reply templates"), blank=True, related_name="playbooks"
    )
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")
        ordering = ["category__name", "kind", "name"]
        constraints = [
            # One procedure per category and kind, so a case never has two.
            models.UniqueConstraint(
                fields=["category", "kind"],
                condition=Q(active=True),
                name="playbook_active_category_kind_uniq",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        limit = front_line_limit()
        if self.usual_amount is not None and self.usual_amount > limit:
            raise ValidationError(
                {
                    "usual_amount": _(
                        "The usual amount must be within the front-line limit of %(limit)s."
                    )
                    % {"limit": formats.number_format(limit, 0, force_grouping=True)}
                }
            )
        if self.usual_amount is not None and self.usual_amount < 0:
            raise ValidationError({"usual_amount": _("The amount cannot be negative.")})


class PlaybookStep(models.Model):
    playbook = models.ForeignKey(
        Playbook, verbose_name=_("playbook"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    # Steps are written in the company language; staff who read another language may get a
    # translation, which falls back to the company text when absent.
    text = models.CharField(_("step"), max_length=300)
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_('Optional, by language code: {"en": "...", "et": "..."}.'),
    )

    class Meta:
        verbose_name = _("playbook step")
        verbose_name_plural = _("playbook steps")
        ordering = ["playbook", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["playbook", "order"], name="playbook_step_order_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text}"

    def clean(self) -> None:
        languages = {code for code, _name in settings.LANGUAGES}
        if not isinstance(self.translations, dict) or any(
            key not in languages or not isinstance(value, str)
            for key, value in self.translations.items()
        ):
            raise ValidationError(
                {
                    "translations": _("Give texts by language code: %(codes)s.")
                    % {"codes": ", ".join(sorted(languages))}
                }
            )

    def text_in(self, language: str | None = None) -> str:
        language = language or get_language() or settings.LANGUAGE_CODE
        return (self.translations or {}).get(language) or self.text


class PlaybookTick(models.Model):
    """A step done on a case. Unticking deletes the row; both are in the case's audit trail."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )
    step = models.ForeignKey(
        PlaybookStep, verbose_name=_("step"), on_delete=models.PROTECT, related_name="ticks"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("done"))

    class Meta:
        verbose_name = _("ticked step")
        verbose_name_plural = _("ticked steps")
        constraints = [
            models.UniqueConstraint(fields=["complaint", "step"], name="playbook_tick_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} · {self.step}"


class CaseGuidance(models.Model):
    """A case taken out of its routine: who judged it unusual, when and why (C5)."""

    complaint = models.OneToOneField(
        Complaint, verbose_name=_("case"), on_delete=models.PROTECT, related_name="guidance"
    )
    playbook = models.ForeignKey(
        Playbook,
        verbose_name=_("playbook"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    routine = models.BooleanField(_("routine"), default=True)
    non_routine_reason = models.TextField(_("why it is not routine"), blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked"), null=True, blank=True)

    class Meta:
        verbose_name = _("case guidance")
        verbose_name_plural = _("case guidance")

    def __str__(self) -> str:
        return f"{self.complaint_id} · {'routine' if self.routine else 'not routine'}"
