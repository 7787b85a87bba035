"""Staff pages of the playbooks: the checklist ticks and the not-routine mark posted from the
case page, and the per-playbook report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resuelve.complaints import selectors as complaint_selectors
from resuelve.complaints.lifecycle import StepRefused
from resuelve.complaints.models import Complaint
from resuelve.guidance import report as report_selectors
from resuelve.guidance import services
from resuelve.guidance.forms import NonRoutineForm, ReportFilterForm, TickForm
from resuelve.guidance.models import PlaybookStep


def _get_case(request: HttpRequest, code: str) -> Complaint:
    try:
        return complaint_selectors.complaint_get_for_user(
            user=request.user,  # type: ignore[arg-type]
            tracking_code=code,
        )
    except Complaint.DoesNotExist as exc:
        raise Http404(_("No case with this tracking code is visible to you.")) from exc


def _back(complaint: Complaint) -> HttpResponse:
    return redirect(reverse("complaints:case", args=[complaint.tracking_code]) + "#playbook")


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for error in exc.messages:
        messages.error(request, error)


@login_required
@require_POST
def tick(request: HttpRequest, code: str, step_id: int) -> HttpResponse:
    complaint = _get_case(request, code)
    step = PlaybookStep.objects.filter(pk=step_id).first()
    if step is None:
        raise Http404(_("No such playbook step."))
    form = TickForm(request.POST)
    form.is_valid()
    done = bool(form.cleaned_data.get("done"))
    try:
        services.playbook_tick(complaint=complaint, step=step, actor=request.user, done=done)  # type: ignore[arg-type]
    except StepRefused as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request,
            (_("Step done: %(text)s") if done else _("Step undone: %(text)s"))
            % {"text": step.text_in()},
        )
    return _back(complaint)


@login_required
@require_POST
def not_routine(request: HttpRequest, code: str) -> HttpResponse:
    complaint = _get_case(request, code)
    form = NonRoutineForm(request.POST, prefix="routine")
    if not form.is_valid():
        messages.error(request, _("Say why this case is not routine."))
        return _back(complaint)
    try:
        services.case_mark_non_routine(
            complaint=complaint,
            actor=request.user,  # type: ignore[arg-type]
            reason=form.cleaned_data["reason"],
        )
    except StepRefused as exc:
        messages.error(request, exc.message)
        return _back(complaint)
    except ValidationError as exc:
        _errors(request, exc)
        return _back(complaint)
    messages.success(
        request,
        _("Marked not routine and sent to %(who)s.")
        % {"who": complaint.assignee or complaint.department},
    )
    try:  # the specialist's department may be outside the agent's own
        _get_case(request, code)
    except Http404:
        return redirect("complaints:queue")
    return _back(complaint)


@login_required
def report(request: HttpRequest) -> HttpResponse:
    if not report_selectors.may_see_report(request.user):
        raise PermissionDenied
    form = ReportFilterForm(request.GET if "received_from" in request.GET else None)
    period = form.period()
    if not form.is_bound:
        form = ReportFilterForm(initial={"received_from": period[0], "received_to": period[1]})
    rows = report_selectors.playbook_report(
        user=request.user,  # type: ignore[arg-type]
        received_from=period[0],
        received_to=period[1],
    )
    return render(request, "guidance/report.html", {"form": form, "rows": rows, "period": period})
