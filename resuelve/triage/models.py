from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from resuelve.complaints.models import Severity


class KeywordRule(models.Model):
    """Words that point to a category while the company has no history to learn from."""

    category = models.ForeignKey(
        "complaints.Category",
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        related_name="keyword_rules",
    )
    keywords = models.TextField(
        _("keywords"),
        help_text=_(
            "One per line. Case and accents do not matter; a word ending in * matches every "
            "word it starts (fren* matches frenos); Chinese matches anywhere in the text."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Only for texts in this language; empty: any language."),
    )
    weight = models.FloatField(_("weight"), default=1.0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("keyword rule")
        verbose_name_plural = _("keyword rules")
        ordering = ["category__name", "language", "id"]

    def __str__(self) -> str:
        return f"{self.category} · {self.language or '*'}"


class SeverityRule(models.Model):
    """Words that raise a case's suggested severity, on top of the built-in health and
    safety words (which always suggest critical)."""

    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    keywords = models.TextField(
        _("keywords"), help_text=KeywordRule._meta.get_field("keywords").help_text
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    weight = models.FloatField(_("weight"), default=1.0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("severity rule")
        verbose_name_plural = _("severity rules")
        ordering = ["severity", "language", "id"]

    def __str__(self) -> str:
        return f"{self.get_severity_display()} · {self.language or '*'}"


class TrainedModel(models.Model):
    """A classifier trained on the company's own history; the newest active one suggests."""

    created_at = models.DateTimeField(_("trained"))
    n_train = models.PositiveIntegerField(_("training examples"))
    n_test = models.PositiveIntegerField(_("held-out examples"))
    accuracy = models.FloatField(_("accuracy"))
    macro_f1 = models.FloatField(_("macro-F1"))
    labels = models.JSONField(_("categories"), default=list)
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    seconds = models.FloatField(_("training time (s)"), default=0.0)
    blob = models.BinaryField(editable=False)
    active = models.BooleanField(_("active"), default=False)

    class Meta:
        verbose_name = _("trained model")
        verbose_name_plural = _("trained models")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["active", "-created_at"], name="triage_model_active_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} · {self.accuracy:.0%}"


class CorrectionField(models.TextChoices):
    CATEGORY = "category", _("Category")
    KIND = "kind", _("Kind")
    SEVERITY = "severity", _("Severity")


class Correction(models.Model):
    """An agent chose something else than triage suggested: what the next training learns."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="triage_corrections"
    )
    field = models.CharField(_("field"), max_length=10, choices=CorrectionField.choices)
    suggested = models.CharField(_("suggested"), max_length=40, blank=True)
    chosen = models.CharField(_("chosen"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.field}: {self.suggested} → {self.chosen}"
