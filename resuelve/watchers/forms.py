from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from resuelve.accounts.models import Department, User
from resuelve.complaints.models import Category
from resuelve.customers.models import Product, Region, Supplier, Tier
from resuelve.resolution.models import RootCause
from resuelve.watchers.models import Mode

ME = "me"


class WatchForm(forms.Form):
    owner = forms.ChoiceField(label=_("Who hears"))
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.order_by("name"), required=False
    )
    supplier = forms.ModelChoiceField(
        label=_("Supplier"), queryset=Supplier.objects.order_by("name"), required=False
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(active=True), required=False
    )
    cause = forms.ModelChoiceField(
        label=_("Root cause"), queryset=RootCause.objects.filter(active=True), required=False
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.order_by("name"), required=False
    )
    tier = forms.ChoiceField(
        label=_("Customer tier"), choices=[("", "---------"), *Tier.choices], required=False
    )
    mode = forms.ChoiceField(label=_("Delivery"), choices=Mode.choices, initial=Mode.INSTANT)
    on_new = forms.BooleanField(label=_("New complaints"), required=False, initial=True)
    on_resolved = forms.BooleanField(label=_("Resolved complaints"), required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, user: User, departments: list[Department], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.departments = {str(d.pk): d for d in departments}
        self.fields["owner"].choices = [(ME, _("Me"))] + [
            (str(d.pk), _("Department: %(name)s") % {"name": d.name}) for d in departments
        ]
        if not departments:
            self.fields["owner"].widget = forms.HiddenInput()
            self.fields["owner"].initial = ME

    def department(self) -> Department | None:
        return self.departments.get(self.cleaned_data.get("owner", ME))

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "owner"}
