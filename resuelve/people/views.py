"""Competence profiles and contests between staff (REQUIREMENTS H6, A4). Views parse, call one
service or selector, and render; whoever may not see a page gets a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resuelve.accounts.models import Department, User
from resuelve.complaints.lifecycle import StepRefused
from resuelve.people import selectors, services
from resuelve.people.forms import CompetenceForm, ContestForm, HiringCheckForm, TrainingForm
from resuelve.people.models import Contest, HiringRequirement, Metric, TrainingRecord


def _viewer(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _person(request: HttpRequest, username: str) -> tuple[User, User]:
    viewer = _viewer(request)
    person = User.objects.filter(username=username, is_active=True).first()
    if person is None or not selectors.may_see_profile(viewer, person):
        raise Http404(_("No such person among the staff you may see."))
    return viewer, person


def _errors_into(error: ValidationError, form: Any) -> None:
    for name, errors in error.message_dict.items():
        target = name if name in form.fields else None
        for message in errors:
            form.add_error(target, message)


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    today = timezone.localdate()
    people = list(
        selectors.people_visible_to(viewer)
        .prefetch_related("departments")
        .order_by("first_name", "last_name", "username")
    )
    return render(
        request,
        "people/list.html",
        {
            "people": people,
            "expiring": selectors.trainings_expiring(viewer=viewer, today=today),
            "today": today,
        },
    )


def _profile_page(
    request: HttpRequest, viewer: User, person: User, status: int = 200, **forms_: Any
) -> HttpResponse:
    profile = selectors.profile_of(person=person, today=timezone.localdate())
    edits = selectors.may_edit_competence(viewer, person)
    keeps = selectors.may_keep_records(viewer, person)
    if edits and "competence_form" not in forms_:
        agent = profile.agent_profile
        note = getattr(person, "competence_note", None)
        forms_["competence_form"] = CompetenceForm(
            prefix="competence",
            initial={
                "skills": list(agent.skills.all()) if agent else [],
                "languages": agent.languages if agent else [],
                "takes_assignments": agent.takes_assignments if agent else False,
                "capacity": agent.capacity if agent else 25,
                "notes": note.notes if note else "",
            },
        )
    if keeps and "training_form" not in forms_:
        forms_["training_form"] = TrainingForm(prefix="training")
    for form in forms_.values():
        form.mark_errors()
    context = {
        "profile": profile,
        "person": person,
        "may_edit": edits,
        "may_keep": keeps,
        "is_self": viewer.pk == person.pk,
        **forms_,
    }
    return render(request, "people/profile.html", context, status=status)


@login_required
def profile(request: HttpRequest, username: str) -> HttpResponse:
    viewer, person = _person(request, username)
    return _profile_page(request, viewer, person)


def _back(person: User, anchor: str) -> HttpResponse:
    response = redirect("people:profile", username=person.username)
    response["Location"] += f"#{anchor}"
    return response


@login_required
@require_POST
def competence(request: HttpRequest, username: str) -> HttpResponse:
    viewer, person = _person(request, username)
    if not selectors.may_edit_competence(viewer, person):
        raise Http404(_("You may not edit this person's competences."))
    form = CompetenceForm(request.POST, prefix="competence")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.competence_update(
                person=person,
                actor=viewer,
                skills=data["skills"],
                languages=data["languages"],
                takes_assignments=data["takes_assignments"],
                capacity=data["capacity"],
                notes=data["notes"],
            )
        except StepRefused as exc:
            messages.error(request, exc.message)
            return _back(person, "competence")
        except ValidationError as exc:
            _errors_into(exc, form)
        else:
            messages.success(request, _("Competences saved."))
            return _back(person, "competence")
    messages.error(request, _("Please correct the marked fields."))
    return _profile_page(request, viewer, person, status=400, competence_form=form)


@login_required
@require_POST
def training_add(request: HttpRequest, username: str) -> HttpResponse:
    viewer, person = _person(request, username)
    if not selectors.may_keep_records(viewer, person):
        raise Http404(_("You may not keep this person's training records."))
    form = TrainingForm(request.POST, prefix="training")
    if form.is_valid():
        try:
            services.training_record_add(person=person, actor=viewer, **form.cleaned_data)
        except StepRefused as exc:
            messages.error(request, exc.message)
            return _back(person, "training")
        except ValidationError as exc:
            _errors_into(exc, form)
        else:
            messages.success(request, _("Training recorded."))
            return _back(person, "training")
    messages.error(request, _("Please correct the marked fields."))
    return _profile_page(request, viewer, person, status=400, training_form=form)


@login_required
@require_POST
def training_delete(request: HttpRequest, username: str, record_id: int) -> HttpResponse:
    viewer, person = _person(request, username)
    record = get_object_or_404(TrainingRecord, pk=record_id, user=person)
    if not selectors.may_keep_records(viewer, person):
        raise Http404(_("You may not keep this person's training records."))
    services.training_record_delete(record=record, actor=viewer)
    messages.success(request, _("Training record removed."))
    return _back(person, "training")


@login_required
@require_POST
def hiring_check(request: HttpRequest, username: str, requirement_id: int) -> HttpResponse:
    viewer, person = _person(request, username)
    if not selectors.may_keep_records(viewer, person):
        raise Http404(_("You may not keep this person's hiring checks."))
    requirement = get_object_or_404(
        HiringRequirement.objects.select_related("standard"), pk=requirement_id
    )
    form = HiringCheckForm(request.POST, prefix=f"req{requirement.pk}")
    form.is_valid()
    try:
        services.hiring_check_set(
            person=person,
            requirement=requirement,
            actor=viewer,
            met=form.cleaned_data.get("met", False),
            evidence=form.cleaned_data.get("evidence", ""),
        )
    except StepRefused as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        messages.success(request, _("Hiring checklist updated."))
    return _back(person, "hiring")


# --- contests ---------------------------------------------------------------------------------


def _contest_departments(viewer: User) -> Any:
    departments = Department.objects.filter(active=True)
    if viewer.is_superuser or viewer.sees_all_departments:
        return departments
    return departments.filter(pk__in=viewer.department_ids())


@login_required
def contests(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    may_create = selectors.may_create_contest(viewer) and not viewer.read_only
    form = None
    status = 200
    if may_create:
        form = ContestForm(
            request.POST if request.method == "POST" else None,
            prefix="contest",
            departments=_contest_departments(viewer),
        )
    if request.method == "POST":
        if form is None:
            raise Http404(_("Contests are run by supervisors, managers and administrators."))
        if form.is_valid():
            try:
                contest = services.contest_create(actor=viewer, **form.cleaned_data)
            except StepRefused as exc:
                messages.error(request, exc.message)
                return redirect("people:contests")
            except ValidationError as exc:
                _errors_into(exc, form)
            else:
                messages.success(request, _("Contest opened."))
                return redirect("people:contest", pk=contest.pk)
        messages.error(request, _("Please correct the marked fields."))
        form.mark_errors()
        status = 400
    return render(
        request,
        "people/contests.html",
        {"contests": list(selectors.contests_visible_to(viewer)), "form": form},
        status=status,
    )


def _contest(request: HttpRequest, pk: int) -> tuple[User, Contest]:
    viewer = _viewer(request)
    contest = selectors.contests_visible_to(viewer).filter(pk=pk).first()
    if contest is None:
        raise Http404(_("No such contest."))
    return viewer, contest


@login_required
def contest(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, found = _contest(request, pk)
    standings = selectors.leaderboard(contest=found)
    rows = [
        {"standing": s, "value": selectors.metric_value_text(found.metric, s.value)}
        for s in standings
    ]
    winners = list(found.winners.select_related("user", "ledger_entry").order_by("id"))
    return render(
        request,
        "people/contest.html",
        {
            "contest": found,
            "rows": rows,
            "winners": winners,
            "metric_label": Metric(found.metric).label,
            "may_close": found.is_open and selectors.may_close_contest(viewer, found),
        },
    )


@login_required
@require_POST
def contest_close(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, found = _contest(request, pk)
    try:
        winners = services.contest_close(contest=found, actor=viewer)
    except StepRefused as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        if winners:
            messages.success(
                request,
                _("Contest closed; winners: %(names)s.")
                % {"names": ", ".join(w.user.get_full_name() or w.user.username for w in winners)},
            )
        else:
            messages.info(request, _("Contest closed."))
    return redirect("people:contest", pk=found.pk)
