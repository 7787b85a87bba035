"""Reads of the revisit programme: the supervisor's list, a specialist's day, the script of a
call, the coverage and summary reports and the archive."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from resuelve.accounts.models import User
from resuelve.customers import reach
from resuelve.revisits.models import (
    OPEN_STATUSES,
    CallScript,
    Occasion,
    Outcome,
    Revisit,
    Specialist,
    Status,
)

_RANK = {"high": 0, "": 1, "normal": 1, "low": 2}


@dataclass(frozen=True)
class ListFilters:
    reason: str = ""
    tier: str = ""
    language: str = ""
    status: str = ""
    specialist: int | None = None


def revisit_list(*, filters: ListFilters, today: date) -> QuerySet[Revisit]:
    """Today's list for the supervisor: open revisits due by today (the unsatisfied ones of
    the last week first, then priority, then the last day they may be made)."""
    qs = Revisit.objects.filter(due_on__lte=today).select_related("customer", "assigned_to")
    qs = qs.filter(status=filters.status) if filters.status else qs.filter(status__in=OPEN_STATUSES)
    if filters.reason:
        qs = qs.filter(reason=filters.reason)
    if filters.tier:
        qs = qs.filter(customer__tier=filters.tier)
    if filters.language:
        qs = qs.filter(customer__language=filters.language)
    if filters.specialist:
        qs = qs.filter(assigned_to_id=filters.specialist)
    return qs.order_by("latest_on", "id")


def unsatisfied_recent(*, today: date, days: int = 7) -> QuerySet[Revisit]:
    """Customers who said they were unsatisfied in the last `days`: flagged to the supervisor."""
    since = timezone.make_aware(datetime.combine(today - timedelta(days=days), time.min))
    return (
        Revisit.objects.filter(outcome=Outcome.UNSATISFIED, done_at__gte=since)
        .select_related("customer", "done_by", "new_complaint")
        .order_by("-done_at")
    )


def specialists() -> list[Specialist]:
    return list(
        Specialist.objects.filter(active=True).select_related("user").order_by("user__first_name")
    )


@dataclass
class Call:
    revisit: Revisit
    customer_now: datetime  # the customer's local time now
    quiet: bool
    available_at: datetime  # when the customer may be called (now unless quiet), aware
    starts_at: datetime  # the order: their window's start today, or the callback time
    in_window: bool
    preferred_day: bool

    @property
    def customer_available_local(self) -> datetime:
        return reach.local(self.available_at, self.revisit.customer.time_zone)

    @property
    def callback_local(self) -> datetime | None:
        at = self.revisit.callback_at
        return None if at is None else reach.local(at, self.revisit.customer.time_zone)


def _window_start(customer: Any, now: datetime) -> datetime:
    here = reach.local(now, customer.time_zone)
    if customer.contact_from is None:
        return here.replace(hour=0, minute=0, second=0, microsecond=0)
    return datetime.combine(here.date(), customer.contact_from, tzinfo=here.tzinfo)


def today_calls(*, user: User, now: datetime) -> list[Call]:
    """The specialist's calls for today, ordered by the customer's contact window (its start,
    in the customer's own time zone) or the time they asked to be called back. A customer in
    quiet hours right now is listed with the time they may be called, never with a call
    button (I4)."""
    today = timezone.localdate(now)
    end_of_day = timezone.make_aware(datetime.combine(today, time.max))
    rows = (
        Revisit.objects.filter(
            assigned_to=user,
            status__in=[Status.ASSIGNED, Status.SCHEDULED],
            due_on__lte=today,
        )
        .filter(Q(callback_at__isnull=True) | Q(callback_at__lte=end_of_day))
        .select_related("customer", "complaint", "promotion")
    )
    calls = []
    for revisit in rows:
        customer = revisit.customer
        quiet = reach.is_quiet(
            now,
            zone_name=customer.time_zone,
            quiet_from=customer.quiet_from,
            quiet_until=customer.quiet_until,
        )
        available = reach.next_reachable(
            now,
            zone_name=customer.time_zone,
            quiet_from=customer.quiet_from,
            quiet_until=customer.quiet_until,
        )
        starts = revisit.callback_at or _window_start(customer, now)
        here = reach.local(now, customer.time_zone)
        calls.append(
            Call(
                revisit=revisit,
                customer_now=here,
                quiet=quiet,
                available_at=available,
                starts_at=max(starts, available) if quiet else starts,
                in_window=reach.in_window(
                    now,
                    zone_name=customer.time_zone,
                    contact_from=customer.contact_from,
                    contact_until=customer.contact_until,
                ),
                preferred_day=not customer.contact_days
                or str(here.isoweekday()) in customer.contact_days,
            )
        )
    calls.sort(
        key=lambda c: (c.quiet, c.starts_at, _RANK.get(c.revisit.priority, 1), c.revisit.latest_on)
    )
    return calls


@dataclass(frozen=True)
class Script:
    greeting: str
    satisfied: str
    unsatisfied: str
    closing: str
    language: str
    occasion: str


class _Blank(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def script_for(revisit: Revisit, *, specialist: User) -> Script | None:
    """The script in the customer's language for the revisit's occasion; else the member
    script in that language; else the occasion's script in the company's language."""
    language = revisit.customer.language
    scripts = {
        (s.language, s.occasion): s
        for s in CallScript.objects.filter(
            language__in=[language, settings.LANGUAGE_CODE],
            occasion__in=[revisit.reason, Occasion.MEMBER],
        )
    }
    found = None
    for key in (
        (language, revisit.reason),
        (language, Occasion.MEMBER),
        (settings.LANGUAGE_CODE, revisit.reason),
        (settings.LANGUAGE_CODE, Occasion.MEMBER),
    ):
        if key in scripts:
            found = scripts[key]
            break
    if found is None:
        return None
    values = _Blank(
        customer=revisit.customer.name,
        specialist=specialist.get_full_name() or specialist.get_username(),
        company=settings.RESUELVE_COMPANY_NAME,
        promotion=revisit.promotion.name if revisit.promotion_id else "",
    )
    return Script(
        greeting=found.greeting.format_map(values),
        satisfied=found.satisfied.format_map(values),
        unsatisfied=found.unsatisfied.format_map(values),
        closing=found.closing.format_map(values),
        language=found.language,
        occasion=found.occasion,
    )


# --- reports --------------------------------------------------------------------------------


@dataclass
class CoverageRow:
    label: str
    due: int = 0
    done: int = 0
    missed: int = 0

    @property
    def rate(self) -> float | None:
        return None if not self.due else 100 * self.done / self.due

    @property
    def gap(self) -> int:
        return self.due - self.done


@dataclass
class Coverage:
    start: date
    end: date
    members: CoverageRow
    by_specialist: list[CoverageRow]
    by_month: list[CoverageRow]
    followups: int
    followups_in_time: int
    followups_overdue: int
    followups_open: int
    by_reason: list[CoverageRow] = field(default_factory=list)

    @property
    def followup_rate(self) -> float | None:
        return None if not self.followups else 100 * self.followups_in_time / self.followups


def _label(user_id: int | None, names: dict[int, str], nobody: str) -> str:
    return names.get(user_id, nobody) if user_id else nobody


def coverage_report(*, start: date, end: date, today: date, nobody: str) -> Coverage:
    """Member revisits due in [start, end]: how many were made (the 100% target, I4), by
    specialist and by month; complaint follow-ups made within three days (F3)."""
    members = Revisit.objects.filter(reason=Occasion.MEMBER, due_on__range=(start, end))
    names = {
        u.pk: u.get_full_name() or u.get_username()
        for u in User.objects.filter(pk__in=members.values("assigned_to").distinct())
    }
    total = CoverageRow("")
    per_user: dict[int | None, CoverageRow] = {}
    per_month: dict[str, CoverageRow] = defaultdict(lambda: CoverageRow(""))
    rows = members.values_list("assigned_to", "due_on__year", "due_on__month", "status").annotate(
        n=Count("id")
    )
    for user_id, year, month, status, n in rows.order_by():
        month_row = per_month[f"{year:04d}-{month:02d}"]
        user_row = per_user.setdefault(user_id, CoverageRow(_label(user_id, names, nobody)))
        for row in (total, user_row, month_row):
            row.due += n
            row.done += n if status == Status.DONE else 0
            row.missed += n if status == Status.MISSED else 0
    for label, row in per_month.items():
        row.label = label
    followups = Revisit.objects.filter(
        reason=Occasion.COMPLAINT_FOLLOWUP, due_on__range=(start, end)
    )
    in_time = 0
    for latest_on, done_at in followups.filter(status=Status.DONE).values_list(
        "latest_on", "done_at"
    ):
        in_time += timezone.localdate(done_at) <= latest_on
    open_ = followups.filter(status__in=OPEN_STATUSES)
    return Coverage(
        start=start,
        end=end,
        members=total,
        by_specialist=sorted(per_user.values(), key=lambda r: r.label),
        by_month=[per_month[k] for k in sorted(per_month)],
        followups=followups.count(),
        followups_in_time=in_time,
        followups_overdue=open_.filter(latest_on__lt=today).count(),
        followups_open=open_.count(),
    )


@dataclass
class Summary:
    outcomes: list[tuple[str, str, int]]  # (code, label, count)
    by_reason: list[tuple[str, list[int]]]  # (occasion, counts in the order of outcomes)
    suggestions: QuerySet[Revisit]
    total: int


def summary_report(*, start: date, end: date) -> Summary:
    """What came of the revisits recorded in [start, end]: outcomes (overall and per
    occasion) and everything customers suggested (I2's summary report)."""
    since = timezone.make_aware(datetime.combine(start, time.min))
    until = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    done = Revisit.objects.filter(done_at__gte=since, done_at__lt=until).exclude(outcome="")
    counts: dict[str, int] = defaultdict(int)
    per_reason: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for reason, outcome, n in (
        done.values_list("reason", "outcome").annotate(n=Count("id")).order_by()
    ):
        counts[outcome] += n
        per_reason[reason][outcome] += n
    labels = dict(Occasion.choices)
    return Summary(
        outcomes=[(code, str(label), counts.get(code, 0)) for code, label in Outcome.choices],
        by_reason=[
            (str(labels[r]), [per_reason[r].get(code, 0) for code in Outcome.values])
            for r in Occasion.values
            if r in per_reason
        ],
        suggestions=done.exclude(suggestions="")
        .select_related("customer", "done_by", "new_complaint")
        .order_by("-done_at"),
        total=sum(counts.values()),
    )


def archive(*, q: str = "", status: str = "", reason: str = "") -> QuerySet[Revisit]:
    from resuelve.core.text import fold

    qs = Revisit.objects.select_related("customer", "assigned_to", "done_by").order_by(
        "-due_on", "-id"
    )
    if q:
        qs = qs.filter(
            Q(customer__search_name__contains=fold(q))
            | Q(customer__email=q.strip().lower())
            | Q(suggestions__icontains=q)
        )
    if status:
        qs = qs.filter(status=status)
    if reason:
        qs = qs.filter(reason=reason)
    return qs


def customer_revisits(customer: Any, limit: int = 20) -> list[Revisit]:
    return list(
        Revisit.objects.filter(customer=customer)
        .select_related("assigned_to", "done_by")
        .order_by("-due_on", "-id")[:limit]
    )
