"""Automatic distribution of the daily list (I1: balance the number of customers and take
capability into account). Pure: no database access.

Each revisit goes, in the order given (priority, then the latest day), to the specialist who
speaks the customer's language (or declares no languages), serves the customer's tier, follows
up complaints when it is a complaint follow-up, has capacity left today, and is the least
loaded relative to their capacity. A revisit nobody fits stays for the supervisor."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class Candidate:
    user_id: int
    capacity: int
    load: int = 0
    languages: frozenset[str] = field(default_factory=frozenset)
    tiers: frozenset[str] = field(default_factory=frozenset)
    handles_complaints: bool = True

    def fits(self, item: Item) -> bool:
        if self.load >= self.capacity:
            return False
        if self.languages and item.language not in self.languages:
            return False
        if self.tiers and item.tier not in self.tiers:
            return False
        return self.handles_complaints or not item.is_complaint


@dataclass(frozen=True)
class Item:
    revisit_id: int
    language: str
    tier: str
    is_complaint: bool = False


def plan(items: Iterable[Item], candidates: list[Candidate]) -> dict[int, int]:
    """revisit id -> user id for the items someone fits; `candidates` loads are updated."""
    chosen: dict[int, int] = {}
    for item in items:
        fitting = [c for c in candidates if c.fits(item)]
        if not fitting:
            continue
        # A speaker of the language before a specialist who takes any language.
        best = min(
            fitting,
            key=lambda c: (not c.languages, c.load / max(c.capacity, 1), c.load, c.user_id),
        )
        best.load += 1
        chosen[item.revisit_id] = best.user_id
    return chosen
