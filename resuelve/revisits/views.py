"""Staff pages of the revisit programme. Views parse, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from resuelve.accounts.models import User
from resuelve.complaints.selectors import can_view
from resuelve.customers import reach
from resuelve.revisits import access, selectors, services
from resuelve.revisits.forms import (
    ArchiveForm,
    BulkForm,
    ListFilterForm,
    PeriodForm,
    RecordForm,
)
from resuelve.revisits.models import Outcome, Revisit


def _supervisor_only(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not access.may_supervise(user):
        raise PermissionDenied
    return user


def _reports_only(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not access.may_read_reports(user):
        raise PermissionDenied
    return user


def _selected_ids(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("ids") if v.isdigit()]


@login_required
def revisit_list(request: HttpRequest) -> HttpResponse:
    """The supervisor's daily list: filter, classify, assign in bulk or automatically."""
    user = _supervisor_only(request)
    now = timezone.now()
    today = timezone.localdate(now)
    people = selectors.specialists()
    if request.method == "POST":
        bulk = BulkForm(request.POST, specialists=people)
        ids = _selected_ids(request)
        try:
            if "auto" in request.POST:
                result = services.revisit_auto_assign(actor=user, revisit_ids=ids or None, now=now)
                messages.success(
                    request,
                    _("%(assigned)s assigned automatically; %(left)s left for you to assign.")
                    % {"assigned": result.assigned, "left": result.left},
                )
            elif not ids:
                messages.error(request, _("Select the revisits first."))
            elif "cancel" in request.POST:
                n = services.revisit_cancel(actor=user, revisit_ids=ids)
                messages.success(
                    request,
                    ngettext("%(n)s revisit cancelled.", "%(n)s revisits cancelled.", n) % {"n": n},
                )
            elif bulk.is_valid() and "assign" in request.POST and bulk.cleaned_data["specialist"]:
                specialist = User.objects.get(pk=bulk.cleaned_data["specialist"])
                n = services.revisit_assign(
                    actor=user, revisit_ids=ids, specialist=specialist, now=now
                )
                messages.success(
                    request,
                    ngettext("%(n)s revisit assigned.", "%(n)s revisits assigned.", n) % {"n": n},
                )
            elif bulk.is_valid() and "classify" in request.POST and bulk.cleaned_data["priority"]:
                n = services.revisit_classify(
                    actor=user, revisit_ids=ids, priority=bulk.cleaned_data["priority"]
                )
                messages.success(
                    request,
                    ngettext("%(n)s revisit classified.", "%(n)s revisits classified.", n)
                    % {"n": n},
                )
            else:
                messages.error(request, _("Choose a priority or a specialist."))
        except (ValidationError, User.DoesNotExist) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(request.get_full_path())
    form = ListFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.ListFilters(
        reason=data.get("reason", ""),
        tier=data.get("tier", ""),
        language=data.get("language", ""),
        status=data.get("status", ""),
    )
    page = Paginator(selectors.revisit_list(filters=filters, today=today), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "revisits/list.html",
        {
            "form": form,
            "bulk": BulkForm(specialists=people),
            "page": page,
            "today": today,
            "unsatisfied": selectors.unsatisfied_recent(today=today)[:10],
            "query": query.urlencode(),
        },
    )


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """A specialist's calls for today."""
    user: User = request.user  # type: ignore[assignment]
    if access.specialist_of(user) is None:
        raise PermissionDenied
    now = timezone.now()
    calls = selectors.today_calls(user=user, now=now)
    return render(
        request,
        "revisits/today.html",
        {"calls": calls, "now": now, "ready": sum(not c.quiet for c in calls)},
    )


def _revisit_for(request: HttpRequest, pk: int) -> Revisit:
    """A revisit the user may work on; 404 for anyone else's (its number tells nothing)."""
    try:
        revisit = Revisit.objects.select_related(
            "customer", "complaint", "promotion", "assigned_to", "new_complaint", "done_by"
        ).get(pk=pk)
    except Revisit.DoesNotExist as exc:
        raise Http404 from exc
    if not access.may_work(request.user, revisit):
        raise Http404
    return revisit


