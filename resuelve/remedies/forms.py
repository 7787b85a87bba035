"""The plans panel's forms. They only parse: the services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from resuelve.remedies.models import RemedyType

ITEM_ROWS = 4  # rows offered without JavaScript; a script adds more


class MarksErrors:
    """Ties each field's errors to its input (aria-invalid, aria-describedby), including the
    errors a service adds after validation."""

    def mark_errors(self) -> None:
        for name in getattr(self, "_errors", None) or {}:
            if name in self.fields:  # type: ignore[attr-defined]
                attrs = self.fields[name].widget.attrs  # type: ignore[attr-defined]
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}_error"  # type: ignore[index]


class ProposalForm(MarksErrors, forms.Form):
    purchase_value = forms.DecimalField(
        label=_("What the customer first bought (V1)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("From the order when there is one."),
    )
    customer_cost = forms.DecimalField(
        label=_("What complaining cost the customer (C)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        initial=Decimal("0"),
        help_text=_("Trips, calls, time off, repairs elsewhere..."),
    )
    customer_cost_estimated = forms.BooleanField(label=_("C is an estimate"), required=False)
    note = forms.CharField(
        label=_("Note for the approver"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ItemForm(MarksErrors, forms.Form):
    type = forms.ChoiceField(
        label=_("What the customer receives"),
        choices=[("", "—"), *RemedyType.choices],
        required=False,
    )
    description = forms.CharField(label=_("Description"), max_length=2000, required=False)
    amount = forms.DecimalField(
        label=_("Amount"), min_value=0, max_digits=14, decimal_places=2, required=False
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("type") or data.get("description") or data.get("amount"))


ItemFormSet = forms.formset_factory(ItemForm, extra=ITEM_ROWS, max_num=20, absolute_max=20)


class DecideForm(MarksErrors, forms.Form):
    chosen = forms.TypedMultipleChoiceField(
        label=_("Plans approved"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when no plan is approved: it says why they go back."),
    )

    def __init__(self, *args: object, numbers: list[int], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["chosen"].choices = [(n, f"#{n}") for n in numbers]  # type: ignore[attr-defined]


class OfferForm(forms.Form):
    message = forms.CharField(
        label=_("Introduction for the customer (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AcceptPlanForm(MarksErrors, forms.Form):
    """Staff record the customer's choice among the plans on offer (they called, wrote...)."""

    plan = forms.TypedChoiceField(
        label=_("Which option did the customer choose?"), coerce=int, widget=forms.RadioSelect
    )
    name = forms.CharField(label=_("Name of the person who accepts"), max_length=200)

    def __init__(self, *args: object, numbers: list[int], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["plan"].choices = [  # type: ignore[attr-defined]
            (n, _("Plan #%(n)s") % {"n": n}) for n in numbers
        ]


class FulfilForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Delivery note"), required=False, max_length=2000)


class LedgerFilterForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


# --- rewards and recognition (A4) -------------------------------------------------------------


class RewardForm(MarksErrors, forms.Form):
    fund = forms.TypedChoiceField(label=_("Paid from"), coerce=int)
    amount = forms.DecimalField(
        label=_("Reward amount"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )
    reason = forms.CharField(
        label=_("What made this contribution valuable"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: object, funds: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["fund"].choices = funds  # type: ignore[attr-defined]


class RecognitionForm(MarksErrors, forms.Form):
    user = forms.TypedChoiceField(label=_("Colleague"), coerce=int)
    reason = forms.CharField(
        label=_("What they did well"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: object, people: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["user"].choices = people  # type: ignore[attr-defined]


class DepositForm(MarksErrors, forms.Form):
    fund = forms.TypedChoiceField(label=_("Fund"), coerce=int)
    amount = forms.DecimalField(
        label=_("Amount deposited"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: object, funds: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["fund"].choices = funds  # type: ignore[attr-defined]


class FundForm(MarksErrors, forms.Form):
    name = forms.CharField(label=_("Fund name"), max_length=120)
    currency = forms.CharField(
        label=_("Currency"),
        min_length=3,
        max_length=3,
        initial="COP",
        help_text=_("Three letters, e.g. COP."),
    )
