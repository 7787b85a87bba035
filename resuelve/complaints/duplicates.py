"""Reads: the open cases that are likely the same complaint as this one (REQUIREMENTS B4), and
where a merged case went.

A likely duplicate is another open case the user may see, from the same customer (the customer
record, or the same e-mail or phone when the case has none) or about the same order. Each way
of matching is its own short index lookup (cmp_customer_idx, cmp_email_idx, cmp_phone_idx, the
purchase foreign key's index), capped, so the panel costs a few index probes whatever the
table's size; the text is compared in Python on the few rows found."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy

from resuelve.complaints.lifecycle import Action, State
from resuelve.complaints.models import Complaint, ComplaintEvent
from resuelve.complaints.selectors import TRUE, complaints_visible_to

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from resuelve.accounts.models import User

SAME_CUSTOMER = "same_customer"
SAME_ORDER = "same_order"
REASON_LABELS: dict[str, _StrPromise] = {
    SAME_CUSTOMER: gettext_lazy("same customer"),
    SAME_ORDER: gettext_lazy("same order"),
}
# Rows read per way of matching: a customer with more open cases than this is not the usual
# duplicate, and the newest ones are the likely ones.
CANDIDATES_PER_MATCH = 50
# Only the start of a long description is compared: duplicates say the same thing early.
COMPARED_CHARS = 2000


@dataclass(frozen=True)
class LikelyDuplicate:
    case: Complaint
    reasons: tuple[str, ...]  # SAME_CUSTOMER, SAME_ORDER
    score: float  # text similarity of subject and description, 0 to 1

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASON_LABELS[reason]) for reason in self.reasons]

    @property
    def percent(self) -> int:
        return round(self.score * 100)


# --- text similarity (pure) -------------------------------------------------------------------


def _normalized(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(
        ch if ch.isalnum() else " " for ch in decomposed if not unicodedata.combining(ch)
    )
    return " ".join(kept.split())


def trigrams(text: str) -> frozenset[str]:
    """The character trigrams of the text, case, accents and punctuation ignored."""
    padded = f"  {_normalized(text)} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' character trigrams: 1 for the same words, 0 for
    nothing in common. Cheap, language-neutral and tolerant of typos and word order."""
    first, second = trigrams(a), trigrams(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def _text(case: Complaint) -> str:
    return f"{case.subject}\n{case.description[:COMPARED_CHARS]}"


# --- the selector -----------------------------------------------------------------------------


def _matches(case: Complaint) -> list[tuple[str, Q]]:
    found: list[tuple[str, Q]] = []
    if case.customer_id is not None:
        found.append((SAME_CUSTOMER, Q(customer_id=case.customer_id)))
    else:
        if case.contact_email:
            found.append((SAME_CUSTOMER, Q(contact_email=case.contact_email)))
        if case.contact_phone:
            found.append((SAME_CUSTOMER, Q(contact_phone=case.contact_phone)))
    if case.purchase_id is not None:
        found.append((SAME_ORDER, Q(purchase_id=case.purchase_id)))
    return found


def likely_duplicates(case: Complaint, *, user: User, limit: int = 5) -> list[LikelyDuplicate]:
    """Other open cases `user` may see that are probably the same complaint as `case`, the
    most similar first. Nothing for a case that is not open itself: only open cases merge."""
    if not case.is_open:
        return []
    visible = (
        complaints_visible_to(user)
        .filter(is_open__in=TRUE)
        .exclude(pk=case.pk)
        .select_related("department", "assignee", "category")
    )
    reasons: dict[int, list[str]] = {}
    rows: dict[int, Complaint] = {}
    for reason, match in _matches(case):
        for row in visible.filter(match).order_by("-received_at")[:CANDIDATES_PER_MATCH]:
            rows[row.pk] = row
            if reason not in reasons.setdefault(row.pk, []):
                reasons[row.pk].append(reason)
    text = _text(case)
    found = [
        LikelyDuplicate(
            case=row,
            reasons=tuple(r for r in (SAME_CUSTOMER, SAME_ORDER) if r in reasons[pk]),
            score=similarity(text, _text(row)),
        )
        for pk, row in rows.items()
    ]
    found.sort(key=lambda d: (d.score, len(d.reasons), d.case.received_at, d.case.pk), reverse=True)
    return found[:limit]


def merged_into(case: Complaint) -> Complaint | None:
    """The case a merged case continues under (following later merges of that one too), from
    the MERGE events; None if the case is not merged."""
    target = None
    seen = {case.pk}
    while case.state == State.MERGED:
        event = (
            ComplaintEvent.objects.filter(complaint=case, action=Action.MERGE)
            .order_by("-seq")
            .only("changes")
            .first()
        )
        code = (event.changes or {}).get("into") if event is not None else None
        found = Complaint.objects.filter(tracking_code=code).first() if code else None
        if found is None or found.pk in seen:
            break
        seen.add(found.pk)
        target = case = found
    return target
