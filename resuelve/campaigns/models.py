"""Proactive remedy campaigns (REQUIREMENTS H1, C1): from an alert or a confirmed defect,
every customer who bought the product (or the batch) and has not complained is offered the
approved remedy, in their language and on a channel they consent to.

Every member row is both the campaign's outbox and its statistics: its status moves on
through conditional updates only (pending -> sent -> accepted | declined), so a worker that
runs twice, or two workers at once, send each member once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from resuelve.customers.models import ContactChannel, Customer, Product, Purchase
from resuelve.remedies.models import RemedyType


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")


class Campaign(models.Model):
    title = models.CharField(_("title"), max_length=200)
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    # Blank: every batch of the product.
    batch = models.CharField(_("batch / lot"), max_length=60, blank=True)
    # {language code: the remedy offered, in that language}; the company language is required,
    # a customer whose language has no text reads the company language's.
    remedy_texts = models.JSONField(_("remedy offered"), default=dict)
    remedy_kind = models.CharField(_("kind of remedy"), max_length=20, choices=RemedyType.choices)
    unit_cost = models.DecimalField(
        _("cost per accepted remedy"), max_digits=14, decimal_places=2, default=0
    )
    currency = models.CharField(_("currency"), max_length=3, default="COP")
    status = models.CharField(
        _("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The early-warning alert it came from, if any.
    alert = models.ForeignKey(
        "earlywarning.Alert",
        verbose_name=_("alert"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
    )

    class Meta:
        verbose_name = _("remedy campaign")
        verbose_name_plural = _("remedy campaigns")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["product", "status"], name="campaign_product_idx")]

    def __str__(self) -> str:
        return self.title

    def remedy_text(self, language: str) -> str:
        """The remedy in `language`, or in the company language when it has no text."""
        return (self.remedy_texts.get(language) or "").strip() or (
            self.remedy_texts.get(settings.LANGUAGE_CODE) or ""
        ).strip()


class MemberStatus(models.TextChoices):
    PENDING = "pending", _("To be contacted")
    SKIPPED_CONSENT = "skipped_consent", _("Skipped: no consent")
    SKIPPED_COMPLAINED = "skipped_complained", _("Skipped: already complained")
    SKIPPED_NO_CHANNEL = "skipped_no_channel", _("Skipped: no contact details")
    SENT = "sent", _("Contacted")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


SKIPPED = frozenset(
    {MemberStatus.SKIPPED_CONSENT, MemberStatus.SKIPPED_COMPLAINED, MemberStatus.SKIPPED_NO_CHANNEL}
)
# Reached: the message went out (and may have been answered since).
REACHED = frozenset({MemberStatus.SENT, MemberStatus.ACCEPTED, MemberStatus.DECLINED})


class CampaignMember(models.Model):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="members"
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    # The customer's latest purchase of the product (of the batch, when the campaign has one).
    purchase = models.ForeignKey(
        Purchase,
        verbose_name=_("purchase"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.PENDING
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=ContactChannel.choices, blank=True
    )
    recipient = models.CharField(_("recipient"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    # Not before: the end of the customer's quiet hours when the worker found them resting.
    send_after = models.DateTimeField(_("not before"), null=True, blank=True)
    sent_at = models.DateTimeField(_("contacted"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contacted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answer recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("campaign member")
        verbose_name_plural = _("campaign members")
        ordering = ["campaign", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "customer"], name="campaign_member_unique")
        ]
        indexes = [
            models.Index(fields=["status", "send_after"], name="campaign_member_due_idx"),
            models.Index(fields=["campaign", "status"], name="campaign_member_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.customer_id} {self.status}"


class CampaignRemedy(models.Model):
    """What an accepted remedy costs the company, with its row on the company's ledger."""

    member = models.OneToOneField(
        CampaignMember, verbose_name=_("member"), on_delete=models.PROTECT, related_name="remedy"
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    delivered_at = models.DateTimeField(_("granted"))
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Its row on the company's ledger (kind "campaign"), with the compensation after complaints.
    ledger_entry = models.OneToOneField(
        "remedies.LedgerEntry",
        verbose_name=_("ledger entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaign_remedy",
    )

    class Meta:
        verbose_name = _("campaign remedy")
        verbose_name_plural = _("campaign remedies")
        ordering = ["-delivered_at", "-id"]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.amount} {self.currency}"


class CampaignComplaint(models.Model):
    """A complaint about the campaign's product (and batch) that arrived after it started."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="complaints"
    )
    complaint = models.OneToOneField(
        "complaints.Complaint",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The member row when the complainant was one of the campaign's customers.
    member = models.ForeignKey(
        CampaignMember,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    linked_at = models.DateTimeField(_("linked"))

    class Meta:
        verbose_name = _("complaint after a campaign")
        verbose_name_plural = _("complaints after a campaign")
        ordering = ["-linked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.complaint_id}"
