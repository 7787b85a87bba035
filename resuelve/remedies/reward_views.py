"""Rewards and recognition pages (REQUIREMENTS A4): the reward funds page and the case
page's two forms. Views parse, call one service or selector, and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import StepRefused
from resuelve.complaints.models import Complaint
from resuelve.complaints.views import _case_context, _get_case
from resuelve.remedies import reward_selectors as selectors
from resuelve.remedies import reward_services as services
from resuelve.remedies.forms import DepositForm, FundForm, RecognitionForm, RewardForm
from resuelve.remedies.models import RewardFund
from resuelve.remedies.reward_selectors import FundBalance
from resuelve.remedies.reward_services import money


def fund_choices(balances: list[FundBalance]) -> list[tuple[int, str]]:
    return [
        (
            b.fund.pk,
            _("%(name)s: %(balance)s %(currency)s available")
            % {"name": b.fund.name, "balance": money(b.balance), "currency": b.fund.currency},
        )
        for b in balances
    ]


def colleague_choices(people: list[User]) -> list[tuple[int, str]]:
    return [(u.pk, u.get_full_name() or u.username) for u in people]


def _back(complaint: Complaint) -> HttpResponse:
    response = redirect("complaints:case", code=complaint.tracking_code)
    response["Location"] += "#rewards"
    return response


def _rerender(request: HttpRequest, complaint: Complaint, **forms_: Any) -> HttpResponse:
    messages.error(request, _("Please correct the marked fields."))
    context = _case_context(request, complaint)
    context["rewards_forms"] = forms_
    return render(request, "complaints/case.html", context, status=400)


def _errors_into(error: ValidationError, form: Any) -> None:
    for name, errors in error.message_dict.items():
        target = name if name in form.fields else None
        for message in errors:
            form.add_error(target, message)


@login_required
@require_POST
def reward(request: HttpRequest, code: str) -> HttpResponse:
    """Reward the case's contribution from a fund."""
    user: User = request.user  # type: ignore[assignment]
    complaint = _get_case(request, code)
    # Every open fund: the service, not the form, says who may pay what from which.
    funds = fund_choices(selectors.fund_balances(active_only=True))
    form = RewardForm(request.POST, prefix="reward", funds=funds)
    if not form.is_valid():
        return _rerender(request, complaint, reward=form)
    fund = RewardFund.objects.get(pk=form.cleaned_data["fund"])
    try:
        entry = services.reward_grant(
            complaint=complaint,
            actor=user,
            amount=form.cleaned_data["amount"],
            currency=fund.currency,
            reason=form.cleaned_data["reason"],
            fund=fund,
        )
    except StepRefused as exc:
        messages.error(request, exc.message)
        return _back(complaint)
    except ValidationError as exc:
        _errors_into(exc, form)
        return _rerender(request, complaint, reward=form)
    messages.success(
        request,
        _("Rewarded with %(amount)s %(currency)s from %(fund)s.")
        % {"amount": money(entry.amount), "currency": entry.currency, "fund": fund.name},
    )
    return _back(complaint)


@login_required
@require_POST
def recognise(request: HttpRequest, code: str) -> HttpResponse:
    """Thank a colleague for their work on the case."""
    user: User = request.user  # type: ignore[assignment]
    complaint = _get_case(request, code)
    people = selectors.colleagues_on(complaint, user=user)
    form = RecognitionForm(request.POST, prefix="recognise", people=colleague_choices(people))
    if not form.is_valid():
        return _rerender(request, complaint, recognise=form)
    colleague = next(u for u in people if u.pk == form.cleaned_data["user"])
    try:
        services.staff_recognition_record(
            user=colleague, by=user, complaint=complaint, reason=form.cleaned_data["reason"]
        )
    except StepRefused as exc:
        messages.error(request, exc.message)
        return _back(complaint)
    except ValidationError as exc:
        _errors_into(exc, form)
        return _rerender(request, complaint, recognise=form)
    messages.success(
        request,
        _("Your thanks to %(name)s is recorded.")
        % {"name": colleague.get_full_name() or colleague.username},
    )
    return _back(complaint)


# --- the rewards page -------------------------------------------------------------------------


def _page(
    request: HttpRequest,
    *,
    deposit: DepositForm | None = None,
    fund: FundForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    balances = selectors.fund_balances()
    keeper = selectors.may_keep_funds(user)
    open_funds = fund_choices([b for b in balances if b.fund.active])
    return render(
        request,
        "remedies/rewards.html",
        {
            "balances": balances,
            "rewards": selectors.rewards_recent(user=user),
            "recognitions": selectors.recognitions_recent(user=user),
            "keeper": keeper,
            "deposit_form": (deposit or DepositForm(prefix="deposit", funds=open_funds))
            if keeper and open_funds
            else None,
            "fund_form": (fund or FundForm(prefix="fund")) if keeper else None,
        },
        status=status,
    )


@login_required
def rewards(request: HttpRequest) -> HttpResponse:
    """The reward funds' balances, the latest rewards and the thanks given to staff."""
    if not selectors.may_read_rewards(request.user):  # type: ignore[arg-type]
        raise PermissionDenied
    return _page(request)


def _keeper(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not selectors.may_keep_funds(user):
        raise PermissionDenied
    return user


@login_required
@require_POST
def deposit(request: HttpRequest) -> HttpResponse:
    user = _keeper(request)
    funds = fund_choices([b for b in selectors.fund_balances() if b.fund.active])
    form = DepositForm(request.POST, prefix="deposit", funds=funds)
    if form.is_valid():
        try:
            made = services.reward_fund_deposit(
                fund=RewardFund.objects.get(pk=form.cleaned_data["fund"]),
                actor=user,
                amount=form.cleaned_data["amount"],
                note=form.cleaned_data["note"],
            )
        except StepRefused as exc:
            messages.error(request, exc.message)
            return redirect("remedies:rewards")
        except ValidationError as exc:
            _errors_into(exc, form)
        else:
            messages.success(
                request,
                _("%(amount)s %(currency)s deposited into %(fund)s.")
                % {
                    "amount": money(made.amount),
                    "currency": made.fund.currency,
                    "fund": made.fund.name,
                },
            )
            return redirect("remedies:rewards")
    form.mark_errors()
    messages.error(request, _("Please correct the marked fields."))
    return _page(request, deposit=form, status=400)


@login_required
@require_POST
def fund_create(request: HttpRequest) -> HttpResponse:
    user = _keeper(request)
    form = FundForm(request.POST, prefix="fund")
    if form.is_valid():
        try:
            fund = services.reward_fund_create(
                name=form.cleaned_data["name"], currency=form.cleaned_data["currency"], actor=user
            )
        except ValidationError as exc:
            _errors_into(exc, form)
        else:
            messages.success(request, _("The fund %(fund)s is open.") % {"fund": fund.name})
            return redirect("remedies:rewards")
    form.mark_errors()
    messages.error(request, _("Please correct the marked fields."))
    return _page(request, fund=form, status=400)
