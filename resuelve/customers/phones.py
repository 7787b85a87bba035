"""Phone numbers as people type them. Pure: no database access."""

from __future__ import annotations

import re

# A national number without country or trunk prefix: +57 300 123 4567, (300) 123-4567 and
# 3001234567 agree on their last ten digits.
SIGNIFICANT_DIGITS = 10
MIN_DIGITS = 7


def digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


def significant_digits(text: str) -> str:
    """The digits that identify a number, for matching; empty when too short to mean one."""
    found = digits(text)
    return found[-SIGNIFICANT_DIGITS:] if len(found) >= MIN_DIGITS else ""
