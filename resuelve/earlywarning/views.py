"""The early-warning pages: the list of alerts and one alert, with what quality management
does with it. Outsiders get a 404, like every staff page they have no business on."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import StepRefused
from resuelve.core.periodic import run_job
from resuelve.earlywarning import selectors, services
from resuelve.earlywarning.forms import ActionForm, DismissForm, FilterForm
from resuelve.earlywarning.models import Alert, AlertKind, ScanState
from resuelve.resolution.selectors import may_edit_improvements

CAMPAIGN_NEW = "/staff/campaigns/new/"  # resuelve.campaigns (built alongside)


def _reader(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not selectors.may_read(user):
        raise Http404(_("Early warnings are for quality management."))
    return user


def _alert(user: User, pk: int) -> Alert:
    return get_object_or_404(selectors.alerts_for(user=user), pk=pk)


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    form = FilterForm(request.GET or None)
    status = kind = ""
    if form.is_valid():
        status, kind = form.cleaned_data["status"], form.cleaned_data["kind"]
    alerts = list(selectors.alerts_for(user=user, status=status, kind=kind)[:200])
    for alert in alerts:
        alert.what = selectors.describe(alert.key)  # type: ignore[attr-defined]
    return render(
        request,
        "earlywarning/list.html",
        {
            "form": form,
            "alerts": alerts,
            "scan": ScanState.objects.filter(name="scan").first(),
            "may_scan": selectors.may_handle(user),
        },
    )


SCAN_JOB = "resuelve.earlywarning.jobs.earlywarning_scan"
SCAN_COOLDOWN = 60  # seconds: one scan on demand a minute, whoever asks


@login_required
@require_POST
def scan_now(request: HttpRequest) -> HttpResponse:
    """Queue a scan now, for those in charge of the alerts (the workers scan every ten
    minutes anyway). Asking again within a minute queues nothing more."""
    user = _reader(request)
    if not selectors.may_handle(user):
        raise Http404(_("Early warnings are for quality management."))
    if cache.add("earlywarning:scan-queued", True, SCAN_COOLDOWN):
        transaction.on_commit(lambda: run_job.enqueue(SCAN_JOB))
        messages.success(
            request, _("The scan is queued: new alerts appear here within a few minutes.")
        )
    else:
        messages.info(request, _("A scan was queued less than a minute ago."))
    return redirect("earlywarning:list")


def _campaign_link(alert: Alert, complaints: list[Any]) -> str:
    """The campaign form, given the alert's product (its series', else the most frequent
    among its complaints) and batch."""
    params: dict[str, str | int] = {"alert": alert.pk}
    product = selectors.key_value(alert.key, "product")
    if not product:
        counted = Counter(c.product_id for c in complaints if c.product_id)
        product = str(counted.most_common(1)[0][0]) if counted else ""
    if product:
        params["product"] = product
    batch = selectors.key_value(alert.key, "batch")
    if not batch:
        lots = Counter(c.purchase.batch for c in complaints if c.purchase_id and c.purchase.batch)
        batch = lots.most_common(1)[0][0] if lots else ""
    if batch:
        params["batch"] = batch
    return CAMPAIGN_NEW + "?" + urlencode(params)


@login_required
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    alert = _alert(user, pk)
    what = selectors.describe(alert.key)
    complaints = list(selectors.alert_complaints(alert=alert, user=user)[:500])
    handles = selectors.may_handle(user) and alert.is_live
    action_form = None
    # Improvement actions are kept by quality management, supervisors and above (G2).
    opens_actions = handles and may_edit_improvements(user)
    if opens_actions:
        action_form = ActionForm(
            initial={"title": (_("Early warning: %(what)s") % {"what": what})[:200]}
        )
    return render(
        request,
        "earlywarning/detail.html",
        {
            "alert": alert,
            "what": what,
            "complaints": complaints,
            "hidden": selectors.hidden_count(alert=alert, shown=len(complaints)),
            "regions": selectors.by_region(complaints),
            "handles": handles,
            "dismiss_form": DismissForm() if handles else None,
            "action_form": action_form,
            "opens_actions": opens_actions,
            "campaign_link": _campaign_link(alert, complaints)
            if selectors.may_handle(user)
            else "",
            "is_serious": alert.kind == AlertKind.SERIOUS,
            "chance": _chance(alert.p_value),
        },
    )


def _chance(p_value: float | None) -> int | None:
    """A p-value as "once in N": what a reader can weigh (a probability of 0.0000 says
    nothing). Capped at a billion."""
    if p_value is None:
        return None
    return int(round(min(1 / max(p_value, 1e-12), CHANCE_CAP)))


CHANCE_CAP = 1_000_000_000


def _attempt(request: HttpRequest, call: Callable[[], object]) -> bool:
    try:
        call()
    except StepRefused as exc:
        messages.error(request, exc.message)
        return False
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return False
    return True


def _handler(request: HttpRequest, pk: int) -> tuple[User, Alert]:
    user = _reader(request)
    alert = _alert(user, pk)
    if not selectors.may_handle(user):
        raise Http404(_("You may read alerts, not act on them."))
    return user, alert


@login_required
@require_POST
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    user, alert = _handler(request, pk)
    if _attempt(request, lambda: services.alert_acknowledge(alert=alert, actor=user)):
        messages.success(request, _("The alert is acknowledged."))
    return redirect("earlywarning:detail", pk=pk)


@login_required
@require_POST
def alert_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    user, alert = _handler(request, pk)
    form = DismissForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the alert is dismissed."))
    elif _attempt(
        request,
        lambda: services.alert_dismiss(alert=alert, actor=user, reason=form.cleaned_data["reason"]),
    ):
        messages.success(request, _("The alert is dismissed; its series is left out from now on."))
    return redirect("earlywarning:detail", pk=pk)


@login_required
@require_POST
def alert_action(request: HttpRequest, pk: int) -> HttpResponse:
    user, alert = _handler(request, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect("earlywarning:detail", pk=pk)
    made: list[Any] = []
    if _attempt(
        request,
        lambda: made.append(services.alert_to_action(alert=alert, actor=user, **form.cleaned_data)),
    ):
        messages.success(request, _("The improvement action is open."))
        return redirect("resolution:improvement", pk=made[0].pk)
    return redirect("earlywarning:detail", pk=pk)
