"""The forms of the themes pages: they parse input, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from resuelve.accounts.models import User
from resuelve.accounts.roles import Role
from resuelve.resolution.models import RootCause
from resuelve.themes.models import IdeaStatus

OWNER_ROLES = (Role.SUPERVISOR, Role.MANAGER, Role.ADMIN, Role.HANDLER)


class PromoteActionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    cause = forms.ModelChoiceField(label=_("Root cause"), queryset=RootCause.objects.none())
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_on = forms.DateField(
        label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    description = forms.CharField(
        label=_("What will be done"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cause"].queryset = RootCause.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["owner"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            is_active=True, role__in=OWNER_ROLES
        ).order_by("first_name", "last_name", "username")


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class IdeaStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=IdeaStatus.choices)
