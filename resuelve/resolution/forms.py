"""Forms for the investigation pages: they parse input only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from resuelve.accounts.models import Department, User
from resuelve.complaints.forms import MultipleFileField
from resuelve.resolution.models import (
    AccountabilityKind,
    CooperationKind,
    ImprovementAction,
    ImprovementKind,
    ImprovementStatus,
    RootCause,
)


def _departments() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.filter(active=True)
    )


def _staff():  # type: ignore[no-untyped-def]
    return User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")


class InvestigationForm(forms.Form):
    cause = forms.ModelChoiceField(
        label=_("Root cause"), queryset=RootCause.objects.filter(active=True)
    )
    responsible_department = forms.ModelChoiceField(
        label=_("Responsible department"),
        queryset=Department.objects.filter(active=True),
        required=False,
    )
    responsible_people = forms.ModelMultipleChoiceField(
        label=_("Responsible people"), queryset=_staff(), required=False
    )
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))
    lesson = forms.CharField(
        label=_("Lesson learned"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = MultipleFileField(label=_("Evidence"), required=False)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["responsible_people"].queryset = _staff()


class InvestigationDueForm(forms.Form):
    due_at = forms.DateTimeField(
        label=_("Investigate by"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class CooperationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CooperationKind.choices)
    department = _departments()
    note = forms.CharField(
        label=_("What you ask, or why you transfer"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CooperationAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 3}))


class AccountabilityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Responsible for"), choices=AccountabilityKind.choices)
    department = _departments()
    person = forms.ModelChoiceField(label=_("Person"), queryset=_staff(), required=False)
    measure = forms.CharField(
        label=_("Measure taken under the company's rules"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AccountabilityFilterForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any")), *AccountabilityKind.choices], required=False
    )
    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )


class ImprovementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ImprovementKind.choices)
    cause = forms.ModelChoiceField(
        label=_("Root cause"), queryset=RootCause.objects.filter(active=True)
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=_staff())
    description = forms.CharField(
        label=_("What will be done"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(
        label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    status = forms.ChoiceField(label=_("Status"), choices=ImprovementStatus.choices)
    effectiveness_check_on = forms.DateField(
        label=_("Check effectiveness on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    conclusion = forms.CharField(
        label=_("Reviewer's conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff()


class LinkForm(forms.Form):
    action = forms.ModelChoiceField(
        label=_("Improvement action"),
        queryset=ImprovementAction.objects.exclude(status=ImprovementStatus.CANCELLED),
    )
