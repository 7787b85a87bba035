"""The dashboards' reads: who sees which figures, the slices of a period summed per value of a
dimension, and the complaints behind any figure (the drill-down reads the same facts the
figure was summed from, so the list's length is the number shown)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from resuelve.accounts import roles
from resuelve.accounts.models import User
from resuelve.analytics.models import CaseFact, MonthSlice
from resuelve.analytics.slices import DIMENSIONS, Figures, bucket

READERS = frozenset(
    {roles.Role.SUPERVISOR, roles.Role.MANAGER, roles.Role.ADMIN, roles.Role.AUDITOR}
)
# What a figure may be narrowed to in the drill-down, as conditions on the facts.
METRICS: dict[str, Q] = {
    "received": Q(),
    "open": Q(is_open=True),
    "answered": Q(answer_minutes__isnull=False),
    "on_time": Q(on_time=True),
    "late": Q(on_time=False),
    "resolved": Q(resolve_minutes__isnull=False),
    "reopened": Q(reopened=True),
    "disputed": Q(disputed=True),
    "compensated": Q(compensation__gt=0),
    "first_contact": Q(first_contact=True),
    "revisited": Q(revisited=True),
    "comp_within": Q(comp_within=True),
}


METRIC_LABELS = {
    "received": _("received"),
    "open": _("open"),
    "answered": _("answered"),
    "on_time": _("answered on time"),
    "late": _("late"),
    "resolved": _("resolved"),
    "reopened": _("reopened"),
    "disputed": _("disputed"),
    "compensated": _("compensated"),
    "first_contact": _("resolved at the first contact"),
    "revisited": _("revisited"),
    "comp_within": _("compensated within the handler's own authority"),
}


def may_read(user: User) -> bool:
    return user.is_active and (user.is_superuser or user.role in READERS)


@dataclass(frozen=True)
class Scope:
    departments: tuple[int, ...] | None  # None: every department
    unrouted: bool
    confidential: bool

    def q(self) -> Q:
        q = Q()
        if self.departments is not None:
            departments = Q(department_id__in=self.departments)
            if self.unrouted:
                departments |= Q(department_id__isnull=True)
            q &= departments
        if not self.confidential:
            q &= Q(confidential=False)
        return q


def scope_of(user: User) -> Scope:
    """Managers, administrators and auditors read every department; supervisors their own
    (and the unrouted cases of the intake desk). Confidential cases count only for those who
    may see them."""
    return Scope(
        departments=None if user.sees_all_departments else tuple(user.department_ids()),
        unrouted=user.role in roles.SEES_UNROUTED,
        confidential=user.sees_confidential,
    )


@dataclass(frozen=True)
class Filters:
    start: date  # first day of the first month
    end: date  # first day of the last month
    department: int | None = None
    kind: str = ""
    region: int | None = None
    product: int | None = None

    def fact_q(self) -> Q:
        return Q(month__gte=self.start, month__lte=self.end) & self.narrowing_q()

    def narrowing_q(self) -> Q:
        """Every filter but the period."""
        q = Q()
        if self.department is not None:
            q &= Q(department_id=self.department)
        if self.kind:
            q &= Q(kind=self.kind)
        if self.region is not None:
            q &= Q(region_id=self.region)
        if self.product is not None:
            q &= Q(product_id=self.product)
        return q

    @property
    def part(self) -> str:
        """The slices a region or a product filter reads (slices.PARTS)."""
        if self.region is not None:
            return f"region:{self.region}"
        if self.product is not None:
            return f"product:{self.product}"
        return ""

    @property
    def by_facts(self) -> bool:
        """A region and a product together narrow the facts themselves: the slices hold
        one region's or one product's complaints, not both at once."""
        return self.region is not None and self.product is not None


def _fact_aggregates() -> dict[str, Any]:
    def count(condition: Q | None = None) -> Count:
        return Count("pk", filter=condition)

    return {
        "x_received": count(),
        "x_open": count(Q(is_open=True)),
        "x_answered": count(Q(answer_minutes__isnull=False)),
        "x_on_time": count(Q(on_time=True)),
        "x_late": count(Q(on_time=False)),
        "x_resolved": count(Q(resolve_minutes__isnull=False)),
        "x_reopened": count(Q(reopened=True)),
        "x_disputed": count(Q(disputed=True)),
        "x_compensated": count(Q(compensation__gt=0)),
        "x_compensation": Sum("compensation"),
        "x_csat_n": Count("csat"),
        "x_csat_sum": Sum("csat"),
        "x_effort_n": Count("effort"),
        "x_effort_sum": Sum("effort"),
        "x_nps_n": Count("nps"),
        "x_promoters": count(Q(nps__gte=9)),
        "x_detractors": count(Q(nps__lte=6)),
        "x_first_contact": count(Q(first_contact=True)),
        "x_revisited": count(Q(revisited=True)),
        "x_comp_within": count(Q(comp_within=True)),
    }


def _figures(row: dict[str, Any]) -> Figures:
    figures = Figures(**{name: row[f"x_{name}"] or 0 for name in Figures.COUNTS})
    figures.compensation = row["x_compensation"] or Decimal(0)
    return figures


def fact_sums(facts: QuerySet[CaseFact], group: str | None) -> dict[Any, Figures]:
    """The figures of these facts, summed by the database per value of `group` (or all
    together under the key ""); no time bands."""
    if group is None:
        return {"": _figures(facts.aggregate(**_fact_aggregates()))}
    rows = facts.order_by().values(group).annotate(**_fact_aggregates())
    return {row[group]: _figures(row) for row in rows}


def add_time_bands(figures: Figures, facts: QuerySet[CaseFact]) -> None:
    for ack, answer, resolve in facts.values_list(
        "ack_minutes", "answer_minutes", "resolve_minutes"
    ).iterator(chunk_size=10000):
        if ack is not None:
            figures.ack_hist[bucket(ack)] += 1
        if answer is not None:
            figures.answer_hist[bucket(answer)] += 1
        if resolve is not None:
            figures.resolve_hist[bucket(resolve)] += 1


@dataclass
class Breakdown:
    dim: str
    rows: list[tuple[str, Figures]] = field(default_factory=list)  # (key, figures)

    @property
    def total(self) -> Figures:
        total = Figures()
        for _key, figures in self.rows:
            total.add(figures)
        return total


def _slices(scope: Scope, filters: Filters, dim: str) -> QuerySet[MonthSlice]:
    """The period's slices of one dimension under the department and kind filters."""
    q = scope.q() & Q(dim=dim, part=filters.part, month__gte=filters.start, month__lte=filters.end)
    if filters.department is not None:
        q &= Q(department_id=filters.department)
    if filters.kind:
        q &= Q(kind=filters.kind)
    return MonthSlice.objects.filter(q)


