"""The staff intake desk: an agent registers what a customer says on the phone, at the counter,
in a letter or on social media (A1, B1-B4). Views parse, call one selector or service, render."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import StepRefused
from resuelve.complaints.selectors import can_view
from resuelve.customers.models import Customer
from resuelve.intake import staff_selectors
from resuelve.intake.services import Contact, Filed, Idempotency, intake_file
from resuelve.intake.staff_forms import KIND_HELP, LookupForm, StaffComplaintForm

# Service error keys that are named differently on this form.
SERVICE_FIELDS = {"contact_email": "phone", "contact_phone": "phone", "product_ref": "product"}


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/staff_forbidden.html", status=403)


def _query(request: HttpRequest) -> str:
    lookup = LookupForm(request.GET)
    return lookup.cleaned_data["q"].strip() if lookup.is_valid() else ""


def _chosen(raw: str | None, user: User) -> staff_selectors.CustomerCard | None:
    if not raw or not raw.isdigit():
        return None
    return staff_selectors.customer_card(customer_id=int(raw), user=user)


def _initial(card: staff_selectors.CustomerCard | None, unmatched: str) -> dict[str, Any]:
    languages = {code for code, _name in settings.LANGUAGES}
    current = get_language()
    initial: dict[str, Any] = {
        "token": secrets.token_urlsafe(16),
        "language": current if current in languages else settings.LANGUAGE_CODE,
    }
    if card is not None:
        initial["customer"] = card.customer.pk
        initial["language"] = card.customer.language
    elif unmatched:
        # Nobody matched what the caller said: start the new record with it.
        if "@" in unmatched:
            initial["email"] = unmatched
        elif staff_selectors.looks_like_phone(unmatched):
            initial["phone"] = unmatched
        else:
            initial["name"] = unmatched
    return initial


def _file(form: StaffComplaintForm, user: User) -> Filed:
    d = form.cleaned_data
    customer: Customer | None = d["customer"] or staff_selectors.customer_for_contact(
        email=d["email"], phone=d["phone"]
    )
    purchase = d["purchase"]
    return intake_file(
        channel=d["channel"],
        kind=d["kind"],
        subject=d["subject"],
        description=d["description"],
        contact=Contact(
            name=d["name"].strip(),
            email=d["email"],
            phone=d["phone"].strip(),
            contact_hours=d["contact_hours"].strip(),
        ),
        customer=customer,
        language=d["language"],
        product=d["product"],
        order_ref=purchase.order_number if purchase else d["order_ref"].strip(),
        branch=d["branch"],
        employee_name=d["employee_name"],
        remedy_requested=d["remedy_requested"],
        amount_claimed=d["amount_claimed"],
        occurred_on=d["occurred_on"],
        attachments=d["attachments"],
        actor=user,
        idempotency=Idempotency(source="staff", key=d["token"]),
        solve_on_the_spot=d["solve_on_the_spot"],
    )


def _add_service_errors(form: StaffComplaintForm, exc: ValidationError) -> None:
    for key, errors in exc.message_dict.items():
        name = SERVICE_FIELDS.get(key, key)
        target = name if name in form.fields and not form.fields[name].widget.is_hidden else None
        for error in errors:
            form.add_error(target, error)


@login_required
def new(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.read_only:
        return _forbidden(request)
    query = _query(request)
    posted = request.method == "POST"
    chosen = _chosen(request.POST.get("customer") if posted else request.GET.get("customer"), user)
    customer = chosen.customer if chosen else None
    results = []
    if query and not chosen:
        results = staff_selectors.customer_lookup(query=query, user=user)
    if posted:
        form = StaffComplaintForm(request.POST, request.FILES, customer=customer)
        if form.is_valid():
            try:
                filed = _file(form, user)
            except StepRefused:
                return _forbidden(request)
            except ValidationError as exc:
                _add_service_errors(form, exc)
            else:
                return _registered(request, filed, user)
    else:
        initial = _initial(chosen, "" if results else query)
        form = StaffComplaintForm(initial=initial, customer=customer)
    lookup = LookupForm(initial={"q": query})
    if chosen is None and not posted:
        # The first thing an agent does on a call is ask who it is.
        lookup.fields["q"].widget.attrs["autofocus"] = True
    change_url = reverse("staff_intake:new")
    return render(
        request,
        "intake/staff_new.html",
        {
            "lookup": lookup,
            "query": query,
            "results": results,
            "chosen": chosen,
            "form": form,
            "kind_options": [
                (radio, KIND_HELP.get(radio.data["value"], "")) for radio in form["kind"]
            ],
            "change_url": f"{change_url}?{urlencode({'q': query})}" if query else change_url,
        },
        status=400 if posted else 200,
    )


def _registered(request: HttpRequest, filed: Filed, user: User) -> HttpResponse:
    case = filed.complaint
    if filed.created:
        messages.success(
            request,
            _("Registered and acknowledged. Tracking code to read out to the customer: %(code)s")
            % {"code": case.tracking_code},
        )
    else:
        messages.info(
            request,
            _("This complaint was already registered as %(code)s; it was not registered twice.")
            % {"code": case.tracking_code},
        )
    if can_view(user, case):
        return redirect("complaints:case", code=case.tracking_code)
    # Routed to a department this user does not work in, or (for a handler) not routed yet.
    if case.department_id and case.assignee_id:
        messages.info(
            request,
            _("It went to %(department)s, to %(person)s, who will answer the customer.")
            % {"department": case.department, "person": case.assignee},
        )
    elif case.department_id:
        messages.info(
            request,
            _("It went to %(department)s, which will answer the customer.")
            % {"department": case.department},
        )
    else:
        messages.info(request, _("The intake desk will route it to the right department."))
    return redirect("staff_intake:new")


@login_required
def lookup(request: HttpRequest) -> HttpResponse:
    """The search results alone, for the page's script to swap in while the agent types."""
    user: User = request.user  # type: ignore[assignment]
    if user.read_only:
        return _forbidden(request)
    query = _query(request)
    results = staff_selectors.customer_lookup(query=query, user=user) if query else []
    return render(request, "intake/staff_results.html", {"query": query, "results": results})
