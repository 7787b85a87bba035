"""Which watches a case matches, and who an internal note mentions. Pure: no database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class CaseFacts:
    """What a watch can filter on, as ids read from the case and its related rows: the
    product (the case's, else its order's), the product's supplier, the category, the root
    cause of the investigation, the region (the customer's, else the branch's) and the
    customer's tier."""

    product_id: int | None = None
    supplier_id: int | None = None
    category_id: int | None = None
    cause_id: int | None = None
    region_id: int | None = None
    tier: str = ""


class Filters(Protocol):
    product_id: int | None
    supplier_id: int | None
    category_id: int | None
    cause_id: int | None
    region_id: int | None
    tier: str


_ID_FILTERS = ("product_id", "supplier_id", "category_id", "cause_id", "region_id")


def has_filter(watch: Filters) -> bool:
    return any(getattr(watch, name) is not None for name in _ID_FILTERS) or bool(watch.tier)


def matches(watch: Filters, facts: CaseFacts) -> bool:
    """Every filter the watch sets equals the case's value; a watch with no filter matches
    nothing (it would be every case)."""
    if not has_filter(watch):
        return False
    for name in _ID_FILTERS:
        wanted = getattr(watch, name)
        if wanted is not None and getattr(facts, name) != wanted:
            return False
    return not watch.tier or facts.tier == watch.tier


# "@" then a username (Django's username characters), not preceded by a word character, so
# e-mail addresses (ana@example.com) are not mentions. A trailing dot ends the sentence.
_MENTION = re.compile(r"(?<![\w@.+-])@([\w.@+-]{1,150})")


def mentioned_usernames(body: str) -> list[str]:
    """The usernames an internal note mentions as "@username", in order, each once."""
    seen: dict[str, None] = {}
    for match in _MENTION.finditer(body or ""):
        name = match.group(1).rstrip(".@+-")
        if name:
            seen.setdefault(name, None)
    return list(seen)
