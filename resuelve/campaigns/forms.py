"""The campaign forms: input only; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from resuelve.campaigns.models import MemberStatus
from resuelve.customers.models import Product
from resuelve.remedies.models import RemedyType


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    product = forms.ModelChoiceField(
        label=_("Product or service"), queryset=Product.objects.order_by("name")
    )
    batch = forms.CharField(
        label=_("Batch / lot"),
        max_length=60,
        required=False,
        help_text=_("Leave blank to reach the buyers of every batch."),
    )
    remedy_kind = forms.ChoiceField(label=_("Kind of remedy"), choices=RemedyType.choices)
    unit_cost = forms.DecimalField(
        label=_("Cost per accepted remedy"), min_value=0, max_digits=14, decimal_places=2
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="COP")
    alert = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, name in settings.LANGUAGES:
            required = code == settings.LANGUAGE_CODE
            self.fields[f"remedy_{code}"] = forms.CharField(
                label=_("Remedy offered, in %(language)s") % {"language": name},
                widget=forms.Textarea(attrs={"rows": 3}),
                required=required,
                help_text=None
                if required
                else _("Optional: customers who speak it read the company language's text."),
            )

    def remedy_texts(self) -> dict[str, str]:
        return {
            code: self.cleaned_data.get(f"remedy_{code}") or "" for code, _n in settings.LANGUAGES
        }

    def remedy_fields(self) -> list[forms.BoundField]:
        return [self[f"remedy_{code}"] for code, _n in settings.LANGUAGES]

    def main_fields(self) -> list[forms.BoundField]:
        return [
            self[n] for n in ("title", "product", "batch", "remedy_kind", "unit_cost", "currency")
        ]


class MemberFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Every status")), *MemberStatus.choices],
    )


class ResponseForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer"), choices=[("accepted", _("Accepted")), ("declined", _("Declined"))]
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
