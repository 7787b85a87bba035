"""Plans to solve a case (proposals made of remedy items) and the compensation ledger.

A proposal is one plan: its items are what the customer receives (V2 is their total), with
what they first bought (V1) and what complaining cost them (C) beside it for the value rule.
Several plans of one round are approved side by side; one or more are offered, the customer
chooses one. A ledger row is written for each item of the chosen plan when it is delivered.

The ledger also holds rewards (REQUIREMENTS A4): a valuable complaint or suggestion rewarded
from a reward fund is a ledger row of kind "reward", with no remedy item. Compensation
statistics read only the compensation rows; a fund's balance is its deposits less its rewards.
Staff recognition (thanks for handling complaints well) is recorded beside them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from resuelve.accounts.models import Department
from resuelve.accounts.roles import Role
from resuelve.complaints.models import Complaint
from resuelve.customers.models import Customer, Product, Supplier
from resuelve.remedies.value import ValueCheck, value_check


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending_approval", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Sent back")
    OFFERED = "offered", _("Offered to the customer")
    CHOSEN = "chosen", _("Chosen by the customer")
    DECLINED = "declined", _("Not chosen")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The plans the customer may still choose among, once the case is communicated.
ON_OFFER = frozenset({ProposalStatus.APPROVED, ProposalStatus.OFFERED})


class RemedyType(models.TextChoices):
    REFUND = "refund", _("Refund")
    REPLACEMENT = "replacement", _("Replacement")
    REPAIR = "repair", _("Repair")
    CREDIT = "credit", _("Credit or voucher")
    APOLOGY = "apology", _("Apology")
    EXPLANATION = "explanation", _("Explanation")
    GOODWILL = "goodwill", _("Something more (goodwill)")


# Items that are words, not value: their amount is always zero.
WITHOUT_AMOUNT = frozenset({RemedyType.APOLOGY, RemedyType.EXPLANATION})


class Proposal(models.Model):
    complaint = models.ForeignKey(
        Complaint, verbose_name=_("case"), on_delete=models.PROTECT, related_name="proposals"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    round = models.PositiveSmallIntegerField(
        _("round"), default=0, help_text=_("The case's disputes when the plan was made.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    note = models.TextField(_("note for the approver"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approver_needed = models.CharField(
        _("approval needed from"), max_length=20, choices=Role.choices, blank=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approval_comment = models.TextField(_("approver's comment"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    customer_cost = models.DecimalField(
        _("cost of complaining to the customer (C)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
    )
    customer_cost_estimated = models.BooleanField(_("C is an estimate"), default=False)
    purchase_value = models.DecimalField(
        _("value of the purchase (V1)"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    total_value = models.DecimalField(
        _("value to the customer (V2)"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    currency = models.CharField(_("currency"), max_length=3, default="COP")
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["complaint", "number"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "number"], name="proposal_number_uniq")
        ]
        indexes = [models.Index(fields=["complaint", "round", "status"], name="proposal_case_idx")]

    def __str__(self) -> str:
        return f"{self.complaint_id} #{self.number}"

    @property
    def value(self) -> ValueCheck:
        return value_check(self.purchase_value, self.customer_cost, self.total_value)


class RemedyItem(models.Model):
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    type = models.CharField(_("type"), max_length=20, choices=RemedyType.choices)
    description = models.TextField(_("description"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    fulfilled_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    fulfilled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delivered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    fulfilment_note = models.TextField(_("delivery note"), blank=True)

    class Meta:
        verbose_name = _("remedy item")
        verbose_name_plural = _("remedy items")
        ordering = ["proposal", "position", "id"]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.description[:40]}"


class LedgerKind(models.TextChoices):
    COMPENSATION = "compensation", _("Compensation")
    REWARD = "reward", _("Reward")
    STAFF_REWARD = "staff_reward", _("Staff reward")
    CAMPAIGN = "campaign", _("Proactive remedy")


# The kinds paid from a reward fund: what a fund's balance is reduced by.
FUND_PAID = (LedgerKind.REWARD, LedgerKind.STAFF_REWARD)
# What the company gave customers to make up for a problem: after their complaint, or before
# it, in a remedy campaign (resuelve.campaigns) to those who bought a defective product.
COMPENSATING = (LedgerKind.COMPENSATION, LedgerKind.CAMPAIGN)


class RewardFund(models.Model):
    """Money set aside to reward valuable complaints and suggestions (A4)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    currency = models.CharField(_("currency"), max_length=3, default="COP")
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("reward fund")
        verbose_name_plural = _("reward funds")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.currency})"


