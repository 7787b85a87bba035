"""The headline figures of any run of days (a day, an ISO week, a month) for the summary
e-mail, summed from the facts the dashboard reads, with the dashboard's own labels."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _

from resuelve.analytics.dashboard import _kpis
from resuelve.analytics.models import CaseFact
from resuelve.analytics.selectors import Scope, add_time_bands, fact_sums
from resuelve.reports.schedule import DAILY, MONTHLY, WEEKLY, Period


def _no_link(**_params: Any) -> str:
    return ""


def period_kpis(*, scope: Scope, department: int | None, period: Period) -> list[dict[str, Any]]:
    """The dashboard's headline figures for the complaints received in the period."""
    q = scope.q() & Q(received_on__gte=period.start, received_on__lte=period.end)
    if department is not None:
        q &= Q(department_id=department)
    facts = CaseFact.objects.filter(q)
    total = fact_sums(facts, None)[""]
    add_time_bands(total, facts)
    return _kpis(total, _no_link)


def period_name(period: Period) -> str:
    """The period as the subscriber reads it, in the active language."""
    if period.frequency == MONTHLY:
        return formats.date_format(period.start, "YEAR_MONTH_FORMAT")
    if period.frequency == WEEKLY:
        year, week, _day = period.start.isocalendar()
        return _("week %(week)s of %(year)s (%(start)s to %(end)s)") % {
            "week": week,
            "year": year,
            "start": formats.date_format(period.start, "SHORT_DATE_FORMAT"),
            "end": formats.date_format(period.end, "SHORT_DATE_FORMAT"),
        }
    assert period.frequency == DAILY
    return formats.date_format(period.start, "DATE_FORMAT")
