"""The plans panel's actions on the staff case page, and the compensation ledger. Views
parse, call one service or selector, and render."""

from __future__ import annotations

import csv
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import StepRefused
from resuelve.complaints.models import Complaint
from resuelve.complaints.views import _case_context, _get_case
from resuelve.remedies import selectors, services
from resuelve.remedies.forms import (
    AcceptPlanForm,
    DecideForm,
    FulfilForm,
    ItemFormSet,
    LedgerFilterForm,
    OfferForm,
    ProposalForm,
)
from resuelve.remedies.models import ProposalStatus, RemedyItem
from resuelve.remedies.reward_selectors import may_read_rewards
from resuelve.remedies.services import ItemInput


def _back(complaint: Complaint) -> HttpResponse:
    response = redirect("complaints:case", code=complaint.tracking_code)
    response["Location"] += "#plans"
    return response


def _rerender(request: HttpRequest, complaint: Complaint, **forms_: Any) -> HttpResponse:
    messages.error(request, _("Please correct the marked fields."))
    context = _case_context(request, complaint)
    context["remedies_forms"] = forms_
    return render(request, "complaints/case.html", context, status=400)


def _errors_into(error: ValidationError, form: Any, formset: Any = None) -> None:
    for field, errors in error.message_dict.items():
        parts = field.split(".")
        if formset is not None and parts[0] == "items" and len(parts) == 3:
            target_form, target = formset.forms[int(parts[1])], parts[2]
        elif field in form.fields:
            target_form, target = form, field
        else:
            target_form, target = form, None
        for message in errors:
            target_form.add_error(target, message)


@login_required
@require_POST
def propose(request: HttpRequest, code: str) -> HttpResponse:
    """Draft a plan from the form's item rows (blank rows are skipped); with "submit", send
    the round's drafts for approval at once."""
    user: User = request.user  # type: ignore[assignment]
    complaint = _get_case(request, code)
    form = ProposalForm(request.POST, prefix="plan")
    formset = ItemFormSet(request.POST, prefix="item")
    if not (form.is_valid() and formset.is_valid()):
        return _rerender(request, complaint, plan=form, items=formset)
    rows = [(i, f) for i, f in enumerate(formset.forms) if not f.is_blank()]
    items = [
        ItemInput(
            type=f.cleaned_data["type"],
            description=f.cleaned_data["description"],
            amount=f.cleaned_data["amount"] or Decimal("0"),
        )
        for _i, f in rows
    ]
    data = form.cleaned_data
    try:
        proposal = services.proposal_create(
            complaint=complaint,
            actor=user,
            items=items,
            customer_cost=data["customer_cost"],
            purchase_value=data["purchase_value"],
            customer_cost_estimated=data["customer_cost_estimated"],
            note=data["note"],
        )
        if "submit" in request.POST:
            services.proposal_submit(complaint=complaint, actor=user)
    except StepRefused as exc:
        messages.error(request, exc.message)
        return _back(complaint)
    except ValidationError as exc:
        # The service numbers the rows it was given; map them back to the form's rows.
        renumbered: dict[str, list[str]] = {}
        for field, errors in exc.message_dict.items():
            parts = field.split(".")
            if parts[0] == "items" and len(parts) == 3:
                field = f"items.{rows[int(parts[1])][0]}.{parts[2]}"
            renumbered[field] = errors
        _errors_into(ValidationError(renumbered), form, formset)
        return _rerender(request, complaint, plan=form, items=formset)
    proposal.refresh_from_db()
    messages.success(request, _("Plan #%(n)s saved.") % {"n": proposal.number})
    if not proposal.value.ok:
        messages.warning(
            request,
            _(
                "Value rule: the customer receives %(v2)s, less than what they bought plus "
                "what complaining cost them (%(needed)s)."
            )
            % {
                "v2": proposal.total_value,
                "needed": proposal.purchase_value + proposal.customer_cost,
            },
        )
    return _back(complaint)


def _simple(request: HttpRequest, code: str, call: Any, done: str) -> HttpResponse:
    complaint = _get_case(request, code)
    try:
        call(complaint)
    except StepRefused as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return _back(complaint)


@login_required
@require_POST
def submit(request: HttpRequest, code: str) -> HttpResponse:
    return _simple(
        request,
        code,
        lambda c: services.proposal_submit(complaint=c, actor=request.user),
        _("The plans are submitted."),
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, code: str, number: int) -> HttpResponse:
    def call(complaint: Complaint) -> None:
        proposal = complaint.proposals.filter(number=number).first()  # type: ignore[attr-defined]
        if proposal is None:
            raise Http404
        services.proposal_withdraw(proposal=proposal, actor=request.user)  # type: ignore[arg-type]

    return _simple(request, code, call, _("The draft is withdrawn."))


