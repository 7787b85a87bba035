"""The reports page: download a month's management report as PDF, and manage one's own
report subscriptions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resuelve.accounts.models import User
from resuelve.analytics.selectors import may_read
from resuelve.complaints.views_export import export_allowed, too_many
from resuelve.reports import services
from resuelve.reports.forms import ReportForm, SubscriptionForm
from resuelve.reports.models import ReportSubscription
from resuelve.reports.pdf import report_filename, report_pdf
from resuelve.reports.selectors import subscriptions_of


def _reader(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not may_read(user):
        raise Http404(_("The reports are for supervisors, managers and auditors."))
    return user


def _page(
    request: HttpRequest,
    user: User,
    *,
    report: ReportForm | None = None,
    subscribe: SubscriptionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "reports/index.html",
        {
            "report_form": report or ReportForm(user=user),
            "subscription_form": subscribe or SubscriptionForm(user=user),
            "subscriptions": subscriptions_of(user),
        },
        status=status,
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return _page(request, _reader(request))


@login_required
def download(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    form = ReportForm(request.GET, user=user)
    if not form.is_valid():
        return _page(request, user, report=form, status=400)
    if not export_allowed(user):  # a report takes seconds to build: as costly as an export
        return too_many()
    month, department = form.cleaned_data["month"], form.cleaned_data["department"]
    language = form.cleaned_data["language"]
    pdf = report_pdf(user=user, month=month, language=language, department=department)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = report_filename(month=month, language=language, department=department)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    form = SubscriptionForm(request.POST, user=user)
    if not form.is_valid():
        return _page(request, user, subscribe=form, status=400)
    services.subscription_create(
        user=user,
        kind=form.cleaned_data["kind"],
        frequency=form.cleaned_data["frequency"],
        language=form.cleaned_data["language"],
        department=form.cleaned_data["department"],
    )
    messages.success(request, _("Subscribed. The first report goes out when it is next due."))
    return redirect("reports:index")


def _own(request: HttpRequest, pk: int) -> tuple[User, ReportSubscription]:
    user = _reader(request)
    # Someone else's subscription does not exist for this user.
    return user, get_object_or_404(ReportSubscription, pk=pk, user=user)


@login_required
@require_POST
def toggle(request: HttpRequest, pk: int) -> HttpResponse:
    user, subscription = _own(request, pk)
    services.subscription_set_active(
        actor=user, subscription=subscription, active=not subscription.active
    )
    messages.success(
        request, _("Subscription resumed.") if subscription.active else _("Subscription paused.")
    )
    return redirect("reports:index")


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    user, subscription = _own(request, pk)
    services.subscription_delete(actor=user, subscription=subscription)
    messages.success(request, _("Subscription deleted."))
    return redirect("reports:index")
