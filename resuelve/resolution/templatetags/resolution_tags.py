"""What the case page shows of the investigation, read once for the include
resolution/_case.html (the case view's context is the complaints app's)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from resuelve.resolution import forms as rforms
from resuelve.resolution import selectors, services
from resuelve.resolution.models import CooperationKind, CooperationStatus

register = template.Library()

# What each key of InvestigationChange.changes is called on the page.
_CHANGE_LABELS = {
    "cause": _("Root cause"),
    "responsible_department": _("Responsible department"),
    "responsible_people": _("Responsible people"),
    "findings": _("Findings"),
    "lesson": _("Lesson learned"),
    "evidence": _("Evidence"),
    "due_at": _("Investigate by"),
}


@register.filter
def change_labels(changes: dict[str, Any]) -> str:
    """The names of what an investigation change touched, in the reader's language."""
    return ", ".join(str(_CHANGE_LABELS.get(key, key)) for key in changes)


@register.simple_tag
def resolution_panel(complaint: Any, user: Any) -> dict[str, Any]:
    investigation = selectors.investigation_for(complaint)
    writer = bool(user.is_active and not user.read_only)
    cooperation = selectors.cooperation_for_case(complaint)
    panel: dict[str, Any] = {
        "investigation": investigation,
        "cooperation": cooperation,
        "pending": [
            r
            for r in cooperation
            if r.kind == CooperationKind.INPUT and r.status == CooperationStatus.PENDING
        ],
        "reads_accountability": selectors.may_read_accountability(user),
        "accountability": selectors.accountability_for_case(user=user, complaint=complaint),
        "reads_improvements": selectors.may_read_improvements(user),
        "improvements": selectors.improvement_actions_for_case(complaint),
        "may_record": writer and complaint.state in services.RECORDABLE_STATES,
        "may_set_due": bool(
            investigation
            and investigation.due_at
            and services.may_set_investigation_due(user, complaint)
        ),
        "may_cooperate": writer and complaint.is_open,
    }
    if panel["may_record"]:
        initial: dict[str, Any] = {}
        if investigation is not None:
            initial = {
                "cause": investigation.cause_id,
                "responsible_department": investigation.responsible_department_id,
                "responsible_people": [p.pk for p in investigation.responsible_people.all()],
                "findings": investigation.findings,
                "lesson": investigation.lesson,
            }
        else:
            initial = {"responsible_department": complaint.department_id}
        panel["investigation_form"] = rforms.InvestigationForm(
            initial=initial, prefix="investigation"
        )
    if panel["may_set_due"]:
        panel["due_form"] = rforms.InvestigationDueForm(prefix="due")
    if panel["may_cooperate"]:
        panel["cooperation_form"] = rforms.CooperationForm(prefix="coop")
    if selectors.may_record_accountability(user):
        panel["accountability_form"] = rforms.AccountabilityForm(prefix="acc")
    if selectors.may_edit_improvements(user):
        panel["link_form"] = rforms.LinkForm(prefix="link")
    return panel
