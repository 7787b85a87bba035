"""Investigation of a case's cause (E1), internal cooperation (H5), accountability (G1) and
improvement actions with their effectiveness (G2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from resuelve.accounts.models import Department
from resuelve.complaints.models import Complaint


class RootCause(models.Model):
    """One entry of the root-cause taxonomy the administrator keeps; sub-causes have a parent."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent cause"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("root cause")
        verbose_name_plural = _("root causes")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return f"{self.parent} › {self.name}" if self.parent_id else self.name


class DepartmentTerm(models.Model):
    """How many days a department has to investigate a case (counted in business days under
    the case's deadline policy, in calendar days without one)."""

    department = models.OneToOneField(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="investigation_term",
    )
    investigation_days = models.PositiveSmallIntegerField(_("days to investigate"), default=5)

    class Meta:
        verbose_name = _("investigation term")
        verbose_name_plural = _("investigation terms")

    def __str__(self) -> str:
        return f"{self.department}: {self.investigation_days}"


class Investigation(models.Model):
    complaint = models.OneToOneField(
        Complaint,
        verbose_name=_("complaint"),
        on_delete=models.PROTECT,
        related_name="investigation",
    )
    cause = models.ForeignKey(
        RootCause,
        verbose_name=_("root cause"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="investigations",
    )
    responsible_department = models.ForeignKey(
        Department,
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responsible_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible people"),
        blank=True,
        related_name="+",
    )
    findings = models.TextField(_("findings"), blank=True)
    lesson = models.TextField(_("lesson learned"), blank=True)
    due_at = models.DateTimeField(_("investigate by"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"))
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")
        indexes = [models.Index(fields=["cause", "complaint"], name="inv_cause_idx")]

    def __str__(self) -> str:
        return str(self.complaint)


class InvestigationChange(models.Model):
    """The investigation's own history: who changed what, when and why."""

    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("when"))
    changes = models.JSONField(_("changes"), default=dict)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("investigation change")
        verbose_name_plural = _("investigation changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.investigation_id} · {self.at:%Y-%m-%d %H:%M}"


class CooperationKind(models.TextChoices):
    INPUT = "input", _("Input from another department")
    TRANSFER = "transfer", _("Transfer to another department")


class CooperationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ANSWERED = "answered", _("Answered")
    DONE = "done", _("Transferred")


class CooperationRequest(models.Model):
    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="cooperation_requests"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CooperationKind.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("asked department"),
        on_delete=models.PROTECT,
        related_name="cooperation_requests",
    )
    from_department = models.ForeignKey(
        Department,
        verbose_name=_("from department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("what is asked, or why"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CooperationStatus.choices,
        default=CooperationStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("asked"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("cooperation request")
        verbose_name_plural = _("cooperation requests")
        indexes = [
            models.Index(fields=["department", "status"], name="coop_dept_status_idx"),
            models.Index(fields=["complaint", "kind", "status"], name="coop_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} → {self.department} ({self.kind})"


class AccountabilityKind(models.TextChoices):
    CAUSED = "caused", _("Caused the complaint")
    DELAYED = "delayed", _("Did not handle it in time")


class AccountabilityRecord(models.Model):
    """Who answers for a complaint and the measure taken under the company's rules (G1).
    Internal: only managers, administrators and human resources read these."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="accountability_records"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AccountabilityKind.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    measure = models.TextField(_("measure taken under the company's rules"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("accountability record")
        verbose_name_plural = _("accountability records")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["department", "-at"], name="acc_dept_idx")]

    def __str__(self) -> str:
        return f"{self.complaint_id} · {self.get_kind_display()}"


class ImprovementKind(models.TextChoices):
    CORRECTIVE = "corrective", _("Corrective")
    PREVENTIVE = "preventive", _("Preventive")


class ImprovementStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ImprovementAction(models.Model):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=ImprovementKind.choices)
    cause = models.ForeignKey(
        RootCause, verbose_name=_("root cause"), on_delete=models.PROTECT, related_name="actions"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("what will be done"), blank=True)
    due_on = models.DateField(_("due"))
    complaints = models.ManyToManyField(
        Complaint, verbose_name=_("complaints"), blank=True, related_name="improvement_actions"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ImprovementStatus.choices,
        default=ImprovementStatus.OPEN,
    )
    done_on = models.DateField(_("done"), null=True, blank=True)
    effectiveness_check_on = models.DateField(_("check effectiveness on"), null=True, blank=True)
    conclusion = models.TextField(_("reviewer's conclusion"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


# --- classification statistics reviews (G3) ---------------------------------------------------


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class ClassificationReview(models.Model):
    """The supervisor's review of a period's complaint statistics by classification (G3): the
    figures, the analysis and the improvements proposed. Once submitted, `statistics` keeps
    the figures as shown then, so the record does not move when the data does."""

    start = models.DateField(_("from month"))  # the first day of the first month
    end = models.DateField(_("to month"))  # the first day of the last month
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )  # None: every department within the author's scope
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    statistics = models.JSONField(_("statistics"), default=dict, blank=True)
    analysis = models.TextField(_("analysis"), blank=True)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("classification review")
        verbose_name_plural = _("classification reviews")
        ordering = ["-start", "-created_at", "-id"]
        indexes = [models.Index(fields=["department", "-start"], name="review_dept_idx")]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m}–{self.end:%Y-%m} · {self.department or '*'}"

    @property
    def is_draft(self) -> bool:
        return self.status == ReviewStatus.DRAFT


class ReviewProposal(models.Model):
    """An improvement the review proposes; on submit it becomes an ImprovementAction."""

    review = models.ForeignKey(
        ClassificationReview, on_delete=models.CASCADE, related_name="proposals"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=ImprovementKind.choices,
        default=ImprovementKind.PREVENTIVE,
    )
    description = models.TextField(_("what will be done"), blank=True)
    cause = models.ForeignKey(
        RootCause, verbose_name=_("root cause"), on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("due"))
    action = models.OneToOneField(
        ImprovementAction,
        verbose_name=_("improvement action"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review_proposal",
    )

    class Meta:
        verbose_name = _("review proposal")
        verbose_name_plural = _("review proposals")
        ordering = ["review", "position", "id"]

    def __str__(self) -> str:
        return self.title
