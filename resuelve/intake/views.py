"""The public portal: file a complaint or a suggestion, follow a case, reply, accept or
dispute. No account; the private link (tracking code + HMAC key) is the customer's key."""

from __future__ import annotations

import hmac
import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resuelve.complaints import tracking
from resuelve.complaints.duplicates import merged_into
from resuelve.complaints.files import attachment_response
from resuelve.complaints.lifecycle import StepRefused
from resuelve.complaints.models import Attachment, Channel, Complaint, Visibility
from resuelve.core.ratelimit import client_ip, hit
from resuelve.deadlines.selectors import answer_term
from resuelve.intake import forms, selectors
from resuelve.intake.services import Contact, Idempotency, intake_file, intake_reply
from resuelve.remedies.services import on_offer, proposal_accept, proposal_dispute

HOUR = 3600
QUARTER = 15 * 60


def _too_many(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    context["throttled"] = _(
        "Too many attempts from your connection. Wait a few minutes and try again, or call us."
    )
    return render(request, template, context, status=429)


def _case_url(case: Complaint) -> str:
    from django.urls import reverse

    return reverse(
        "intake:case",
        kwargs={"code": case.tracking_code, "key": tracking.access_key(case.tracking_code)},
    )


def _errors_into(form: forms.forms.Form, error: ValidationError) -> None:
    for field, texts in error.message_dict.items():
        form.add_error(field if field in form.fields else None, texts)


def _file_context(form: forms.ComplaintForm) -> dict:
    return {
        "form": form,
        "kind_help": forms.KIND_HELP,
        "ack_hours": settings.RESUELVE_ACK_HOURS,
        "answer_term": answer_term(),
    }


def file_complaint(request: HttpRequest) -> HttpResponse:
    """The complaint form (A2): short, no account, any served language, works on a phone."""
    template = "intake/file.html"
    if request.method != "POST":
        form = forms.ComplaintForm(
            initial={
                "token": secrets.token_urlsafe(16),
                "language": translation.get_language(),
                "kind": request.GET.get("kind", ""),
            }
        )
        return render(request, template, _file_context(form))
    form = forms.ComplaintForm(request.POST, request.FILES)
    context = _file_context(form)
    if not hit(
        "file", client_ip(request), limit=settings.RESUELVE_FILINGS_PER_HOUR, window_seconds=HOUR
    ):
        return _too_many(request, template, context)
    if form.is_bot():
        # Answer as if it worked, register nothing: a bot learns nothing from the reply.
        return render(request, "intake/thanks.html", {})
    if not form.is_valid():
        return render(request, template, context, status=400)
    data = form.cleaned_data
    try:
        filed = intake_file(
            channel=Channel.WEB,
            kind=data["kind"],
            subject=data["subject"],
            description=data["description"],
            remedy_requested=data["remedy_requested"],
            contact=Contact(
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                contact_hours=data["contact_hours"],
            ),
            language=data["language"],
            product=data["product"],
            order_ref=data["order_ref"],
            branch=data["branch"],
            occurred_on=data["occurred_on"],
            attachments=data["attachments"],
            idempotency=Idempotency(source="portal", key=data["token"]),
        )
    except ValidationError as error:
        _errors_into(form, error)
        return render(request, template, context, status=400)
    case = filed.complaint
    with translation.override(case.language):
        messages.success(
            request,
            _("Thank you. Your message is registered under the tracking number %(code)s.")
            % {"code": case.tracking_code},
        )
    return redirect(_case_url(case))


def suggestion_box(request: HttpRequest) -> HttpResponse:
    """Anonymous suggestions and compliments (A1): nothing but the text is asked."""
    template = "intake/suggest.html"
    if request.method != "POST":
        form = forms.SuggestionForm(initial={"token": secrets.token_urlsafe(16)})
        return render(request, template, {"form": form})
    form = forms.SuggestionForm(request.POST)
    if not hit(
        "file", client_ip(request), limit=settings.RESUELVE_FILINGS_PER_HOUR, window_seconds=HOUR
    ):
        return _too_many(request, template, {"form": form})
    if form.is_bot():
        return render(request, "intake/thanks.html", {})
    if not form.is_valid():
        return render(request, template, {"form": form}, status=400)
    text = form.cleaned_data["text"].strip()
    first_line = text.splitlines()[0] if text else ""
    intake_file(
        channel=Channel.SUGGESTION_BOX,
        kind=form.cleaned_data["kind"],
        subject=first_line[:80] + ("…" if len(first_line) > 80 else ""),
        description=text,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        idempotency=Idempotency(source="portal", key=form.cleaned_data["token"]),
    )
    return render(request, "intake/thanks.html", {"anonymous": True})


def track(request: HttpRequest) -> HttpResponse:
    """Find a case by tracking number and e-mail. Every miss gets the same answer, and the
    lookups per address are limited, so codes cannot be probed."""
    template = "intake/track.html"
    if request.method != "POST":
        return render(request, template, {"form": forms.TrackForm()})
    form = forms.TrackForm(request.POST)
    if not hit(
        "lookup",
        client_ip(request),
        limit=settings.RESUELVE_LOOKUPS_PER_15_MIN,
        window_seconds=QUARTER,
    ):
        return _too_many(request, template, {"form": form})
    if form.is_valid():
        case = selectors.case_for_lookup(
            code=form.cleaned_data["code"], email=form.cleaned_data["email"]
        )
        if case is not None:
            return redirect(_case_url(case))
    form.errors.clear()
    return render(
        request,
        template,
        {
            "form": form,
            "not_found": _(
                "We found no case with this tracking number and e-mail address. Check both and try again."
            ),
        },
        status=404,
    )


def _case_from_link(code: str, key: str) -> Complaint:
    canonical = tracking.normalize(code)
    if canonical is None or not hmac.compare_digest(tracking.access_key(canonical), key):
        raise Http404
    case = Complaint.objects.filter(tracking_code=canonical).first()
    if case is None:
        raise Http404
    return case


def _render_case(
    request: HttpRequest, case: Complaint, key: str, status: int = 200, **forms_: forms.forms.Form
) -> HttpResponse:
    context = selectors.portal_case_context(case)
    merged = merged_into(case)
    context.update(
        key=key,
        merged_into=merged,
        merged_into_url=_case_url(merged) if merged is not None else "",
        reply_form=forms_.get("reply_form") or forms.ReplyForm(),
        accept_form=forms_.get("accept_form")
        or forms.AcceptForm(initial={"name": case.contact_name}),
        dispute_form=forms_.get("dispute_form") or forms.DisputeForm(),
        options=on_offer(case),
    )
    return render(request, "intake/case.html", context, status=status)


def case(request: HttpRequest, code: str, key: str) -> HttpResponse:
    return _render_case(request, _case_from_link(code, key), key)


def _customer_post_allowed(request: HttpRequest) -> bool:
    return hit(
        "customer-post",
        client_ip(request),
        limit=settings.RESUELVE_FILINGS_PER_HOUR * 3,
        window_seconds=HOUR,
    )


@require_POST
def reply(request: HttpRequest, code: str, key: str) -> HttpResponse:
    case = _case_from_link(code, key)
    # A merged case lives on in the case it joined: what the customer writes goes there.
    case = merged_into(case) or case
    form = forms.ReplyForm(request.POST, request.FILES)
    if not _customer_post_allowed(request):
        return _too_many(
            request, "intake/case.html", {**selectors.portal_case_context(case), "key": key}
        )
    if not form.is_valid():
        return _render_case(request, case, key, 400, reply_form=form)
    try:
        intake_reply(
            complaint=case,
            body=form.cleaned_data["body"],
            channel=Channel.WEB,
            attachments=form.cleaned_data["attachments"],
        )
    except ValidationError as error:
        _errors_into(form, error)
        return _render_case(request, case, key, 400, reply_form=form)
    messages.success(request, _("Your message has been added to your case."))
    return redirect(_case_url(case))


def _chosen_number(request: HttpRequest) -> int | None:
    """The option the customer chose among several plans (E3), if any."""
    value = request.POST.get("proposal", "")
    return int(value) if value.isdigit() else None


@require_POST
def accept(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """The customer's signature on the solution (F2): name, time and address are recorded."""
    case = _case_from_link(code, key)
    form = forms.AcceptForm(request.POST)
    if not form.is_valid():
        return _render_case(request, case, key, 400, accept_form=form)
    try:
        proposal_accept(
            complaint=case,
            actor=None,
            name=form.cleaned_data["name"],
            ip=client_ip(request),
            number=_chosen_number(request),
        )
    except (StepRefused, ValidationError) as error:
        if "proposal" in getattr(error, "error_dict", {}):  # several options, none chosen
            form.add_error(None, error.error_dict["proposal"])  # type: ignore[union-attr]
            return _render_case(request, case, key, 400, accept_form=form)
        messages.error(
            request, _("This solution can no longer be accepted here; the case has moved on.")
        )
        return redirect(_case_url(case))
    messages.success(request, _("Thank you. Your acceptance is recorded."))
    return redirect(_case_url(case))


@require_POST
def dispute(request: HttpRequest, code: str, key: str) -> HttpResponse:
    case = _case_from_link(code, key)
    form = forms.DisputeForm(request.POST)
    if not form.is_valid():
        return _render_case(request, case, key, 400, dispute_form=form)
    try:
        proposal_dispute(complaint=case, actor=None, reason=form.cleaned_data["reason"])
    except (StepRefused, ValidationError):
        messages.error(
            request, _("This solution can no longer be disputed here; the case has moved on.")
        )
        return redirect(_case_url(case))
    messages.success(
        request, _("We have your answer and will come back to you with another proposal.")
    )
    return redirect(_case_url(case))


def page(request: HttpRequest, slug: str) -> HttpResponse:
    content = selectors.published_page(slug, translation.get_language() or settings.LANGUAGE_CODE)
    if content is None:
        raise Http404
    return render(request, "intake/page.html", {"page": content})


def case_file(request: HttpRequest, code: str, key: str, file_id: int) -> HttpResponse:
    """A file on a customer-visible message of the customer's own case."""
    case = _case_from_link(code, key)
    attachment = Attachment.objects.filter(
        complaint=case, pk=file_id, message__visibility=Visibility.CUSTOMER
    ).first()
    if attachment is None:
        raise Http404
    return attachment_response(attachment)
