"""The staff workspace: the queue and the case page. Views parse, call one service or
selector, and render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resuelve.accounts.models import User
from resuelve.complaints import duplicates, lifecycle, merging, selectors, services
from resuelve.complaints.files import attachment_response
from resuelve.complaints.forms import STEP_FORMS, QueueFilterForm
from resuelve.complaints.lifecycle import Action, StepRefused
from resuelve.complaints.models import Attachment, Complaint
from resuelve.conduct.review import conduct_after_send, conduct_review
from resuelve.remedies import services as remedies_services
from resuelve.remedies.selectors import has_pending_plans

Service = Callable[[Complaint, User, dict[str, Any], HttpRequest], object]


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


STEP_SERVICES: dict[str, Service] = {
    Action.ACKNOWLEDGE: lambda c, u, d, r: services.complaint_acknowledge(
        complaint=c, actor=u, message=d["message"]
    ),
    Action.ASSESS: lambda c, u, d, r: services.complaint_assess(
        complaint=c,
        actor=u,
        established=d["established"],
        reason=d["reason"],
        category=d["category"],
        severity=d["severity"],
        confidential=d["confidential"],
        answer=d["answer"],
    ),
    Action.ASSIGN: lambda c, u, d, r: services.complaint_assign(
        complaint=c, actor=u, department=d["department"], assignee=d["assignee"], reason=d["reason"]
    ),
    Action.START_INVESTIGATION: lambda c, u, d, r: services.complaint_start_investigation(
        complaint=c, actor=u, note=d["note"]
    ),
    Action.PROPOSE: lambda c, u, d, r: services.complaint_propose_solution(
        complaint=c, actor=u, solution=d["solution"], value=d["value"]
    ),
    Action.APPROVE: lambda c, u, d, r: services.complaint_approve_solution(
        complaint=c, actor=u, comment=d["comment"]
    ),
    Action.REJECT: lambda c, u, d, r: services.complaint_reject_solution(
        complaint=c, actor=u, reason=d["reason"]
    ),
    # Through the plans (resuelve.remedies): what is on offer, chosen or declined stays right.
    Action.COMMUNICATE: lambda c, u, d, r: remedies_services.proposals_offer(
        complaint=c, actor=u, message=d["message"]
    ),
    Action.ACCEPT: lambda c, u, d, r: remedies_services.proposal_accept(
        complaint=c, actor=u, name=d["name"], ip=_client_ip(r)
    ),
    Action.DISPUTE: lambda c, u, d, r: remedies_services.proposal_dispute(
        complaint=c, actor=u, reason=d["reason"]
    ),
    Action.REFER_EXTERNAL: lambda c, u, d, r: services.complaint_refer_external(
        complaint=c, actor=u, body=d["body"], reason=d["reason"]
    ),
    Action.RESOLVE: lambda c, u, d, r: services.complaint_resolve(
        complaint=c, actor=u, summary=d["summary"], answer=d["answer"]
    ),
    Action.FOLLOW_UP: lambda c, u, d, r: services.complaint_follow_up(
        complaint=c, actor=u, satisfaction=d["satisfaction"], note=d["note"]
    ),
    Action.CLOSE: lambda c, u, d, r: services.complaint_close(
        complaint=c, actor=u, reason=d["reason"]
    ),
    Action.REOPEN: lambda c, u, d, r: services.complaint_reopen(
        complaint=c, actor=u, reason=d["reason"]
    ),
    Action.WAIT: lambda c, u, d, r: services.complaint_wait_for_customer(
        complaint=c, actor=u, question=d["question"]
    ),
    Action.RESUME: lambda c, u, d, r: services.complaint_resume(
        complaint=c, actor=u, note=d["note"]
    ),
    Action.NOTE: lambda c, u, d, r: services.complaint_add_message(
        complaint=c, actor=u, body=d["body"], to_customer=False, attachments=d["attachments"]
    ),
    Action.REPLY: lambda c, u, d, r: services.complaint_add_message(
        complaint=c, actor=u, body=d["body"], to_customer=True, attachments=d["attachments"]
    ),
}


def _filters_from(form: QueueFilterForm) -> selectors.QueueFilters:
    if not form.is_valid():
        return selectors.QueueFilters()
    d = form.cleaned_data
    confidential = {"yes": True, "no": False}.get(d["confidential"])
    return selectors.QueueFilters(
        state=d["state"],
        kind=d["kind"],
        department=d["department"].pk if d["department"] else None,
        assignee=d["assignee"],
        overdue=d["overdue"],
        by_deadline=d["by_deadline"],
        confidential=confidential,
        q=d["q"],
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = QueueFilterForm(request.GET or None, user=user)
    filters = _filters_from(form)
    page = selectors.queue_page(
        user=user,
        filters=filters,
        cursor=request.GET.get("after", ""),
        size=settings.RESUELVE_QUEUE_PAGE_SIZE,
    )
    params = request.GET.copy()
    params.pop("after", None)
    return render(
        request,
        "complaints/queue.html",
        {
            "form": form,
            "page": page,
            "now": timezone.now(),
            "base_query": params.urlencode(),
            "is_later_page": bool(request.GET.get("after")),
        },
    )


def _case_context(
    request: HttpRequest, complaint: Complaint, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    user: User = request.user  # type: ignore[assignment]
    # Someone who reads the case through a mention or a request for input (H5) may not change
    # it: no forms the services would refuse.
    writes = not user.read_only and selectors.can_view(user, complaint, cooperating=False)
    steps: list[str] = []
    if writes:
        steps = lifecycle.available_steps(complaint.state, user.role, kind=complaint.kind)
        # Merging needs a second case: it is offered in the likely-duplicates panel; solutions
        # are proposed as plans of remedy items in the plans panel.
        steps = [action for action in steps if action not in {Action.MERGE, Action.PROPOSE}]
        if has_pending_plans(complaint):  # the plans panel decides them side by side
            steps = [a for a in steps if a not in {Action.APPROVE, Action.REJECT}]
        if len(remedies_services.on_offer(complaint)) > 1:  # the panel asks which one
            steps = [a for a in steps if a != Action.ACCEPT]
        # A step posted directly (the single-solution form of integrations) shows its errors.
        steps += [action for action in (bound or {}) if action not in steps]
    step_forms = []
    for action in steps:
        form = (bound or {}).get(action) or STEP_FORMS[action](prefix=action)
        if action == Action.ASSIGN and not (bound or {}).get(action):
            form.initial = {
                "department": complaint.department_id,
                "assignee": complaint.assignee_id,
            }
        if action == Action.ASSESS and not (bound or {}).get(action):
            form.initial = {
                "category": complaint.category_id,
                "severity": complaint.severity,
                "confidential": complaint.confidential,
            }
        if action == Action.ACCEPT and not (bound or {}).get(action):
            form.initial = {"name": complaint.contact_name}
        if action == Action.REFER_EXTERNAL and not (bound or {}).get(action):
            policy = complaint.deadline_policy
            form.initial = {"body": policy.external_body if policy is not None else ""}
        step_forms.append((action, Action(action).label, form))
    message_forms = []
    if writes:
        for action in (Action.REPLY, Action.NOTE):
            form = (bound or {}).get(action) or STEP_FORMS[action](prefix=action)
            message_forms.append((action, Action(action).label, form))
    return {
        "complaint": complaint,
        "timeline": selectors.complaint_timeline(complaint),
        "history": selectors.customer_history(complaint, user=user),
        "step_forms": step_forms,
        "message_forms": message_forms,
        "reads_only": not writes and not user.read_only,
        "now": timezone.now(),
        "answer_days": settings.RESUELVE_ANSWER_DAYS,
        "duplicates": _duplicates_panel(complaint, user),
        "merged_into": duplicates.merged_into(complaint),
        "over_authority": (
            complaint.solution_value is not None
            and user.authority_limit is not None
            and complaint.solution_value > user.authority_limit
        ),
    }


INTO_OTHER = "into_other"  # merge this case into the other one
FROM_OTHER = "from_other"  # merge the other case into this one


class MergeForm(forms.Form):
    other = forms.CharField(max_length=20)
    direction = forms.ChoiceField(choices=[(INTO_OTHER, INTO_OTHER), (FROM_OTHER, FROM_OTHER)])
    reason = forms.CharField(max_length=2000)


def _may_merge(case: Complaint, user: User) -> bool:
    """Whether `user`'s role may merge `case` away, as far as the page can tell before asking
    the service (which also checks both cases' departments)."""
    if user.read_only:
        return False
    try:
        lifecycle.check_step(Action.MERGE, case.state, user.role, kind=case.kind)
    except StepRefused:
        return False
    return True


def _duplicates_panel(complaint: Complaint, user: User) -> list[dict[str, Any]]:
    """The likely duplicates, each with the merge directions this user may choose."""
    rows = []
    for found in duplicates.likely_duplicates(complaint, user=user):
        directions = []
        if _may_merge(complaint, user):
            directions.append(INTO_OTHER)
        if not user.read_only and _may_merge(found.case, user):
            directions.append(FROM_OTHER)
        rows.append({"found": found, "other": found.case, "directions": directions})
    return rows


def _get_case(request: HttpRequest, code: str) -> Complaint:
    try:
        return selectors.complaint_get_for_user(user=request.user, tracking_code=code)  # type: ignore[arg-type]
    except Complaint.DoesNotExist as exc:
        raise Http404(_("No case with this tracking code is visible to you.")) from exc


@login_required
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    complaint = _get_case(request, code)
    if complaint.tracking_code != code:
        return redirect("complaints:case", code=complaint.tracking_code)
    return render(request, "complaints/case.html", _case_context(request, complaint))


@login_required
@require_POST
def case_step(request: HttpRequest, code: str, action: str) -> HttpResponse:
    complaint = _get_case(request, code)
    if action not in STEP_SERVICES:
        raise Http404(_("Unknown step."))
    form = STEP_FORMS[action](request.POST, request.FILES, prefix=action)
    if form.is_valid():
        # The conduct check (J1, J2, E6) holds a flagged customer-visible text until the
        # agent sends it anyway; the agent decides, the override is counted.
        review = conduct_review(
            request=request, complaint=complaint, action=action, data=form.cleaned_data
        )
        if review is not None and review.hold:
            context = _case_context(request, complaint, bound={action: form})
            if any(message[0] == action for message in context["message_forms"]):
                # A reply is written in its own panel: not a second time among the steps.
                context["step_forms"] = [s for s in context["step_forms"] if s[0] != action]
            context["open_step"] = action
            context["conduct"] = review
            return render(request, "complaints/case.html", context)
        try:
            STEP_SERVICES[action](complaint, request.user, form.cleaned_data, request)  # type: ignore[arg-type]
        except StepRefused as exc:
            messages.error(request, exc.message)
            return redirect("complaints:case", code=complaint.tracking_code)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                target = field if field in form.fields else None
                for error in errors:
                    form.add_error(target, error)
        else:
            conduct_after_send(request=request, complaint=complaint, review=review)
            messages.success(
                request,
                _("Done: %(step)s.") % {"step": Action(action).label},
            )
            return redirect(reverse("complaints:case", kwargs={"code": complaint.tracking_code}))
    messages.error(request, _("Please correct the marked fields."))
    context = _case_context(request, complaint, bound={action: form})
    context["open_step"] = action
    return render(request, "complaints/case.html", context, status=400)


@login_required
def case_file(request: HttpRequest, code: str, file_id: int) -> HttpResponse:
    """An attachment of a case the user may see; internal notes' files included."""
    complaint = _get_case(request, code)
    attachment = Attachment.objects.filter(complaint=complaint, pk=file_id).first()
    if attachment is None:
        raise Http404(_("No such file on this case."))
    return attachment_response(attachment)


@login_required
@require_POST
def case_merge(request: HttpRequest, code: str) -> HttpResponse:
    """Merge this case into another one, or another one into this; then show the case that
    continues."""
    user: User = request.user  # type: ignore[assignment]
    complaint = _get_case(request, code)
    form = MergeForm(request.POST)
    if not form.is_valid():
        if "reason" in form.errors:
            messages.error(request, _("Say why the two cases are the same before merging."))
        else:
            messages.error(request, _("Choose the case to merge and the direction."))
        return redirect("complaints:case", code=complaint.tracking_code)
    try:
        other = selectors.complaint_get_for_user(
            user=user, tracking_code=form.cleaned_data["other"]
        )
    except Complaint.DoesNotExist:
        messages.error(request, _("No case with this tracking code is visible to you."))
        return redirect("complaints:case", code=complaint.tracking_code)
    if form.cleaned_data["direction"] == INTO_OTHER:
        duplicate, into = complaint, other
    else:
        duplicate, into = other, complaint
    try:
        merging.complaint_merge(
            duplicate=duplicate, into=into, actor=user, reason=form.cleaned_data["reason"]
        )
    except StepRefused as exc:
        messages.error(request, exc.message)
        return redirect("complaints:case", code=complaint.tracking_code)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return redirect("complaints:case", code=complaint.tracking_code)
    messages.success(
        request,
        _("%(duplicate)s is merged into %(into)s; its messages and files are kept here.")
        % {"duplicate": duplicate.tracking_code, "into": into.tracking_code},
    )
    return redirect("complaints:case", code=into.tracking_code)
