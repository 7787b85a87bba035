#!/usr/bin/env python
"""Time the theme finder (resuelve.themes.themes.discover) on synthetic texts.

    .venv/bin/python benchmarks/themes.py                 # 20,000 and 50,000 texts
    .venv/bin/python benchmarks/themes.py --texts 5000

The texts are the test fixture's forty (three topics in Spanish, English, Chinese and
Estonian), each drawn with some of its words dropped and a few words of another text added,
and tagged with its topic's category and one of three products, as cases are. Prints the
time to group them (with and without tags), how many themes were chosen, and how pure they
are: the share of texts whose theme's most common topic is their own.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from resuelve.themes import themes  # noqa: E402
from resuelve.themes.tests.texts import TEXTS, text_of  # noqa: E402


def corpus(n: int, seed: int = 1) -> tuple[list[str], list[list[str]], list[str], list[str]]:
    rng = np.random.default_rng(seed)
    texts, tags, topics, languages = [], [], [], []
    for _ in range(n):
        row = TEXTS[int(rng.integers(len(TEXTS)))]
        words = text_of(row).split()
        keep = [w for w in words if rng.random() > 0.25] or words[:1]
        other = text_of(TEXTS[int(rng.integers(len(TEXTS)))]).split()
        keep += list(rng.choice(other, size=min(2, len(other)), replace=False))
        texts.append(" ".join(keep))
        tags.append([f"category:{row[0]}", f"product:{int(rng.integers(3))}"])
        topics.append(row[0])
        languages.append(row[1])
    return texts, tags, topics, languages


def purity(found: themes.Themes, topics: list[str]) -> float:
    by_theme: dict[int, Counter[str]] = {}
    for label, topic in zip(found.labels, topics, strict=True):
        by_theme.setdefault(label, Counter())[topic] += 1
    return sum(c.most_common(1)[0][1] for c in by_theme.values()) / len(topics)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--texts", type=int, action="append")
    args = parser.parse_args()
    for n in args.texts or [20_000, 50_000]:
        texts, tags, topics, languages = corpus(n)
        for tagged in (False, True):
            t0 = time.perf_counter()
            found = themes.discover(
                texts, tags=tags if tagged else None, languages=languages, random_state=0
            )
            took = time.perf_counter() - t0
            multilingual = sum(1 for t in found.themes if len(t.by_language) > 1)
            print(
                f"{n:7,} texts, {'with' if tagged else 'without':7} tags: {took:6.1f} s, "
                f"{len(found.themes):2} themes ({multilingual} in several languages), "
                f"purity {purity(found, topics):.0%}",
                flush=True,
            )


if __name__ == "__main__":
    main()
