"""The value rule (REQUIREMENTS E5, H4). Pure: no database access.

After a complaint, what the customer receives (V2) must be at least what they first bought
(V1) plus what complaining cost them (C). Falling short is a warning for the people who
propose and approve, never a refusal: a plan may be right for reasons the rule cannot see."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0")


@dataclass(frozen=True)
class ValueCheck:
    ok: bool
    shortfall: Decimal  # how much V2 falls short of V1 + C; zero when ok


def value_check(v1: Decimal | None, c: Decimal | None, v2: Decimal | None) -> ValueCheck:
    """Whether V2 >= V1 + C; unknown values count as zero."""
    needed = (v1 or ZERO) + (c or ZERO)
    shortfall = needed - (v2 or ZERO)
    if shortfall > ZERO:
        return ValueCheck(ok=False, shortfall=shortfall)
    return ValueCheck(ok=True, shortfall=ZERO)
