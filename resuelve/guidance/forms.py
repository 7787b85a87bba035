from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TickForm(forms.Form):
    done = forms.BooleanField(required=False)


class NonRoutineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it not routine?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReportFilterForm(forms.Form):
    received_from = forms.DateField(
        label=_("Received from"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label=_("Received until"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def period(self) -> tuple[date, date]:
        """The chosen period, or the last 90 days."""
        today = timezone.localdate()
        default = (today - timedelta(days=90), today)
        if not self.is_bound or not self.is_valid():
            return default
        start, end = self.cleaned_data["received_from"], self.cleaned_data["received_to"]
        return (end, start) if start > end else (start, end)
