"""Hooks the complaint lifecycle calls: the investigation's term when it starts, and whether
a lesson is still missing when the case closes. They import nothing from
complaints.services, so complaints.services may import them."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone

from resuelve.complaints.lifecycle import Kind
from resuelve.complaints.models import Complaint, Validity
from resuelve.deadlines.calendar import Calendar, Term, Unit, deadline
from resuelve.resolution.models import DepartmentTerm, Investigation

DEFAULT_INVESTIGATION_DAYS = 5


def investigation_days(department_id: int | None) -> int:
    if department_id is None:
        return DEFAULT_INVESTIGATION_DAYS
    term = DepartmentTerm.objects.filter(department_id=department_id).first()
    return term.investigation_days if term else DEFAULT_INVESTIGATION_DAYS


def investigation_due(complaint: Complaint, start: datetime) -> datetime:
    """The end of the department's term to investigate, counted from `start`: business days
    of the case's deadline policy calendar, or calendar days when the case has no policy."""
    days = investigation_days(complaint.department_id)
    policy = complaint.deadline_policy
    if policy is not None:
        return deadline(start, Term(days, Unit.BUSINESS_DAYS), policy.calendar())
    return deadline(start, Term(days, Unit.CALENDAR_DAYS), Calendar(timezone=settings.TIME_ZONE))


def investigation_open(complaint: Complaint, *, at: datetime | None = None) -> Investigation:
    """The case's investigation, opened with its term if it has none yet. Called inside the
    transaction of complaint_start_investigation, so the term is set with the step."""
    now = at or timezone.now()
    investigation, created = Investigation.objects.get_or_create(
        complaint=complaint,
        defaults={"opened_at": now, "updated_at": now, "due_at": investigation_due(complaint, now)},
    )
    if not created and investigation.due_at is None:
        investigation.due_at = investigation_due(complaint, now)
        investigation.save(update_fields=["due_at"])
    return investigation


# Kinds that end without an investigation, so without a lesson.
_NO_LESSON_KINDS = frozenset({Kind.SUGGESTION, Kind.COMPLIMENT})


def lesson_missing(complaint: Complaint) -> bool:
    """Whether RESUELVE_LESSON_REQUIRED_TO_CLOSE keeps the case from closing: a complaint or
    claim that was established closes only once its investigation records a lesson (G2)."""
    if not settings.RESUELVE_LESSON_REQUIRED_TO_CLOSE:
        return False
    if complaint.kind in _NO_LESSON_KINDS or complaint.validity == Validity.NOT_ESTABLISHED:
        return False
    lesson = (
        Investigation.objects.filter(complaint_id=complaint.pk)
        .values_list("lesson", flat=True)
        .first()
    )
    return not (lesson or "").strip()
