"""Routing rule matching and automatic assignment, as pure functions: no database, so every
rule and every tie can be tested exhaustively. selectors.py feeds them from the tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from resuelve.core.text import fold

__all__ = ["fold"]  # re-exported for the rules' users

# The fields a rule can set, in the order they are reported.
ACTIONS = ("department", "assignee", "severity", "confidential", "deadline_policy")


@dataclass(frozen=True)
class Facts:
    """What routing knows about a new case."""

    kind: str
    channel: str
    language: str
    text: str  # subject and description, folded
    category: str | None = None  # a category code
    product_id: int | None = None
    supplier_id: int | None = None
    tier: str = ""


@dataclass(frozen=True)
class RuleSpec:
    id: int
    name: str
    stop: bool = True
    kinds: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()
    product_ids: frozenset[int] = frozenset()
    supplier_ids: frozenset[int] = frozenset()
    tiers: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    phrases: tuple[str, ...] = ()  # folded
    actions: tuple[tuple[str, Any], ...] = ()  # (field, value) for the fields the rule sets

    def failed_condition(self, facts: Facts) -> str | None:
        """The first condition that does not hold, or None when the rule matches."""
        checks: list[tuple[str, bool]] = [
            ("kind", not self.kinds or facts.kind in self.kinds),
            ("category", not self.categories or facts.category in self.categories),
            ("channel", not self.channels or facts.channel in self.channels),
            ("product", not self.product_ids or facts.product_id in self.product_ids),
            ("supplier", not self.supplier_ids or facts.supplier_id in self.supplier_ids),
            ("tier", not self.tiers or facts.tier in self.tiers),
            ("language", not self.languages or facts.language in self.languages),
            ("text", not self.phrases or any(p in facts.text for p in self.phrases)),
        ]
        for name, holds in checks:
            if not holds:
                return name
        return None


@dataclass
class Decision:
    """What the rules decided, field by field, and the trace of how: one entry per rule
    looked at, `{"rule", "matched", "failed"?, "set"?}`."""

    values: dict[str, Any] = field(default_factory=dict)
    set_by: dict[str, str] = field(default_factory=dict)
    trace: list[dict[str, Any]] = field(default_factory=list)


def phrases(text: str) -> tuple[str, ...]:
    return tuple(p for p in (fold(line.strip()) for line in text.splitlines()) if p)


def evaluate(rules: Sequence[RuleSpec], facts: Facts) -> Decision:
    """Apply the rules in order: each matching rule sets the fields no earlier matching rule
    set; a matching rule with `stop` ends the evaluation."""
    decision = Decision()
    for rule in rules:
        failed = rule.failed_condition(facts)
        if failed is not None:
            decision.trace.append({"rule": rule.name, "matched": False, "failed": failed})
            continue
        newly = []
        for name, value in rule.actions:
            if name not in decision.values:
                decision.values[name] = value
                decision.set_by[name] = rule.name
                newly.append(name)
        decision.trace.append({"rule": rule.name, "matched": True, "set": newly})
        if rule.stop:
            break
    return decision


@dataclass(frozen=True)
class Candidate:
    """A member of the department as automatic assignment sees them."""

    user_id: int
    name: str
    load: int  # open cases assigned now
    capacity: int
    last_case: int = 0  # id of their newest open case (ids grow with time); 0: none
    languages: frozenset[str] = frozenset()  # empty: every language
    skills: frozenset[str] = frozenset()  # category codes; empty: every category
    absent: bool = False


def skip_reason(candidate: Candidate, *, language: str, category: str | None) -> str | None:
    if candidate.absent:
        return "absent"
    if candidate.load >= candidate.capacity:
        return "at_capacity"
    if candidate.languages and language not in candidate.languages:
        return "language"
    if candidate.skills and category is not None and category not in candidate.skills:
        return "skills"
    return None


def choose_assignee(
    candidates: Iterable[Candidate], *, language: str, category: str | None
) -> tuple[Candidate | None, list[dict[str, Any]]]:
    """The least-loaded available person with the skills and the language; among equally
    loaded ones, the one whose last case is oldest (round-robin), then by id. Returns the
    chosen one (or None) and a trace of everyone considered."""
    trace: list[dict[str, Any]] = []
    able: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: c.user_id):
        reason = skip_reason(candidate, language=language, category=category)
        if reason is None:
            able.append(candidate)
        trace.append(
            {
                "user_id": candidate.user_id,
                "user": candidate.name,
                "load": candidate.load,
                "capacity": candidate.capacity,
                "skipped": reason,
            }
        )
    if not able:
        return None, trace
    chosen = min(able, key=lambda c: (c.load, c.last_case, c.user_id))
    for entry in trace:
        entry["chosen"] = entry["user_id"] == chosen.user_id
    return chosen, trace
