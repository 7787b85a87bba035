"""The conduct check of the demo company: the shipped rules. Idempotent."""

from __future__ import annotations

from datetime import datetime

from resuelve.conduct.services import seed_conduct_rules


def ensure_demo_conduct(now: datetime) -> int:
    """Install the shipped rules (es, en, zh-hans, et); returns how many were new."""
    del now  # the rules do not depend on the demo's clock
    return seed_conduct_rules()
