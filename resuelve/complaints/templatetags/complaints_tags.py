from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template

from resuelve.complaints.lifecycle import OPEN_STATES, State

register = template.Library()


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
    return [(key, value) for key, value in changes.items() if key not in {"message"}]