def breakdown(*, scope: Scope, filters: Filters, dim: str) -> Breakdown:
    """The figures of the period per value of `dim`, largest first."""
    if dim not in DIMENSIONS:
        raise ValueError(dim)
    out: dict[str, Figures] = {}
    if filters.by_facts:
        column = DIMENSIONS[dim]
        facts = CaseFact.objects.filter(scope.q() & filters.fact_q())
        for value, figures in fact_sums(facts, column).items():
            out["" if value is None else str(value)] = figures
        if column is None:
            add_time_bands(out[""], facts)
    else:
        slices = _slices(scope, filters, dim)
        if dim == "all":  # few rows: their time bands are summed too
            for row in slices.iterator(chunk_size=5000):
                out.setdefault(row.key, Figures()).add(row)
        else:
            # The database sums the counts per value; a breakdown shows no times.
            sums = {name: Sum(name) for name in Figures.COUNTS}
            for row in slices.values("key").annotate(total=Sum("compensation"), **sums):
                figures = Figures(**{name: row[name] or 0 for name in Figures.COUNTS})
                figures.compensation = row["total"] or Decimal(0)
                out[row["key"]] = figures
    rows = sorted(out.items(), key=lambda item: (-item[1].received, item[0]))
    return Breakdown(dim=dim, rows=rows)


