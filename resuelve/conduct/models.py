"""The conduct check's rules (edited by the administrator) and the count of overrides: a
message the agent sent although the check flagged it."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from resuelve.complaints.models import Complaint
from resuelve.conduct.check import AMOUNT, KIND_LABELS, KINDS, compile_pattern

KIND_CHOICES = [(kind, KIND_LABELS[kind]) for kind in KINDS]


class ConductRule(models.Model):
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    kind = models.CharField(_("kind"), max_length=20, choices=KIND_CHOICES)
    pattern = models.TextField(
        _("pattern"),
        help_text=_(
            "A regular expression. Spanish, English and Estonian text is matched in lower case "
            "without accents, so write the pattern that way and use \\b for word boundaries; "
            "Chinese patterns are matched as substrings. For no-apology and no-acknowledgement "
            "rules the pattern says what counts as an apology or acknowledgement. "
            '"<amount>" stands for the comparison with the approved amounts. '
            "Test this rule: write a sentence in a reply on a test case, or run "
            "`resuelve shell -c` with resuelve.conduct.check.check_text."
        ),
    )
    unless = models.TextField(
        _("unless"),
        blank=True,
        help_text=_("A regular expression that excuses the sentence (negation, softening)."),
    )
    suggestion = models.TextField(
        _("suggestion"), blank=True, help_text=_("A better phrasing, in the rule's language.")
    )
    why = models.TextField(
        _("why"), blank=True, help_text=_("Shown to staff; empty means the kind's explanation.")
    )
    active = models.BooleanField(_("active"), default=True)
    shipped = models.BooleanField(_("shipped"), default=False, editable=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("conduct rule")
        verbose_name_plural = _("conduct rules")
        ordering = ["language", "order", "id"]
        indexes = [models.Index(fields=["language", "active"], name="conduct_rule_lang_idx")]

    def __str__(self) -> str:
        return f"{self.language} · {self.get_kind_display()} · {self.pattern[:40]}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for name in ("pattern", "unless"):
            value = getattr(self, name)
            if not value or (name == "pattern" and value == AMOUNT):
                continue
            try:
                compile_pattern(value, self.language or "es")
            except re.error as exc:
                errors[name] = _("This is not a valid regular expression: %(error)s") % {
                    "error": exc
                }
        if self.pattern == AMOUNT and self.kind != "promise":
            errors["pattern"] = _("The amount comparison belongs to a promise rule.")
        if errors:
            raise ValidationError(errors)


class ConductOverride(models.Model):
    complaint = models.ForeignKey(
        Complaint, verbose_name=_("case"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("step"), max_length=30)
    kinds = models.JSONField(_("kinds flagged"), default=list)
    excerpt = models.TextField(_("message excerpt"), blank=True)
    at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("conduct override")
        verbose_name_plural = _("conduct overrides")
        ordering = ["-at"]
        indexes = [models.Index(fields=["at"], name="conduct_override_at_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.action} · {', '.join(self.kinds)}"

    @property
    def kind_labels(self) -> list[str]:
        return [str(KIND_LABELS.get(kind, kind)) for kind in self.kinds]
