"""Staff page of the conduct check: the overrides counted, per user and kind."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from resuelve.accounts.models import User
from resuelve.conduct.check import KIND_LABELS, SENTENCE_KINDS
from resuelve.conduct.selectors import may_see_overrides, overrides_report


@login_required
def overrides(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not may_see_overrides(user):
        raise PermissionDenied
    report = overrides_report(user=user)
    kinds = [(kind, KIND_LABELS[kind]) for kind in SENTENCE_KINDS]
    rows = [
        {
            "user": row.user,
            "total": row.total,
            "counts": [(label, row.count(k)) for k, label in kinds],
        }
        for row in report.rows
    ]
    totals = [(label, report.by_kind.get(k, 0)) for k, label in kinds]
    return render(
        request,
        "conduct/overrides.html",
        {"report": report, "kinds": kinds, "rows": rows, "totals": totals},
    )
