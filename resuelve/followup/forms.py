"""The customer's survey form and the staff forms (task done, results filter)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resuelve.followup.models import COMMENT_MAX, Compared
from resuelve.followup.services import Answer

CSAT_CHOICES = [
    (1, _("Very dissatisfied")),
    (2, _("Dissatisfied")),
    (3, _("Neither satisfied nor dissatisfied")),
    (4, _("Satisfied")),
    (5, _("Very satisfied")),
]
EFFORT_CHOICES = [
    (1, _("Very difficult")),
    (2, _("Difficult")),
    (3, _("Neither easy nor difficult")),
    (4, _("Easy")),
    (5, _("Very easy")),
]
NPS_CHOICES = [(n, str(n)) for n in range(11)]
SOLVED_CHOICES = [("yes", _("Yes, it is solved")), ("no", _("No, it is not solved"))]


class SurveyForm(forms.Form):
    csat = forms.TypedChoiceField(
        label=_("Overall, how satisfied are you with how we handled your case?"),
        choices=CSAT_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how satisfied you are.")},
    )
    solved = forms.ChoiceField(
        label=_("Is your problem solved?"),
        choices=SOLVED_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Tell us whether your problem is solved.")},
    )
    effort = forms.TypedChoiceField(
        label=_("How easy was it to get your issue handled?"),
        choices=EFFORT_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    nps = forms.TypedChoiceField(
        label=_("How likely are you to recommend us to a friend or colleague?"),
        help_text=_("0 means not at all likely, 10 extremely likely."),
        choices=NPS_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    compared = forms.ChoiceField(
        label=_("Compared with other companies you buy from, how did we handle it?"),
        choices=Compared.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything you would like to tell us? (optional)"),
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX}),
    )

    def answer(self) -> Answer:
        data = self.cleaned_data
        return Answer(
            csat=data["csat"],
            solved=data["solved"] == "yes",
            effort=data.get("effort"),
            nps=data.get("nps"),
            compared=data.get("compared") or "",
            comment=data.get("comment") or "",
        )


class TaskDoneForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reopen = forms.BooleanField(label=_("Reopen the case"), required=False)


class ResultsFilterForm(forms.Form):
    sent_from = forms.DateField(
        label=_("Sent from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sent_to = forms.DateField(
        label=_("Sent until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def period(self) -> tuple[date, date]:
        """The chosen period; the last 90 days by default (to today, in the company's zone)."""
        today = timezone.localdate()
        start, end = today - timedelta(days=89), today
        if self.is_bound and self.is_valid():
            data: dict[str, Any] = self.cleaned_data
            start = data.get("sent_from") or start
            end = data.get("sent_to") or end
        if start > end:
            start, end = end, start
        return start, end
