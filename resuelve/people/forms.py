"""The people pages' forms. They only parse: the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from resuelve.accounts.models import Department
from resuelve.complaints.models import Category
from resuelve.people.models import Metric
from resuelve.remedies.forms import MarksErrors
from resuelve.remedies.models import RewardFund


class DateInput(forms.DateInput):
    input_type = "date"


class CompetenceForm(MarksErrors, forms.Form):
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills (categories handled)"),
        queryset=Category.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every category."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages answered in"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every language."),
    )
    takes_assignments = forms.BooleanField(label=_("Takes automatic assignments"), required=False)
    capacity = forms.IntegerField(
        label=_("Capacity (open cases at once)"), min_value=0, max_value=1000, initial=25
    )
    notes = forms.CharField(
        label=_("Notes on competence"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skills"].queryset = Category.objects.filter(active=True).order_by("name")  # type: ignore[attr-defined]
        self.fields["languages"].choices = list(settings.LANGUAGES)  # type: ignore[attr-defined]


class TrainingForm(MarksErrors, forms.Form):
    title = forms.CharField(label=_("Course"), max_length=200)
    provider = forms.CharField(label=_("Provider"), max_length=200, required=False)
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput)
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DateInput,
        help_text=_("Empty: it does not expire."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class HiringCheckForm(MarksErrors, forms.Form):
    met = forms.BooleanField(label=_("Met"), required=False)
    evidence = forms.CharField(label=_("Evidence"), required=False, max_length=300)


class ContestForm(MarksErrors, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("Every department"),
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(label=_("Until (inclusive)"), widget=DateInput)
    metric = forms.ChoiceField(label=_("Measure"), choices=Metric.choices)
    min_volume = forms.IntegerField(
        label=_("Minimum cases"),
        min_value=1,
        initial=10,
        help_text=_("People with fewer cases counted for the measure do not compete."),
    )
    prize_amount = forms.DecimalField(
        label=_("Prize per winner"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
        help_text=_("Empty: recognition only, no money."),
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="COP")
    fund = forms.ModelChoiceField(
        label=_("Paid from"),
        queryset=RewardFund.objects.none(),
        required=False,
        empty_label=_("The first open fund in the currency"),
    )

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["fund"].queryset = RewardFund.objects.filter(active=True)  # type: ignore[attr-defined]
