"""The report page's forms: which month's PDF to download, and a new subscription."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from resuelve.accounts.models import User
from resuelve.analytics.forms import months_back, parse_month
from resuelve.reports.models import Frequency, ReportKind
from resuelve.reports.selectors import departments_for


def _language_initial(user: User) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    for code in (user.language, get_language(), settings.LANGUAGE_CODE):
        if code in codes:
            return code
    return settings.LANGUAGE_CODE


class _ScopedForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=None, required=False, empty_label=_("All I may see")
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments_for(user)  # type: ignore[attr-defined]
        self.fields["language"].initial = _language_initial(user)


class ReportForm(_ScopedForm):
    month = forms.CharField(
        label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}),
        help_text=_("As YYYY-MM; the month just ended by default."),
    )  # fmt: skip
    field_order = ["month", "department", "language"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["month"].initial = f"{months_back(timezone.localdate(), 1):%Y-%m}"

    def clean_month(self) -> date:
        month = parse_month(self.cleaned_data["month"])
        if month is None:
            raise forms.ValidationError(_("Give a month as YYYY-MM."))
        if month > timezone.localdate().replace(day=1):
            raise forms.ValidationError(_("That month has not started yet."))
        return month


class SubscriptionForm(_ScopedForm):
    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind.choices)
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Frequency.choices, initial=Frequency.MONTHLY,
        help_text=_("The management report (PDF) is monthly."),
    )  # fmt: skip
    field_order = ["kind", "frequency", "department", "language"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["kind"].widget.attrs["aria-describedby"] = "id_frequency_help"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == ReportKind.MONTHLY_PDF and data.get("frequency") not in (
            None,
            Frequency.MONTHLY,
        ):
            self.add_error("frequency", _("The management report is monthly."))
        return data