@login_required
@require_POST
def decide(request: HttpRequest, code: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    complaint = _get_case(request, code)
    numbers = [
        p.number
        for p in services.current_proposals(complaint)
        if p.status == ProposalStatus.PENDING
    ]
    form = DecideForm(request.POST, prefix="decide", numbers=numbers)
    if not form.is_valid():
        return _rerender(request, complaint, decide=form)
    try:
        services.proposal_decide(
            complaint=complaint,
            actor=user,
            chosen=form.cleaned_data["chosen"],
            comment=form.cleaned_data["comment"],
        )
    except StepRefused as exc:
        messages.error(request, exc.message)
        return _back(complaint)
    except ValidationError as exc:
        _errors_into(exc, form)
        return _rerender(request, complaint, decide=form)
    messages.success(request, _("The decision is recorded."))
    return _back(complaint)


@login_required
@require_POST
def offer(request: HttpRequest, code: str) -> HttpResponse:
    form = OfferForm(request.POST, prefix="offer")
    message = form.cleaned_data["message"] if form.is_valid() else ""
    return _simple(
        request,
        code,
        lambda c: services.proposals_offer(complaint=c, actor=request.user, message=message),
        _("The approved plans are sent to the customer."),
    )


@login_required
@require_POST
def accept(request: HttpRequest, code: str) -> HttpResponse:
    """Record the customer's acceptance of one of the plans on offer, told to staff (a call,
    a letter): the same service as the portal's, with the plan the customer chose."""
    user: User = request.user  # type: ignore[assignment]
    complaint = _get_case(request, code)
    numbers = [p.number for p in services.on_offer(complaint)]
    form = AcceptPlanForm(request.POST, prefix="accept", numbers=numbers)
    if not form.is_valid():
        return _rerender(request, complaint, accept=form)
    try:
        services.proposal_accept(
            complaint=complaint,
            actor=user,
            name=form.cleaned_data["name"],
            ip=request.META.get("REMOTE_ADDR") or None,
            number=form.cleaned_data["plan"],
        )
    except StepRefused as exc:
        messages.error(request, exc.message)
        return _back(complaint)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error("plan", message)
        return _rerender(request, complaint, accept=form)
    messages.success(
        request,
        _("The acceptance of plan #%(n)s is recorded.") % {"n": form.cleaned_data["plan"]},
    )
    return _back(complaint)


@login_required
@require_POST
def fulfil(request: HttpRequest, code: str) -> HttpResponse:
    form = FulfilForm(request.POST, prefix="fulfil")

    def call(complaint: Complaint) -> None:
        if not form.is_valid():
            raise ValidationError(_("Choose the item delivered."))
        item = RemedyItem.objects.filter(
            pk=form.cleaned_data["item"], proposal__complaint=complaint
        ).first()
        if item is None:
            raise ValidationError(_("Choose the item delivered."))
        services.remedy_fulfil(item=item, actor=request.user, note=form.cleaned_data["note"])  # type: ignore[arg-type]

    return _simple(request, code, call, _("The delivery is recorded."))


# --- the ledger -------------------------------------------------------------------------------


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    """Compensation given, totalled by cause, product, supplier, department and month."""
    user: User = request.user  # type: ignore[assignment]
    if not selectors.may_read_ledger(user):
        raise PermissionDenied
    form = LedgerFilterForm(request.GET or None)
    start = end = None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    by = request.GET.get("by", "")
    if request.GET.get("format") == "csv":
        return _csv(user, by, start, end)
    labels = dict(_dimension_labels())
    tables = [
        (dim, labels[dim], selectors.ledger_totals(by=dim, start=start, end=end, user=user))
        for dim in selectors.DIMENSIONS
    ]
    query = request.GET.copy()
    query["format"] = "csv"
    return render(
        request,
        "remedies/ledger.html",
        {
            "form": form,
            "tables": tables,
            "grand": selectors.ledger_grand_total(user=user, start=start, end=end),
            "csv_query": query.urlencode(),
            "may_read_rewards": may_read_rewards(user),
        },
    )


def _dimension_labels() -> list[tuple[str, str]]:
    return [
        ("cause", _("Cause")),
        ("product", _("Product or service")),
        ("supplier", _("Supplier")),
        ("department", _("Department")),
        ("month", _("Month")),
    ]


def _csv(user: User, by: str, start: Any, end: Any) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="compensation-ledger.csv"'
    writer = csv.writer(response)
    if by in selectors.DIMENSIONS:
        writer.writerow([by, _("Entries"), _("Amount")])
        for total in selectors.ledger_totals(by=by, start=start, end=end, user=user):
            writer.writerow([total.label, total.count, total.amount])
        return response
    writer.writerow(
        [
            _("Delivered"),
            _("Case"),
            _("Type"),
            _("Amount"),
            _("Currency"),
            _("Cause"),
            _("Department"),
            _("Product or service"),
            _("Supplier"),
            _("Approved by"),
        ]
    )
    entries = selectors.ledger_entries(user=user, start=start, end=end).select_related(
        "complaint", "department", "product", "supplier", "approver"
    )
    for e in entries.iterator():
        writer.writerow(
            [
                e.at.isoformat(),
                e.complaint.tracking_code if e.complaint_id else "",
                e.type,
                e.amount,
                e.currency,
                e.cause,
                e.department or "",
                e.product or "",
                e.supplier or "",
                e.approver or "",
            ]
        )
    return response
