"""Who may do what in the revisit programme. Pure: reads only the user's own attributes."""

from __future__ import annotations

from typing import Any

from resuelve.accounts.roles import Role

# Who classifies and assigns the daily list, and may record any revisit.
SUPERVISES = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})
# Who reads the coverage and summary reports and the archive.
READS_REPORTS = SUPERVISES | {Role.AUDITOR}


def may_supervise(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in SUPERVISES))


def may_read_reports(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in READS_REPORTS))


def specialist_of(user: Any) -> Any:
    """The user's active Specialist profile, or None."""
    if not user.is_authenticated:
        return None
    try:
        profile = user.revisit_specialist
    except Exception:  # RelatedObjectDoesNotExist: not a specialist
        return None
    return profile if profile.active else None


def may_work(user: Any, revisit: Any) -> bool:
    """A revisit is worked by the specialist it is assigned to, or by a supervisor."""
    if may_supervise(user):
        return True
    return specialist_of(user) is not None and revisit.assigned_to_id == user.pk
