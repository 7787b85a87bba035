"""The serious-word lexicon on its own: what it finds, in which language, and what it must
leave alone (everyday words that look like serious ones once folded)."""

from __future__ import annotations

import pytest

from resuelve.earlywarning.serious import LEXICON, serious_hits


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Mi hijo sufrió LESIONES con el producto", "lesion*"),
        ("El cargador hizo una explosión", "explosion*"),
        ("Voy a poner una demanda con mi abogado", "demanda*"),
        ("Ya puse la queja en la SIC", "sic"),
        ("The kettle caught fire in the kitchen", "caught fire"),
        ("My daughter was injured by the blade", "injur*"),
        ("The brakes   failed on the motorway", "brakes failed"),
        ("充电器起火了", "起火"),
        ("孩子吃了以后中毒住院", "中毒"),
        ("我要打12315投诉", "12315"),
        ("Laps sai vigastusi", "vigastu*"),
        ("Auto põles parklas", "poles"),
        ("Toit põhjustas mürgistuse", "murgistu*"),
        ("Pöördun kohtusse", "kohtusse"),
    ],
)
def test_it_finds_a_serious_word(text: str, term: str) -> None:
    assert term in {hit.term for hit in serious_hits(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Two days after the service the brakes squeak on every stop.",
        "I accidentally ordered two and the battery is dead",
        "¿Por qué no me llamas? La demora es excesiva",
        "Teenindus pole hea ja ootasin kaua",  # "pole" (is not), not põlema
        "Ostsin kaks ülikonda",  # nor the English "suits"
        "订单号123156还没有到",  # 12315 inside a longer number
        "Please verify the invoice",
    ],
)
def test_it_leaves_ordinary_text_alone(text: str) -> None:
    assert serious_hits(text) == []


def test_it_checks_every_language_whatever_the_declared_one() -> None:
    hits = serious_hits("Compré el producto", "起火了 and then a fire")
    assert {h.language for h in hits} == {"zh-hans", "en"}


def test_every_supported_language_has_a_lexicon() -> None:
    assert set(LEXICON) == {"es", "en", "zh-hans", "et"}
