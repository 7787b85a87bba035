"""The deadline panel of the case page: extensions and escalations."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.utils import timezone

from resuelve.deadlines.forms import ExtensionForm
from resuelve.deadlines.models import AlertKind, DeadlineAlert
from resuelve.deadlines.progress import duration_text
from resuelve.deadlines.services import extension_allowance

register = template.Library()


@register.simple_tag
def case_deadline(complaint: Any, user: Any) -> dict[str, Any]:
    allowance = extension_allowance(complaint)
    now = timezone.now()
    may_extend = bool(
        allowance
        and allowance.remaining
        and not user.read_only
        and complaint.is_open
        and complaint.due_at
        and now < complaint.due_at
    )
    alerts = DeadlineAlert.objects.filter(complaint=complaint).order_by("at")
    return {
        "allowance": allowance,
        "may_extend": may_extend,
        "form": ExtensionForm(
            prefix="extend",
            remaining=allowance.remaining if allowance else None,
            unit=allowance.unit_label if allowance else "",
        )
        if may_extend
        else None,
        "escalations": [a for a in alerts if a.kind == AlertKind.ESCALATION],
        "warnings": [a for a in alerts if a.kind == AlertKind.WARNING],
    }


@register.filter
def duration(value: timedelta | None) -> str:
    return duration_text(value) if value is not None else "—"
