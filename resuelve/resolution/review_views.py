"""Pages of the classification statistics review (G3): the list, starting a review, and the
review form (figures, analysis, proposed improvements; save draft or submit)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from resuelve.accounts.models import User
from resuelve.analytics.dashboard import percent
from resuelve.complaints.lifecycle import StepRefused
from resuelve.resolution import review_selectors as selectors
from resuelve.resolution import review_services as services
from resuelve.resolution.models import ClassificationReview
from resuelve.resolution.review_forms import (
    ProposalFormSet,
    ReviewAnalysisForm,
    ReviewStartForm,
    proposals_of,
)


def _reader(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not selectors.may_read_reviews(user):
        raise Http404(_("Classification reviews are for supervisors, managers and auditors."))
    return user


def _writer(request: HttpRequest) -> User:
    user = _reader(request)
    if not selectors.may_write_reviews(user):
        raise Http404(_("Your role reads classification reviews; it does not write them."))
    return user


def _refusal_messages(request: HttpRequest, exc: ValidationError) -> None:
    for error in exc.messages:
        messages.error(request, error)


def _signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    """One statistics row with its shares and changes written for the reader."""
    change = row.get("change")
    if change is None:
        change_shown = _("new") if row["received"] else "—"
    else:
        change_shown = ("+" if change > 0 else "") + percent(change)
    return {
        **row,
        "difference_shown": _signed(row["difference"]),
        "change_shown": change_shown,
        "on_time_shown": percent(row.get("on_time_share")),
        "reopen_shown": percent(row.get("reopen_rate")),
        "previous_on_time_shown": percent(row.get("previous_on_time_share")),
        "previous_reopen_shown": percent(row.get("previous_reopen_rate")),
    }


def _tables(figures: dict[str, Any]) -> list[dict[str, Any]]:
    titles = {
        "category": (
            _("By category"),
            _("Category"),
            _("Complaints per category, this period against the previous one"),
        ),
        "cause": (
            _("By root cause"),
            _("Root cause"),
            _("Complaints per root cause, this period against the previous one"),
        ),
    }
    return [
        {
            "dim": dim,
            "title": titles[dim][0],
            "column": titles[dim][1],
            "caption": titles[dim][2],
            "rows": [_shown(row) for row in figures.get(dim, [])],
        }
        for dim in selectors.REVIEW_DIMENSIONS
    ]


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    return render(
        request,
        "resolution/review_list.html",
        {
            "reviews": selectors.reviews_visible_to(user)[:200],
            "may_write": selectors.may_write_reviews(user),
        },
    )


@login_required
def review_new(request: HttpRequest) -> HttpResponse:
    user = _writer(request)
    form = ReviewStartForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = services.classification_review_start(
                actor=user,
                start=data["start_month"],
                end=data["end_month"],
                department=data["department"],
            )
        except StepRefused as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            return redirect("resolution:review", pk=review.pk)
    status = 400 if form.errors else 200
    return render(request, "resolution/review_new.html", {"form": form}, status=status)


def _initial_proposals(review: ClassificationReview) -> list[dict[str, Any]]:
    return [
        {
            "title": p.title,
            "kind": p.kind,
            "cause": p.cause_id,
            "owner": p.owner_id,
            "due_on": p.due_on,
            "description": p.description,
        }
        for p in review.proposals.all()
    ]


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    try:
        review = selectors.review_get_for_user(user=user, pk=pk)
    except ClassificationReview.DoesNotExist as exc:
        raise Http404(_("No such review is visible to you.")) from exc
    editable = selectors.may_edit_review(user, review)
    analysis_form = formset = None
    status = 200
    figures = selectors.review_figures(review)
    if editable:
        bound = request.POST if request.method == "POST" else None
        analysis_form = ReviewAnalysisForm(bound, initial={"analysis": review.analysis})
        formset = ProposalFormSet(bound, initial=_initial_proposals(review), prefix="proposals")
    if request.method == "POST":
        if analysis_form is None or formset is None:
            raise Http404(_("This review can no longer be changed."))
        if analysis_form.is_valid() and formset.is_valid():
            submit = "submit" in request.POST
            call = (
                services.classification_review_submit
                if submit
                else services.classification_review_save
            )
            try:
                call(
                    review=review,
                    actor=user,
                    analysis=analysis_form.cleaned_data["analysis"],
                    proposals=proposals_of(formset),
                )
            except StepRefused as exc:
                messages.error(request, exc.message)
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "analysis" in exc.error_dict:
                    for error in exc.message_dict["analysis"]:
                        analysis_form.add_error("analysis", error)
                else:
                    _refusal_messages(request, exc)
            else:
                messages.success(
                    request,
                    _("The review is submitted and its improvement actions are created.")
                    if submit
                    else _("The draft is saved."),
                )
                return redirect("resolution:review", pk=review.pk)
        status = 400
    return render(
        request,
        "resolution/review_detail.html",
        {
            "review": review,
            "previous_start": date.fromisoformat(figures["previous_start"]),
            "previous_end": date.fromisoformat(figures["previous_end"]),
            "total": _shown(figures["total"]),
            "tables": _tables(figures),
            "editable": editable,
            "analysis_form": analysis_form,
            "formset": formset,
            "proposals": review.proposals.select_related("cause", "owner", "action"),
        },
        status=status,
    )
