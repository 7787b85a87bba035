"""Staff pages of the deadline engine: the notified extension and the compliance report."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resuelve.complaints import selectors as complaint_selectors
from resuelve.complaints.lifecycle import StepRefused
from resuelve.complaints.models import Complaint
from resuelve.deadlines.forms import ComplianceFilterForm, ExtensionForm
from resuelve.deadlines.selectors import compliance_report, may_see_compliance
from resuelve.deadlines.services import complaint_extend_deadline


@login_required
@require_POST
def extend(request: HttpRequest, code: str) -> HttpResponse:
    try:
        complaint = complaint_selectors.complaint_get_for_user(
            user=request.user,  # type: ignore[arg-type]
            tracking_code=code,
        )
    except Complaint.DoesNotExist as exc:
        raise Http404(_("No case with this tracking code is visible to you.")) from exc
    form = ExtensionForm(request.POST, prefix="extend")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("complaints:case", code=complaint.tracking_code)
    try:
        complaint_extend_deadline(
            complaint=complaint,
            actor=request.user,  # type: ignore[arg-type]
            amount=form.cleaned_data["amount"],
            reason=form.cleaned_data["reason"],
        )
    except StepRefused as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(
            request,
            _("Deadline extended to %(due)s; the customer has been told why.")
            % {"due": timezone.localtime(complaint.due_at).strftime("%Y-%m-%d %H:%M")},
        )
    return redirect("complaints:case", code=complaint.tracking_code)


def _csv(rows: list, period: tuple) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="compliance-{period[0]:%Y%m%d}-{period[1]:%Y%m%d}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Deadline policy"),
            _("Received"),
            _("Answered"),
            _("Within the term"),
            _("Late"),
            _("Median lateness (hours)"),
            _("Longest lateness (hours)"),
            _("Still open"),
            _("Open and overdue"),
        ]
    )
    for row in rows:
        hours = [
            "" if value is None else f"{value.total_seconds() / 3600:.1f}"
            for value in (row.median_late, row.max_late)
        ]
        writer.writerow(
            [row.policy, row.received, row.answered, row.within, row.late, *hours]
            + [row.still_open, row.overdue]
        )
    return response


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    if not may_see_compliance(request.user):
        raise PermissionDenied
    form = ComplianceFilterForm(request.GET if "received_from" in request.GET else None)
    period = form.period()
    if not form.is_bound:
        form = ComplianceFilterForm(initial={"received_from": period[0], "received_to": period[1]})
    rows = compliance_report(user=request.user, received_from=period[0], received_to=period[1])
    if request.GET.get("format") == "csv":
        return _csv(rows, period)
    query = request.GET.copy()
    query["format"] = "csv"
    query.setdefault("received_from", period[0].isoformat())
    query.setdefault("received_to", period[1].isoformat())
    return render(
        request,
        "deadlines/compliance.html",
        {
            "form": form,
            "rows": rows,
            "period": period,
            "csv_query": query.urlencode(),
        },
    )
