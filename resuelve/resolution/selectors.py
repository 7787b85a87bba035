"""Reads for investigation, cooperation, accountability and improvement actions, and who may
see each of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from resuelve.accounts.quality import in_quality
from resuelve.accounts.roles import Role
from resuelve.complaints.models import Complaint
from resuelve.resolution.models import (
    AccountabilityRecord,
    CooperationKind,
    CooperationRequest,
    CooperationStatus,
    ImprovementAction,
    ImprovementStatus,
    Investigation,
    RootCause,
)

if TYPE_CHECKING:
    from resuelve.accounts.models import User

# Who reads accountability records (G1); only managers and administrators write them.
READS_ACCOUNTABILITY = frozenset({Role.MANAGER, Role.ADMIN, Role.HR})
RECORDS_ACCOUNTABILITY = frozenset({Role.MANAGER, Role.ADMIN})
# Who keeps improvement actions, and who reads them: these roles, and every member of the
# quality department (quality management keeps the corrective and preventive actions).
EDITS_IMPROVEMENTS = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})
READS_IMPROVEMENTS = EDITS_IMPROVEMENTS | {Role.AUDITOR}

EFFECTIVENESS_DAYS = 90  # RESUELVE_EFFECTIVENESS_DAYS when the setting is absent
RATE_DAYS = 30


def effectiveness_days() -> int:
    return int(getattr(settings, "RESUELVE_EFFECTIVENESS_DAYS", EFFECTIVENESS_DAYS))


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def may_read_accountability(user: User) -> bool:
    return _active(user) and (user.is_superuser or user.role in READS_ACCOUNTABILITY)


def may_record_accountability(user: User) -> bool:
    return _active(user) and (user.is_superuser or user.role in RECORDS_ACCOUNTABILITY)


def may_read_improvements(user: User) -> bool:
    if not _active(user):
        return False
    return user.is_superuser or user.role in READS_IMPROVEMENTS or in_quality(user)


def may_edit_improvements(user: User) -> bool:
    if not _active(user) or user.read_only:
        return False
    return user.is_superuser or user.role in EDITS_IMPROVEMENTS or in_quality(user)


# --- cooperation ------------------------------------------------------------------------------


def cooperating_department_ids(complaint: Complaint) -> list[int]:
    """Departments asked for input on the case and not answered yet: their members see the
    whole case while the owner keeps it (H5)."""
    return list(
        CooperationRequest.objects.filter(
            complaint_id=complaint.pk,
            kind=CooperationKind.INPUT,
            status=CooperationStatus.PENDING,
        )
        .values_list("department_id", flat=True)
        .distinct()
    )


def cooperating_complaint_ids(department_ids: list[int]) -> QuerySet[CooperationRequest]:
    """The cases the departments were asked for input on (for the queue scoping)."""
    return CooperationRequest.objects.filter(
        department_id__in=department_ids,
        kind=CooperationKind.INPUT,
        status=CooperationStatus.PENDING,
    ).values_list("complaint_id", flat=True)


def cooperates_on(user: User, complaint: Complaint) -> bool:
    if not _active(user) or user.read_only:
        return False
    return bool(set(cooperating_department_ids(complaint)) & set(user.department_ids()))


def cooperation_for_case(complaint: Complaint) -> list[CooperationRequest]:
    return list(
        CooperationRequest.objects.filter(complaint_id=complaint.pk)
        .select_related("department", "from_department", "requested_by", "answered_by")
        .order_by("-requested_at", "-id")
    )


def cooperation_pending_for(user: User) -> list[CooperationRequest]:
    """Requests for input waiting on one of the user's departments."""
    if not _active(user):
        return []
    return list(
        CooperationRequest.objects.filter(
            department_id__in=user.department_ids(),
            kind=CooperationKind.INPUT,
            status=CooperationStatus.PENDING,
        )
        .select_related("complaint", "department", "from_department", "requested_by")
        .order_by("requested_at", "id")
    )


# --- investigation ----------------------------------------------------------------------------


def investigation_for(complaint: Complaint) -> Investigation | None:
    return (
        Investigation.objects.filter(complaint_id=complaint.pk)
        .select_related("cause__parent", "responsible_department")
        .prefetch_related("responsible_people", "changes__actor")
        .first()
    )


