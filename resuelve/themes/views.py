"""The themes page, promoting a theme, and the product idea list. Views parse, call one
service or selector, and render."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import StepRefused
from resuelve.themes import selectors, services
from resuelve.themes.forms import IdeaForm, IdeaStatusForm, PromoteActionForm
from resuelve.themes.models import IdeaStatus, ProductIdea, Theme


def _reader(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not selectors.may_read(user):
        raise Http404(_("The themes are for supervisors, managers and auditors."))
    return user


def _promoter(request: HttpRequest) -> User:
    user = _reader(request)
    if not selectors.may_promote(user):
        raise Http404(_("Only supervisors and managers promote themes."))
    return user


def _errors_into(error: ValidationError, form: Any) -> None:
    for name, errors in error.message_dict.items():
        for message in errors:
            form.add_error(name if name in form.fields else None, message)


@login_required
def themes_page(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    run = selectors.run_latest()
    context = {
        "run": run,
        "themes": selectors.themes_for(user=user, run=run) if run is not None else [],
        "may_promote": selectors.may_promote(user),
    }
    return render(request, "themes/themes.html", context)


@login_required
def promote_action(request: HttpRequest, pk: int) -> HttpResponse:
    user = _promoter(request)
    theme = get_object_or_404(Theme, pk=pk)
    initial = {
        "title": _("Prevent: %(label)s") % {"label": theme.label},
        "owner": user.pk,
        "due_on": timezone.localdate() + timedelta(days=30),
    }
    form = PromoteActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.theme_promote_action(
                theme=theme,
                actor=user,
                cause=data["cause"],
                owner=data["owner"],
                due_on=data["due_on"],
                title=data["title"],
                description=data["description"],
            )
        except StepRefused as exc:
            messages.error(request, exc.message)
            return redirect("themes:themes")
        except ValidationError as exc:
            _errors_into(exc, form)
        else:
            messages.success(
                request, _("Improvement action “%(title)s” created.") % {"title": action.title}
            )
            return redirect("resolution:improvement", pk=action.pk)
    status = 400 if request.method == "POST" else 200
    context = {"theme": theme, "form": form, "what": "action"}
    return render(request, "themes/promote.html", context, status=status)


@login_required
def promote_idea(request: HttpRequest, pk: int) -> HttpResponse:
    user = _promoter(request)
    theme = get_object_or_404(Theme, pk=pk)
    form = IdeaForm(request.POST or None, initial={"title": theme.label})
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.theme_promote_idea(
                theme=theme,
                actor=user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
            )
        except StepRefused as exc:
            messages.error(request, exc.message)
            return redirect("themes:themes")
        except ValidationError as exc:
            _errors_into(exc, form)
        else:
            messages.success(
                request, _("“%(title)s” added to the product ideas.") % {"title": idea.title}
            )
            return redirect("themes:ideas")
    status = 400 if request.method == "POST" else 200
    context = {"theme": theme, "form": form, "what": "idea"}
    return render(request, "themes/promote.html", context, status=status)


@login_required
def ideas_page(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    form = IdeaForm(request.POST or None)
    if request.method == "POST":
        _promoter(request)
        if form.is_valid():
            try:
                idea = services.theme_promote_idea(
                    theme=None,
                    actor=user,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as exc:
                _errors_into(exc, form)
            else:
                messages.success(
                    request, _("“%(title)s” added to the product ideas.") % {"title": idea.title}
                )
                return redirect("themes:ideas")
    shown = request.GET.get("status", "")
    ideas = selectors.ideas_list()
    if shown in IdeaStatus.values:
        ideas = ideas.filter(status=shown)
    context = {
        "ideas": ideas[:500],
        "form": form,
        "statuses": IdeaStatus.choices,
        "shown": shown,
        "may_promote": selectors.may_promote(user),
        "may_decide": selectors.may_decide_ideas(user),
    }
    return render(request, "themes/ideas.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def idea_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    idea = get_object_or_404(ProductIdea, pk=pk)
    form = IdeaStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect("themes:ideas")
    try:
        idea = services.product_idea_set_status(
            idea=idea, actor=user, status=form.cleaned_data["status"]
        )
    except StepRefused as exc:
        messages.error(request, exc.message)
        return redirect("themes:ideas")
    messages.success(
        request,
        _("“%(title)s” is now %(status)s.")
        % {"title": idea.title, "status": idea.get_status_display()},
    )
    return redirect("themes:ideas")
