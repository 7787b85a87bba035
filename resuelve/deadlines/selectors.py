"""Which deadline policy a new complaint falls under. Read on every filing, so the active
policies are kept per process for a few seconds instead of queried each time."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from django.conf import settings

from resuelve.deadlines.models import DeadlinePolicy

_TTL_SECONDS = 5.0
_cache: tuple[float, dict[str, DeadlinePolicy]] = (0.0, {})


def _active() -> dict[str, DeadlinePolicy]:
    global _cache
    fetched_at, policies = _cache
    now = time.monotonic()
    if now - fetched_at > _TTL_SECONDS:
        policies = {p.code: p for p in DeadlinePolicy.objects.filter(active=True)}
        _cache = (now, policies)
    return policies


def forget_policies() -> None:
    """Drop the per-process cache (after a policy is added or changed)."""
    global _cache
    _cache = (0.0, {})


def policy_for(kind: str) -> DeadlinePolicy | None:
    """The company's policy (RESUELVE_DEADLINE_POLICY) when it covers this kind of
    complaint; None: the flat terms RESUELVE_ACK_HOURS and RESUELVE_ANSWER_DAYS apply."""
    code = settings.RESUELVE_DEADLINE_POLICY
    if not code:
        return None
    policy = _active().get(code)
    if policy is None or (policy.kinds and kind not in policy.kinds):
        return None
    return policy


def due_dates(received_at: datetime, policy: DeadlinePolicy | None) -> tuple[datetime, datetime]:
    """(acknowledge by, answer by) for a complaint received at `received_at`."""
    if policy is None:
        return (
            received_at + timedelta(hours=settings.RESUELVE_ACK_HOURS),
            received_at + timedelta(days=settings.RESUELVE_ANSWER_DAYS),
        )
    return policy.ack_due(received_at), policy.answer_due(received_at)
