"""The dashboards' filters: a period of whole months, a department within the reader's scope,
a kind, a region and a product."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resuelve.accounts.models import Department, User
from resuelve.analytics.selectors import Filters
from resuelve.complaints.lifecycle import Kind
from resuelve.customers.models import Product, Region

MAX_MONTHS = 60


def parse_month(value: str) -> date | None:
    try:
        year, month = (int(part) for part in value.split("-")[:2])
        return date(year, month, 1)
    except (ValueError, TypeError):
        return None


def months_back(day: date, n: int) -> date:
    index = day.year * 12 + day.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


class DashboardFilterForm(forms.Form):
    start = forms.CharField(
        label=_("From month"), required=False, widget=forms.DateInput(attrs={"type": "month"})
    )
    end = forms.CharField(
        label=_("To month"), required=False, widget=forms.DateInput(attrs={"type": "month"})
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("All I may see"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Every kind"))] + list(Kind.choices)
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("Every region"),
    )
    product = forms.ModelChoiceField(
        label=_("Product or service"),
        queryset=Product.objects.order_by("name"),
        required=False,
        empty_label=_("Every product"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(active=True).order_by("name")
        if not user.sees_all_departments:
            departments = departments.filter(pk__in=user.department_ids())
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        if not self.is_bound:
            end = timezone.localdate().replace(day=1)
            self.initial = {"start": f"{months_back(end, 11):%Y-%m}", "end": f"{end:%Y-%m}"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        this_month = timezone.localdate().replace(day=1)
        start = parse_month(data.get("start") or "") if data.get("start") else None
        end = parse_month(data.get("end") or "") if data.get("end") else None
        if data.get("start") and start is None:
            self.add_error("start", _("Give a month as YYYY-MM."))
        if data.get("end") and end is None:
            self.add_error("end", _("Give a month as YYYY-MM."))
        end = end or this_month
        start = start or months_back(end, 11)
        if start > end:
            self.add_error("start", _("The period starts after it ends."))
        elif (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
            self.add_error("start", _("A period is at most five years."))
        data["start_month"], data["end_month"] = start, end
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        end = data.get("end_month") or timezone.localdate().replace(day=1)
        start = data.get("start_month") or months_back(end, 11)
        department, region, product = (
            data.get("department"),
            data.get("region"),
            data.get("product"),
        )
        return Filters(
            start=start,
            end=end,
            department=department.pk if department else None,
            kind=data.get("kind") or "",
            region=region.pk if region else None,
            product=product.pk if product else None,
        )


class ScorecardFilterForm(DashboardFilterForm):
    """The scorecards' filters: period, department and kind (people are not cut by region or
    product)."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        del self.fields["region"], self.fields["product"]