def by_month(*, scope: Scope, filters: Filters) -> list[tuple[date, Figures]]:
    """Every month of the period with its figures (an empty month shows as zero)."""
    out: dict[date, Figures] = {}
    if filters.by_facts:
        facts = CaseFact.objects.filter(scope.q() & filters.fact_q())
        out.update(fact_sums(facts, "month"))
        if out:
            # The headline times are read off the months' bands: put them all on the first.
            add_time_bands(next(iter(out.values())), facts)
    else:
        for row in _slices(scope, filters, "all").iterator(chunk_size=5000):
            out.setdefault(row.month, Figures()).add(row)
    months = []
    month = filters.start
    while month <= filters.end:
        months.append((month, out.get(month, Figures())))
        month = (month.replace(day=28) + _days(4)).replace(day=1)
    return months


def _days(n: int) -> timedelta:
    return timedelta(days=n)


AGE_BANDS = ((0, 7), (8, 15), (16, 30), (31, 60), (61, None))


def backlog_by_age(
    *, scope: Scope, filters: Filters, today: date
) -> list[tuple[tuple[int, int | None], int]]:
    """Open cases now, by days since they were received (the period does not apply)."""
    q = scope.q() & filters.narrowing_q() & Q(is_open=True)
    per_day = (
        CaseFact.objects.filter(q).order_by().values_list("received_on").annotate(n=Count("pk"))
    )
    counts = [0] * len(AGE_BANDS)
    for received_on, n in per_day:  # one row per day cases were received on: few
        age = (today - received_on).days
        for index, (low, high) in enumerate(AGE_BANDS):
            if age >= low and (high is None or age <= high):
                counts[index] += n
                break
    return list(zip(AGE_BANDS, counts, strict=True))


def drill(
    *,
    scope: Scope,
    filters: Filters,
    dim: str = "all",
    key: str = "",
    metric: str = "received",
    age: tuple[int, int | None] | None = None,
    today: date | None = None,
) -> QuerySet[CaseFact]:
    """The facts behind one figure: the same conditions it was summed under."""
    if (dim not in DIMENSIONS and dim != "department") or metric not in METRICS:
        raise ValueError((dim, metric))
    if age is not None:
        assert today is not None
        low, high = age
        q = scope.q() & filters.narrowing_q() & Q(is_open=True)
        q &= Q(received_on__lte=today - _days(low))
        if high is not None:
            q &= Q(received_on__gte=today - _days(high))
    else:
        # The period as days, not months: the same complaints, and the newest-first index
        # then both finds and orders them.
        after = (filters.end.replace(day=28) + _days(4)).replace(day=1)
        period = Q(received_on__gte=filters.start, received_on__lt=after)
        q = scope.q() & period & filters.narrowing_q() & METRICS[metric]
    column = "department_id" if dim == "department" else DIMENSIONS[dim]
    if column:
        q &= Q(**{f"{column}__isnull": True}) if key == "" else Q(**{column: key})
    return CaseFact.objects.filter(q)


def drill_count(
    *, scope: Scope, filters: Filters, dim: str = "all", key: str = "", metric: str = "received"
) -> int | None:
    """How many complaints `drill` lists, read off the monthly slices (the figure's own
    source) when the filters allow it; None when only the facts can tell (region or product
    filters, or the backlog's ages)."""
    if filters.by_facts or metric not in METRICS or (dim not in DIMENSIONS and dim != "department"):
        return None
    if dim == "department":
        slices = _slices(scope, filters, "all")
        slices = (
            slices.filter(department_id__isnull=True)
            if key == ""
            else slices.filter(department_id=key)
        )
    else:
        slices = _slices(scope, filters, dim)
        if dim != "all":
            slices = slices.filter(key=key)
    return slices.aggregate(n=Sum(metric))["n"] or 0


def by_department(*, scope: Scope, filters: Filters) -> Breakdown:
    """The figures of the period per department ("" for cases not routed yet)."""
    out: dict[str, Figures] = {}
    if filters.by_facts:
        facts = CaseFact.objects.filter(scope.q() & filters.fact_q())
        for value, figures in fact_sums(facts, "department_id").items():
            out["" if value is None else str(value)] = figures
    else:
        for row in _slices(scope, filters, "all").iterator(chunk_size=5000):
            key = "" if row.department_id is None else str(row.department_id)
            out.setdefault(key, Figures()).add(row)
    return Breakdown(
        dim="department", rows=sorted(out.items(), key=lambda i: (-i[1].received, i[0]))
    )
