"""Forms of the alert page: dismissing with a reason, and the improvement action."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from resuelve.accounts.models import User
from resuelve.earlywarning.models import AlertKind, AlertStatus
from resuelve.resolution.models import ImprovementKind, RootCause


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any"))] + AlertStatus.choices
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any"))] + AlertKind.choices
    )


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it not a problem?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The detector leaves this series out from now on."),
    )


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ImprovementKind.choices)
    cause = forms.ModelChoiceField(
        label=_("Root cause"), queryset=RootCause.objects.filter(active=True)
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_on = forms.DateField(
        label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    description = forms.CharField(
        label=_("What will be done"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(is_active=True).order_by(
            "first_name", "last_name", "username"
        )
