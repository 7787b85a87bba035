"""The monthly management report as a PDF: the dashboard's figures for one month (and the
twelve months up to it), the improvement actions of the month with their effect, in one
language and the scope of one reader.

report_context() reads the figures, report_html() renders the print template and report_pdf()
lays it out with WeasyPrint. Callers pick the language with translation.override (the command,
the page and the subscriptions job all go through report_pdf, which does it)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from resuelve.accounts.models import Department, User
from resuelve.analytics import selectors as analytics
from resuelve.analytics.dashboard import dashboard, number, percent
from resuelve.analytics.forms import months_back
from resuelve.analytics.refresh import freshness
from resuelve.analytics.selectors import Filters, Scope
from resuelve.analytics.slices import Figures
from resuelve.core.charts import Chart, Series, chart_table, render_svg
from resuelve.reports import schedule
from resuelve.reports.selectors import improvement_actions
from resuelve.resolution.selectors import effectiveness_days

TREND_MONTHS = 12


def _no_link(**_params: Any) -> str:
    return ""  # a printed chart links nowhere


def _scope_label(scope: Scope, department: Department | None) -> str:
    if department is not None:
        return department.name
    if scope.departments is None:
        return _("Every department")
    names = list(
        Department.objects.filter(pk__in=scope.departments)
        .order_by("name")
        .values_list("name", flat=True)
    )
    return ", ".join(names) or _("No department")


def _comparison(this: Figures, before: Figures) -> list[dict[str, str]]:
    def row(label: str, now: str, then: str) -> dict[str, str]:
        return {"label": label, "now": now, "then": then}

    return [
        row(_("Received"), number(this.received), number(before.received)),
        row(_("Resolved"), number(this.resolved), number(before.resolved)),
        row(_("Still open"), number(this.open), number(before.open)),
        row(_("On time"), percent(this.compliance), percent(before.compliance)),
        row(_("Reopened"), percent(this.reopen_rate), percent(before.reopen_rate)),
        row(_("Compensation"), number(this.compensation), number(before.compensation)),
    ]


def report_context(
    *, user: User, month: date, department: Department | None = None, today: date | None = None
) -> dict[str, Any]:
    """Everything the report shows, for `user`'s scope now, in the active language."""
    today = today or timezone.localdate()
    scope = analytics.scope_of(user)
    dept = department.pk if department is not None else None
    period = schedule.month_period(month)
    figures = dashboard(
        scope=scope,
        filters=Filters(start=month, end=month, department=dept),
        drill_url=_no_link,
        today=today,
    )
    months = analytics.by_month(
        scope=scope,
        filters=Filters(start=months_back(month, TREND_MONTHS - 1), end=month, department=dept),
    )
    month_names = [formats.date_format(m, "YEAR_MONTH_FORMAT") for m, _f in months]
    volume = Chart(
        kind="line",
        title=_("Complaints received per month"),
        description=_("Received and resolved per month of receipt."),
        categories=[formats.date_format(m, "M Y") for m, _f in months],
        series=[
            Series(label=_("Received"), values=[f.received for _m, f in months]),
            Series(label=_("Resolved"), values=[f.resolved for _m, f in months]),
        ],
        unit=_("complaints"),
        empty_text=_("Nothing in this period."),
    )
    trend = [
        {"month": name, "received": f.received, "resolved": f.resolved,
         "on_time": percent(f.compliance)}
        for name, (_m, f) in zip(month_names, months, strict=True)
    ]  # fmt: skip
    pareto: Chart = figures["pareto"]
    by_kind: Chart = figures["charts"][0]
    by_channel: Chart = figures["charts"][2]
    period_name = formats.date_format(month, "YEAR_MONTH_FORMAT")
    return {
        "company": settings.RESUELVE_COMPANY_NAME,
        "period_name": period_name,
        "period": period,
        "scope_label": _scope_label(scope, department),
        "confidential": scope.confidential,
        "generated_at": timezone.localtime(),
        "fresh": freshness(),
        "kpis": figures["kpis"],
        "comparison": _comparison(months[-1][1], months[-2][1]),
        "previous_name": month_names[-2],
        "volume_svg": render_svg(volume, width=680, height=260),
        "trend": trend,
        "pareto_svg": render_svg(pareto, width=680, height=300),
        "pareto_rows": chart_table(pareto)["rows"],
        "unexplained": figures["unexplained"],
        "kind_title": by_kind.title,
        "channel_title": by_channel.title,
        "kind_svg": render_svg(by_kind, width=330, height=230),
        "channel_svg": render_svg(by_channel, width=330, height=230),
        "compliance": figures["compliance"],
        "times": figures["times"],
        "actions": improvement_actions(
            scope=scope, department=dept, start=period.start, end=period.end
        ),
        "effect_days": effectiveness_days(),
        "page": mark_safe('<span class="page-no"></span>'),
        "pages": mark_safe('<span class="page-count"></span>'),
    }


def report_html(context: dict[str, Any]) -> str:
    return render_to_string("reports/report_pdf.html", context)


def report_filename(*, month: date, language: str, department: Department | None) -> str:
    parts = [slugify(settings.RESUELVE_COMPANY_NAME) or "report", f"{month:%Y-%m}"]
    if department is not None:
        parts.append(department.code)
    parts.append(language)
    return "-".join(parts) + ".pdf"


def report_pdf(
    *,
    user: User,
    month: date,
    language: str,
    department: Department | None = None,
    today: date | None = None,
) -> bytes:
    """The month's report as PDF bytes, in `language`, with what `user` may see now."""
    from weasyprint import HTML  # heavy: loaded only when a report is made

    with translation.override(language):
        html = report_html(
            report_context(user=user, month=month, department=department, today=today)
        )
    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf
