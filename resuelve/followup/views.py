"""Staff pages: the supervisor's follow-up view and the survey results."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resuelve.complaints.lifecycle import StepRefused
from resuelve.followup import conf, selectors, services
from resuelve.followup.forms import ResultsFilterForm, TaskDoneForm


@login_required
def tasks(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "followup/tasks.html",
        {
            "tasks": list(selectors.tasks_for(user=user)[:200]),  # type: ignore[arg-type]
            "low_scores": selectors.low_scores(user=user),  # type: ignore[arg-type]
            "may_handle": services.may_handle_tasks(user),  # type: ignore[arg-type]
            "recent_days": selectors.RECENT_DAYS,
            "low_csat": conf.low_csat(),
            "low_nps": conf.low_nps(),
            "done_form": TaskDoneForm(),
            "reopenable": selectors.REOPENABLE,
        },
    )


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("followup:tasks")


@login_required
@require_POST
def task_done(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.tasks_for(user=request.user, open_only=False).filter(pk=task_id).first()  # type: ignore[arg-type]
    if task is None:
        raise Http404(_("No follow-up task with this number is visible to you."))
    form = TaskDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write what was done."))
        return _back(request)
    try:
        services.task_done(
            task=task,
            actor=request.user,  # type: ignore[arg-type]
            note=form.cleaned_data["note"],
            reopen=form.cleaned_data["reopen"],
        )
    except StepRefused as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        if form.cleaned_data["reopen"]:
            messages.success(request, _("The case was reopened and the task closed."))
        else:
            messages.success(request, _("The follow-up task was closed."))
    return _back(request)


@login_required
def results(request: HttpRequest) -> HttpResponse:
    form = ResultsFilterForm(request.GET if request.GET else None)
    start, end = form.period()
    if not form.is_bound:
        form = ResultsFilterForm(initial={"sent_from": start, "sent_to": end})
    report = selectors.survey_results(user=request.user, start=start, end=end)  # type: ignore[arg-type]
    labels, columns = selectors.dimension_labels(), selectors.dimension_columns()
    return render(
        request,
        "followup/results.html",
        {
            "form": form,
            "report": report,
            "sections": [
                (key, labels[key], columns[key], report.by[key]) for key in selectors.DIMENSIONS
            ],
            "now": timezone.now(),
        },
    )
