"""Forms of the classification statistics review: they parse input only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resuelve.accounts.models import Department, User
from resuelve.analytics.forms import months_back, parse_month
from resuelve.resolution.models import ImprovementKind, RootCause
from resuelve.resolution.review_services import ProposalData


def _month_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label, widget=forms.DateInput(attrs={"type": "month", "placeholder": "YYYY-MM"})
    )


class ReviewStartForm(forms.Form):
    start = _month_field(_("From month"))
    end = _month_field(_("To month"))
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("Every department I may see"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(active=True).order_by("name")
        if not user.sees_all_departments:
            departments = departments.filter(pk__in=user.department_ids())
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        if not self.is_bound:
            last = months_back(timezone.localdate().replace(day=1), 1)
            self.initial = {"start": f"{last:%Y-%m}", "end": f"{last:%Y-%m}"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("start", "end"):
            if data.get(name):
                month = parse_month(data[name])
                if month is None:
                    self.add_error(name, _("Give a month as YYYY-MM."))
                else:
                    data[f"{name}_month"] = month
        return data


class ReviewAnalysisForm(forms.Form):
    analysis = forms.CharField(
        label=_("Analysis"),
        required=False,  # a draft may be kept without it; submitting requires it
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the figures show: which categories and causes grew or dropped, and why."),
    )


def _staff() -> Any:
    return User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Improvement"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ImprovementKind.choices, initial=ImprovementKind.PREVENTIVE
    )
    cause = forms.ModelChoiceField(
        label=_("Root cause"), queryset=RootCause.objects.filter(active=True)
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_on = forms.DateField(
        label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    description = forms.CharField(
        label=_("What will be done"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff()  # type: ignore[attr-defined]
        self.fields["cause"].queryset = RootCause.objects.filter(active=True)  # type: ignore[attr-defined]


ProposalFormSet = forms.formset_factory(ProposalForm, extra=2, can_delete=True, max_num=20)


def proposals_of(formset: forms.BaseFormSet) -> list[ProposalData]:
    """The filled-in, not deleted proposals of a valid formset, in order."""
    out = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        out.append(
            ProposalData(
                title=data["title"],
                kind=data["kind"],
                cause=data["cause"],
                owner=data["owner"],
                due_on=data["due_on"],
                description=data.get("description") or "",
            )
        )
    return out
