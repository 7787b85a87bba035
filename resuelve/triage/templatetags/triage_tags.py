from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils.translation import gettext as _

from resuelve.complaints.lifecycle import Kind
from resuelve.complaints.models import Category, Complaint, Severity

register = template.Library()


def _label(choices: type[Any], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


@register.simple_tag
def suggestion_of(complaint: Complaint) -> dict[str, Any] | None:
    """Triage's suggestion for the case, in words for the page (None if there was none)."""
    suggestion = complaint.suggestion
    if not suggestion:
        return None
    code = suggestion.get("category")
    name = None
    if code:
        if complaint.category_id and complaint.category.code == code:  # type: ignore[union-attr]
            name = complaint.category.name  # type: ignore[union-attr]
        else:
            name = Category.objects.filter(code=code).values_list("name", flat=True).first()
    languages = dict(settings.LANGUAGES)
    confidence = float(suggestion.get("confidence") or 0.0)
    return {
        "category": name or code,
        "kind": _label(Kind, suggestion.get("kind", "")),
        "severity": _label(Severity, suggestion.get("severity", "")),
        "severity_code": suggestion.get("severity", ""),
        "language": str(languages.get(suggestion.get("language", ""), suggestion.get("language"))),
        "percent": round(confidence * 100),
        "source": (
            _("from the model trained on this company's cases")
            if suggestion.get("source") == "model"
            else _("from the keyword rules")
        ),
    }
