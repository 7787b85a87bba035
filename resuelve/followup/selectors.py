"""Reads: follow-up tasks and low scores a user may see, survey results, the case's and the
customer's surveys. Everything is scoped through complaints.selectors.complaints_visible_to,
so no page shows a survey of a case its reader may not see (confidential cases included)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from resuelve.complaints import lifecycle
from resuelve.complaints.lifecycle import Action
from resuelve.complaints.selectors import complaints_visible_to
from resuelve.followup import conf, scores
from resuelve.followup.models import FollowUpTask, Survey, SurveyChannel

if TYPE_CHECKING:
    from resuelve.accounts.models import User
    from resuelve.complaints.models import Complaint
    from resuelve.customers.models import Customer

RECENT_DAYS = 30
# States a follow-up task may reopen the case from (the lifecycle's reopen step).
REOPENABLE = sorted(lifecycle.STEPS[Action.REOPEN].sources)


def low_q() -> Q:
    return Q(solved=False) | Q(csat__lte=conf.low_csat()) | Q(nps__lte=conf.low_nps())


def tasks_for(*, user: User, open_only: bool = True) -> QuerySet[FollowUpTask]:
    qs = FollowUpTask.objects.filter(complaint__in=complaints_visible_to(user))
    if open_only:
        qs = qs.filter(done_at__isnull=True)
    return qs.select_related("complaint", "survey", "department", "assignee", "done_by").order_by(
        "-created_at", "-id"
    )


def low_scores(*, user: User, now: datetime | None = None, days: int = RECENT_DAYS) -> list[Survey]:
    """Answers of the last `days` days that called for a follow-up, newest first."""
    since = (now or timezone.now()) - timedelta(days=days)
    return list(
        Survey.objects.filter(complaint__in=complaints_visible_to(user), answered_at__gte=since)
        .filter(low_q())
        .select_related("complaint", "complaint__department", "customer")
        .order_by("-answered_at", "-id")[:100]
    )


@dataclass(frozen=True)
class CasePanel:
    survey: Survey | None
    tasks: list[FollowUpTask]

    @property
    def open_tasks(self) -> list[FollowUpTask]:
        return [t for t in self.tasks if t.done_at is None]


def case_panel(complaint: Complaint) -> CasePanel:
    survey = Survey.objects.filter(complaint=complaint).first()
    tasks = list(
        FollowUpTask.objects.filter(complaint=complaint)
        .select_related("assignee", "done_by", "department")
        .order_by("-created_at", "-id")
    )
    return CasePanel(survey=survey, tasks=tasks)


def customer_surveys(*, customer: Customer, user: User | None, limit: int = 20) -> list[Survey]:
    """The customer's surveys, newest first, on the cases the reader may see."""
    qs = Survey.objects.filter(customer=customer)
    if user is not None:
        qs = qs.filter(complaint__in=complaints_visible_to(user))
    else:
        qs = qs.none()
    return list(qs.select_related("complaint").order_by("-created_at", "-id")[:limit])


# --- results -----------------------------------------------------------------------------------

DIMENSIONS = ("agent", "department", "category", "channel", "month")


def dimension_columns() -> dict[str, str]:
    return {
        "agent": _("Agent"),
        "department": _("Department"),
        "category": _("Category"),
        "channel": _("Channel"),
        "month": _("Month"),
    }


def dimension_labels() -> dict[str, str]:
    return {
        "agent": _("Per agent"),
        "department": _("Per department"),
        "category": _("Per category"),
        "channel": _("Per channel"),
        "month": _("Per month"),
    }


@dataclass(frozen=True)
class Results:
    total: scores.Scores
    by: dict[str, list[scores.Scores]]
    start: date
    end: date


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def survey_results(*, user: User, start: date, end: date) -> Results:
    """CSAT and CES averages, NPS, the F5 distribution and the response rate (answered per
    sent) of the surveys sent in [start, end], in total and per agent, department, category,
    channel and month of sending."""
    low, high = _bounds(start, end)
    rows: list[dict[str, Any]] = list(
        Survey.objects.filter(
            complaint__in=complaints_visible_to(user),
            sent_at__gte=low,
            sent_at__lt=high,
        )
        .order_by("sent_at", "id")
        .values(
            "sent_at",
            "answered_at",
            "csat",
            "effort",
            "nps",
            "compared",
            "channel",
            "complaint__assignee__first_name",
            "complaint__assignee__last_name",
            "complaint__assignee__username",
            "complaint__department__name",
            "complaint__category__name",
        )
    )
    channel_labels = dict(SurveyChannel.choices)
    nobody, none = _("Unassigned"), _("None")
    keyed: dict[str, list[tuple[str, scores.Response]]] = {d: [] for d in DIMENSIONS}
    all_responses = []
    for row in rows:
        response = scores.Response(
            answered=row["answered_at"] is not None,
            csat=row["csat"],
            effort=row["effort"],
            nps=row["nps"],
            compared=row["compared"] or "",
        )
        all_responses.append(response)
        agent = (
            " ".join(
                p
                for p in (
                    row["complaint__assignee__first_name"],
                    row["complaint__assignee__last_name"],
                )
                if p
            )
            or row["complaint__assignee__username"]
            or nobody
        )
        keyed["agent"].append((agent, response))
        keyed["department"].append((row["complaint__department__name"] or none, response))
        keyed["category"].append((row["complaint__category__name"] or none, response))
        keyed["channel"].append((str(channel_labels.get(row["channel"], row["channel"])), response))
        keyed["month"].append((timezone.localtime(row["sent_at"]).strftime("%Y-%m"), response))
    by = {}
    for dimension, pairs in keyed.items():
        groups = scores.grouped(pairs)
        if dimension != "month":
            groups.sort(key=lambda s: (-s.sent, s.label))
        by[dimension] = groups
    return Results(total=scores.score(_("All surveys"), all_responses), by=by, start=start, end=end)
