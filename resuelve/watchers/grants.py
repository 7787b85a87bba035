"""The read access a mention gives, as the complaints scoping reads it. Only models are
imported here: resuelve.complaints.selectors imports this module."""

from __future__ import annotations

from resuelve.watchers.models import CaseGrant

# Case ids read first as a short list (like the cooperation ids): inside a queue branch a
# subquery could make the planner walk the whole queue index.
MAX_GRANTS = 1000


def granted_complaint_ids(user_id: int) -> list[int]:
    """The cases the user was given read access to, newest first (index casegrant_once)."""
    return list(
        CaseGrant.objects.filter(user_id=user_id)
        .order_by("-complaint_id")
        .values_list("complaint_id", flat=True)[:MAX_GRANTS]
    )


def has_grant(user_id: int, complaint_id: int) -> bool:
    return CaseGrant.objects.filter(user_id=user_id, complaint_id=complaint_id).exists()
