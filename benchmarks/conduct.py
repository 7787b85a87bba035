#!/usr/bin/env python
"""The conduct check on the labelled replies of tests/conduct/: precision and recall per
language and per kind (micro over the sentence-level kinds, as the issue asks), the notes
about a missing apology or acknowledgement apart, and milliseconds per message.

    .venv/bin/python benchmarks/conduct.py

Pure: no database; the shipped rules of resuelve/conduct/shipped.py. Each message is checked
five times after a warm-up pass (rules compiled once); p50/p95/max are over all checks, in
wall-clock time and in this process's CPU time (the target is judged on CPU time, since on a
shared machine the wall clock also counts other processes' turns).
Targets (docs/benchmarks.md): precision >= 0.9 and recall >= 0.8 per language; < 30 ms per
message.
"""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "resuelve.settings.test")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402

from resuelve.conduct.shipped import shipped_rules  # noqa: E402
from tests.conduct.labelled import LANGUAGES, load, score  # noqa: E402

ROUNDS = 5


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    rules = shipped_rules()
    translation.activate("en")
    failed = False
    print(f"{'language':<9} {'replies':>7} {'P':>6} {'R':>6}   per kind (P/R, tp fp fn)")
    timings: list[float] = []
    cpu: list[float] = []
    for language in LANGUAGES:
        score(language, rules)  # warm-up: compile the rules
        results = [score(language, rules) for _ in range(ROUNDS)]
        result = results[0]
        for r in results:
            timings.extend(r.millis)
            cpu.extend(r.cpu_millis)
        kinds = "  ".join(
            f"{kind} {c.precision:.2f}/{c.recall:.2f} ({c.tp} {c.fp} {c.fn})"
            for kind, c in result.per_kind.items()
        )
        print(
            f"{language:<9} {len(load(language)):>7} {result.micro.precision:>6.3f} "
            f"{result.micro.recall:>6.3f}   {kinds}"
        )
        notes = "  ".join(
            f"{kind} {c.precision:.2f}/{c.recall:.2f} ({c.tp} {c.fp} {c.fn})"
            for kind, c in result.notes.items()
        )
        print(f"{'':<9} {'':>7} {'':>6} {'':>6}   notes: {notes}")
        for label, attr in (("wall", "millis"), ("cpu", "cpu_millis")):
            millis = [m for r in results for m in getattr(r, attr)]
            print(
                f"{'':<9} {'':>7} {'':>6} {'':>6}   ms/message ({label}) p50 "
                f"{statistics.median(millis):.2f}  p95 {_percentile(millis, 0.95):.2f}  "
                f"max {max(millis):.2f}"
            )
        failed |= result.micro.precision < 0.9 or result.micro.recall < 0.8
    for label, values in (("wall", timings), ("cpu", cpu)):
        print(
            f"all ({label}) ms/message p50 {statistics.median(values):.2f}  "
            f"p95 {_percentile(values, 0.95):.2f}  max {max(values):.2f}  "
            f"({len(values)} checks)"
        )
    # CPU time decides: wall time on a shared machine counts other processes' turns too.
    failed |= max(cpu) >= 30
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
