"""Early-warning alerts: a rise the detector found in a series of complaints (a product, a
batch, a supplier in a region...) or one complaint with a serious word; the complaints behind
each; the dismissals that tune the detector; and the scan's watermark."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from resuelve.complaints.models import Complaint

KeyPairs = Sequence[Sequence[str]]


def key_text(key: Iterable[Sequence[str]]) -> str:
    """A series key as one canonical string, for equality and unique indexes: JSON equality
    is not the same on SQLite and PostgreSQL, a string is."""
    return json.dumps([[str(dim), str(value)] for dim, value in key], separators=(",", ":"))


class AlertKind(models.TextChoices):
    RISE = "rise", _("Rise in complaints")
    SERIOUS = "serious", _("Serious words")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    DISMISSED = "dismissed", _("Dismissed")
    ACTIONED = "actioned", _("Improvement action opened")


# The statuses in which a new run of the scan updates the alert instead of raising another.
LIVE = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)


class Alert(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=AlertKind.choices)
    key = models.JSONField(_("series"))  # [[dim, value], ...], e.g. [["product", "12"]]
    key_text = models.CharField(max_length=500, editable=False, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    since = models.DateField(_("since"))
    observed = models.PositiveIntegerField(_("complaints"))
    expected = models.FloatField(_("expected"), default=0.0)
    score = models.FloatField(_("score"), default=0.0)
    p_value = models.FloatField(_("p-value"), null=True, blank=True)
    terms = models.JSONField(_("serious words"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    dismissed_reason = models.TextField(_("why it was dismissed"), blank=True)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acted_at = models.DateTimeField(_("when"), null=True, blank=True)
    improvement_action = models.ForeignKey(
        "resolution.ImprovementAction",
        verbose_name=_("improvement action"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alerts",
    )
    created_at = models.DateTimeField(_("raised"))
    last_seen_at = models.DateTimeField(_("last seen"))
    complaints = models.ManyToManyField(
        Complaint, through="AlertComplaint", related_name="alerts", verbose_name=_("complaints")
    )

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-last_seen_at", "-id"]
        constraints = [
            # One live alert per series: a new run updates it.
            models.UniqueConstraint(
                fields=["key_text"],
                condition=Q(status__in=["open", "acknowledged"]),
                name="ew_one_live_alert_per_key",
            )
        ]
        indexes = [models.Index(fields=["status", "-last_seen_at"], name="ew_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def ratio(self) -> float | None:
        """How many times the expected count was observed; None without a baseline."""
        return self.observed / self.expected if self.expected > 0 else None

    @property
    def is_live(self) -> bool:
        return self.status in LIVE


class AlertComplaint(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="links")
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(_("added"))

    class Meta:
        verbose_name = _("complaint of an alert")
        verbose_name_plural = _("complaints of alerts")
        constraints = [
            models.UniqueConstraint(fields=["alert", "complaint"], name="ew_alert_complaint_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} · {self.complaint_id}"


class Suppression(models.Model):
    """A series someone dismissed an alert of, with why: the detector leaves it out
    (Config.suppressed) until an administrator deletes the row."""

    key = models.JSONField(_("series"))
    key_text = models.CharField(max_length=500, unique=True, editable=False)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("suppressed series")
        verbose_name_plural = _("suppressed series")
        ordering = ["-at"]

    def __str__(self) -> str:
        return self.key_text


class ScanState(models.Model):
    """The scan's watermark: the last complaint it read for serious words."""

    name = models.CharField(max_length=40, unique=True)
    last_complaint_id = models.BigIntegerField(default=0)
    last_run_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("early-warning scan")
        verbose_name_plural = _("early-warning scans")

    def __str__(self) -> str:
        return self.name
