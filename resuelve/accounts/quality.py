"""The quality department: quality management receives the early warnings, runs the remedy
campaigns and keeps the improvement actions (ISO 10002 8.4, ISO 9001 10.2). Which department
that is comes from the setting RESUELVE_QUALITY_DEPARTMENT (a department code; "calidad" by
default, as in the demo company)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULT = "calidad"


def quality_department() -> str:
    """The code of the quality department."""
    return str(getattr(settings, "RESUELVE_QUALITY_DEPARTMENT", DEFAULT))


def in_quality(user: Any) -> bool:
    """The user is an active member of the (active) quality department."""
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(user.departments.filter(code=quality_department(), active=True).exists())
