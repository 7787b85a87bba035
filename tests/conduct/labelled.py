"""The labelled replies of the conduct check (one JSON line per reply: text, the kinds it
should raise, the approved amounts of its case) and their scoring: micro precision and recall
over the sentence-level kinds, a reply counting once per kind."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from resuelve.conduct.check import NOTE_KINDS, SENTENCE_KINDS, Rule, check_text

HERE = Path(__file__).parent
LANGUAGES = ("es", "en", "zh-hans", "et")


def load(language: str) -> list[dict[str, Any]]:
    path = HERE / f"labelled_{language.replace('-', '_')}.jsonl"
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def context(language: str) -> dict[str, Any]:
    with (HERE / "context.json").open(encoding="utf-8") as f:
        return dict(json.load(f)[language])


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Score:
    language: str
    micro: Counts = field(default_factory=Counts)
    per_kind: dict[str, Counts] = field(default_factory=dict)
    notes: dict[str, Counts] = field(default_factory=dict)
    millis: list[float] = field(default_factory=list)  # wall clock
    cpu_millis: list[float] = field(default_factory=list)  # this process's CPU time
    misses: list[tuple[str, str, list[str], list[str]]] = field(default_factory=list)


def score(language: str, rules: Sequence[Rule]) -> Score:
    ctx = context(language)
    result = Score(language)
    for kind in SENTENCE_KINDS:
        result.per_kind[kind] = Counts()
    for kind in NOTE_KINDS:
        result.notes[kind] = Counts()
    for row in load(language):
        approved = None if row["approved"] is None else [Decimal(a) for a in row["approved"]]
        began, began_cpu = time.perf_counter(), time.process_time()
        flags = check_text(
            text=row["text"],
            language=language,
            rules=rules,
            approved=approved,
            currency=ctx["currency"],
            staff_names=ctx["staff_names"],
            department_names=ctx["department_names"],
            strict=True,
        )
        result.millis.append((time.perf_counter() - began) * 1000)
        result.cpu_millis.append((time.process_time() - began_cpu) * 1000)
        raised = {f.kind for f in flags}
        expected = set(row["kinds"])
        for kind in (*SENTENCE_KINDS, *NOTE_KINDS):
            counts = result.per_kind.get(kind) or result.notes[kind]
            hit, wanted = kind in raised, kind in expected
            counts.tp += hit and wanted
            counts.fp += hit and not wanted
            counts.fn += wanted and not hit
            if kind in SENTENCE_KINDS:
                result.micro.tp += hit and wanted
                result.micro.fp += hit and not wanted
                result.micro.fn += wanted and not hit
        sentence_raised = sorted(raised & set(SENTENCE_KINDS))
        sentence_expected = sorted(expected & set(SENTENCE_KINDS))
        if sentence_raised != sentence_expected:
            result.misses.append((row["id"], row["text"], sentence_expected, sentence_raised))
    return result
