"""Staff customer pages: the search, the customer page, consents, and random samples. Views
parse, check the role, call one service or selector, and render."""

from __future__ import annotations

import csv
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from resuelve.accounts.models import User
from resuelve.customers import selectors
from resuelve.customers.forms import ConsentForm, CustomerSearchForm, SampleForm
from resuelve.customers.models import (
    ConsentSource,
    ContactChannel,
    Customer,
    CustomerSample,
    Region,
    Tier,
)
from resuelve.customers.reach import is_quiet, local
from resuelve.customers.samples import sample_draw
from resuelve.customers.services import consent_set


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
def customer_list(request: HttpRequest) -> HttpResponse:
    _require(selectors.may_see_customers(_user(request)))
    form = CustomerSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_bound and form.is_valid() else ""
    page = selectors.customer_search(q=q, page=request.GET.get("page", 1))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "customers/list.html",
        {"form": form, "page": page, "q": q, "query": query.urlencode()},
    )


def _contact_days(days: str) -> list[str]:
    # ISO weekdays 1..7; Django's WEEKDAYS counts Monday as 0.
    return [str(WEEKDAYS[int(d) - 1]) for d in days if d.isdigit() and 1 <= int(d) <= 7]


@login_required
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    _require(selectors.may_see_customers(user))
    customer = get_object_or_404(Customer.objects.select_related("region"), pk=pk)
    profile = selectors.customer_profile(
        customer=customer, user=user, show_all=request.GET.get("all") == "1"
    )
    zone_name = customer.time_zone or settings.TIME_ZONE
    now = timezone.now()
    return render(
        request,
        "customers/detail.html",
        {
            "customer": customer,
            "profile": profile,
            "zone_name": zone_name,
            # A naive time: the template's time filter would turn an aware one to our zone.
            "local_time": local(now, customer.time_zone).time(),
            "resting_now": is_quiet(
                now,
                zone_name=customer.time_zone,
                quiet_from=customer.quiet_from,
                quiet_until=customer.quiet_until,
            ),
            "contact_days": _contact_days(customer.contact_days),
            "may_change_consents": selectors.may_change_consents(user),
            "show_all": request.GET.get("all") == "1",
        },
    )


