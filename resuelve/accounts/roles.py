"""Roles, what each may see and decide. Pure: no database access.

A role's scope decides which complaints a user sees; its authority limit is the compensation
a user of that role may approve alone on one case (REQUIREMENTS C4, D2)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "agent", _("Front-line agent")
    HANDLER = "handler", _("Department handler")
    SUPERVISOR = "supervisor", _("Supervisor")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")
    AUDITOR = "auditor", _("Auditor (read-only)")
    HR = "hr", _("Human resources")


# Who sees every department's complaints, not only their own. Human resources reads the
# cases that accountability records refer to (REQUIREMENTS G1), in any department.
ALL_DEPARTMENTS = frozenset({Role.MANAGER, Role.ADMIN, Role.AUDITOR, Role.HR})
# Who sees confidential complaints (besides the assignee): supervisors and above.
SEES_CONFIDENTIAL = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})
# Who sees complaints not yet routed to a department (the intake desk).
SEES_UNROUTED = frozenset({Role.AGENT, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN, Role.AUDITOR})
READ_ONLY = frozenset({Role.AUDITOR, Role.HR})

# Compensation a role may approve alone on one case, in the company currency. None: no limit.
AUTHORITY_LIMITS: dict[str, Decimal | None] = {
    Role.AGENT: Decimal("200000"),
    Role.HANDLER: Decimal("500000"),
    Role.SUPERVISOR: Decimal("2000000"),
    Role.MANAGER: None,
    Role.ADMIN: None,
    Role.AUDITOR: Decimal("0"),
    Role.HR: Decimal("0"),
}

RANK = {
    Role.AUDITOR: 0,
    Role.HR: 0,
    Role.AGENT: 1,
    Role.HANDLER: 2,
    Role.SUPERVISOR: 3,
    Role.MANAGER: 4,
    Role.ADMIN: 5,
}


def within_authority(role: str, amount: Decimal) -> bool:
    limit = AUTHORITY_LIMITS.get(role, Decimal("0"))
    return limit is None or amount <= limit
