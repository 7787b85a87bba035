"""The playbook and reply-template panel of the case page, read without another view."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.utils.translation import gettext as _

from resuelve.complaints import services as complaint_services
from resuelve.complaints.lifecycle import Action, NotAllowed
from resuelve.guidance import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def guidance_case(context: template.Context, complaint: Any) -> dict[str, Any]:
    """{% guidance_case complaint as g %}: the case's playbook, its checklist with the ticks,
    whether it is routine, and the reply templates that fit the case and the steps the page
    offers now, rendered in the customer's language."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    may_write = True
    try:
        complaint_services._check_may_write(user, complaint)
    except NotAllowed:
        may_write = False
    offered = [action for action, _label, _form in context.get("step_forms") or []]
    actions = [*offered, Action.REPLY] if may_write else []
    panel = selectors.case_panel(complaint=complaint, user=user, actions=actions)
    return {
        "panel": panel,
        "may_write": may_write,
    }


@register.filter
def span(value: timedelta | None) -> str:
    """A duration as days and hours ("3 d 4 h"), or "—"."""
    if value is None:
        return "—"
    hours = int(value.total_seconds() // 3600)
    days, hours = divmod(hours, 24)
    if days:
        return _("%(d)s d %(h)s h") % {"d": days, "h": hours}
    minutes = int(value.total_seconds() // 60) % 60
    return _("%(h)s h %(m)s min") % {"h": hours, "m": minutes}


@register.filter
def groups(row: Any) -> list[tuple[str, str, Any]]:
    """The three groups of a playbook report row, in the order the table shows them."""
    return [
        ("followed", _("With the playbook"), row.followed),
        ("not_routine", _("Marked not routine"), row.not_routine),
        ("without", _("Same category, without it"), row.without),
    ]
