"""Scorecards per department and per person, and one person's or department's trend."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from resuelve.accounts.models import Department, User
from resuelve.analytics import scorecards, selectors
from resuelve.analytics.forms import ScorecardFilterForm
from resuelve.analytics.refresh import freshness
from resuelve.analytics.slices import Figures
from resuelve.analytics.views import kept_html
from resuelve.core.charts import Chart, Series

FILTERS = ("start", "end", "department", "kind")


def _query(request: HttpRequest, form: ScorecardFilterForm) -> dict[str, str]:
    filters = form.filters()
    base = {name: request.GET[name] for name in FILTERS if request.GET.get(name)}
    base.setdefault("start", f"{filters.start:%Y-%m}")
    base.setdefault("end", f"{filters.end:%Y-%m}")
    return base


def _drill(base: dict[str, str], **fixed: str) -> Callable[..., str]:
    def url(**params: Any) -> str:
        return reverse("analytics:cases") + "?" + urlencode({**base, **fixed, **params})

    return url


def _table(
    rows: list[tuple[str, str, Figures]], base: dict[str, str], dim: str, detail: str | None
) -> list[dict[str, Any]]:
    out = []
    for key, name, figures in rows:
        fixed = {"dim": dim, "key": key} if dim != "department" else {"department": key}
        if dim == "department" and not key:
            fixed = {"dim": "department", "key": ""}
        out.append(
            {
                "key": key,
                "name": name,
                "detail": reverse(detail, args=[key]) + "?" + urlencode(base)
                if detail and key
                else "",
                "cells": scorecards.cells(figures, _drill(base, **fixed)),
            }
        )
    return out


@login_required
def scorecards_page(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not selectors.may_read(user):
        return person(request, str(user.pk))
    form = ScorecardFilterForm(request.GET or None, user=user)
    form.is_valid()
    filters, scope, base = form.filters(), selectors.scope_of(user), _query(request, form)
    fresh = freshness()

    def tables() -> str:
        return render_to_string(
            "analytics/_scorecards_tables.html",
            {
                "measures": scorecards.MEASURES,
                "departments": _table(
                    scorecards.departments(scope=scope, filters=filters),
                    base, "department", "analytics:scorecard_department",
                ),
                "people": _table(
                    scorecards.people(scope=scope, filters=filters),
                    base, "assignee", "analytics:scorecard_person",
                ),
            },
        )  # fmt: skip

    context = {
        "form": form,
        "filters": filters,
        "fresh": fresh,
        "measures": scorecards.MEASURES,
        "tables": kept_html(("scorecards", scope, filters, sorted(base.items()), fresh), tables),
    }
    return render(request, "analytics/scorecards.html", context, status=400 if form.errors else 200)


def _trend(months: list[tuple[Any, Figures]]) -> tuple[Chart, list[dict[str, Any]]]:
    measures = {m.name: m for m in scorecards.MEASURES}
    chart = Chart(
        kind="line",
        title=_("Trend by month"),
        description=_(
            "Deadline compliance, first-contact resolution, reopen rate and revisit coverage, in percent, month by month."
        ),
        categories=[f"{month:%Y-%m}" for month, _f in months],
        series=[
            Series(
                label=str(measures[name].label),
                values=[measures[name].numeric(f) for _m, f in months],
            )
            for name in scorecards.TREND_MEASURES
        ],
        unit="%",
        empty_text=_("Nothing in this period."),
    )
    table = [{"month": month, "cells": scorecards.cells(f, None)} for month, f in months]
    return chart, table


def _detail(
    request: HttpRequest, *, title: str, scope: selectors.Scope, person_key: str | None,
    department: Department | None, drills: bool,
) -> HttpResponse:  # fmt: skip
    user: User = request.user  # type: ignore[assignment]
    form = ScorecardFilterForm(request.GET or None, user=user)
    form.is_valid()
    filters, base = form.filters(), _query(request, form)
    if department is not None:
        filters = replace(filters, department=department.pk)
        base["department"] = str(department.pk)
    total = Figures()
    months = scorecards.monthly(scope=scope, filters=filters, person=person_key)
    for _month, figures in months:
        total.add(figures)
    fixed = {"dim": "assignee", "key": person_key} if person_key is not None else {}
    chart, table = _trend(months)
    context = {
        "title": title,
        "form": form,
        "filters": filters,
        "fresh": freshness(),
        "kpis": scorecards.cells(total, _drill(base, **fixed) if drills else None),
        "chart": chart,
        "months": table,
        "measures": scorecards.MEASURES,
        "back": reverse("analytics:scorecards") + "?" + urlencode(base) if drills else "",
    }
    return render(request, "analytics/scorecard.html", context, status=400 if form.errors else 200)


@login_required
def person(request: HttpRequest, key: str) -> HttpResponse:
    """One person's scorecard: readers see the people of their departments; everyone sees
    their own."""
    user: User = request.user  # type: ignore[assignment]
    if not key.isdigit():
        raise Http404
    subject = get_object_or_404(User, pk=int(key))
    if subject.pk == user.pk and not selectors.may_read(user):
        scope, drills = scorecards.own_scope(user), False
    elif selectors.may_read(user):
        scope, drills = selectors.scope_of(user), True
        if not user.sees_all_departments and not (
            set(subject.department_ids()) & set(user.department_ids())
        ):
            raise Http404(_("This person works outside your departments."))
    else:
        raise Http404(_("The scorecards are for supervisors, managers and auditors."))
    return _detail(
        request, title=_("Scorecard: %(name)s") % {"name": subject}, scope=scope,
        person_key=str(subject.pk), department=None, drills=drills,
    )  # fmt: skip


@login_required
def department(request: HttpRequest, key: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not selectors.may_read(user) or not key.isdigit():
        raise Http404(_("The scorecards are for supervisors, managers and auditors."))
    dept = get_object_or_404(Department, pk=int(key))
    if not user.sees_all_departments and dept.pk not in user.department_ids():
        raise Http404(_("This department is outside your scope."))
    return _detail(
        request, title=_("Scorecard: %(name)s") % {"name": dept.name},
        scope=selectors.scope_of(user), person_key=None, department=dept, drills=True,
    )  # fmt: skip