def root_causes() -> QuerySet[RootCause]:
    return RootCause.objects.filter(active=True).select_related("parent")


# --- accountability ---------------------------------------------------------------------------


def accountability_for_case(*, user: User, complaint: Complaint) -> list[AccountabilityRecord]:
    if not may_read_accountability(user):
        return []
    return list(
        AccountabilityRecord.objects.filter(complaint_id=complaint.pk).select_related(
            "department", "person", "recorded_by"
        )
    )


def accountability_list(
    *, user: User, department: int | None = None, kind: str = "", month: date | None = None
) -> list[AccountabilityRecord]:
    """Records for the accountability page; empty for anyone who may not read them."""
    if not may_read_accountability(user):
        return []
    qs = AccountabilityRecord.objects.select_related(
        "complaint", "department", "person", "recorded_by"
    )
    if department:
        qs = qs.filter(department_id=department)
    if kind:
        qs = qs.filter(kind=kind)
    if month is not None:
        zone = timezone.get_current_timezone()
        first = datetime.combine(month.replace(day=1), time.min, tzinfo=zone)
        following = (month.replace(day=1) + timedelta(days=32)).replace(day=1)
        qs = qs.filter(at__gte=first, at__lt=datetime.combine(following, time.min, tzinfo=zone))
    return list(qs[:500])


# --- improvement actions ----------------------------------------------------------------------


def improvement_actions(*, user: User, status: str = "") -> QuerySet[ImprovementAction]:
    if not may_read_improvements(user):
        return ImprovementAction.objects.none()
    qs = ImprovementAction.objects.select_related("cause", "owner")
    return qs.filter(status=status) if status else qs


def improvement_actions_for_case(complaint: Complaint) -> list[ImprovementAction]:
    return list(complaint.improvement_actions.select_related("cause", "owner"))  # type: ignore[attr-defined]


def _cause_ids(cause: RootCause) -> list[int]:
    """The cause and its sub-causes (the taxonomy is two levels deep in practice)."""
    ids = [cause.pk]
    frontier = [cause.pk]
    while frontier:
        frontier = list(
            RootCause.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        ids += frontier
    return ids


class Verdict:
    EFFECTIVE = "effective"
    NOT_YET = "not_yet"
    NOT_EFFECTIVE = "not_effective"


@dataclass(frozen=True)
class Effectiveness:
    """Complaints of the action's cause received before and after it was done, per 30 days."""

    before: int
    after: int
    before_days: int
    after_days: int
    before_rate: float
    after_rate: float
    verdict: str


def _rate(count: int, days: int) -> float:
    return round(count * RATE_DAYS / days, 2) if days > 0 else 0.0


def effectiveness(action: ImprovementAction) -> Effectiveness:
    """Did complaints of the cause drop after the action? The period before is the
    RESUELVE_EFFECTIVENESS_DAYS before it was done; the period after runs from then to
    today. Not yet until it is done and its effectiveness check date has come; effective
    when the rate per 30 days fell (or none came back), otherwise not effective."""
    if action.status != ImprovementStatus.DONE or action.done_on is None:
        return Effectiveness(0, 0, 0, 0, 0.0, 0.0, Verdict.NOT_YET)
    zone = timezone.get_current_timezone()
    done = datetime.combine(action.done_on, time.min, tzinfo=zone)
    window = effectiveness_days()
    start = done - timedelta(days=window)
    now = timezone.now()
    causes = _cause_ids(action.cause)
    cases = Investigation.objects.filter(cause_id__in=causes)
    before = cases.filter(
        complaint__received_at__gte=start, complaint__received_at__lt=done
    ).count()
    after = cases.filter(complaint__received_at__gte=done, complaint__received_at__lt=now).count()
    after_days = max((now - done).days, 0)
    before_rate, after_rate = _rate(before, window), _rate(after, after_days)
    check_on = action.effectiveness_check_on or action.done_on + timedelta(days=window)
    if timezone.localdate(now) < check_on:
        verdict = Verdict.NOT_YET
    elif after == 0 or after_rate < before_rate:
        verdict = Verdict.EFFECTIVE
    else:
        verdict = Verdict.NOT_EFFECTIVE
    return Effectiveness(before, after, window, after_days, before_rate, after_rate, verdict)
