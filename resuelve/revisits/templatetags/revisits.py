"""{% customer_revisits customer as revisits %}: a customer's revisits, newest first."""

from __future__ import annotations

from typing import Any

from django import template

from resuelve.revisits import selectors

register = template.Library()


@register.simple_tag
def customer_revisits(customer: Any, limit: int = 20) -> list[Any]:
    if customer is None or getattr(customer, "pk", None) is None:
        return []
    return selectors.customer_revisits(customer, limit=limit)
