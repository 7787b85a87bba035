"""The watchers panel of the case page."""

from __future__ import annotations

from typing import Any

from django import template

from resuelve.watchers import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def watchers_case(context: template.Context, complaint: Any) -> selectors.CasePanel | None:
    """{% watchers_case complaint as w %}: who watches the case and the mentions on it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return selectors.case_panel(complaint, user=user)
