"""The management dashboard and its drill-down list."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from resuelve.accounts.models import User
from resuelve.analytics import selectors
from resuelve.analytics.dashboard import dashboard
from resuelve.analytics.forms import DashboardFilterForm, parse_month
from resuelve.analytics.labels import labels
from resuelve.analytics.models import CaseFact
from resuelve.analytics.refresh import freshness
from resuelve.complaints.models import Complaint
from resuelve.complaints.views_export import (
    FORMATS,
    complaints_download,
    export_allowed,
    too_many,
)

FIGURES_TTL = 15 * 60  # seconds; a refresh every five minutes makes new keys sooner
FILTER_NAMES = ("start", "end", "department", "kind", "region", "product")


def _reader(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not selectors.may_read(user):
        raise Http404(_("The dashboards are for supervisors, managers and auditors."))
    return user


def kept_html(parts: tuple[Any, ...], build: Callable[[], str]) -> SafeString:
    """The figures change only when the worker refreshes them: their HTML is kept, per
    reader's scope, filters, language and freshness (in `parts`), until the next refresh
    (or FIGURES_TTL)."""
    key = "analytics:html:" + hashlib.sha256(repr((get_language(), *parts)).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = build()
        cache.set(key, html, FIGURES_TTL)
    return mark_safe(html)


def _filter_query(request: HttpRequest) -> dict[str, str]:
    return {name: request.GET[name] for name in FILTER_NAMES if request.GET.get(name)}


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    form = DashboardFilterForm(request.GET or None, user=user)
    form.is_valid()
    filters = form.filters()
    base = _filter_query(request)
    base.setdefault("start", f"{filters.start:%Y-%m}")
    base.setdefault("end", f"{filters.end:%Y-%m}")

    def drill_url(**params: Any) -> str:
        return reverse("analytics:cases") + "?" + urlencode({**base, **params})

    fresh, scope, today = freshness(), selectors.scope_of(user), timezone.localdate()
    figures = kept_html(
        ("overview", scope, filters, sorted(base.items()), today, fresh),
        lambda: render_to_string(
            "analytics/_overview_figures.html",
            dashboard(scope=scope, filters=filters, drill_url=drill_url, today=today),
        ),
    )
    context = {"form": form, "fresh": fresh, "filters": filters, "figures": figures}
    return render(
        request, "analytics/overview.html", context, status=200 if not form.errors else 400
    )


def _drilled(request: HttpRequest, user: User) -> tuple[QuerySet[CaseFact], dict[str, Any]]:
    """The facts behind the figure the query names, and what the page says about it."""
    form = DashboardFilterForm(request.GET or None, user=user)
    form.is_valid()
    filters = form.filters()
    dim = request.GET.get("dim", "all")
    key = request.GET.get("key", "")
    metric = request.GET.get("metric", "received")
    age = None
    if request.GET.get("age"):
        low, _sep, high = request.GET["age"].partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            raise Http404(_("Unknown figure."))
        age = (int(low), int(high) if high else None)
    month = request.GET.get("month", "")
    if month:
        one = parse_month(month)
        if one is None:
            raise Http404(_("Unknown figure."))
        filters = replace(filters, start=one, end=one)
    try:
        facts = selectors.drill(
            scope=selectors.scope_of(user), filters=filters, dim=dim, key=key, metric=metric,
            age=age, today=timezone.localdate(),
        )  # fmt: skip
    except ValueError as exc:
        raise Http404(_("Unknown figure.")) from exc
    # The backlog's ages are counted now, from the facts; every other figure from its slices.
    count = None
    if age is None:
        count = selectors.drill_count(
            scope=selectors.scope_of(user), filters=filters, dim=dim, key=key, metric=metric
        )
    about = {
        "count": count,
        "dim": dim,
        "what": labels(dim, [key]).get(key, "") if dim != "all" else "",
        "metric": metric,
        "metric_label": selectors.METRIC_LABELS.get(metric, ""),
        "filters": filters,
        "age": age,
    }
    return facts, about


class _Counted:
    """A query the paginator pages through without counting it: the count is known."""

    def __init__(self, query: QuerySet[Any], count: int) -> None:
        self.query, self._count = query, count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: Any) -> Any:
        return self.query[index]


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    """The complaints behind one figure of the dashboard."""
    user = _reader(request)
    facts, about = _drilled(request, user)
    total = about.pop("count")
    if total is None:
        total = facts.count()
    ids = facts.order_by("-received_on", "-complaint_id").values_list("complaint_id", flat=True)
    page = Paginator(_Counted(ids, total), 50).get_page(request.GET.get("page"))
    found = Complaint.objects.filter(pk__in=list(page.object_list)).select_related(
        "department", "category", "assignee"
    )
    by_id = {c.pk: c for c in found}
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "analytics/cases.html",
        {
            **about,
            "rows": [by_id[pk] for pk in page.object_list if pk in by_id],
            "page": page,
            "total": total,
            "back": reverse("analytics:overview") + "?" + urlencode(_filter_query(request)),
            "query": query.urlencode(),
            "fresh": freshness(),
        },
    )


@login_required
def cases_export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """The same complaints as a CSV or XLSX download."""
    if fmt not in FORMATS:
        raise Http404
    user = _reader(request)
    if not export_allowed(user):
        return too_many()
    facts, _about = _drilled(request, user)
    qs = Complaint.objects.filter(pk__in=facts.values("complaint_id")).order_by(
        "-received_at", "-id"
    )
    return complaints_download(qs, user=user, fmt=fmt, name="dashboard-complaints")
