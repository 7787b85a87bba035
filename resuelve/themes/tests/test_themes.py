"""The pure theme finder on the forty-text fixture: topics recovered, names, determinism."""

from __future__ import annotations

from collections import defaultdict

import pytest

from resuelve.themes import themes
from resuelve.themes.tests.texts import BRAKES, DELIVERY, STAFF, TEXTS, text_of

FOUND = themes.discover([text_of(row) for row in TEXTS], random_state=0)


def _theme_of(topic: str, language: str) -> set[int]:
    return {FOUND.labels[i] for i, row in enumerate(TEXTS) if row[:2] == (topic, language)}


def test_it_keeps_every_topic_of_one_language_in_one_theme() -> None:
    for topic in (BRAKES, DELIVERY, STAFF):
        for language in ("es", "en", "zh-hans", "et"):
            assert len(_theme_of(topic, language)) == 1, (topic, language)


def test_it_never_mixes_topics_in_one_theme() -> None:
    topics: dict[int, set[str]] = defaultdict(set)
    for i, row in enumerate(TEXTS):
        topics[FOUND.labels[i]].add(row[0])
    assert all(len(found) == 1 for found in topics.values()), topics
    assert 3 <= len(FOUND.themes) <= 12


def test_a_category_links_the_languages_of_one_topic() -> None:
    found = themes.discover(
        [text_of(row) for row in TEXTS],
        tags=[[f"category:{row[0]}"] for row in TEXTS],
        languages=[row[1] for row in TEXTS],
        random_state=0,
    )
    assert len(found.themes) == 3
    for theme in found.themes:
        rows = [TEXTS[i] for i in theme.members]
        assert len({row[0] for row in rows}) == 1
        assert {row[1] for row in rows} == {"es", "en", "zh-hans", "et"}
        assert list(theme.by_language) == sorted(
            theme.by_language, key=lambda lang: -sum(1 for row in rows if row[1] == lang)
        )
    (brakes,) = [t for t in found.themes if TEXTS[t.members[0]][0] == BRAKES]
    assert "frenos" in brakes.by_language["es"] and "刹车" in brakes.by_language["zh-hans"]
    assert found.assign is not None
    assert found.assign(["Pidurid kriuksuvad jälle"], [[f"category:{BRAKES}"]]) == [
        found.themes.index(brakes)
    ]


def test_a_tag_every_text_shares_changes_no_grouping() -> None:
    shared = themes.discover(
        [text_of(row) for row in TEXTS], tags=[["category:all"]] * len(TEXTS), random_state=0
    )
    assert shared.labels == FOUND.labels


def test_it_names_a_theme_by_its_words_or_chinese_bigrams() -> None:
    def terms(topic: str, language: str) -> list[str]:
        (label,) = _theme_of(topic, language)
        return FOUND.themes[label].terms

    assert "frenos" in terms(BRAKES, "es")
    assert {"brakes", "squeak"} & set(terms(BRAKES, "en"))
    assert "刹车" in terms(BRAKES, "zh-hans")
    assert "entrega" in terms(DELIVERY, "es")
    assert {"friendly", "staff"} <= set(terms(STAFF, "en"))
    for found in FOUND.themes:
        assert found.terms and all(" " not in term for term in found.terms)


def test_it_finds_the_same_themes_every_time() -> None:
    again = themes.discover([text_of(row) for row in TEXTS], random_state=0)
    assert again.labels == FOUND.labels
    assert [t.terms for t in again.themes] == [t.terms for t in FOUND.themes]


def test_it_puts_a_new_text_in_its_topics_theme() -> None:
    assert FOUND.assign is not None
    (brakes_en,) = _theme_of(BRAKES, "en")
    (delivery_es,) = _theme_of(DELIVERY, "es")
    assert FOUND.assign(["My brakes squeak again", "El pedido llegó tarde otra vez"]) == [
        brakes_en,
        delivery_es,
    ]


def test_it_reads_case_accents_and_chinese_alike() -> None:
    assert themes.prepare("¡FRENÓ los Frenos!") == themes.prepare("freno los frenos")
    assert themes.prepare("刹车异响") == "刹车 车异 异响"
    assert "the" not in themes.prepare("The brakes").split()


def test_a_handful_of_texts_is_one_theme() -> None:
    few = themes.discover(["frenos", "brakes", "entrega"])
    assert few.labels == [0, 0, 0] and len(few.themes) == 1
    assert themes.discover([]).themes == []


def test_growth_compares_the_last_three_months_with_the_nine_before() -> None:
    assert themes.growth([1] * 12) == 1.0
    assert themes.growth([0] * 9 + [3, 3, 3]) == 9.0  # nothing before counts as three
    assert themes.growth([2] * 9 + [0, 1, 1]) is None  # too few recent cases
    assert themes.growth([3] * 9 + [6, 6, 6]) == 2.0
    assert themes.is_rising(2.0) and not themes.is_rising(1.2) and not themes.is_rising(None)


def test_month_keys_run_back_over_the_new_year() -> None:
    from datetime import date

    keys = themes.month_keys(date(2025, 3, 20))
    assert keys[0] == "2024-04" and keys[-1] == "2025-03" and len(keys) == 12


def test_a_rare_shared_tag_links_more_than_a_common_one() -> None:
    from resuelve.themes.themes import _Tagger

    tags = [["category:1", "lot:A"], ["category:1", "lot:A"]] + [["category:1"]] * 8
    rows = _Tagger(tags).transform(tags).toarray()
    same_lot = float(rows[0] @ rows[1])
    same_category = float(rows[0] @ rows[2])
    assert same_lot == pytest.approx(1.0) and same_category < 0.6
