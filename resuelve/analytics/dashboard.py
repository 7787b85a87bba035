"""The management dashboard's content: headline figures, charts with their drill-down links,
and the compliance and time tables, from the selectors' figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from resuelve.analytics import selectors
from resuelve.analytics.labels import labels
from resuelve.analytics.selectors import Breakdown, Filters, Scope
from resuelve.analytics.slices import Figures, percentile
from resuelve.core.charts import Chart, Series

DrillUrl = Callable[..., str]
TOP = 15  # the longest lists (products, causes) show their top values


def duration(minutes: float | None) -> str:
    """4 d 3 h, 5 h 20 min, 12 min; an em dash for no value."""
    if minutes is None:
        return "—"
    minutes = int(round(minutes))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(d)s d %(h)s h") % {"d": days, "h": hours}
    if hours:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": mins}
    return _("%(m)s min") % {"m": mins}


def percent(value: float | None) -> str:
    return "—" if value is None else f"{formats.number_format(100 * value, 1)} %"


def number(value: float | int | Decimal | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    return formats.number_format(value, digits, use_l10n=True, force_grouping=True)


def _kpis(total: Figures, drill: DrillUrl) -> list[dict[str, Any]]:
    return [
        {"label": _("Received"), "value": number(total.received), "url": drill(metric="received"),
         "help": _("Complaints received in the period.")},
        {"label": _("Still open"), "value": number(total.open), "url": drill(metric="open"),
         "help": _("Of those received in the period, not yet resolved or closed.")},
        {"label": _("Answer: median"), "value": duration(percentile(total.answer_hist, 0.5)),
         "help": _("Half the answered complaints were answered faster than this (read off time bands, exact to within a band).")},
        {"label": _("Answer: 90th percentile"), "value": duration(percentile(total.answer_hist, 0.9)),
         "help": _("Nine in ten answered complaints were answered faster than this.")},
        {"label": _("On time"), "value": percent(total.compliance), "url": drill(metric="late"),
         "help": _("Answered by the deadline, out of those answered or already past it. The link lists the late ones.")},
        {"label": _("Reopened"), "value": percent(total.reopen_rate), "url": drill(metric="reopened"),
         "help": _("Share of the period's complaints reopened after being resolved.")},
        {"label": _("Disputed"), "value": percent(total.dispute_rate), "url": drill(metric="disputed"),
         "help": _("Share whose customer disputed the solution offered.")},
        {"label": _("Satisfaction (CSAT)"), "value": number(total.csat, 2) if total.csat else "—",
         "help": _("Average of the survey answers, 1 to 5.")},
        {"label": _("Effort (CES)"), "value": number(total.ces, 2) if total.ces else "—",
         "help": _("Average ease answered in the surveys, 1 (hard) to 5 (easy).")},
        {"label": _("NPS"), "value": number(total.nps, 0) if total.nps is not None else "—",
         "help": _("Promoters (9-10) minus detractors (0-6), in points, among survey answers.")},
        {"label": _("Compensation"), "value": number(total.compensation, 0), "url": drill(metric="compensated"),
         "help": _("Paid or delivered to customers for the period's complaints (ledger).")},
    ]  # fmt: skip


def _bars(
    breakdown: Breakdown,
    *,
    title: str,
    description: str,
    drill: DrillUrl,
    kind: str = "hbar",
    value: Callable[[Figures], float] = lambda f: f.received,
    metric: str = "received",
    top: int = TOP,
    unit: str = "",
) -> Chart:
    rows = [(k, f) for k, f in breakdown.rows if value(f)][:top]
    names = labels(breakdown.dim, [k for k, _f in rows])
    return Chart(
        kind=kind,
        title=title,
        description=description,
        categories=[names[k] for k, _f in rows],
        series=[Series(label=title, values=[value(f) for _k, f in rows])],
        unit=unit,
        links=[drill(dim=breakdown.dim, key=k, metric=metric) for k, _f in rows],
        empty_text=_("Nothing in this period."),
    )  # fmt: skip


def dashboard(
    *, scope: Scope, filters: Filters, drill_url: DrillUrl, today: date
) -> dict[str, Any]:
    months = selectors.by_month(scope=scope, filters=filters)
    total = Figures()
    for _month, figures in months:
        total.add(figures)
    complaints = _("complaints")

    def cut(dim: str) -> Breakdown:
        return selectors.breakdown(scope=scope, filters=filters, dim=dim)

    month_names = [formats.date_format(m, "YEAR_MONTH_FORMAT") for m, _f in months]
    volume = Chart(
        kind="line",
        title=_("Complaints received per month"),
        description=_("Received and resolved per month of receipt."),
        categories=month_names,
        series=[
            Series(label=_("Received"), values=[f.received for _m, f in months]),
            Series(label=_("Resolved"), values=[f.resolved for _m, f in months]),
        ],
        unit=complaints,
        links=[drill_url(month=f"{m:%Y-%m}") for m, _f in months],
        empty_text=_("Nothing in this period."),
    )
    causes = cut("cause")
    # Cases still without a cause are not a cause: the Pareto shows the causes found.
    found = Breakdown(dim="cause", rows=[row for row in causes.rows if row[0] != ""])
    unexplained = sum(f.received for k, f in causes.rows if k == "")
    pareto = _bars(found, title=_("Root causes (Pareto)"), kind="pareto", drill=drill_url,
                   description=_("Causes found by investigation, most frequent first, with the cumulative share."),
                   unit=complaints)  # fmt: skip
    charts = [
        _bars(cut("kind"), title=_("By kind"), kind="bar", drill=drill_url,
              description=_("Requests, complaints, claims, suggestions and compliments."), unit=complaints),
        _bars(cut("category"), title=_("By category"), drill=drill_url,
              description=_("The category each complaint was filed under."), unit=complaints),
        _bars(cut("channel"), title=_("By channel"), drill=drill_url,
              description=_("Where the complaints came in."), unit=complaints),
        _bars(cut("product"), title=_("By product or service"), drill=drill_url,
              description=_("The %(n)s products or services most complained about.") % {"n": TOP}, unit=complaints),
        _bars(cut("supplier"), title=_("By supplier"), drill=drill_url,
              description=_("The supplier of the product complained about."), unit=complaints),
        _bars(cut("region"), title=_("By region"), drill=drill_url,
              description=_("The region of the branch concerned."), unit=complaints),
        _bars(cut("branch"), title=_("By branch"), drill=drill_url,
              description=_("The branch concerned."), unit=complaints),
        _bars(cut("language"), title=_("By language"), drill=drill_url,
              description=_("The language the customer wrote in."), unit=complaints),
    ]  # fmt: skip
    departments = selectors.by_department(scope=scope, filters=filters)
    money = [
        _bars(causes, title=_("Compensation by cause"), drill=drill_url, metric="compensated",
              value=lambda f: float(f.compensation), description=_("What the period's complaints cost, by root cause.")),
        _bars(departments, title=_("Compensation by department"), drill=drill_url, metric="compensated",
              value=lambda f: float(f.compensation), description=_("What the period's complaints cost, by department.")),
    ]  # fmt: skip
    backlog = selectors.backlog_by_age(scope=scope, filters=filters, today=today)
    band_names = [
        ngettext("%(low)s-%(high)s day", "%(low)s-%(high)s days", high) % {"low": low, "high": high}
        if high is not None else _("over %(low)s days") % {"low": low - 1}
        for (low, high), _n in backlog
    ]  # fmt: skip
    backlog_chart = Chart(
        kind="bar",
        title=_("Open backlog by age"),
        description=_("Cases open now, by days since they were received."),
        categories=band_names,
        series=[Series(label=_("Open"), values=[n for _band, n in backlog])],
        unit=complaints,
        links=[
            drill_url(age=f"{low}-{high if high is not None else ''}")
            for (low, high), _n in backlog
        ],
        empty_text=_("Nothing open."),
    )
    policies = cut("policy")
    policy_names = labels("policy", [k for k, _f in policies.rows])
    compliance = [
        {"name": policy_names[k], "figures": f, "rate": percent(f.compliance),
         "late_url": drill_url(dim="policy", key=k, metric="late"),
         "all_url": drill_url(dim="policy", key=k)}
        for k, f in policies.rows
    ]  # fmt: skip
    times = [
        {"label": _("Acknowledge"), "p50": duration(percentile(total.ack_hist, 0.5)),
         "p90": duration(percentile(total.ack_hist, 0.9)), "n": sum(total.ack_hist)},
        {"label": _("Answer"), "p50": duration(percentile(total.answer_hist, 0.5)),
         "p90": duration(percentile(total.answer_hist, 0.9)), "n": sum(total.answer_hist)},
        {"label": _("Resolve"), "p50": duration(percentile(total.resolve_hist, 0.5)),
         "p90": duration(percentile(total.resolve_hist, 0.9)), "n": sum(total.resolve_hist)},
    ]  # fmt: skip
    return {
        "total": total,
        "kpis": _kpis(total, drill_url),
        "volume": volume,
        "pareto": pareto,
        "unexplained": unexplained,
        "unexplained_url": drill_url(dim="cause", key=""),
        "charts": charts,
        "money": money,
        "backlog": backlog_chart,
        "compliance": compliance,
        "times": times,
    }
