"""The pure conduct check: each kind, negation and softening, amounts, sentences."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from resuelve.conduct.check import (
    AMOUNT,
    KIND_WHY,
    Rule,
    check_text,
    compile_pattern,
    parse_amounts,
    split_sentences,
)
from resuelve.conduct.shipped import shipped_rules

RULES = shipped_rules()


def kinds(text: str, language: str = "es", **kwargs: object) -> set[str]:
    return {f.kind for f in check_text(text=text, language=language, rules=RULES, **kwargs)}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        ("Eso no es posible.", "es", "refusal"),
        ("No sé qué pasó con su pedido.", "es", "refusal"),
        ("Usted está equivocado con la garantía.", "es", "argument"),
        ("Como ya le dijimos, eso no lo cubre la garantía.", "es", "argument"),
        ("Usted miente sobre el kilometraje.", "es", "doubt"),
        ("El supuesto daño no aparece en las fotos.", "es", "doubt"),
        ("We cannot replace the tyre.", "en", "refusal"),
        ("As we already told you, wear is not covered.", "en", "argument"),
        ("We don't believe the dent was there.", "en", "doubt"),
        ("这不可能。", "zh-hans", "refusal"),
        ("您在撒谎。", "zh-hans", "doubt"),
        ("关于保修您搞错了。", "zh-hans", "argument"),
        ("See ei ole võimalik.", "et", "refusal"),
        ("Te valetate läbisõidu kohta.", "et", "doubt"),
        ("Te eksite garantii osas.", "et", "argument"),
    ],
)
def test_it_flags_each_kind_in_each_language(text: str, language: str, kind: str) -> None:
    assert kind in kinds(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("No dude en llamarnos si el ruido vuelve.", "es"),
        ("No se preocupe por la grúa: la asumimos nosotros.", "es"),
        ("Lamentablemente no podemos cambiar el motor, pero le ofrecemos repararlo.", "es"),
        ("No dudamos de lo que nos cuenta.", "es"),
        ('Usted escribe que el vendedor le dijo "eso no es posible".', "es"),
        ("We can't wait to see you at the open day.", "en"),
        ("Please don't hesitate to call us.", "en"),
        ("We cannot deliver today; instead we bring it on Friday.", "en"),
        ("如果异响再次出现，请随时联系我们。", "zh-hans"),
        ("我们不怀疑您的描述。", "zh-hans"),
        ("Kahjuks ei saa me mootorit vahetada, kuid pakume remonti.", "et"),
        ("Me ei kahtle teie kirjelduses.", "et"),
    ],
)
def test_it_leaves_softened_and_negated_sentences_alone(text: str, language: str) -> None:
    assert kinds(text, language) == set()


def test_it_flags_blame_only_when_a_colleague_or_department_is_named() -> None:
    assert "blame" in kinds("Carlos se equivocó al pedir el repuesto.", staff_names=["Carlos"])
    assert "blame" in kinds("Por culpa de Logística llegó tarde.", department_names=["Logística"])
    assert "blame" in kinds("Mi compañero se equivocó con la fecha.")
    assert "blame" not in kinds("Nos equivocamos con la fecha.", staff_names=["Carlos"])
    assert "blame" not in kinds("Carlos le llamará mañana.", staff_names=["Carlos"])
    assert "blame" in kinds("Tom made a mistake with the order.", "en", staff_names=["Tom"])
    assert "blame" in kinds("Toomase süü see oli.", "et", staff_names=["Toomas"])
    assert "blame" in kinds("这是小王的错。", "zh-hans", staff_names=["小王"])


def test_it_flags_an_amount_above_every_approved_one() -> None:
    text = "Le devolveremos $ 450.000 por la reparación."
    assert "promise" in kinds(text, approved=[Decimal("300000")])
    assert "promise" not in kinds(text, approved=[Decimal("450000"), Decimal("10")])
    # A price quoted is not an offer.
    assert "promise" not in kinds("Su factura fue por $ 900.000.", approved=[Decimal("10")])
    assert "promise" in kinds("We will refund you $450.", "en", approved=[Decimal("300")])
    assert "promise" in kinds("我们退给您450元。", "zh-hans", approved=[Decimal("300")])
    assert "promise" in kinds("Maksame teile tagasi 450 eurot.", "et", approved=[Decimal("300")])


def test_it_flags_promise_cues_only_without_an_approved_solution() -> None:
    text = "Le garantizamos que nunca más volverá a pasar."
    assert "promise" in kinds(text)
    assert "promise" in kinds(text, approved=[])
    assert "promise" not in kinds(text, approved=[Decimal("100")])
    assert "promise" not in kinds("Le garantizamos que revisaremos su caso.")


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("$ 150.000", "150000"),
        ("150 000 COP", "150000"),
        ("150.000,50 pesos", "150000.50"),
        ("€80", "80"),
        ("80 eurot", "80"),
        ("150元", "150"),
        ("1,5 millones de pesos", "1500000"),
        ("$1,250.75", "1250.75"),
        ("3万元", "30000"),
        ("USD 200", "200"),
        ("150 mil pesos", "150000"),
    ],
)
def test_it_parses_amounts(text: str, amount: str) -> None:
    assert parse_amounts(text) == [Decimal(amount)]


def test_it_does_not_take_plain_numbers_for_money() -> None:
    assert parse_amounts("Su pedido 12345 llega el 15.03 con 40.000 km") == []


def test_it_splits_sentences_per_language() -> None:
    es = split_sentences("Hola, Sr. Pérez. Le devolvemos $ 150.000,50. ¿Le sirve?", "es")
    assert [s.text for s in es] == ["Hola, Sr. Pérez.", "Le devolvemos $ 150.000,50.", "¿Le sirve?"]
    zh = split_sentences("您好！这不可能。我们会跟进？好", "zh-hans")
    assert [s.text for s in zh] == ["您好！", "这不可能。", "我们会跟进？", "好"]
    text = "Tere!\nMe ei saa.  Aitäh."
    for sentence in split_sentences(text, "et"):
        assert text[sentence.start : sentence.end] == sentence.text


def test_it_notes_a_missing_apology_and_acknowledgement_when_strict() -> None:
    bare = "Su carro queda listo el jueves."
    assert kinds(bare) == set()
    assert kinds(bare, strict=True) == {"no_apology", "no_acknowledgement"}
    good = "Gracias por contarnos lo del ruido. Lamentamos la molestia. Queda listo el jueves."
    assert kinds(good, strict=True) == set()
    assert kinds("对不起，感谢您的耐心。", "zh-hans", strict=True) == set()


def test_it_gives_why_in_the_active_language_and_the_suggestion_in_the_message_language() -> None:
    rule = Rule(language="es", kind="refusal", pattern=r"\bno podemos\b", suggestion="Podemos…")
    with translation.override("en"):
        flag = check_text(text="No podemos.", language="es", rules=[rule])[0]
        assert flag.why == str(KIND_WHY["refusal"])
        assert flag.why.startswith("A flat no")
    assert flag.suggestion == "Podemos…"
    custom = Rule(language="es", kind="refusal", pattern=r"\bno podemos\b", why="Propio")
    assert check_text(text="No podemos.", language="es", rules=[custom])[0].why == "Propio"


def test_it_uses_only_the_message_language_rules_and_accent_free_matching() -> None:
    rule = Rule(language="es", kind="doubt", pattern=r"\bmentira\b")
    assert check_text(text="¡Eso es MENTÍRA!", language="es", rules=[rule])
    assert not check_text(text="¡Eso es mentira!", language="en", rules=[rule])
    amount_only = Rule(language="es", kind="promise", pattern=AMOUNT)
    found = check_text(
        text="Le damos $ 500.", language="es", rules=[amount_only], approved=[Decimal("100")]
    )
    assert [f.kind for f in found] == ["promise"]


def test_it_compiles_every_shipped_rule_and_is_fast() -> None:
    import time

    for rule in RULES:
        if rule.pattern != AMOUNT:
            compile_pattern(rule.pattern, rule.language)
        if rule.unless:
            compile_pattern(rule.unless, rule.language)
    text = " ".join(["Gracias por escribirnos. Eso no es posible, usted miente."] * 20)
    check_text(text=text, language="es", rules=RULES, strict=True)
    began = time.perf_counter()
    for _ in range(20):
        check_text(text=text, language="es", rules=RULES, strict=True, staff_names=["Carlos"])
    assert (time.perf_counter() - began) / 20 < 0.03
