"""The social channel's pages: the signed webhook platforms post to, the case panel's
actions (draft, approve, send back, mark posted, move private) and the supervisors' list."""

from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import StepRefused
from resuelve.complaints.models import Complaint
from resuelve.complaints.selectors import complaint_get_for_user
from resuelve.conduct.check import normalise_language
from resuelve.core.ratelimit import client_ip, hit
from resuelve.social import selectors, services
from resuelve.social.contract import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    ContractError,
    parse,
    verify,
)
from resuelve.social.models import PublicReply, SocialSource

# Per source and per client address: a listening tool sends bursts, a prober is cut off.
HOOK_LIMIT_PER_MINUTE = 600


def _problem(status: int, message: str, errors: dict[str, str] | None = None) -> JsonResponse:
    body: dict[str, Any] = {"detail": message}
    if errors:
        body["errors"] = errors
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_POST
def hook(request: HttpRequest, code: str) -> HttpResponse:
    """POST /social/hook/<code>/: one public post (or direct message) as JSON, signed."""
    if not hit("social-hook", client_ip(request), limit=HOOK_LIMIT_PER_MINUTE, window_seconds=60):
        return _problem(429, _("Too many requests: wait a minute and send again."))
    source = SocialSource.objects.filter(code=code, active=True).first()
    # An unknown source and a bad signature answer alike: codes cannot be probed.
    body = request.body
    try:
        verify(
            secret=source.secret if source else "",
            timestamp=request.headers.get(TIMESTAMP_HEADER, ""),
            signed=request.headers.get(SIGNATURE_HEADER, ""),
            body=body,
            now=time.time(),
        )
        if source is None:
            raise ContractError(401, _("The signature does not match this source's secret."))
        post = parse(body)
        received = services.social_receive(source=source, post=post)
    except ContractError as exc:
        return _problem(exc.status, exc.message, exc.errors)
    except ValidationError as exc:
        errors = (
            {k: " ".join(v) for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {}
        )
        return _problem(422, _("The complaint could not be registered."), errors)
    case = received.filed.complaint
    return JsonResponse(
        {
            "status": "created" if received.created else "exists",
            "tracking_code": case.tracking_code,
            "public": received.thread.public,
            "first_answer_due_at": received.thread.first_answer_due_at.isoformat(),
            "answer_due_at": case.due_at.isoformat() if case.due_at else None,
        },
        status=201 if received.created else 200,
    )


# --- the case panel -------------------------------------------------------------------------


def _case(request: HttpRequest, code: str) -> Complaint:
    try:
        return complaint_get_for_user(user=request.user, tracking_code=code)  # type: ignore[arg-type]
    except Complaint.DoesNotExist as exc:
        raise Http404(_("No case with this tracking code is visible to you.")) from exc


def _back(case: Complaint) -> HttpResponse:
    return redirect(reverse("complaints:case", kwargs={"code": case.tracking_code}) + "#social-h")


def _refused_page(
    request: HttpRequest, case: Complaint, refused: services.ConductRefused, text: str
) -> HttpResponse:
    from resuelve.complaints.views import _case_context

    context = _case_context(request, case)
    context["social_refused"] = {
        "flags": refused.flags,
        "text": text,
        "language": normalise_language(case.language),
    }
    return render(request, "complaints/case.html", context, status=400)


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for error in exc.messages:
        messages.error(request, error)


@login_required
@require_POST
def draft(request: HttpRequest, code: str) -> HttpResponse:
    case = _case(request, code)
    text = request.POST.get("body", "")
    try:
        services.public_reply_draft(complaint=case, actor=request.user, body=text)  # type: ignore[arg-type]
    except services.ConductRefused as refused:
        return _refused_page(request, case, refused, text)
    except ValidationError as exc:
        _errors(request, exc)
    except StepRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The public reply waits for a supervisor's approval."))
    return _back(case)


def _reply(request: HttpRequest, code: str, pk: int) -> tuple[Complaint, PublicReply]:
    case = _case(request, code)
    return case, get_object_or_404(PublicReply, pk=pk, thread__complaint=case)


@login_required
@require_POST
def decide(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    case, reply = _reply(request, code, pk)
    user: User = request.user  # type: ignore[assignment]
    try:
        if request.POST.get("decision") == "approve":
            reply = services.public_reply_approve(reply=reply, actor=user)
            messages.success(
                request, _("Approved: %(status)s.") % {"status": reply.get_status_display()}
            )
        else:
            services.public_reply_reject(reply=reply, actor=user, note=request.POST.get("note", ""))
            messages.success(request, _("The reply was sent back to its author."))
    except services.ConductRefused as refused:
        messages.error(
            request,
            _("The conduct check now flags this reply, so it cannot be approved: %(why)s")
            % {"why": " ".join(f.why for f in refused.flags)},
        )
    except ValidationError as exc:
        _errors(request, exc)
    except StepRefused as exc:
        messages.error(request, exc.message)
    return _back(case)


@login_required
@require_POST
def posted(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    case, reply = _reply(request, code, pk)
    try:
        services.public_reply_mark_posted(reply=reply, actor=request.user)  # type: ignore[arg-type]
    except StepRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Marked as posted."))
    return _back(case)


@login_required
@require_POST
def private(request: HttpRequest, code: str) -> HttpResponse:
    case = _case(request, code)
    try:
        services.social_move_private(
            complaint=case,
            actor=request.user,  # type: ignore[arg-type]
            channel=request.POST.get("channel", ""),
            email=request.POST.get("email", ""),
            phone=request.POST.get("phone", ""),
        )
    except ValidationError as exc:
        _errors(request, exc)
    except StepRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The conversation continues privately."))
    return _back(case)


@login_required
def watch(request: HttpRequest) -> HttpResponse:
    """Public complaints to watch: replies waiting for approval, first answers due."""
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "social/watch.html",
        {"watch": selectors.watchlist(user), "now": timezone.now()},
    )