@login_required
def work(request: HttpRequest, pk: int) -> HttpResponse:
    """The revisit form: the customer, the script in their language, the outcome."""
    user: User = request.user  # type: ignore[assignment]
    revisit = _revisit_for(request, pk)
    now = timezone.now()
    customer = revisit.customer
    channels = services.channels_for(revisit)
    form_kwargs: dict[str, Any] = {
        "channels": channels,
        "zone_name": customer.time_zone,
        "now": now,
    }
    status = 200
    if request.method == "POST":
        form = RecordForm(request.POST, **form_kwargs)
        if not revisit.is_open:
            messages.info(request, _("This revisit was already recorded."))
            return redirect("revisits:work", pk=revisit.pk)
        if form.is_valid():
            try:
                revisit = services.revisit_record(
                    revisit=revisit,
                    actor=user,
                    channel=form.cleaned_data["channel"],
                    outcome=form.cleaned_data["outcome"],
                    suggestions=form.cleaned_data["suggestions"],
                    callback_at=form.cleaned_data["callback_at"],
                    seen_attempts=form.cleaned_data["attempts"],
                    open_complaint="open_complaint" in request.POST,
                    now=now,
                )
            except services.AlreadyRecorded:
                messages.info(request, _("This revisit was already recorded."))
                return redirect("revisits:work", pk=revisit.pk)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                return _after_record(request, revisit, user)
        status = 400
    else:
        form = RecordForm(initial={"attempts": revisit.attempts}, **form_kwargs)
    here = reach.local(now, customer.time_zone)
    quiet = reach.is_quiet(
        now,
        zone_name=customer.time_zone,
        quiet_from=customer.quiet_from,
        quiet_until=customer.quiet_until,
    )
    return render(
        request,
        "revisits/work.html",
        {
            "revisit": revisit,
            "customer": customer,
            "form": form,
            "script": selectors.script_for(revisit, specialist=user),
            "customer_now": here,
            "zone": str(reach.zone(customer.time_zone)),
            "quiet": quiet,
            "available_at": reach.local(
                reach.next_reachable(
                    now,
                    zone_name=customer.time_zone,
                    quiet_from=customer.quiet_from,
                    quiet_until=customer.quiet_until,
                ),
                customer.time_zone,
            ),
            "show_case": revisit.complaint_id is not None and can_view(user, revisit.complaint),
            "show_new_case": revisit.new_complaint_id is not None
            and can_view(user, revisit.new_complaint),
            "is_specialist": access.specialist_of(user) is not None,
        },
        status=status,
    )


def _after_record(request: HttpRequest, revisit: Revisit, user: User) -> HttpResponse:
    labels = dict(Outcome.choices)
    if revisit.outcome == Outcome.CALLBACK and revisit.callback_at:
        when = reach.local(revisit.callback_at, revisit.customer.time_zone)
        messages.success(
            request,
            _("Call back scheduled for %(when)s, the customer's time.")
            % {"when": when.strftime("%Y-%m-%d %H:%M")},
        )
    else:
        messages.success(
            request,
            _("Recorded: %(outcome)s.") % {"outcome": labels.get(revisit.outcome, "")},
        )
    if revisit.new_complaint_id:
        messages.success(
            request,
            _("Case %(code)s opened from this revisit.")
            % {"code": revisit.new_complaint.tracking_code},  # type: ignore[union-attr]
        )
        if can_view(user, revisit.new_complaint):  # type: ignore[arg-type]
            return redirect("complaints:case", code=revisit.new_complaint.tracking_code)  # type: ignore[union-attr]
    if access.specialist_of(user) is not None and revisit.assigned_to_id == user.pk:
        return redirect("revisits:today")
    return redirect("revisits:list")


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    _reports_only(request)
    today = timezone.localdate()
    form = PeriodForm(request.GET if "start" in request.GET else None)
    start, end = form.period(today, months=3)
    if not form.is_bound:
        form = PeriodForm(initial={"start": start, "end": end})
    report = selectors.coverage_report(start=start, end=end, today=today, nobody=_("Unassigned"))
    return render(request, "revisits/coverage.html", {"form": form, "report": report})


@login_required
def summary(request: HttpRequest) -> HttpResponse:
    _reports_only(request)
    today = timezone.localdate()
    form = PeriodForm(request.GET if "start" in request.GET else None)
    start, end = form.period(today, months=2)
    if not form.is_bound:
        form = PeriodForm(initial={"start": start, "end": end})
    report = selectors.summary_report(start=start, end=end)
    page = Paginator(report.suggestions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "revisits/summary.html",
        {"form": form, "report": report, "page": page, "start": start, "end": end},
    )


@login_required
def archive(request: HttpRequest) -> HttpResponse:
    """Every revisit, searchable by customer or by what was said (complete records, I4)."""
    _reports_only(request)
    form = ArchiveForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.archive(
        q=data.get("q", ""), status=data.get("status", ""), reason=data.get("reason", "")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "revisits/archive.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "may_open": access.may_supervise(request.user),
        },
    )
