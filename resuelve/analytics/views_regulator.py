"""Regulator reports: choose a format and its period, see the rule it follows, the number of
rows and the first of them, and download the whole report as CSV or XLSX."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resuelve.accounts.models import User
from resuelve.analytics import regulator, selectors
from resuelve.complaints.views_export import FORMATS, XLSX_TYPE, export_allowed, too_many
from resuelve.core.export import csv_stream, xlsx_file

log = logging.getLogger(__name__)

MIN_YEAR, MAX_YEAR = 2000, 2100


class RegulatorReportForm(forms.Form):
    format = forms.ChoiceField(label=gettext_lazy("Report"))
    year = forms.IntegerField(
        label=gettext_lazy("Year"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    quarter = forms.ChoiceField(
        label=gettext_lazy("Quarter"),
        required=False,
        choices=[
            ("", "—"),
            ("1", gettext_lazy("Q1 (January–March)")),
            ("2", gettext_lazy("Q2 (April–June)")),
            ("3", gettext_lazy("Q3 (July–September)")),
            ("4", gettext_lazy("Q4 (October–December)")),
        ],
    )
    start = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = [  # type: ignore[attr-defined]
            (f.code, f.label) for f in regulator.FORMATS.values()
        ]
        year, number = regulator.previous_quarter(today)
        first = today.replace(day=1)
        self.initial = {
            "format": next(iter(regulator.FORMATS)),
            "year": year,
            "quarter": str(number),
            "start": first.replace(month=1),
            "end": today,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        fmt = regulator.format_of(data.get("format") or "")
        if fmt is None:
            return data
        data["report_format"] = fmt
        if fmt.period_kind == "quarter":
            if data.get("year") is None and "year" not in self.errors:
                self.add_error("year", _("Give the year of the quarter."))
            if not data.get("quarter"):
                self.add_error("quarter", _("Choose a quarter."))
            if data.get("year") is not None and data.get("quarter"):
                data["period"] = regulator.quarter(data["year"], int(data["quarter"]))
            return data
        start, end = data.get("start"), data.get("end")
        if start is None and "start" not in self.errors:
            self.add_error("start", _("Give the first day of the period."))
        if end is None and "end" not in self.errors:
            self.add_error("end", _("Give the last day of the period."))
        if start is not None and end is not None:
            if start > end:
                self.add_error("start", _("The period starts after it ends."))
            else:
                data["period"] = regulator.date_range(start, end)
        return data


def _reader(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not selectors.may_read(user):
        raise Http404(_("Regulator reports are for supervisors, managers and auditors."))
    return user


@login_required
def regulator_page(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    form = RegulatorReportForm(request.GET or None, today=timezone.localdate())
    report = None
    if form.is_bound and form.is_valid():
        report = regulator.report_preview(
            fmt=form.cleaned_data["report_format"],
            scope=selectors.scope_of(user),
            period=form.cleaned_data["period"],
            now=timezone.now(),
        )
    chosen = regulator.format_of(
        (form.data.get("format") if form.is_bound else None) or form.initial["format"]
    )
    return render(
        request,
        "analytics/regulator.html",
        {
            "form": form,
            "formats": list(regulator.FORMATS.values()),
            "chosen": chosen,
            "report": report,
            "preview": [[_display(cell) for cell in row] for row in report.preview]
            if report
            else [],
            "columns": report.format.columns() if report else [],
            "query": request.GET.urlencode(),
            "layout_note": regulator.LAYOUT_NOTE,
        },
        status=400 if form.errors else 200,
    )


@login_required
def regulator_export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """The whole report as a download: CSV streamed, XLSX written to a temporary file."""
    if fmt not in FORMATS:
        raise Http404
    user = _reader(request)
    form = RegulatorReportForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    if not export_allowed(user):
        return too_many()
    report_format: regulator.Format = form.cleaned_data["report_format"]
    period: regulator.Period = form.cleaned_data["period"]
    rows = _logged(
        regulator.report_rows(
            fmt=report_format,
            scope=selectors.scope_of(user),
            period=period,
            now=timezone.now(),
        ),
        user=user,
        code=report_format.code,
        fmt=fmt,
    )
    label = period.label.replace("/", "_")
    filename = f"{report_format.code}-{label}.{fmt}"
    columns = report_format.columns()
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_stream(columns, rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    handle = xlsx_file(columns, rows, sheet_title=period.label)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def _display(cell: Any) -> str:
    """A cell as the download shows it: local times, ISO dates, nothing for no value."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return timezone.localtime(cell).strftime("%Y-%m-%d %H:%M")
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def _logged(
    rows: Iterable[tuple[Any, ...]], *, user: User, code: str, fmt: str
) -> Iterator[tuple[Any, ...]]:
    """The rows, passed through; who exported which report and how many rows is logged
    once they are all read."""
    count, finished = 0, False
    try:
        for row in rows:
            count += 1
            yield row
        finished = True
    finally:
        log.info(
            "regulator export: user=%s report=%s format=%s rows=%d%s",
            user.username,
            code,
            fmt,
            count,
            "" if finished else " (interrupted)",
        )
