"""Forms for the workspace: they parse and validate input only; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from resuelve.accounts.models import Department, User
from resuelve.accounts.roles import Role
from resuelve.complaints.lifecycle import Action, Kind, State
from resuelve.complaints.models import Category, Severity


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class QueueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("Tracking code, e-mail, name or words")}),
    )
    state = forms.ChoiceField(label=_("State"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"),
        required=False,
        queryset=Department.objects.none(),
        empty_label=_("All departments"),
    )
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    by_deadline = forms.BooleanField(label=_("Least time left first"), required=False)
    confidential = forms.ChoiceField(
        label=_("Confidential"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Confidential only")), ("no", _("Not confidential"))],
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [
            ("", _("Any state")),
            ("open", _("Open (answer clock running)")),
            *State.choices,
        ]
        self.fields["kind"].choices = [("", _("Any kind")), *Kind.choices]
        departments = Department.objects.filter(active=True)
        if not user.sees_all_departments:
            departments = departments.filter(pk__in=user.department_ids())
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        people = User.objects.filter(is_active=True).exclude(role=Role.AUDITOR)
        if not user.sees_all_departments:
            people = people.filter(departments__in=user.department_ids()).distinct()
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("Nobody yet")),
            *[(str(p.pk), str(p)) for p in people.order_by("first_name", "username")[:200]],
        ]


class AcknowledgeForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the customer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Leave empty to send the standard acknowledgement in the customer's language."),
    )


class AssessForm(forms.Form):
    established = forms.TypedChoiceField(
        label=_("Verdict"),
        choices=[
            ("yes", _("Established: the complaint has grounds")),
            ("no", _("Not established: explain tactfully why")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(active=True), required=False
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, required=False)
    confidential = forms.BooleanField(
        label=_("Confidential (a superior is involved)"), required=False
    )
    reason = forms.CharField(
        label=_("Reason for the verdict"), widget=forms.Textarea(attrs={"rows": 2})
    )
    answer = forms.CharField(
        label=_("Answer to the customer (needed when not established)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PersonChoiceField(forms.ModelChoiceField):
    """People with their departments, so the right member is easy to pick."""

    def label_from_instance(self, obj: User) -> str:  # type: ignore[override]
        departments = ", ".join(d.name for d in obj.departments.all())
        return f"{obj} · {departments}" if departments else f"{obj} · {obj.get_role_display()}"


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.filter(active=True)
    )
    assignee = PersonChoiceField(
        label=_("Responsible person"),
        queryset=User.objects.filter(is_active=True)
        .exclude(role=Role.AUDITOR)
        .prefetch_related("departments")
        .order_by("first_name", "last_name"),
        required=False,
    )
    reason = forms.CharField(label=_("Note"), required=False)


class NoteOnlyForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProposeForm(forms.Form):
    solution = forms.CharField(label=_("Solution"), widget=forms.Textarea(attrs={"rows": 3}))
    value = forms.DecimalField(
        label=_("Value"), min_value=Decimal("0"), max_digits=14, decimal_places=2, initial=0
    )


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommunicateForm(forms.Form):
    message = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The approved solution follows it; leave empty for the standard text."),
    )


class AcceptForm(forms.Form):
    name = forms.CharField(label=_("Name of the person who accepts"), max_length=200)


class ReferExternalForm(forms.Form):
    body = forms.CharField(label=_("External body"), max_length=200)
    reason = forms.CharField(label=_("Reason"), required=False)


class ResolveForm(forms.Form):
    summary = forms.CharField(
        label=_("How it was resolved"), widget=forms.Textarea(attrs={"rows": 2})
    )
    answer = forms.CharField(
        label=_("Answer to the customer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed for requests, suggestions and compliments answered directly."),
    )


class FollowUpForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("Customer satisfaction"),
        coerce=int,
        choices=[
            (5, _("5 · very satisfied")),
            (4, _("4 · satisfied")),
            (3, _("3 · neutral")),
            (2, _("2 · dissatisfied")),
            (1, _("1 · very dissatisfied")),
        ],
    )
    note = forms.CharField(
        label=_("What the customer said"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class WaitForm(forms.Form):
    question = forms.CharField(
        label=_("What do you need from the customer?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(label=_("Attachments"), required=False)


STEP_FORMS: dict[str, type[forms.Form]] = {
    Action.ACKNOWLEDGE: AcknowledgeForm,
    Action.ASSESS: AssessForm,
    Action.ASSIGN: AssignForm,
    Action.START_INVESTIGATION: NoteOnlyForm,
    Action.PROPOSE: ProposeForm,
    Action.APPROVE: CommentForm,
    Action.REJECT: ReasonForm,
    Action.COMMUNICATE: CommunicateForm,
    Action.ACCEPT: AcceptForm,
    Action.DISPUTE: ReasonForm,
    Action.REFER_EXTERNAL: ReferExternalForm,
    Action.RESOLVE: ResolveForm,
    Action.FOLLOW_UP: FollowUpForm,
    Action.CLOSE: OptionalReasonForm,
    Action.REOPEN: ReasonForm,
    Action.WAIT: WaitForm,
    Action.RESUME: NoteOnlyForm,
    Action.NOTE: MessageForm,
    Action.REPLY: MessageForm,
}
