"""The audit trail's hash chain. Pure: no database access.

Every event of a complaint carries the SHA-256 of its own content chained to the previous
event's hash, so changing, removing or reordering any event breaks the chain. The complaint
keeps the head of its chain and the number of events, so a removed last event is caught too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
# An event's stored columns, in the order the bulk loader writes them and verification reads them.
EVENT_COLUMNS = (
    "complaint_id",
    "seq",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "from_state",
    "to_state",
    "changes",
    "reason",
    "prev_hash",
    "hash",
)


def canonical_json(value: Mapping[str, Any]) -> str:
    """The one serialisation of an event's changes that its hash covers."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_digest(
    *,
    prev_hash: str,
    tracking_code: str,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    from_state: str,
    to_state: str,
    changes: Mapping[str, Any] | str,
    reason: str,
) -> str:
    """SHA-256 over the previous hash and the event. `changes` may be given already in its
    canonical JSON form (bulk loading computes it once for the column and the hash)."""
    changes_json = changes if isinstance(changes, str) else canonical_json(changes)
    if at.tzinfo is not None:
        # Hash the instant, not how it was written: the database hands times back in UTC.
        at = at.astimezone(UTC)
    payload = json.dumps(
        [
            tracking_code,
            seq,
            at.isoformat(timespec="microseconds"),
            actor_id,
            actor_label,
            action,
            from_state,
            to_state,
            reason,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256((prev_hash + payload + changes_json).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    tracking_code: str
    seq: int | None
    problem: str


def verify_chain(
    *, tracking_code: str, head: str, count: int, events: Iterable[Mapping[str, Any]]
) -> list[ChainProblem]:
    """Check one complaint's events (ordered by seq) against its stored head and count."""
    problems: list[ChainProblem] = []
    prev = GENESIS
    expected_seq = 1
    for event in events:
        seq = event["seq"]
        if seq != expected_seq:
            problems.append(ChainProblem(tracking_code, seq, f"expected event {expected_seq}"))
            expected_seq = seq
        if event["prev_hash"] != prev:
            problems.append(ChainProblem(tracking_code, seq, "does not follow the previous event"))
        digest = event_digest(
            prev_hash=event["prev_hash"],
            tracking_code=tracking_code,
            seq=seq,
            at=event["at"],
            actor_id=event["actor_id"],
            actor_label=event["actor_label"],
            action=event["action"],
            from_state=event["from_state"],
            to_state=event["to_state"],
            changes=event["changes"],
            reason=event["reason"],
        )
        if digest != event["hash"]:
            problems.append(ChainProblem(tracking_code, seq, "content does not match its hash"))
        prev = event["hash"]
        expected_seq += 1
    if expected_seq - 1 != count:
        problems.append(
            ChainProblem(tracking_code, None, f"{expected_seq - 1} events found, {count} recorded")
        )
    if prev != head:
        problems.append(ChainProblem(tracking_code, None, "last event is not the recorded head"))
    return problems
