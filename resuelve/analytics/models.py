"""What the dashboards read instead of the complaints (G3, H3, H7): one narrow fact row per
complaint, and per month the figures of every slice (department, kind, confidential, one
dimension's value), both kept up to date by the worker (resuelve.analytics.refresh)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseFact(models.Model):
    complaint = models.OneToOneField(
        "complaints.Complaint", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    received_on = models.DateField()  # in the company's time zone
    month = models.DateField()  # the first day of received_on's month
    department_id = models.BigIntegerField(null=True)
    kind = models.CharField(max_length=20)
    channel = models.CharField(max_length=20)
    language = models.CharField(max_length=10)
    confidential = models.BooleanField()
    category_id = models.BigIntegerField(null=True)
    cause_id = models.BigIntegerField(null=True)  # the top-level root cause
    product_id = models.BigIntegerField(null=True)
    supplier_id = models.BigIntegerField(null=True)
    branch_id = models.BigIntegerField(null=True)
    region_id = models.BigIntegerField(null=True)
    policy_id = models.BigIntegerField(null=True)
    is_open = models.BooleanField()
    ack_minutes = models.PositiveIntegerField(null=True)
    answer_minutes = models.PositiveIntegerField(null=True)
    resolve_minutes = models.PositiveIntegerField(null=True)
    due_at = models.DateTimeField(null=True)
    # None: not answered and not yet due; True: answered by the deadline; False: late.
    on_time = models.BooleanField(null=True)
    reopened = models.BooleanField(default=False)
    disputed = models.BooleanField(default=False)
    compensation = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    csat = models.PositiveSmallIntegerField(null=True)
    effort = models.PositiveSmallIntegerField(null=True)
    nps = models.PositiveSmallIntegerField(null=True)
    # For the scorecards (H7): who handles the case now; resolved at the first contact (one
    # handler, at most one solution sent, never reopened or disputed); revisited after it
    # was resolved; every compensation approved by the person who proposed it, within their
    # own authority (None: no compensation).
    assignee_id = models.BigIntegerField(null=True)
    first_contact = models.BooleanField(default=False)
    revisited = models.BooleanField(default=False)
    comp_within = models.BooleanField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["month", "department_id"], name="fact_month_dept"),
            models.Index(fields=["is_open", "due_at"], name="fact_open_due"),
            models.Index(fields=["region_id", "month"], name="fact_region_month"),
            models.Index(fields=["product_id", "month"], name="fact_product_month"),
            models.Index(fields=["assignee_id", "month"], name="fact_assignee_month"),
            # The drill-down lists newest first.
            models.Index(fields=["-received_on", "-complaint_id"], name="fact_newest"),
            models.Index(
                fields=["department_id", "-received_on", "-complaint_id"], name="fact_dept_newest"
            ),
        ]

    def __str__(self) -> str:
        return f"fact {self.complaint_id} {self.received_on}"


class MonthSlice(models.Model):
    """The figures of one month's complaints sharing a department, a kind, a confidential
    flag and one dimension's value (dim "all": every complaint), among all complaints or
    those of one region or one product (part)."""

    month = models.DateField()
    department_id = models.BigIntegerField(null=True)
    kind = models.CharField(max_length=20)
    confidential = models.BooleanField()
    # "" for every complaint; "region:<id>" or "product:<id>" for one region's or one
    # product's complaints only, so those filters read slices too.
    part = models.CharField(max_length=30, default="")
    dim = models.CharField(max_length=20)
    key = models.CharField(max_length=40)
    received = models.PositiveIntegerField(default=0)
    open = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    disputed = models.PositiveIntegerField(default=0)
    compensated = models.PositiveIntegerField(default=0)
    compensation = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    csat_n = models.PositiveIntegerField(default=0)
    csat_sum = models.PositiveIntegerField(default=0)
    effort_n = models.PositiveIntegerField(default=0)
    effort_sum = models.PositiveIntegerField(default=0)
    nps_n = models.PositiveIntegerField(default=0)
    promoters = models.PositiveIntegerField(default=0)
    detractors = models.PositiveIntegerField(default=0)
    first_contact = models.PositiveIntegerField(default=0)
    revisited = models.PositiveIntegerField(default=0)
    comp_within = models.PositiveIntegerField(default=0)
    ack_hist = models.JSONField(default=list)
    answer_hist = models.JSONField(default=list)
    resolve_hist = models.JSONField(default=list)

    class Meta:
        indexes = [models.Index(fields=["dim", "part", "month"], name="slice_dim_part_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.dim}={self.key} ({self.received})"


class Refresh(models.Model):
    """How fresh the figures are: one row per kind of run, with the watermark it reached."""

    name = models.CharField(max_length=20, unique=True)
    watermark = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    facts = models.PositiveIntegerField(default=0)
    months = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("analytics refresh")

    def __str__(self) -> str:
        return f"{self.name} @ {self.finished_at}"
