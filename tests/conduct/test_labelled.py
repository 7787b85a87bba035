"""The conduct check on the labelled replies (issue 8: precision >= 0.9 and recall >= 0.8 per
language, micro-averaged over the sentence-level kinds)."""

from __future__ import annotations

import pytest

from resuelve.conduct.check import KINDS, SENTENCE_KINDS
from resuelve.conduct.shipped import shipped_rules
from tests.conduct.labelled import LANGUAGES, load, score


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_has_two_hundred_labelled_replies_of_every_kind(language: str) -> None:
    rows = load(language)
    assert len(rows) >= 200
    assert len({row["text"] for row in rows}) >= 195  # replies, not one reply repeated
    seen = {kind for row in rows for kind in row["kinds"]}
    assert set(SENTENCE_KINDS) <= seen
    assert all(set(row["kinds"]) <= set(KINDS) for row in rows)
    assert sum(1 for row in rows if not set(row["kinds"]) & set(SENTENCE_KINDS)) >= 60


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_flags_the_labelled_set_with_precision_and_recall(language: str) -> None:
    result = score(language, shipped_rules())
    assert result.micro.tp > 100
    assert result.micro.precision >= 0.9, result.misses[:5]
    assert result.micro.recall >= 0.8, result.misses[:5]
    for kind, counts in result.per_kind.items():
        assert counts.tp > 0, kind
