"""Pages and case-page forms for investigation, cooperation, accountability and improvement
actions. Views parse, call one service or selector, and render or redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resuelve.accounts.models import User
from resuelve.complaints import selectors as complaint_selectors
from resuelve.complaints.lifecycle import StepRefused
from resuelve.complaints.models import Complaint
from resuelve.resolution import forms as rforms
from resuelve.resolution import selectors, services
from resuelve.resolution.models import CooperationRequest, ImprovementAction


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _case(request: HttpRequest, code: str) -> Complaint:
    try:
        return complaint_selectors.complaint_get_for_user(user=_user(request), tracking_code=code)
    except Complaint.DoesNotExist as exc:
        raise Http404(_("No case with this tracking code is visible to you.")) from exc


def _attempt(
    request: HttpRequest, form: forms.Form, call: Callable[[dict[str, Any]], object]
) -> bool:
    """Run the service with the form's data; report refusals as messages. True when done."""
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return False
    try:
        call(form.cleaned_data)
    except StepRefused as exc:
        messages.error(request, exc.message)
        return False
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return False
    return True


def _back_to_case(complaint: Complaint) -> HttpResponse:
    return redirect("complaints:case", code=complaint.tracking_code)


# --- forms on the case page -------------------------------------------------------------------


@login_required
@require_POST
def case_investigation(request: HttpRequest, code: str) -> HttpResponse:
    complaint = _case(request, code)
    form = rforms.InvestigationForm(request.POST, request.FILES, prefix="investigation")
    if _attempt(
        request,
        form,
        lambda d: services.investigation_record(
            complaint=complaint,
            actor=_user(request),
            cause=d["cause"],
            responsible_department=d["responsible_department"],
            responsible_people=d["responsible_people"],
            findings=d["findings"],
            evidence=d["evidence"],
            lesson=d["lesson"],
        ),
    ):
        messages.success(request, _("The investigation is recorded."))
    return _back_to_case(complaint)


@login_required
@require_POST
def case_investigation_due(request: HttpRequest, code: str) -> HttpResponse:
    complaint = _case(request, code)
    form = rforms.InvestigationDueForm(request.POST, prefix="due")
    if _attempt(
        request,
        form,
        lambda d: services.investigation_set_due(
            complaint=complaint, actor=_user(request), due_at=d["due_at"], reason=d["reason"]
        ),
    ):
        messages.success(request, _("The term to investigate is changed."))
    return _back_to_case(complaint)


@login_required
@require_POST
def case_cooperation(request: HttpRequest, code: str) -> HttpResponse:
    complaint = _case(request, code)
    form = rforms.CooperationForm(request.POST, prefix="coop")
    if _attempt(
        request,
        form,
        lambda d: services.cooperation_request(
            complaint=complaint,
            actor=_user(request),
            department=d["department"],
            kind=d["kind"],
            note=d["note"],
        ),
    ):
        messages.success(request, _("Done: the other department is told."))
    try:
        return _back_to_case(_case(request, code))
    except Http404:  # transferred out of the user's sight
        return redirect("complaints:queue")


@login_required
@require_POST
def case_accountability(request: HttpRequest, code: str) -> HttpResponse:
    if not selectors.may_record_accountability(_user(request)):
        raise PermissionDenied
    complaint = _case(request, code)
    form = rforms.AccountabilityForm(request.POST, prefix="acc")
    if _attempt(
        request,
        form,
        lambda d: services.accountability_record(
            complaint=complaint,
            actor=_user(request),
            kind=d["kind"],
            department=d["department"],
            person=d["person"],
            measure=d["measure"],
        ),
    ):
        messages.success(request, _("The accountability record is saved."))
    return _back_to_case(complaint)


@login_required
@require_POST
def case_improvement_link(request: HttpRequest, code: str) -> HttpResponse:
    if not selectors.may_edit_improvements(_user(request)):
        raise PermissionDenied
    complaint = _case(request, code)
    form = rforms.LinkForm(request.POST, prefix="link")
    if _attempt(
        request,
        form,
        lambda d: services.improvement_link(
            action=d["action"], complaint=complaint, actor=_user(request)
        ),
    ):
        messages.success(request, _("The case is linked to the improvement action."))
    return _back_to_case(complaint)


# --- pages ------------------------------------------------------------------------------------


@login_required
def cooperation_list(request: HttpRequest) -> HttpResponse:
    """Requests for input waiting on the user's departments, each with its answer form."""
    return render(
        request,
        "resolution/cooperation.html",
        {
            "pending": selectors.cooperation_pending_for(_user(request)),
            "form": rforms.CooperationAnswerForm(),
        },
    )


@login_required
@require_POST
def cooperation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    pending = get_object_or_404(CooperationRequest, pk=pk, department_id__in=user.department_ids())
    form = rforms.CooperationAnswerForm(request.POST)
    if _attempt(
        request,
        form,
        lambda d: services.cooperation_answer(request=pending, actor=user, answer=d["answer"]),
    ):
        messages.success(request, _("Your answer is on the case."))
    return redirect("resolution:cooperation")


@login_required
def accountability_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not selectors.may_read_accountability(user):
        raise PermissionDenied
    form = rforms.AccountabilityFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        d = form.cleaned_data
        filters = {
            "department": d["department"].pk if d["department"] else None,
            "kind": d["kind"],
            "month": d["month"],
        }
    return render(
        request,
        "resolution/accountability.html",
        {"form": form, "records": selectors.accountability_list(user=user, **filters)},
    )


@login_required
def improvement_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not selectors.may_read_improvements(user):
        raise PermissionDenied
    may_edit = selectors.may_edit_improvements(user)
    form = rforms.ImprovementForm(request.POST or None) if may_edit else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if _attempt(
            request,
            form,
            lambda d: services.improvement_action_save(actor=user, **d),
        ):
            messages.success(request, _("The improvement action is saved."))
            return redirect("resolution:improvements")
    status = request.GET.get("status", "")
    return render(
        request,
        "resolution/improvements.html",
        {
            "actions": selectors.improvement_actions(user=user, status=status)[:200],
            "form": form,
            "status": status,
        },
    )


@login_required
def improvement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    if not selectors.may_read_improvements(user):
        raise PermissionDenied
    action = get_object_or_404(ImprovementAction.objects.select_related("cause", "owner"), pk=pk)
    may_edit = selectors.may_edit_improvements(user)
    form = None
    if may_edit:
        initial = {
            field: getattr(action, field)
            for field in ("title", "kind", "description", "due_on", "status", "conclusion")
        }
        initial |= {
            "cause": action.cause_id,
            "owner": action.owner_id,
            "effectiveness_check_on": action.effectiveness_check_on,
        }
        form = rforms.ImprovementForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if _attempt(
            request,
            form,
            lambda d: services.improvement_action_save(actor=user, action=action, **d),
        ):
            messages.success(request, _("The improvement action is saved."))
            return redirect("resolution:improvement", pk=action.pk)
    linked = complaint_selectors.complaints_visible_to(user).filter(improvement_actions=action)
    return render(
        request,
        "resolution/improvement_detail.html",
        {
            "action": action,
            "form": form,
            "result": selectors.effectiveness(action),
            "linked": linked.only("tracking_code", "subject", "state")[:200],
            "now": timezone.now(),
        },
    )