@login_required
@require_POST
def customer_consent(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a customer's grant or withdrawal of one channel, as staff heard it."""
    user = _user(request)
    _require(selectors.may_change_consents(user))
    customer = get_object_or_404(Customer, pk=pk)
    form = ConsentForm(request.POST)
    back = reverse("customers:detail", kwargs={"pk": customer.pk}) + "#consents"
    if not form.is_valid():
        messages.error(request, _("The consent change could not be recorded."))
        return redirect(back)
    channel = form.cleaned_data["channel"]
    granted = form.cleaned_data["granted"]
    changed = consent_set(
        customer=customer,
        channel=channel,
        granted=granted,
        source=ConsentSource.STAFF,
        by=user,
        note=form.cleaned_data["note"],
    )
    label = ContactChannel(channel).label
    if not changed:
        messages.info(
            request, _("Nothing changed: %(channel)s was already so.") % {"channel": label}
        )
    elif granted:
        messages.success(
            request, _("Contact by %(channel)s is allowed again.") % {"channel": label}
        )
    else:
        messages.success(
            request,
            _("Consent for %(channel)s is withdrawn: the customer will not be contacted that way.")
            % {"channel": label},
        )
    return redirect(back)


# --- samples ----------------------------------------------------------------------------------


def describe_filters(filters: dict[str, Any]) -> list[tuple[str, str]]:
    """A stored sample's filters as label/value pairs people read."""
    rows: list[tuple[str, str]] = []
    if filters.get("tiers"):
        names = dict(Tier.choices)
        rows.append(
            (_("Membership tier"), ", ".join(str(names.get(t, t)) for t in filters["tiers"]))
        )
    if filters.get("members_only"):
        rows.append((_("Members only"), _("Yes")))
    if filters.get("products"):
        rows.append((_("Bought"), ", ".join(str(p) for p in filters["products"])))
    if filters.get("regions"):
        names = dict(Region.objects.filter(pk__in=filters["regions"]).values_list("pk", "name"))
        rows.append((_("Region"), ", ".join(names.get(r, f"#{r}") for r in filters["regions"])))
    if filters.get("language"):
        rows.append((_("Language"), str(dict(settings.LANGUAGES).get(filters["language"], ""))))
    if filters.get("contacted_before"):
        rows.append((_("Last contacted before"), filters["contacted_before"]))
    if filters.get("contacted_after"):
        rows.append((_("Last contacted on or after"), filters["contacted_after"]))
    if filters.get("consent_channel"):
        rows.append(
            (_("May be contacted by"), str(ContactChannel(filters["consent_channel"]).label))
        )
    if filters.get("exclude_contacted_days"):
        rows.append(
            (
                _("Leaves out"),
                ngettext(
                    "customers contacted in the last day",
                    "customers contacted in the last %(n)s days",
                    filters["exclude_contacted_days"],
                )
                % {"n": filters["exclude_contacted_days"]},
            )
        )
    return rows


@login_required
def sample_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require(selectors.may_see_samples(user))
    may_draw = selectors.may_draw_samples(user)
    form = SampleForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        _require(may_draw)
        if form.is_valid():
            data = form.cleaned_data
            try:
                sample = sample_draw(
                    name=data["name"],
                    purpose=data["purpose"],
                    filters=form.filters(),
                    size=data["size"],
                    exclude_contacted_days=data["exclude_contacted_days"] or 0,
                    seed=data["seed"],
                    by=user,
                    now=timezone.now(),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(
                    request,
                    _("Sample drawn: %(n)s of %(population)s matching customers.")
                    % {"n": sample.members.count(), "population": sample.population},
                )
                return redirect("customers:sample", pk=sample.pk)
        status = 400
    paginator = Paginator(selectors.sample_list(), 25)
    return render(
        request,
        "customers/samples.html",
        {
            "form": form,
            "may_draw": may_draw,
            "page": paginator.get_page(request.GET.get("page", 1)),
        },
        status=status,
    )


def _reachable(customer: Customer) -> list[str]:
    return [
        str(label) for channel, label in ContactChannel.choices if customer.may_contact(channel)
    ]


@login_required
def sample_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(selectors.may_see_samples(_user(request)))
    sample = get_object_or_404(CustomerSample.objects.select_related("created_by"), pk=pk)
    page = Paginator(selectors.sample_members(sample), 100).get_page(request.GET.get("page", 1))
    rows = [(member, _reachable(member.customer)) for member in page]
    return render(
        request,
        "customers/sample.html",
        {
            "sample": sample,
            "page": page,
            "rows": rows,
            "filters": describe_filters(sample.filters),
        },
    )


@login_required
def sample_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The members in their drawn order, with the channels each may be contacted on today
    (a consent withdrawn after the draw is respected)."""
    _require(selectors.may_see_samples(_user(request)))
    sample = get_object_or_404(CustomerSample, pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sample-{sample.pk}.csv"'
    writer = csv.writer(response)
    channels = ContactChannel.choices
    writer.writerow(
        [
            _("Position"),
            _("Customer number"),
            _("External reference"),
            _("Name"),
            _("E-mail"),
            _("Phone"),
            _("Language"),
            _("Membership tier"),
            _("Region"),
            *[_("May be contacted by %(channel)s") % {"channel": label} for _c, label in channels],
        ]
    )
    for member in selectors.sample_members(sample).iterator(chunk_size=1000):
        c = member.customer
        writer.writerow(
            [
                member.position,
                c.pk,
                c.external_ref or "",
                c.name,
                c.email,
                c.phone,
                c.language,
                c.tier,
                c.region or "",
                *[_("yes") if c.may_contact(channel) else _("no") for channel, _l in channels],
            ]
        )
    return response
