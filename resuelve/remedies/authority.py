"""Who must approve a plan (REQUIREMENTS D2, D3, C6). Pure: no database access.

Within the proposer's own authority limit the proposer approves alone, at once (D2: no chain
of approvals). Above it the plan goes up one level at a time, to the first of supervisor and
manager whose limit covers the value (D3). Contract disputes are senior management's: they
always go to a manager, whoever proposes and whatever they are worth."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from resuelve.accounts.roles import RANK, Role, within_authority

DEFAULT_SENIOR_CATEGORIES = ("contrato",)
# The levels a plan climbs when it is above its proposer's limit.
ESCALATION = (Role.SUPERVISOR, Role.MANAGER)


def approver_needed(
    value: Decimal,
    *,
    category_code: str | None,
    kind: str,
    proposer_role: str = Role.AGENT,
    senior_categories: Iterable[str] = DEFAULT_SENIOR_CATEGORIES,
) -> str:
    """The least role that may approve a plan worth `value`. `kind` is part of the rule's
    input so that a kind-specific level can be added here; today no kind changes it."""
    del kind
    if category_code and category_code in set(senior_categories):
        return Role.MANAGER
    if proposer_role != Role.AUDITOR and within_authority(proposer_role, value):
        return proposer_role
    for role in ESCALATION:
        if RANK[role] > RANK.get(proposer_role, 0) and within_authority(role, value):
            return role
    return Role.MANAGER


def may_approve(role: str, *, needed: str, value: Decimal) -> bool:
    """Whether `role` may approve a plan worth `value` that needs `needed`: at least that
    level and the value within the role's own limit."""
    if role == Role.AUDITOR or role not in RANK:
        return False
    return RANK[role] >= RANK[needed] and within_authority(role, value)
