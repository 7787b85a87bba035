"""Public forms: they parse and validate only; intake.services registers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from resuelve.complaints.forms import MultipleFileField
from resuelve.complaints.lifecycle import Kind
from resuelve.customers.models import Branch, Product

MAX_FILES = 5

KIND_HELP = {
    Kind.PETITION: _("You ask for information, a document or a service."),
    Kind.COMPLAINT: _("You are unhappy with how you were treated or served."),
    Kind.CLAIM: _(
        "A product or service was wrong, late or not delivered, and you want it put right."
    ),
    Kind.SUGGESTION: _("An idea to do better. It may be anonymous."),
    Kind.COMPLIMENT: _("Something or someone that deserves thanks."),
}


class HoneypotMixin(forms.Form):
    # Invisible to people (hidden by CSS, out of the tab order, no autofill); bots fill it.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class ComplaintForm(HoneypotMixin):
    kind = forms.ChoiceField(
        label=_("What kind of message is it?"), choices=Kind.choices, widget=forms.RadioSelect
    )
    subject = forms.CharField(
        label=_("In a few words, what is it about?"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    description = forms.CharField(
        label=_("What happened?"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("When, where, who was involved: whatever helps us understand."),
    )
    remedy_requested = forms.CharField(
        label=_("What would you like us to do?"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    product = forms.ModelChoiceField(
        label=_("Product or service (optional)"),
        queryset=Product.objects.order_by("name"),
        required=False,
        empty_label=_("— not sure or none —"),
    )
    order_ref = forms.CharField(
        label=_("Order or invoice number (optional)"), required=False, max_length=60
    )
    branch = forms.ModelChoiceField(
        label=_("Branch or place (optional)"),
        queryset=Branch.objects.order_by("name"),
        required=False,
        empty_label=_("— not sure or none —"),
    )
    occurred_on = forms.DateField(
        label=_("When did it happen? (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    name = forms.CharField(
        label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send the acknowledgement and our answer here."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    language = forms.ChoiceField(label=_("Answer me in"), choices=settings.LANGUAGES)
    contact_hours = forms.CharField(
        label=_("When may we call you? (optional)"),
        required=False,
        max_length=80,
        help_text=_("e.g. weekdays 9-12"),
    )
    attachments = MultipleFileField(
        label=_("Photos or documents (optional)"),
        required=False,
        help_text=_("Up to 5 files of 10 MB each: PDF, images, text, office documents or audio."),
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that my data is used to handle this case."
        ),
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def clean_attachments(self) -> list[Any]:
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Send at most 5 files."))
        return files

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("email") or data.get("phone")):
            self.add_error("email", _("Give an e-mail address or a phone number so we can answer."))
        return data


class SuggestionForm(HoneypotMixin):
    kind = forms.ChoiceField(
        label=_("Is it a suggestion or a compliment?"),
        choices=[
            (Kind.SUGGESTION, Kind.SUGGESTION.label),
            (Kind.COMPLIMENT, Kind.COMPLIMENT.label),
        ],
        widget=forms.RadioSelect,
        initial=Kind.SUGGESTION,
    )
    text = forms.CharField(
        label=_("Your idea or your thanks"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    token = forms.CharField(widget=forms.HiddenInput)


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking number"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "placeholder": "RS-XXXXX-XXXXX"}
        ),
    )
    email = forms.EmailField(
        label=_("The e-mail address you gave us"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachments = MultipleFileField(
        label=_("Add files (optional)"),
        required=False,
        help_text=_("Up to 5 files of 10 MB each: PDF, images, text, office documents or audio."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if len(data.get("attachments") or []) > MAX_FILES:
            self.add_error("attachments", _("Send at most 5 files."))
        if not (data.get("body") or "").strip() and not data.get("attachments"):
            self.add_error("body", _("Write a message or add a file."))
        return data


class AcceptForm(forms.Form):
    name = forms.CharField(
        label=_("Your full name, as your signature"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    confirm = forms.BooleanField(label=_("I accept the proposed solution."))


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the solution not right for you?"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
