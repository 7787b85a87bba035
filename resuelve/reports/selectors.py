"""The reports' reads: which departments a reader may narrow a report to, a subscriber's
subscriptions, the due ones, the improvement actions of a period and the complaints with the
same cause before and after each action."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet

from resuelve.accounts.models import Department, User
from resuelve.analytics import selectors as analytics
from resuelve.analytics.models import CaseFact
from resuelve.analytics.selectors import Scope
from resuelve.reports.models import ReportSubscription
from resuelve.resolution.models import ImprovementAction, ImprovementStatus
from resuelve.resolution.selectors import effectiveness_days


def departments_for(user: User) -> QuerySet[Department]:
    """The departments a reader may narrow a report to (the dashboard's own rule)."""
    departments = Department.objects.filter(active=True).order_by("name")
    if not user.sees_all_departments:
        departments = departments.filter(pk__in=user.department_ids())
    return departments


def may_report_on(user: User, department: Department | None) -> bool:
    """Whether `user` may read figures now, narrowed to `department` (None: their scope)."""
    if not analytics.may_read(user):
        return False
    return department is None or departments_for(user).filter(pk=department.pk).exists()


def subscriptions_of(user: User) -> QuerySet[ReportSubscription]:
    return ReportSubscription.objects.filter(user=user).select_related("department")


def subscriptions_due(now: datetime, limit: int = 200) -> list[tuple[int, str, datetime]]:
    """(id, frequency, next_due) of the active subscriptions due by `now`, oldest first."""
    return list(
        ReportSubscription.objects.filter(active=True, next_due__lte=now)
        .order_by("next_due", "id")
        .values_list("id", "frequency", "next_due")[:limit]
    )


@dataclass(frozen=True)
class ActionEffect:
    action: ImprovementAction
    before: int | None  # complaints with its cause in the window before it was done
    after: int | None  # ...and since, up to the window or the end of the period
    after_days: int
    window_days: int = 90

    @property
    def change(self) -> float | None:
        """Relative change of the daily rate, after against before."""
        if self.before is None or self.after is None or not self.before or not self.after_days:
            return None
        before_rate = self.before / self.window_days
        return (self.after / self.after_days - before_rate) / before_rate

    @property
    def change_text(self) -> str:
        change = self.change
        return "" if change is None else f"{100 * change:+.0f} %"


def _top_cause(action: ImprovementAction) -> int:
    # The facts carry the top-level root cause: a sub-cause's action counts its parent's.
    return action.cause.parent_id or action.cause_id


def improvement_actions(
    *, scope: Scope, department: int | None, start: date, end: date
) -> list[ActionEffect]:
    """The actions active in the period (created, due, done or checked in it, or still open)
    on complaints the scope covers, with the complaints of the same cause before and after
    each finished one (in the same scope)."""
    in_period = (
        Q(created_at__date__gte=start, created_at__date__lte=end)
        | Q(done_on__gte=start, done_on__lte=end)
        | Q(effectiveness_check_on__gte=start, effectiveness_check_on__lte=end)
        | Q(status__in=[ImprovementStatus.OPEN, ImprovementStatus.IN_PROGRESS],
            created_at__date__lte=end)
    )  # fmt: skip
    actions = ImprovementAction.objects.filter(in_period).select_related("cause", "owner")
    if scope.departments is not None or department is not None:
        allowed = Q()
        if scope.departments is not None:
            allowed &= Q(complaints__department_id__in=scope.departments)
        if department is not None:
            allowed &= Q(complaints__department_id=department)
        if not scope.confidential:
            allowed &= Q(complaints__confidential=False)
        actions = actions.filter(pk__in=ImprovementAction.objects.filter(allowed).values("pk"))
    found = list(actions.order_by("due_on", "id")[:50])
    facts = CaseFact.objects.filter(scope.q())
    if department is not None:
        facts = facts.filter(department_id=department)
    window = timedelta(days=effectiveness_days())
    out = []
    for action in found:
        if action.done_on is None or action.done_on > end:
            out.append(ActionEffect(action, None, None, 0, window.days))
            continue
        after_end = min(action.done_on + window, end)
        around = Q(received_on__gte=action.done_on - window, received_on__lte=after_end)
        counts = facts.filter(around, cause_id=_top_cause(action)).aggregate(
            before=Count("pk", filter=Q(received_on__lt=action.done_on)),
            after=Count("pk", filter=Q(received_on__gte=action.done_on)),
        )
        out.append(
            ActionEffect(
                action,
                counts["before"],
                counts["after"],
                (after_end - action.done_on).days + 1,
                window.days,
            )
        )
    return out
