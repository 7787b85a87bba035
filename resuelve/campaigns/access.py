"""Who may see, run and approve remedy campaigns.

Supervisors, managers and administrators run campaigns, and so does anyone in the quality
department (whose defects they usually are; RESUELVE_QUALITY_DEPARTMENT, see
accounts/quality.py); auditors read them. Approving one is a
supervisor's or a manager's decision (or an administrator's), never the creator's own."""

from __future__ import annotations

from typing import Any

from resuelve.accounts.quality import in_quality
from resuelve.accounts.roles import READ_ONLY, Role

RUNS = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})
READS = RUNS | {Role.AUDITOR}
APPROVES = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})


def may_see(user: Any) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or user.role in READS:
        return True
    return user.role not in READ_ONLY and in_quality(user)


def may_run(user: Any) -> bool:
    """Create, start and finish campaigns, and record the customers' answers."""
    return may_see(user) and (user.is_superuser or user.role not in READ_ONLY)


def may_approve(user: Any) -> bool:
    return may_see(user) and (user.is_superuser or user.role in APPROVES)
