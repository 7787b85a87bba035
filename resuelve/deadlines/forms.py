from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExtensionForm(forms.Form):
    amount = forms.IntegerField(label=_("Extend by"), min_value=1)
    reason = forms.CharField(
        label=_("Reasons (the customer reads them)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def __init__(
        self, *args: object, remaining: int | None = None, unit: str = "", **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if remaining is not None:
            self.fields["amount"].widget.attrs["max"] = remaining
            self.fields["amount"].help_text = _("%(left)s %(unit)s remain of the allowance.") % {
                "left": remaining,
                "unit": unit,
            }


def _default_from() -> date:
    return timezone.localdate() - timedelta(days=30)


class ComplianceFilterForm(forms.Form):
    received_from = forms.DateField(
        label=_("Received from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label=_("Received until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The first day comes after the last."))
        if start and end and (end - start).days > 3 * 366:
            raise forms.ValidationError(_("Choose at most three years."))
        return data

    def period(self) -> tuple[date, date]:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["received_from"], self.cleaned_data["received_to"]
        return _default_from(), timezone.localdate()
