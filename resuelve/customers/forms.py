"""Forms of the staff customer pages: input only, no business logic."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from resuelve.customers.models import ContactChannel, Region, Tier
from resuelve.customers.samples import MAX_SIZE


class CustomerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search customers"),
        required=False,
        max_length=200,
        help_text=_("Name, e-mail, phone or external reference."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class ConsentForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactChannel.choices)
    granted = forms.TypedChoiceField(
        label=_("Consent"),
        choices=[("1", _("Allowed")), ("0", _("Withdrawn"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        help_text=_("How the customer said so, e.g. on a call on 3 March."),
    )


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").replace("\n", ",").split(",")]


class SampleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        max_length=300,
        help_text=_("e.g. satisfaction study of the first quarter"),
    )
    size = forms.IntegerField(
        label=_("Number of customers"), min_value=1, max_value=MAX_SIZE, initial=100
    )
    tiers = forms.MultipleChoiceField(
        label=_("Membership tier"),
        choices=Tier.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every tier."),
    )
    members_only = forms.BooleanField(label=_("Members only"), required=False)
    products = forms.CharField(
        label=_("Bought these products"),
        required=False,
        max_length=1000,
        help_text=_("SKUs or product numbers, separated by commas."),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every region."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=[("", _("Any"))], required=False)
    contacted_before = forms.DateField(
        label=_("Last contacted before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Customers never contacted count too."),
    )
    contacted_after = forms.DateField(
        label=_("Last contacted on or after"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    exclude_contacted_days = forms.IntegerField(
        label=_("Leave out customers contacted in the last days"),
        min_value=0,
        max_value=3650,
        initial=90,
        required=False,
    )
    consent_channel = forms.ChoiceField(
        label=_("Only customers who may be contacted by"),
        choices=[("", _("Any channel")), *ContactChannel.choices],
        required=False,
    )
    seed = forms.IntegerField(
        label=_("Random seed"),
        required=False,
        min_value=0,
        max_value=2**62,
        help_text=_("Leave empty for a new one; give a stored sample's seed to draw it again."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Any")), *settings.LANGUAGES]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "tiers": data["tiers"],
            "members_only": data["members_only"],
            "products": [p for p in _split(data["products"]) if p],
            "regions": [r.pk for r in data["regions"]],
            "language": data["language"],
            "contacted_before": data["contacted_before"],
            "contacted_after": data["contacted_after"],
            "consent_channel": data["consent_channel"],
        }
