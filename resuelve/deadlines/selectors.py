"""Which deadline policy a new complaint falls under. Read on every filing, so the active
policies are kept per process for a few seconds instead of queried each time."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import ngettext

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


def answer_term(kind: str = "complaint") -> str:
    """How long the company takes to answer, as customers are told it ("15 business days"),
    in the active language: the policy's term, or the flat days of the settings."""
    policy = policy_for(kind)
    if policy is None:
        days = settings.RESUELVE_ANSWER_DAYS
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    n = policy.answer_amount
    texts = {
        "hours": ngettext("%(n)d hour", "%(n)d hours", n),
        "calendar_days": ngettext("%(n)d day", "%(n)d days", n),
        "business_days": ngettext("%(n)d business day", "%(n)d business days", n),
        "calendar_months": ngettext("%(n)d month", "%(n)d months", n),
    }
    return texts[policy.answer_unit] % {"n": n}
