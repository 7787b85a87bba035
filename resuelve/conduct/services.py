"""Writes of the conduct check: installing the shipped rules and counting overrides."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from resuelve.accounts.models import User
from resuelve.complaints.models import Complaint
from resuelve.conduct.check import Flag
from resuelve.conduct.models import ConductOverride, ConductRule
from resuelve.conduct.shipped import SHIPPED

EXCERPT_LENGTH = 500


def seed_conduct_rules() -> int:
    """Install the shipped rules of es, en, zh-hans and et; idempotent. A shipped rule is known
    by its language, kind and position: one the administrator edited or switched off is left
    as it is. Returns the number of rules created."""
    created = 0
    with transaction.atomic():
        for language, rows in SHIPPED.items():
            for position, (kind, pattern, unless, suggestion) in enumerate(rows):
                _rule, made = ConductRule.objects.get_or_create(
                    language=language,
                    kind=kind,
                    order=position,
                    shipped=True,
                    defaults={"pattern": pattern, "unless": unless, "suggestion": suggestion},
                )
                created += made
    return created


def conduct_override_record(
    *, complaint: Complaint, user: User, action: str, flags: Sequence[Flag], text: str
) -> ConductOverride:
    """Count a message sent although the check flagged it (the agent decides, J2)."""
    kinds = sorted({f.kind for f in flags})
    return ConductOverride.objects.create(
        complaint=complaint,
        user=user,
        action=action,
        kinds=kinds,
        excerpt=text[:EXCERPT_LENGTH],
        at=timezone.now(),
    )
