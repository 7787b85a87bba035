#!/usr/bin/env python
"""The classifier: training time, held-out accuracy and macro-F1, suggestion latency.

    .venv/bin/python benchmarks/classifier.py
    .venv/bin/python benchmarks/classifier.py --train 100000 --test 20000 --latency 2000

Builds real-looking complaints of the demo company in Spanish, English, Chinese and Estonian
(resuelve/triage/synthetic.py: the demo's texts and more phrases per category, greetings,
context shared by every category, typos, 6% filed under a neighbouring category as real
assessors do, so about 94% is the ceiling), trains the model on --train of them on one core
(no database: the pure classifier), measures it on --test others, and times `suggest`
(language detection, rules for kind and severity, the model) one complaint at a time.
Record the figures in docs/benchmarks.md under "Classification".
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "resuelve.settings.test")
# One core, as the target says: BLAS and OpenMP threads off.
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import django  # noqa: E402

django.setup()

from resuelve.triage import classifier, learning, synthetic  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", type=int, default=100_000)
    parser.add_argument("--test", type=int, default=20_000)
    parser.add_argument("--latency", type=int, default=2000, help="suggestions timed")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    started = time.perf_counter()
    total = args.train + args.test
    samples = list(synthetic.samples(total, seed=args.seed))
    examples = [
        learning.Example(
            classifier.text_of(s.subject, s.description), s.category, s.kind, s.severity
        )
        for s in samples
    ]
    print(f"data: {total:,} complaints built in {time.perf_counter() - started:.1f} s")
    languages = {
        code: sum(s.language == code for s in samples) for code in synthetic.LANGUAGE_CODES
    }
    print("  languages: " + ", ".join(f"{code} {n:,}" for code, n in languages.items()))

    result = learning.train(examples, test_size=args.test / total, seed=args.seed)
    print(
        f"training: {result.n_train:,} complaints in {result.seconds:.1f} s "
        f"(vocabulary {len(result.model.vocabulary):,} n-grams, "
        f"model {len(result.model.dumps()) / 1e6:.1f} MB stored)"
    )
    for report in result.reports:
        print(
            f"  {report.name:<9} held out {result.n_test:,}: accuracy {report.accuracy:.3f}, "
            f"macro-F1 {report.macro_f1:.3f}"
        )

    # Is the confidence a probability? Accuracy per confidence band on held-out complaints.
    held_out = list(synthetic.samples(5000, seed=args.seed + 1000))
    bands: dict[str, list[bool]] = {}
    confidences = []
    for sample in held_out:
        label, confidence = result.model.predict(
            classifier.text_of(sample.subject, sample.description)
        )["category"]
        confidences.append(confidence)
        band = "<0.5" if confidence < 0.5 else "0.5-0.8" if confidence < 0.8 else ">=0.8"
        bands.setdefault(band, []).append(label == sample.category)
    print(
        f"  mean confidence {statistics.fmean(confidences):.3f}; "
        "by confidence band (share of cases, accuracy): "
        + "; ".join(
            f"{band}: {len(hits) / len(held_out):.0%}, {sum(hits) / len(hits):.1%}"
            for band, hits in sorted(bands.items())
        )
    )

    knowledge = classifier.Knowledge.build(model=result.model)
    timed = list(synthetic.samples(args.latency, seed=args.seed + 2000))
    classifier.suggest(knowledge, subject="warm-up", description="calentamiento")
    for label, runs in (("first pass (cold word cache)", 1), ("steady state", 1)):
        timings = []
        for _ in range(runs):
            for sample in timed:
                t0 = time.perf_counter()
                classifier.suggest(
                    knowledge,
                    subject=sample.subject,
                    description=sample.description,
                    kind=sample.kind,
                    language=sample.language,
                )
                timings.append(time.perf_counter() - t0)
        print(
            f"suggest_for, {label}: p50 {percentile(timings, 0.5) * 1000:.3f} ms, "
            f"p95 {percentile(timings, 0.95) * 1000:.3f} ms, "
            f"mean {statistics.fmean(timings) * 1000:.3f} ms over {len(timings):,}"
        )
    rules_only = classifier.Knowledge.build()
    timings = []
    for sample in timed:
        t0 = time.perf_counter()
        classifier.suggest(rules_only, subject=sample.subject, description=sample.description)
        timings.append(time.perf_counter() - t0)
    print(
        f"suggest_for, rules only: p50 {percentile(timings, 0.5) * 1000:.3f} ms, "
        f"p95 {percentile(timings, 0.95) * 1000:.3f} ms"
    )
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )


if __name__ == "__main__":
    main()
