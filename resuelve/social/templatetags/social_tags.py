"""The social panel of the case page."""

from __future__ import annotations

from typing import Any

from django import template

from resuelve.social import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def social_case(context: template.Context, complaint: Any) -> selectors.CasePanel | None:
    """{% social_case complaint as s %}: the public post, its replies and what `user` may do."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return selectors.case_panel(user, complaint)
