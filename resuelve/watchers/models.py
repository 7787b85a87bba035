"""Internal information delivery (REQUIREMENTS H5): watches, what they delivered, @mentions
and the read access a mention gives.

A watch belongs to one person or to one department (the group: every active member hears,
each in their own language and only about the cases they may see). Its filters are the
product, the supplier, the category, the root cause, the customer's region and the
customer's tier; any combination, each optional, at least one. A case matches when every
filter that is set equals the case's value.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from resuelve.accounts.models import Department
from resuelve.complaints.models import Category, Complaint, Message
from resuelve.customers.models import Product, Region, Supplier, Tier
from resuelve.resolution.models import RootCause


class Mode(models.TextChoices):
    INSTANT = "instant", _("At once")
    DIGEST = "digest", _("Daily digest")


class WatchEvent(models.TextChoices):
    # "new": the first time an open case matches the watch (registered, or filed under a
    # category, assigned, or given a cause later); "resolved": when a matching case is resolved.
    NEW = "new", _("New complaint")
    RESOLVED = "resolved", _("Complaint resolved")


FILTER_FIELDS = ("product", "supplier", "category", "cause", "region", "tier")


class Watch(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="watches",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="watches",
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), null=True, blank=True, on_delete=models.CASCADE
    )
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), null=True, blank=True, on_delete=models.CASCADE
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.CASCADE
    )
    cause = models.ForeignKey(
        RootCause, verbose_name=_("root cause"), null=True, blank=True, on_delete=models.CASCADE
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.CASCADE
    )
    tier = models.CharField(_("customer tier"), max_length=10, choices=Tier.choices, blank=True)
    mode = models.CharField(
        _("delivery"), max_length=10, choices=Mode.choices, default=Mode.INSTANT
    )
    on_new = models.BooleanField(_("new complaints"), default=True)
    on_resolved = models.BooleanField(_("resolved complaints"), default=False)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("watch")
        verbose_name_plural = _("watches")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, department__isnull=True)
                | Q(user__isnull=True, department__isnull=False),
                name="watch_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(product__isnull=False)
                | Q(supplier__isnull=False)
                | Q(category__isnull=False)
                | Q(cause__isnull=False)
                | Q(region__isnull=False)
                | ~Q(tier=""),
                name="watch_some_filter",
            ),
        ]
        indexes = [models.Index(fields=["active"], name="watch_active_idx")]

    def __str__(self) -> str:
        owner = self.user if self.user_id else self.department
        return f"{owner} · {self.filters_text()}"

    def filters_text(self) -> str:
        parts = []
        for name in FILTER_FIELDS:
            if name == "tier":
                if self.tier:
                    parts.append(str(self.get_tier_display()))
                continue
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{capfirst(self._meta.get_field(name).verbose_name)}: {value}")
        return "; ".join(parts)


class WatchDelivery(models.Model):
    """That a watch heard about a case once for one event: the claim that makes delivery
    happen once whichever worker gets there first, and the digest's queue."""

    watch = models.ForeignKey(Watch, on_delete=models.CASCADE, related_name="deliveries")
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(_("event"), max_length=10, choices=WatchEvent.choices)
    at = models.DateTimeField(_("when"))
    # Instant deliveries are sent in the scan and stamped at once; digest rows when the digest
    # that carried them went out.
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("watch delivery")
        verbose_name_plural = _("watch deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["watch", "complaint", "event"], name="watchdelivery_once"
            )
        ]
        indexes = [models.Index(fields=["sent_at", "at"], name="watchdelivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.watch_id} · {self.complaint_id} · {self.event}"


class Mention(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="mentions")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentioned"),
        on_delete=models.CASCADE,
        related_name="mentions",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"))
    # False when the case is confidential and the colleague may not see confidential cases:
    # a mention never opens a confidential case (C6).
    granted = models.BooleanField(_("read access given"), default=False)

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [
            models.UniqueConstraint(fields=["message", "user"], name="mention_once"),
        ]
        indexes = [models.Index(fields=["user", "-at"], name="mention_user_idx")]

    def __str__(self) -> str:
        return f"@{self.user_id} · {self.complaint_id}"


class GrantReason(models.TextChoices):
    MENTIONED = "mentioned", _("Mentioned in an internal note")


class CaseGrant(models.Model):
    """Read access to one case for one person: reading, never writing (the services decide
    writing with can_view(cooperating=False), which ignores grants)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_grants"
    )
    reason = models.CharField(
        _("reason"), max_length=12, choices=GrantReason.choices, default=GrantReason.MENTIONED
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("read access to a case")
        verbose_name_plural = _("read access to cases")
        constraints = [
            # Its index (user, complaint) is the scoping lookup: the user's granted case ids.
            models.UniqueConstraint(fields=["user", "complaint"], name="casegrant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.complaint_id}"


class ScanMark(models.Model):
    """How far the scan has read the event log and the messages (highest id seen)."""

    name = models.CharField(max_length=40, unique=True)
    last_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} · {self.last_id}"
