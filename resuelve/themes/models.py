"""Themes found in suggestions and complaints (one ThemeRun per nightly build), and the
product idea list managers keep from them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from resuelve.complaints.models import Complaint


class ThemeRun(models.Model):
    """One build of the themes: what it read and how it chose the number of themes."""

    built_at = models.DateTimeField(_("built"))
    n_texts = models.PositiveIntegerField(_("texts"))
    # months (the twelve "YYYY-MM" keys of Theme.monthly), sampled, silhouette, k tried, ...
    params = models.JSONField(_("parameters"), default=dict)

    class Meta:
        verbose_name = _("theme build")
        verbose_name_plural = _("theme builds")
        ordering = ["-built_at", "-id"]

    def __str__(self) -> str:
        return f"{self.built_at:%Y-%m-%d %H:%M} ({self.n_texts})"


class Theme(models.Model):
    run = models.ForeignKey(ThemeRun, on_delete=models.CASCADE, related_name="themes")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(_("top terms"), max_length=200)
    terms = models.JSONField(default=list)
    # The words of each of its languages, most members first: [["es", ["frenos", ...]], ...]
    # (a list: PostgreSQL's jsonb does not keep the order of an object's keys).
    terms_by_language = models.JSONField(default=list)
    size = models.PositiveIntegerField(_("texts"))
    # Nearest members first, never a confidential case: [{id, code, subject, department}].
    examples = models.JSONField(default=list)
    languages = models.JSONField(default=dict)  # {"es": 12, "en": 3}
    kinds = models.JSONField(default=dict)  # {"complaint": 10, "suggestion": 5}
    monthly = models.JSONField(default=list)  # twelve counts, oldest first (run.params months)
    recent = models.PositiveIntegerField(default=0)  # the last three months
    growth = models.FloatField(_("growth"), null=True, blank=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["run", "position"]

    def __str__(self) -> str:
        return self.label


class ThemeMember(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="members")
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["theme", "complaint"], name="theme_member_unique")
        ]
        indexes = [models.Index(fields=["complaint"], name="theme_member_cmp_idx")]

    def __str__(self) -> str:
        return f"{self.theme_id}:{self.complaint_id}"


class IdeaStatus(models.TextChoices):
    NEW = "new", _("New")
    UNDER_REVIEW = "under_review", _("Under review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class ProductIdea(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    # The theme's name when the idea was made: themes are rebuilt, the idea stays.
    theme_label = models.CharField(_("theme"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=IdeaStatus.choices, default=IdeaStatus.NEW
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"))
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("product idea")
        verbose_name_plural = _("product ideas")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title
