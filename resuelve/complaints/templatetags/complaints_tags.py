from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from resuelve.complaints.lifecycle import OPEN_STATES, State

register = template.Library()
# Event details that are not fields of the case: the deadline extension's, the escalation's,
# the merge's.
_EVENT_LABELS = {
    "amount": lambda: _("extended by"),
    "unit": lambda: _("unit"),
    "previous_due_at": lambda: _("answer by, before"),
    "level": lambda: _("level"),
    "to": lambda: _("told"),
    "duplicate": lambda: _("duplicate merged in"),
    "into": lambda: _("merged into"),
    "notice": lambda: _("notice"),
    "investigation": lambda: _("investigation"),
    "cooperation": lambda: _("request to another department"),
    "cause": lambda: _("cause"),
    "responsible_department": lambda: _("responsible department"),
    "responsible_people": lambda: _("responsible people"),
    "findings": lambda: _("findings"),
    "evidence": lambda: _("evidence"),
    "lesson": lambda: _("lesson"),
    "request": lambda: _("request"),
    "kind": lambda: _("kind"),
    "department": lambda: _("department"),
    "answer": lambda: _("answer"),
    "investigation_due_at": lambda: _("investigate by"),
    "proposals": lambda: _("plans"),
    "approver_needed": lambda: _("to be approved by"),
    "value_rule": lambda: _("value rule"),
    "chosen": lambda: _("chosen"),
}


def _details(value: dict[str, Any]) -> str:
    parts = []
    for key, item in value.items():
        if item in (None, "", []):
            continue
        label = _EVENT_LABELS[key]() if key in _EVENT_LABELS else key.replace("_", " ")
        text = ", ".join(map(str, item)) if isinstance(item, list) else str(item)
        parts.append(f"{label}: {text}")
    return "; ".join(parts)


def _local(value: str) -> str:
    return timezone.localtime(datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")


def _unit_label(value: str) -> str:
    from resuelve.deadlines.models import TermUnit

    return str(dict(TermUnit.choices).get(value, value))


_MERGE_LABELS = {
    "messages_copied": lambda: _("messages copied"),
    "attachments_copied": lambda: _("files copied"),
}
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$")


@register.filter
def state_label(value: str) -> str:
    try:
        return str(State(value).label)
    except ValueError:
        return value


@register.filter
def is_overdue(complaint: Any, now: datetime) -> bool:
    return bool(complaint.state in OPEN_STATES and complaint.due_at and complaint.due_at < now)


@register.filter
def change_items(changes: dict[str, Any]) -> list[tuple[str, Any]]:
    """What an event changed, with the field's translated name and a choice's label."""
    from django.core.exceptions import FieldDoesNotExist

    from resuelve.complaints.models import Complaint

    items = []
    for key, value in changes.items():
        if key in ("message", "trace"):  # the routing trace has its own panel
            continue
        if key in ("messages_copied", "attachments_copied") and isinstance(value, list):
            # A merge's [original, copy] pairs: the audit trail keeps them, people read a count.
            items.append((_MERGE_LABELS[key](), len(value)))
            continue
        if isinstance(value, dict):  # an investigation's or a request's details
            label = _EVENT_LABELS[key]() if key in _EVENT_LABELS else key.replace("_", " ")
            items.append((label, _details(value)))
            continue
        try:
            model_field = Complaint._meta.get_field(key)
        except FieldDoesNotExist:
            label = _EVENT_LABELS[key]() if key in _EVENT_LABELS else key.replace("_", " ")
            if key == "unit" and isinstance(value, str):
                value = _unit_label(value)
            elif isinstance(value, str) and _ISO_DATETIME.match(value):
                value = _local(value)
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                value = ", ".join(value)
            items.append((label, value))
            continue
        label = str(getattr(model_field, "verbose_name", key))
        choices = dict(getattr(model_field, "flatchoices", []) or [])
        if isinstance(value, bool):
            value = _("yes") if value else _("no")
        elif isinstance(value, str) and value in choices:
            value = choices[value]
        elif isinstance(value, str) and _ISO_DATETIME.match(value):
            value = _local(value)
        items.append((label, value))
    return items
