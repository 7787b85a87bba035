"""The campaign pages. Views parse, call one service or selector, and render; anyone who
may not see campaigns gets a 404, read-only users who try to change one a 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resuelve.accounts.models import User
from resuelve.campaigns import access, channels, selectors, services
from resuelve.campaigns.forms import CampaignForm, MemberFilterForm, ResponseForm
from resuelve.campaigns.models import Campaign, CampaignMember, CampaignStatus, MemberStatus
from resuelve.customers.models import ContactChannel, Product


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not access.may_see(user):
        raise Http404
    return user


def _writer(request: HttpRequest) -> User:
    user = _user(request)
    if not access.may_run(user):
        raise PermissionDenied
    return user


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page = Paginator(selectors.campaign_list(), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/list.html",
        {"page": page, "may_run": access.may_run(user)},
    )


def _initial(request: HttpRequest) -> dict[str, Any]:
    """The new-campaign form prefilled from an alert's link (?alert=&product=&batch=)."""
    initial: dict[str, Any] = {"currency": "COP"}
    product_id = request.GET.get("product", "")
    if product_id.isdigit():
        product = Product.objects.filter(pk=int(product_id)).first()
        if product is not None:
            initial["product"] = product
            initial["title"] = _("Remedy for %(product)s") % {"product": product.name}
    if request.GET.get("batch"):
        initial["batch"] = request.GET["batch"][:60]
    alert = request.GET.get("alert", "")
    if alert.isdigit() and int(alert) > 0:
        initial["alert"] = int(alert)
    return initial


@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    user = _writer(request)
    if request.method == "POST":
        form = CampaignForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                campaign = services.campaign_create(
                    actor=user,
                    title=data["title"],
                    product=data["product"],
                    batch=data["batch"],
                    remedy_texts=form.remedy_texts(),
                    remedy_kind=data["remedy_kind"],
                    unit_cost=data["unit_cost"],
                    currency=data["currency"],
                    alert_id=data.get("alert"),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(
                    request, _("Campaign drafted: check who it reaches, then ask for approval.")
                )
                return redirect("campaigns:detail", pk=campaign.pk)
        status = 400
    else:
        form = CampaignForm(initial=_initial(request))
        status = 200
    alert = form["alert"].value()
    return render(
        request,
        "campaigns/new.html",
        {"form": form, "alert": alert if str(alert or "").isdigit() else None},
        status=status,
    )


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    campaign = get_object_or_404(
        Campaign.objects.select_related("product", "created_by", "approved_by", "started_by"),
        pk=pk,
    )
    form = MemberFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    members = Paginator(selectors.campaign_members(campaign=campaign, status=status), 50).get_page(
        request.GET.get("page")
    )
    may_run = access.may_run(user)
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "remedies": [
                (code, name, campaign.remedy_texts.get(code, "")) for code, name in _languages()
            ],
            "preview": selectors.campaign_preview(campaign=campaign)
            if campaign.status in (CampaignStatus.DRAFT, CampaignStatus.APPROVED)
            else None,
            "stats": selectors.campaign_stats(campaign=campaign),
            "later": selectors.campaign_later_complaints(campaign=campaign),
            "filter_form": form,
            "members": members,
            "query": f"status={status}" if status else "",
            "may_run": may_run,
            "may_approve": access.may_approve(user) and campaign.created_by_id != user.pk,
            "manual_channels": sorted(set(ContactChannel.values) - channels.AUTOMATIC),
        },
    )


def _languages() -> list[tuple[str, str]]:
    from django.conf import settings

    return [(code, str(name)) for code, name in settings.LANGUAGES]


def _step(request: HttpRequest, pk: int, step: Any, done: str) -> HttpResponse:
    user = _writer(request)
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        step(campaign=campaign, actor=user)
    except (services.StepRefused, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc) or _("Not allowed."))
    else:
        messages.success(request, done)
    return redirect("campaigns:detail", pk=campaign.pk)


@login_required
@require_POST
def campaign_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.campaign_approve, _("Campaign approved."))


@login_required
@require_POST
def campaign_start(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        services.campaign_start,
        _("Campaign started: the messages go out as each customer may be reached."),
    )


@login_required
@require_POST
def campaign_finish(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.campaign_finish, _("Campaign finished."))


def _member(request: HttpRequest, pk: int, member_pk: int) -> tuple[User, CampaignMember]:
    user = _writer(request)
    member = get_object_or_404(
        CampaignMember.objects.select_related("campaign", "customer"), pk=member_pk, campaign_id=pk
    )
    return user, member


def _back(pk: int, request: HttpRequest) -> HttpResponse:
    response = redirect("campaigns:detail", pk=pk)
    status = request.POST.get("from_status", "")
    if status in MemberStatus.values:
        response["Location"] += f"?status={status}"
    response["Location"] += "#members"
    return response


@login_required
@require_POST
def member_respond(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    user, member = _member(request, pk, member_pk)
    form = ResponseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the customer's answer."))
        return _back(pk, request)
    try:
        services.campaign_record_response(
            member=member,
            actor=user,
            accepted=form.cleaned_data["answer"] == "accepted",
            note=form.cleaned_data["note"],
        )
    except services.StepRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Answer of %(name)s recorded.") % {"name": member.customer.name}
        )
    return _back(pk, request)


@login_required
@require_POST
def member_contacted(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    user, member = _member(request, pk, member_pk)
    try:
        done = services.member_contacted(member=member, actor=user)
    except services.StepRefused as exc:
        messages.error(request, exc.message)
    else:
        if done:
            messages.success(
                request, _("Contact with %(name)s recorded.") % {"name": member.customer.name}
            )
        else:
            messages.info(request, _("That customer was already contacted."))
    return _back(pk, request)
