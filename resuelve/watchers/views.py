"""My watches: the list, the form to add or change one, and the recent mentions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import NotAllowed
from resuelve.watchers import selectors, services
from resuelve.watchers.forms import ME, WatchForm
from resuelve.watchers.models import FILTER_FIELDS, Watch


def _errors_into(error: ValidationError, form: WatchForm) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _page(request: HttpRequest, form: WatchForm, editing: Watch | None = None) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    watches = list(selectors.watches_of(user))
    manageable = {d.pk for d in form.departments.values()}
    for watch in watches:
        watch.may_change = (  # type: ignore[attr-defined]
            watch.user_id == user.pk or watch.department_id in manageable
        )
    return render(
        request,
        "watchers/list.html",
        {
            "form": form,
            "editing": editing,
            "watches": watches,
            "mentions": selectors.mentions_of(user),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _save(request: HttpRequest, form: WatchForm, watch: Watch | None) -> HttpResponse | None:
    user: User = request.user  # type: ignore[assignment]
    if not form.is_valid():
        return None
    try:
        if watch is None:
            services.watch_create(actor=user, values=form.values(), department=form.department())
            messages.success(request, _("Watch added."))
        else:
            services.watch_update(actor=user, watch=watch, values=form.values())
            messages.success(request, _("Watch saved."))
    except ValidationError as error:
        _errors_into(error, form)
        return None
    except NotAllowed as refused:
        form.add_error(None, str(refused))
        return None
    return redirect("watchers:list")


@login_required
def watch_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    departments = selectors.manageable_departments(user)
    if request.method == "POST":
        form = WatchForm(request.POST, user=user, departments=departments)
        return _save(request, form, None) or _page(request, form)
    return _page(request, WatchForm(user=user, departments=departments))


def _get_watch(user: User, pk: int) -> Watch:
    try:
        return selectors.watches_of(user).get(pk=pk)
    except Watch.DoesNotExist:
        raise Http404 from None


@login_required
def watch_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    watch = _get_watch(user, pk)
    departments = selectors.manageable_departments(user)
    if watch.department_id is not None and watch.department not in departments:
        raise Http404
    if request.method == "POST":
        form = WatchForm(request.POST, user=user, departments=departments)
        form.fields["owner"].required = False  # the owner of a watch does not change
        return _save(request, form, watch) or _page(request, form, watch)
    initial: dict[str, Any] = {name: getattr(watch, name) for name in FILTER_FIELDS}
    initial.update(
        owner=str(watch.department_id) if watch.department_id else ME,
        mode=watch.mode,
        on_new=watch.on_new,
        on_resolved=watch.on_resolved,
        active=watch.active,
    )
    form = WatchForm(initial=initial, user=user, departments=departments)
    form.fields["owner"].disabled = True
    return _page(request, form, watch)


@login_required
@require_POST
def watch_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    watch = _get_watch(user, pk)
    try:
        services.watch_delete(actor=user, watch=watch)
    except NotAllowed as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Watch removed."))
    return redirect("watchers:list")
