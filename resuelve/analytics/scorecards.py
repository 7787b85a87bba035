"""Scorecards (REQUIREMENTS H7, A4): how each person and each department handles complaints,
read off the same monthly slices as the dashboard (dimension "assignee" for people, "all"
per department), with every figure's meaning spelled out for the hover text and the legend."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from resuelve.accounts.models import User
from resuelve.analytics.dashboard import duration, number, percent
from resuelve.analytics.labels import labels
from resuelve.analytics.selectors import Filters, Scope, _days, _slices
from resuelve.analytics.slices import Figures, percentile

DrillUrl = Callable[..., str]


@dataclass(frozen=True)
class Measure:
    name: str
    label: str | Promise
    help: str | Promise
    value: Callable[[Figures], str]
    metric: str = ""  # the drill-down behind the figure, if one lists its complaints
    numeric: Callable[[Figures], float | None] = lambda f: None  # for trend charts


MEASURES: tuple[Measure, ...] = (
    Measure(
        "handled",
        _("Handled"),
        _("Complaints received in the period that this person or department handles."),
        lambda f: number(f.received),
        "received",
        lambda f: float(f.received),
    ),
    Measure(
        "resolved",
        _("Resolved"),
        _("Of those, resolved or closed."),
        lambda f: number(f.resolved),
        "resolved",
        lambda f: float(f.resolved),
    ),
    Measure(
        "fcr",
        _("First-contact resolution"),
        _(
            "Resolved by the first person who took the case, with at most one solution sent, without the customer having to write again, and never reopened or disputed; out of those resolved. The link lists them."
        ),
        lambda f: percent(f.first_contact_rate),
        "first_contact",
        lambda f: _pct(f.first_contact_rate),
    ),
    Measure(
        "answer",
        _("Time to answer (median)"),
        _(
            "Half the answered complaints were answered faster than this, from receipt to the first answer sent to the customer."
        ),
        lambda f: duration(percentile(f.answer_hist, 0.5)),
        "answered",
        lambda f: _hours(percentile(f.answer_hist, 0.5)),
    ),
    Measure(
        "compliance",
        _("Deadline compliance"),
        _(
            "Answered by the legal or company deadline, out of those answered or already past it. The link lists the late ones."
        ),
        lambda f: percent(f.compliance),
        "late",
        lambda f: _pct(f.compliance),
    ),
    Measure(
        "reopen",
        _("Reopen rate"),
        _("Reopened after being resolved, out of those handled. The link lists them."),
        lambda f: percent(f.reopen_rate),
        "reopened",
        lambda f: _pct(f.reopen_rate),
    ),
    Measure(
        "csat",
        _("CSAT"),
        _("Average satisfaction (1 to 5) of the customers who answered the survey."),
        lambda f: number(f.csat, 2) + (f" (n={f.csat_n})" if f.csat_n else ""),
        "",
        lambda f: f.csat,
    ),
    Measure(
        "comp",
        _("Compensation within limits"),
        _(
            "Cases compensated with a plan the proposer could approve alone (within their own authority), out of all compensated cases; the amount paid follows."
        ),
        lambda f: (
            percent(f.comp_within_rate) + (f" · {number(f.compensation)}" if f.compensated else "")
        ),
        "compensated",
        lambda f: _pct(f.comp_within_rate),
    ),
    Measure(
        "revisit",
        _("Revisit coverage"),
        _(
            "Resolved cases whose customer was called back afterwards (a revisit done), out of those resolved. The link lists the revisited ones."
        ),
        lambda f: percent(f.revisit_coverage),
        "revisited",
        lambda f: _pct(f.revisit_coverage),
    ),
)
TREND_MEASURES = ("compliance", "fcr", "reopen", "revisit")


def _pct(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def _hours(minutes: float | None) -> float | None:
    return None if minutes is None else round(minutes / 60, 1)


def cells(figures: Figures, drill: DrillUrl | None) -> list[dict[str, Any]]:
    return [
        {
            "name": m.name,
            "label": m.label,
            "help": m.help,
            "value": m.value(figures),
            "url": drill(metric=m.metric) if drill and m.metric else "",
        }
        for m in MEASURES
    ]


def _summed(rows: Any, key: Callable[[Any], Any]) -> dict[Any, Figures]:
    out: dict[Any, Figures] = {}
    for row in rows.iterator(chunk_size=5000):
        out.setdefault(key(row), Figures()).add(row)
    return out


def people(*, scope: Scope, filters: Filters) -> list[tuple[str, str, Figures]]:
    """(assignee key, name, figures) of everyone who handled cases in the period, busiest
    first; key "" gathers the cases nobody has taken yet."""
    figures = _summed(_slices(scope, filters, "assignee"), lambda row: row.key)
    names = labels("assignee", figures)
    return sorted(
        ((key, names[key], f) for key, f in figures.items()),
        key=lambda item: (item[0] == "", -item[2].received, item[1]),
    )


def departments(*, scope: Scope, filters: Filters) -> list[tuple[str, str, Figures]]:
    figures = _summed(
        _slices(scope, filters, "all"),
        lambda row: "" if row.department_id is None else str(row.department_id),
    )
    names = labels("department", figures)
    return sorted(
        ((key, names[key], f) for key, f in figures.items()),
        key=lambda item: (item[0] == "", -item[2].received, item[1]),
    )


def monthly(
    *, scope: Scope, filters: Filters, person: str | None = None
) -> list[tuple[date, Figures]]:
    """Every month of the period for one person (their assignee key) or, with
    filters.department, one department; empty months show as zero."""
    if person is not None:
        rows = _slices(scope, filters, "assignee").filter(Q(key=person))
    else:
        rows = _slices(scope, filters, "all")
    found = _summed(rows, lambda row: row.month)
    out = []
    month = filters.start
    while month <= filters.end:
        out.append((month, found.get(month, Figures())))
        month = (month.replace(day=28) + _days(4)).replace(day=1)
    return out


def own_scope(user: User) -> Scope:
    """What a person reads of their own scorecard: every case they handle, wherever it is
    routed; confidential ones count only for those who may see them."""
    return Scope(departments=None, unrouted=True, confidential=user.sees_confidential)
