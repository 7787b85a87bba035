from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resuelve.customers import reach
from resuelve.customers.models import ContactChannel, Tier
from resuelve.revisits.models import Occasion, Outcome, Priority, Status


def _any(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Any")), *choices]


class ListFilterForm(forms.Form):
    reason = forms.ChoiceField(label=_("Occasion"), choices=_any(Occasion.choices), required=False)
    tier = forms.ChoiceField(label=_("Tier"), choices=_any(Tier.choices), required=False)
    language = forms.ChoiceField(
        label=_("Language"), choices=_any(settings.LANGUAGES), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Open")), *Status.choices],
        required=False,
    )


class BulkForm(forms.Form):
    priority = forms.ChoiceField(
        label=_("Priority"), choices=[("", "—"), *Priority.choices], required=False
    )
    specialist = forms.TypedChoiceField(
        label=_("Specialist"), coerce=int, choices=[], required=False, empty_value=None
    )

    def __init__(self, *args: Any, specialists: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["specialist"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (s.user_id, s.user.get_full_name() or s.user.get_username()) for s in specialists
        ]


class RecordForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), widget=forms.RadioSelect)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    callback_at = forms.DateTimeField(
        label=_("Call back at (customer's time)"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    suggestions = forms.CharField(
        label=_("Suggestions and remarks"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attempts = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self, *args: Any, channels: list[str], zone_name: str, now: datetime, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(ContactChannel.choices)
        self.fields["channel"].choices = [(c, labels[c]) for c in channels]  # type: ignore[attr-defined]
        if channels:
            self.fields["channel"].initial = channels[0]
        self.zone_name = zone_name
        here = reach.local(now, zone_name)
        widget = self.fields["callback_at"].widget
        widget.attrs["min"] = here.strftime("%Y-%m-%dT%H:%M")
        widget.attrs["max"] = (here + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")

    def clean_callback_at(self) -> datetime | None:
        """The time typed is the customer's wall-clock time, in their zone."""
        value = self.cleaned_data.get("callback_at")
        if value is None:
            return None
        naive = value.replace(tzinfo=None) if timezone.is_aware(value) else value
        return naive.replace(tzinfo=reach.zone(self.zone_name))


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The first day comes after the last."))
        return data

    def period(self, today: date, *, months: int = 1) -> tuple[date, date]:
        """The period asked, else the current month and the `months - 1` before it."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        start = today.replace(day=1)
        for _month in range(months - 1):
            start = (start - timedelta(days=1)).replace(day=1)
        return start, today


class ArchiveForm(forms.Form):
    q = forms.CharField(label=_("Customer or words"), required=False, max_length=200)
    reason = forms.ChoiceField(label=_("Occasion"), choices=_any(Occasion.choices), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=_any(Status.choices), required=False)
