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


# --- rewards (REQUIREMENTS A4) ----------------------------------------------------------------

# Who pays rewards from a fund: managers and administrators any amount; supervisors within
# their own authority limit (the same limit that bounds the compensation they approve alone).
REWARD_GRANTERS = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})
# Who puts money into a reward fund and reads every fund's balance.
FUND_KEEPERS = frozenset({Role.MANAGER, Role.ADMIN})
FUND_READERS = frozenset({Role.MANAGER, Role.ADMIN, Role.AUDITOR})
# A contribution found not established, or merged into another case, is not rewarded (the
# case it joined is). Plain strings: this module imports nothing from the complaints app.
NOT_REWARDED = frozenset({"not_established", "merged"})
# Who may thank a colleague: any member of staff who writes (not the read-only roles).
RECOGNISERS = frozenset({Role.AGENT, Role.HANDLER, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})
# Who may be thanked: the staff who handle complaints.
RECOGNISABLE = RECOGNISERS


def may_grant_reward(role: str, amount: Decimal | None = None) -> bool:
    """Whether `role` may pay a reward of `amount` (None: of some amount) from a fund."""
    if role not in REWARD_GRANTERS:
        return False
    return amount is None or within_authority(role, amount)
