"""The survey panels of the case page and the customer page."""

from __future__ import annotations

from typing import Any

from django import template

from resuelve.followup import conf, selectors, services
from resuelve.followup.forms import TaskDoneForm

register = template.Library()


@register.simple_tag(takes_context=True)
def followup_case(context: template.Context, complaint: Any) -> dict[str, Any]:
    """{% followup_case complaint as f %}: the case's survey and follow-up tasks."""
    request = context.get("request")
    user = getattr(request, "user", None)
    panel = selectors.case_panel(complaint)
    return {
        "panel": panel,
        "may_handle": bool(
            user is not None and user.is_authenticated and services.may_handle_tasks(user)
        ),
        "done_form": TaskDoneForm(),
        "reopenable": selectors.REOPENABLE,
        "path": request.get_full_path() if request is not None else "",
    }


@register.simple_tag(takes_context=True)
def followup_customer(context: template.Context, customer: Any) -> list[Any]:
    """{% followup_customer customer as surveys %}: the customer's surveys, newest first."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return selectors.customer_surveys(customer=customer, user=user)


@register.filter
def score_class(value: int | None, kind: str) -> str:
    """ "low" or "good" for a CSAT ("csat"), ease ("effort") or recommend ("nps") score."""
    if value is None:
        return ""
    if kind == "nps":
        return "low" if value <= conf.low_nps() else ("good" if value >= 9 else "")
    return "low" if value <= conf.low_csat() else ("good" if value >= 4 else "")
