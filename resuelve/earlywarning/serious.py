"""Rare but serious words: injury, fire, poisoning, a lawyer or the regulator. One complaint
that says one is an alert at once, whatever the detector's statistics say. Pure: no I/O.

Words are matched on folded text (resuelve.core.text.fold: lower case, no accents), so a
term is written here folded too ("explosion", "polema" for põlema). Alphabetic languages
match whole words; a term ending in "*" is a stem that matches any ending (Estonian and
Spanish inflect: "vigastu*" finds vigastus, vigastused, vigastusi). Phrases match with any
whitespace between their words. Chinese has no spaces between words: its terms match as
substrings, numbers (the 12315 consumer hotline) only when not inside a longer number.

Every lexicon is checked on every complaint, not only the one of its declared language: a
customer writing in Spanish may well mention "12315" or an English product warning. For the
same reason a few words are left out on purpose, because folded they are everyday words of
another supported language: Estonian "pole" (is not) is põle- folded, so only the forms of
põlema that cannot be read otherwise are listed; Estonian "suits" (smoke) is English "suits",
so its inflected forms (suitsu, suitsev) are matched instead; Estonian "leek" (flame) is the
English vegetable, "veri*" would find "verify", Spanish "llamas" is also "you call";
"dead" and "died" (a battery that died), "accidentally" and "fire" as a stem ("fired") are not listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from resuelve.core.text import fold

LEXICON: dict[str, tuple[str, ...]] = {
    "en": (
        # harm to people
        "injur*", "hurt", "wounded", "bleeding", "blood", "burn", "burns", "burned", "burnt",
        "burning", "scald*", "electric shock", "electrocut*", "choked", "choking",
        "allergic reaction", "anaphyla*", "poison*", "food poisoning", "hospital*",
        "emergency room", "ambulance", "death", "killed", "accident", "accidents",
        # fire and smoke
        "fire", "caught fire", "on fire", "flames", "smoke", "smoking", "explod*", "explosion*",
        "brakes failed", "brake failure", "no brakes",
        # the law and the regulator
        "lawsuit*", "sue", "suing", "lawyer*", "attorney*", "legal action", "take you to court",
        "regulator", "ombudsman", "trading standards", "consumer protection",
    ),
    "es": (
        "lesion*", "lesionad*", "herid*", "lastim*", "sangr*", "quem*",
        "descarga electrica", "electrocut*", "asfixi*", "atragant*", "reaccion alergica",
        "anafila*", "intoxica*", "envenena*", "hospital*", "urgencias", "ambulancia", "muerte",
        "muerto", "murio", "fallec*", "accidente*",
        "incendi*", "fuego", "en llamas", "llamarada*", "humo", "exploto", "explosion*",
        "fallaron los frenos", "frenos fallaron", "sin frenos", "se quedo sin frenos",
        "demanda*", "abogad*", "sic", "superintendencia*", "denuncia*", "proteccion al consumidor",
    ),
    "zh-hans": (
        "受伤", "伤害", "烫伤", "烧伤", "割伤", "流血", "触电", "窒息", "过敏", "中毒",
        "住院", "医院", "急诊", "救护车", "死亡", "去世", "身亡", "事故",
        "起火", "着火", "失火", "火灾", "冒烟", "爆炸", "刹车失灵",
        "起诉", "诉讼", "律师", "法院", "12315", "消协", "市场监管", "投诉到工商",
    ),
    "et": (
        "vigastu*", "vigasta*", "vigasaa*", "sai viga", "veri", "verejooks*", "poletus*",
        "poletas*", "elektrilook*", "lambu*", "allergili*", "anafulaks*", "murgistu*",
        "murgitu*", "haigla*", "kiirabi*", "erakorralise meditsiini", "surm", "surma", "surmav*", "suri", "hukku*",
        "onnetus*",
        # põlema without its "pole" forms (see the module's docstring)
        "polema", "polemas", "poleb", "poles", "polesid", "polenud", "poleda", "polev", "polevad",
        "tulekahju*", "leegi*", "leekides", "suitsu*", "suitsev*", "suitses", "plahvat*",
        "pidurid ei tootanud", "pidurid ei toota", "piduririke",
        "kohtusse", "kohtuasi*", "kohtuhagi*", "hagi*", "advokaa*", "jurist*", "tarbijakaitse*",
        "ttja",
    ),
}  # fmt: skip

# Alphabetic terms must not touch a letter or digit on either side; \w covers accents, but
# the text is folded first anyway.
_EDGE_BEFORE, _EDGE_AFTER = r"(?<!\w)", r"(?!\w)"


@dataclass(frozen=True)
class Hit:
    """A serious term found: its lexicon's language, the term, and the words that matched."""

    language: str
    term: str
    found: str


def _is_cjk(term: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in term)


def _pattern(language: str, term: str) -> str:
    stem = term.endswith("*")
    words = term.rstrip("*").split()
    body = r"\s+".join(re.escape(w) for w in words)
    if language == "zh-hans" and _is_cjk(term):
        return body
    if term.isdigit():
        return rf"(?<!\d){body}(?!\d)"
    return _EDGE_BEFORE + body + (r"\w*" if stem else "") + _EDGE_AFTER


@cache
def _compiled() -> tuple[re.Pattern[str], tuple[tuple[str, str, re.Pattern[str]], ...]]:
    terms = tuple(
        (language, term, re.compile(_pattern(language, term)))
        for language, words in LEXICON.items()
        for term in words
    )
    anything = re.compile("|".join(f"(?:{p.pattern})" for _lang, _term, p in terms))
    return anything, terms


def serious_hits(*texts: str) -> list[Hit]:
    """Every serious term in the texts (a complaint's subject and description), in the order
    of the lexicon; empty when there is none."""
    folded = fold("\n".join(t for t in texts if t))
    anything, terms = _compiled()
    if not anything.search(folded):
        return []
    hits = []
    for language, term, pattern in terms:
        match = pattern.search(folded)
        if match:
            hits.append(Hit(language=language, term=term, found=match.group(0)))
    return hits
