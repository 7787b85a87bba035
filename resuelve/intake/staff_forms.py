"""Forms for the staff intake desk: they parse and validate only; intake.services registers."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resuelve.complaints.forms import MultipleFileField
from resuelve.complaints.lifecycle import Kind
from resuelve.complaints.models import Channel
from resuelve.customers.models import Branch, Customer, Product, Purchase

MAX_FILES = 5

# The channels a member of staff logs for the customer (A1); web, e-mail and API file
# themselves.
STAFF_CHANNELS = [
    Channel.PHONE,
    Channel.IN_PERSON,
    Channel.LETTER,
    Channel.HOTLINE,
    Channel.SOCIAL,
    Channel.SERVICE_CENTER,
    Channel.SUGGESTION_BOX,
]

KIND_HELP = {
    Kind.PETITION: _("The customer asks for information, a document or a service."),
    Kind.COMPLAINT: _("The customer is unhappy with how they were treated or served."),
    Kind.CLAIM: _(
        "A product or service was wrong, late or not delivered, and they want it put right."
    ),
    Kind.SUGGESTION: _("An idea to do better. No answer is owed."),
    Kind.COMPLIMENT: _("Thanks for something or someone."),
}


class LookupForm(forms.Form):
    q = forms.CharField(
        label=_("Find the customer"),
        required=False,
        max_length=200,
        help_text=_("Phone (any format), e-mail, customer number, order number or name."),
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}
        ),
    )


class StaffComplaintForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    customer = forms.ModelChoiceField(
        queryset=Customer.objects.all(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This customer record no longer exists.")},
    )
    # Who to answer: the chosen customer's details, or a new customer's.
    name = forms.CharField(
        label=_("Customer's name"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    contact_hours = forms.CharField(
        label=_("Best time to call"),
        required=False,
        max_length=80,
        help_text=_("e.g. weekdays 9-12"),
    )
    # The complaint.
    channel = forms.ChoiceField(
        label=_("How did it reach us?"),
        choices=[(c.value, c.label) for c in STAFF_CHANNELS],
        initial=Channel.PHONE,
        widget=forms.RadioSelect,
    )
    kind = forms.ChoiceField(
        label=_("What kind of message is it?"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of message this is.")},
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        help_text=_("A few words the whole team will recognise."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Say in a few words what it is about.")},
    )
    description = forms.CharField(
        label=_("What the customer says"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("In their words: what happened, when, where, who was involved."),
        error_messages={"required": _("Write down what the customer says.")},
    )
    remedy_requested = forms.CharField(
        label=_("What they want"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    purchase = forms.ModelChoiceField(
        label=_("Order"),
        queryset=Purchase.objects.none(),
        required=False,
        empty_label=_("— none or another order —"),
    )
    order_ref = forms.CharField(
        label=_("Other order or invoice number"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    product = forms.ModelChoiceField(
        label=_("Product or service"),
        queryset=Product.objects.order_by("name"),
        required=False,
        empty_label=_("— from the order, or none —"),
    )
    branch = forms.ModelChoiceField(
        label=_("Branch or place"),
        queryset=Branch.objects.order_by("name"),
        required=False,
        empty_label=_("— from the order, or none —"),
    )
    employee_name = forms.CharField(
        label=_("Employee concerned"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    amount_claimed = forms.DecimalField(
        label=_("Amount claimed"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
        error_messages={"min_value": _("The amount claimed cannot be negative.")},
    )
    occurred_on = forms.DateField(
        label=_("When it happened"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    language = forms.ChoiceField(label=_("Answer in"), choices=settings.LANGUAGES)
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("A scanned letter, photos, an invoice: up to 5 files of 10 MB each."),
    )
    solve_on_the_spot = forms.BooleanField(
        label=_("I will solve it myself now"),
        required=False,
        help_text=_(
            "For what you can settle on the spot, within your limits: the case is yours and "
            "skips routing. It is still registered and acknowledged."
        ),
    )

    def __init__(self, *args: Any, customer: Customer | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if customer is not None:
            self.fields["purchase"].queryset = (  # type: ignore[attr-defined]
                Purchase.objects.filter(customer=customer)
                .select_related("product")
                .order_by("-purchased_on", "-id")
            )
            self.fields["purchase"].label_from_instance = lambda p: (  # type: ignore[attr-defined]
                f"{p.order_number} · {p.product} · {p.purchased_on:%Y-%m-%d}"
            )

    def clean_occurred_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("occurred_on")
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."))
        return value

    def clean_attachments(self) -> list[Any]:
        files: list[Any] = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Attach at most %(n)d files.") % {"n": MAX_FILES})
        return files

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("customer") is None and not self.has_error("customer"):
            reachable = data.get("phone") or data.get("email")
            if not reachable and data.get("kind") not in (Kind.SUGGESTION, Kind.COMPLIMENT):
                self.add_error("phone", _("Give a phone number or an e-mail so we can answer."))
            if reachable and not (data.get("name") or "").strip():
                self.add_error("name", _("Write the customer's name, or find them above."))
        return data