class RewardFundDeposit(models.Model):
    fund = models.ForeignKey(
        RewardFund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="deposits"
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    at = models.DateTimeField(_("deposited"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deposited by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("deposit")
        verbose_name_plural = _("deposits")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="reward_deposit_positive")
        ]

    def __str__(self) -> str:
        return f"{self.fund_id} +{self.amount}"


class LedgerEntry(models.Model):
    """What the company gave a customer: to make up for a complaint, one row per delivered
    item, the source of the compensation statistics (by cause, product, supplier...); or, of
    kind "reward", a reward for a valuable contribution, paid from a reward fund; or, of kind
    "staff_reward", a prize paid from a reward fund to a member of staff (`recipient`), e.g.
    a contest's winner; or, of kind "campaign", a remedy a customer accepted in a proactive
    remedy campaign, before any complaint of theirs. Only these last two may have no case."""

    kind = models.CharField(
        _("kind"), max_length=12, choices=LedgerKind.choices, default=LedgerKind.COMPENSATION
    )
    item = models.OneToOneField(
        RemedyItem,
        verbose_name=_("item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entry",
    )
    fund = models.ForeignKey(
        RewardFund,
        verbose_name=_("reward fund"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rewards",
    )
    reason = models.TextField(_("why it is rewarded"), blank=True)
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("paid to (member of staff)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff_rewards",
    )
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    type = models.CharField(_("type"), max_length=20, choices=RemedyType.choices, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cause = models.CharField(_("cause"), max_length=200, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    supplier = models.ForeignKey(
        Supplier,
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("delivered"))

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["at", "id"], name="ledger_at_idx"),
            models.Index(fields=["department", "at"], name="ledger_dept_idx"),
            models.Index(fields=["fund", "kind"], name="ledger_fund_idx"),
        ]
        constraints = [
            # A compensation row is a delivered item on a case; a reward is paid from a fund
            # for a case, not an item; a staff reward is paid from a fund to a member of
            # staff, with or without a case; a campaign's remedy goes to a customer, no case.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="compensation",
                        item__isnull=False,
                        fund__isnull=True,
                        complaint__isnull=False,
                        recipient__isnull=True,
                    )
                    | models.Q(
                        kind="reward",
                        item__isnull=True,
                        fund__isnull=False,
                        complaint__isnull=False,
                        recipient__isnull=True,
                    )
                    | models.Q(
                        kind="staff_reward",
                        item__isnull=True,
                        fund__isnull=False,
                        recipient__isnull=False,
                    )
                    | models.Q(
                        kind="campaign",
                        item__isnull=True,
                        fund__isnull=True,
                        recipient__isnull=True,
                        customer__isnull=False,
                    )
                ),
                name="ledger_kind_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.type or self.kind} {self.amount}"

    @property
    def is_reward(self) -> bool:
        return self.kind == LedgerKind.REWARD

    @property
    def is_staff_reward(self) -> bool:
        return self.kind == LedgerKind.STAFF_REWARD


class StaffRecognition(models.Model):
    """An employee thanked for handling complaints well (A4), on a case or in general."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recognised"),
        on_delete=models.PROTECT,
        related_name="recognitions",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recognised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("why"))
    at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("staff recognition")
        verbose_name_plural = _("staff recognitions")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["complaint", "at"], name="recognition_case_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} by {self.by_id}"
