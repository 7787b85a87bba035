from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from resuelve.accounts.models import Department
from resuelve.accounts.roles import Role
from resuelve.complaints.lifecycle import OPEN_STATES, Action, Kind, State
from resuelve.core.prepared import PreparedInsertModel
from resuelve.customers.models import Branch, Customer, Product, Purchase


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    IN_PERSON = "in_person", _("In person")
    LETTER = "letter", _("Letter")
    HOTLINE = "hotline", _("Free hotline")
    SUGGESTION_BOX = "suggestion_box", _("Suggestion box")
    SERVICE_CENTER = "service_center", _("Service or repair centre")
    SOCIAL = "social", _("Social network")
    API = "api", _("API")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical (health or safety)")


class Validity(models.TextChoices):
    PENDING = "pending", _("Not assessed yet")
    ESTABLISHED = "established", _("Established")
    NOT_ESTABLISHED = "not_established", _("Not established")


class Category(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    default_department = models.ForeignKey(
        Department,
        verbose_name=_("default department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="categories",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Complaint(PreparedInsertModel):
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.COMPLAINT)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.RECEIVED
    )
    # Whether the answer clock runs (state in OPEN_STATES); kept by save() for the indexes.
    is_open = models.BooleanField(default=True, editable=False)

    # Who complains, with their contact data as it was when they complained.
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        db_index=False,  # cmp_customer_idx starts with it
    )
    contact_name = models.CharField(_("name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="es"
    )

    # What it is about.
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("what happened"))
    product = models.ForeignKey(
        Product,
        verbose_name=_("product or service"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    purchase = models.ForeignKey(
        Purchase, verbose_name=_("order"), null=True, blank=True, on_delete=models.SET_NULL
    )
    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), null=True, blank=True, on_delete=models.SET_NULL
    )
    employee_name = models.CharField(_("employee concerned"), max_length=200, blank=True)
    remedy_requested = models.TextField(_("what the customer asks for"), blank=True)
    amount_claimed = models.DecimalField(
        _("amount claimed"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="COP")
    occurred_on = models.DateField(_("when it happened"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"))

    # Assessment and routing. `suggestion` is triage's guess at intake (resuelve.triage):
    # {"category": code|None, "kind": str, "severity": str, "language": str,
    #  "confidence": float 0-1, "source": "rules"|"model"}; null when nothing was suggested.
    suggestion = models.JSONField(_("suggestion"), null=True, blank=True, editable=False)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    confidential = models.BooleanField(_("confidential"), default=False)
    validity = models.CharField(
        _("validity"), max_length=16, choices=Validity.choices, default=Validity.PENDING
    )
    validity_reason = models.TextField(_("reason for the verdict"), blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        db_index=False,  # cmp_dept_idx and the other department queue indexes start with it
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_complaints",
        db_index=False,  # cmp_assignee_idx and the other assignee queue indexes start with it
    )

    # Deadlines. The answer clock stops while the case waits for the customer.
    deadline_policy = models.ForeignKey(
        "deadlines.DeadlinePolicy",
        verbose_name=_("deadline policy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ack_due_at = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    due_at = models.DateTimeField(_("answer by"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    paused_at = models.DateTimeField(_("waiting since"), null=True, blank=True)
    resume_state = models.CharField(max_length=20, blank=True, editable=False)

    # Solution and the customer's answer.
    solution = models.TextField(_("proposed solution"), blank=True)
    solution_value = models.DecimalField(
        _("value of the solution"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    solution_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("solution proposed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    solution_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("solution approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dispute_rounds = models.PositiveSmallIntegerField(_("disputes"), default=0)
    accepted_by_name = models.CharField(_("accepted by"), max_length=200, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_ip = models.GenericIPAddressField(_("accepted from"), null=True, blank=True)
    resolution_summary = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1-5)"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    # Head of the audit chain (see audit.py).
    event_count = models.PositiveIntegerField(default=0, editable=False)
    audit_head = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            # The queue is newest first, paged by (received_at, id): every filter the queue
            # offers has an index that ends in that order so no page needs a sort.
            models.Index(fields=["-received_at", "-id"], name="cmp_queue_idx"),
            models.Index(fields=["state", "-received_at", "-id"], name="cmp_state_idx"),
            models.Index(fields=["department", "-received_at", "-id"], name="cmp_dept_idx"),
            models.Index(
                fields=["department", "state", "-received_at", "-id"], name="cmp_dept_state_idx"
            ),
            models.Index(fields=["assignee", "-received_at", "-id"], name="cmp_assignee_idx"),
            models.Index(
                fields=["assignee", "state", "-received_at", "-id"], name="cmp_assignee_state_idx"
            ),
            models.Index(fields=["kind", "-received_at", "-id"], name="cmp_kind_idx"),
            # Open cases (the default view, overdue): an equality on is_open, not a partial
            # index, because SQLite cannot match a partial index to a bound parameter.
            models.Index(fields=["is_open", "-received_at", "-id"], name="cmp_open_idx"),
            models.Index(
                fields=["department", "is_open", "-received_at", "-id"], name="cmp_dept_open_idx"
            ),
            models.Index(
                fields=["assignee", "is_open", "-received_at", "-id"], name="cmp_assignee_open_idx"
            ),
            # The overdue view, most overdue first (SQLite indexes end in the rowid = id).
            models.Index(fields=["is_open", "due_at", "id"], name="cmp_open_due_idx"),
            models.Index(
                fields=["department", "is_open", "due_at", "id"], name="cmp_dept_open_due_idx"
            ),
            models.Index(
                fields=["assignee", "is_open", "due_at", "id"], name="cmp_assignee_open_due_idx"
            ),
            models.Index(fields=["customer", "-received_at"], name="cmp_customer_idx"),
            models.Index(fields=["contact_email"], name="cmp_email_idx"),
            # Likely duplicates of a case with no customer record, by phone (duplicates.py).
            models.Index(fields=["contact_phone"], name="cmp_phone_idx"),
            models.Index(
                fields=["confidential", "-received_at", "-id"], name="cmp_confidential_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} · {self.subject}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.is_open = self.state in OPEN_STATES
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "state" in update_fields:
            kwargs["update_fields"] = {*update_fields, "is_open"}
        super().save(*args, **kwargs)


class Visibility(models.TextChoices):
    CUSTOMER = "customer", _("Customer-visible")
    INTERNAL = "internal", _("Internal note")


class Message(PreparedInsertModel):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_customer = models.BooleanField(_("from the customer"), default=False)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, blank=True)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("written"), db_index=False)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["complaint", "created_at"], name="message_case_idx")]

    def __str__(self) -> str:
        return f"{self.complaint.tracking_code} · {self.created_at:%Y-%m-%d %H:%M}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Stored under a random name; the original name is kept in the row only.
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(PreparedInsertModel):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="attachments")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("added"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class AppendOnlyError(Exception):
    pass


class ComplaintEvent(PreparedInsertModel):
    """One thing that happened to a complaint: the history, the audit trail and the outbox.

    Rows are only ever inserted: save() refuses updates, delete() refuses, and database
    triggers refuse UPDATE and DELETE from any other client (migration 0002)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=24, choices=Action.choices)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        constraints = [
            models.UniqueConstraint(fields=["complaint", "seq"], name="event_complaint_seq_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}#{self.seq} {self.action}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit events are append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events are append-only.")

    @property
    def actor_display(self) -> str:
        if self.actor_label == "customer":
            return str(_("Customer"))
        if self.actor_label == "system":
            return str(_("System"))
        name, _sep, role = self.actor_label.rpartition(" (")
        role = role.rstrip(")")
        if name and role in Role.values:
            return f"{name} · {Role(role).label}"
        return self.actor_label

    @property
    def action_label(self) -> str:
        try:
            return str(Action(self.action).label)
        except ValueError:
            return self.action
