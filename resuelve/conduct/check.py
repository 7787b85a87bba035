"""The conduct check (REQUIREMENTS J1, J2, E6): flags the sentences of a customer-visible
message that refuse flatly, argue, doubt the customer, blame a colleague or department, or
promise what no approved solution covers, and notes a missing apology or acknowledgement.

Pure: no database. Rules are data (`Rule`), compiled once and cached. For Spanish, English
and Estonian the text is matched without case or accents (resuelve.core.text.fold) and the
patterns are regular expressions written with word boundaries; for Chinese the patterns are
substrings (regular expressions without boundaries). The check warns; the agent decides.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

from resuelve.core.text import fold

REFUSAL = "refusal"
ARGUMENT = "argument"
DOUBT = "doubt"
BLAME = "blame"
PROMISE = "promise"
NO_APOLOGY = "no_apology"
NO_ACKNOWLEDGEMENT = "no_acknowledgement"

SENTENCE_KINDS = (REFUSAL, ARGUMENT, DOUBT, BLAME, PROMISE)
NOTE_KINDS = (NO_APOLOGY, NO_ACKNOWLEDGEMENT)
KINDS = SENTENCE_KINDS + NOTE_KINDS

KIND_LABELS = {
    REFUSAL: _("Flat refusal"),
    ARGUMENT: _("Arguing"),
    DOUBT: _("Doubting the customer"),
    BLAME: _("Blaming a colleague"),
    PROMISE: _("Promise not covered"),
    NO_APOLOGY: _("No apology"),
    NO_ACKNOWLEDGEMENT: _("No acknowledgement"),
}

# Why a flag matters, in the staff user's language (gettext at the time of the check).
KIND_WHY = {
    REFUSAL: _(
        'A flat no, "I don\'t know" or "we can\'t" closes the door; say what you can do instead.'
    ),
    ARGUMENT: _("This argues with the customer; listen and explain without contradicting."),
    DOUBT: _("This doubts the customer's honesty; take their account as given."),
    BLAME: _(
        "This blames a colleague or department in front of the customer; the company answers "
        "as one."
    ),
    PROMISE: _("This promises more than any approved solution covers."),
    NO_APOLOGY: _("The message does not apologise for the trouble."),
    NO_ACKNOWLEDGEMENT: _("The message does not show that you heard what the customer said."),
}

# The pattern of the rule that stands for the amount comparison: an amount in the message
# above every approved amount. The rule carries that check's suggestion and can be switched off.
AMOUNT = "<amount>"

# Languages matched as substrings, without word boundaries or folding.
SUBSTRING_LANGUAGES = frozenset({"zh-hans", "zh_hans", "zh"})


@dataclass(frozen=True)
class Rule:
    language: str
    kind: str
    pattern: str
    unless: str = ""
    suggestion: str = ""
    why: str = ""
    order: int = 0


@dataclass(frozen=True)
class Flag:
    kind: str
    sentence: str
    start: int
    end: int
    why: str
    suggestion: str

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def is_note(self) -> bool:
        return self.kind in NOTE_KINDS


def normalise_language(language: str) -> str:
    code = language.strip().lower().replace("_", "-")
    if code.startswith("zh"):
        return "zh-hans"
    return code.split("-")[0] if code else "es"


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str, language: str) -> re.Pattern[str]:
    """A rule's pattern ready to match a sentence as the check sees it (folded for the
    languages with word boundaries). Raises re.error when it does not compile."""
    if normalise_language(language) in SUBSTRING_LANGUAGES:
        return re.compile(pattern, re.IGNORECASE)
    return re.compile(_strip_accents(pattern), re.IGNORECASE)


# What the customer said, quoted back to them, is not the agent's own wording.
_QUOTED = re.compile(
    r'"[^"\n]{1,300}"|“[^”\n]{1,300}”|«[^»\n]{1,300}»|「[^」\n]{1,300}」|„[^“”\n]{1,300}[“”]'
)


def _prepare(text: str, language: str) -> str:
    text = _QUOTED.sub(" … ", text)
    if language in SUBSTRING_LANGUAGES:
        return text
    return fold(text)


# --- sentences ---------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    "sr sra srta dr dra ing lic mr mrs ms nro núm num art etc pág p.ej ej nr nt jne vt "
    "tel ltd inc co a.m p.m approx vs st av cra cl km hr".split()
)
_WESTERN_END = re.compile(r"[.!?…]+[\"'»”)]*(?=\s+|$)|\n\s*")
_CJK_END = re.compile(r"[。！？!?；…]+[”」』）)]*|\n\s*")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int


def split_sentences(text: str, language: str) -> list[Sentence]:
    """The sentences of `text` with their offsets. Chinese ends sentences with 。！？ and has
    no spaces; the others end them with . ! ? … before a space or a line break, abbreviations
    like "Sr." and decimal numbers like "150.000,50" kept inside."""
    language = normalise_language(language)
    cjk = language in SUBSTRING_LANGUAGES
    ender = _CJK_END if cjk else _WESTERN_END
    sentences: list[Sentence] = []
    begin = 0
    for match in ender.finditer(text):
        end = match.end()
        if not cjk and match.group().startswith("."):
            before = text[begin : match.start()].split()
            word = before[-1].lower().lstrip("(¿¡\"'") if before else ""
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        _add(sentences, text, begin, end)
        begin = end
    _add(sentences, text, begin, len(text))
    return sentences


def _add(sentences: list[Sentence], text: str, begin: int, end: int) -> None:
    chunk = text[begin:end]
    stripped = chunk.strip()
    if not stripped:
        return
    start = begin + (len(chunk) - len(chunk.lstrip()))
    sentences.append(Sentence(stripped, start, start + len(stripped)))


# --- amounts -----------------------------------------------------------------------------

_CURRENCY_BEFORE = r"(?:\$|€|¥|£|US\$|COP|USD|EUR|PEN|CNY|RMB|S/\.?)"
_CURRENCY_AFTER = (
    r"(?:COP|USD|EUR|PEN|CNY|RMB|pesos?|soles|euros?|eurot?|eurod|eurodes|dólares|dolares|"
    r"dollars?|krooni|yuan|元|块|人民币|欧元|美元|€|\$)"
)
_NUMBER = r"\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
_MULTIPLIER = (
    r"(?:mil(?:lones|lón|lon)?|millones|million|millions|thousand|k|tuhat|tuhande|"
    r"miljon(?:it|i)?|万|千|百万)"
)
_AMOUNT = re.compile(
    rf"(?P<pre>{_CURRENCY_BEFORE})\s?(?P<n1>{_NUMBER})(?:\s?(?P<m1>{_MULTIPLIER})\b)?"
    rf"|(?P<n2>{_NUMBER})\s?(?:(?P<m2>{_MULTIPLIER})\s?(?:de\s)?)?(?P<post>{_CURRENCY_AFTER})",
    re.IGNORECASE,
)
_FACTORS = {
    "mil": 1000,
    "thousand": 1000,
    "k": 1000,
    "tuhat": 1000,
    "tuhande": 1000,
    "千": 1000,
    "万": 10000,
    "百万": 1_000_000,
}


def _number(raw: str) -> Decimal | None:
    raw = raw.replace("\u00a0", " ").replace("\u202f", " ")
    if " " in raw:
        raw = raw.replace(" ", "")
    dots, commas = raw.count("."), raw.count(",")
    if dots and commas:
        decimal_mark = "." if raw.rfind(".") > raw.rfind(",") else ","
        thousands = "," if decimal_mark == "." else "."
        raw = raw.replace(thousands, "").replace(decimal_mark, ".")
    elif dots or commas:
        mark = "." if dots else ","
        head, _sep, tail = raw.rpartition(mark)
        if raw.count(mark) > 1 or len(tail) == 3:
            raw = raw.replace(mark, "")  # thousands: 150.000, 150,000, 1.250.000
        else:
            raw = head.replace(mark, "") + "." + tail  # decimals: 1,5 or 80.50
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def parse_amounts(text: str) -> list[Decimal]:
    """The money amounts written in `text`: "$ 150.000", "150 000 COP", "150.000,50 pesos",
    "€80", "80 eurot", "150元", "1,5 millones de pesos", "3万元". A number counts as money only
    beside a currency sign, code or word."""
    found: list[Decimal] = []
    for match in _AMOUNT.finditer(text):
        raw = match.group("n1") or match.group("n2")
        multiplier = (match.group("m1") or match.group("m2") or "").lower()
        value = _number(raw)
        if value is None:
            continue
        if multiplier.startswith("mill") or multiplier.startswith("miljon"):
            value *= 1_000_000
        elif multiplier in _FACTORS:
            value *= _FACTORS[multiplier]
        found.append(value)
    return found


# --- the check ---------------------------------------------------------------------------


def _why(rule: Rule | None, kind: str) -> str:
    if rule is not None and rule.why:
        return rule.why
    return str(KIND_WHY[kind])


def _names_pattern(names: Sequence[str], language: str) -> re.Pattern[str] | None:
    cleaned = sorted({n.strip() for n in names if len(n.strip()) >= 2}, key=len, reverse=True)
    if not cleaned:
        return None
    return _compiled_names(tuple(cleaned), language)


@lru_cache(maxsize=256)
def _compiled_names(names: tuple[str, ...], language: str) -> re.Pattern[str]:
    if language in SUBSTRING_LANGUAGES:
        return re.compile("|".join(re.escape(n) for n in names), re.IGNORECASE)
    # Estonian inflects names by suffix ("Kadri", "Kadrile", "Toomase"): match the stem.
    end = "" if language == "et" else r"\b"
    return re.compile(r"\b(?:" + "|".join(re.escape(fold(n)) for n in names) + r")" + end)


def _matches(rule: Rule, language: str, prepared: str) -> bool:
    if not compile_pattern(rule.pattern, language).search(prepared):
        return False
    return not (rule.unless and compile_pattern(rule.unless, language).search(prepared))


def check_text(
    *,
    text: str,
    language: str,
    rules: Sequence[Rule],
    approved: Sequence[Decimal] | None = None,
    currency: str = "",
    staff_names: Sequence[str] = (),
    department_names: Sequence[str] = (),
    strict: bool = False,
) -> list[Flag]:
    """The flags of one customer-visible message, in reading order, one per sentence and
    kind. `rules` are the rules of any language (those of `language` are used); `approved`
    are the amounts of the approved or offered solutions (None: not known, so cues of a
    promise are judged instead; empty: no approved solution). `strict` adds the notes about
    the whole message: no apology, no acknowledgement of what the customer said."""
    language = normalise_language(language)
    mine = sorted(
        (r for r in rules if normalise_language(r.language) == language and r.pattern),
        key=lambda r: r.order,
    )
    names = _names_pattern([*staff_names, *department_names], language)
    ceiling = max(approved) if approved else None
    amount_rule = next((r for r in mine if r.kind == PROMISE and r.pattern == AMOUNT), None)
    flags: list[Flag] = []
    for sentence in split_sentences(text, language):
        prepared = _prepare(sentence.text, language)
        raised: dict[str, Rule | None] = {}
        for rule in mine:
            if rule.kind not in SENTENCE_KINDS or rule.kind in raised or rule.pattern == AMOUNT:
                continue
            if rule.kind == PROMISE and approved:
                continue  # with an approved solution, the amounts decide (below)
            if not _matches(rule, language, prepared):
                continue
            if rule.kind == BLAME and not _names_someone(rule, language, prepared, names):
                continue
            raised[rule.kind] = rule
        if (
            ceiling is not None
            and amount_rule is not None
            and PROMISE not in raised
            and not (
                amount_rule.unless
                and compile_pattern(amount_rule.unless, language).search(prepared)
            )
            and any(value > ceiling for value in parse_amounts(sentence.text))
        ):
            raised[PROMISE] = amount_rule
        for kind in SENTENCE_KINDS:
            if kind in raised:
                rule = raised[kind]
                flags.append(
                    Flag(
                        kind=kind,
                        sentence=sentence.text,
                        start=sentence.start,
                        end=sentence.end,
                        why=_why(rule, kind),
                        suggestion=rule.suggestion if rule else "",
                    )
                )
    if strict and text.strip():
        prepared_all = _prepare(text, language)
        for kind in NOTE_KINDS:
            cues = [r for r in mine if r.kind == kind]
            if cues and not any(_matches(r, language, prepared_all) for r in cues):
                flags.append(
                    Flag(
                        kind=kind,
                        sentence="",
                        start=0,
                        end=0,
                        why=_why(cues[0], kind),
                        suggestion=cues[0].suggestion,
                    )
                )
    return flags


def _names_someone(rule: Rule, language: str, prepared: str, names: re.Pattern[str] | None) -> bool:
    """Blame needs a target: a staff member or department named in the sentence, or a
    colleague the rule's own pattern names (a group called "who")."""
    match = compile_pattern(rule.pattern, language).search(prepared)
    if match is not None and any(
        name.startswith("who") and match.group(name) for name in match.re.groupindex
    ):
        return True
    return names is not None and names.search(prepared) is not None


def flagged_kinds(flags: Sequence[Flag]) -> set[str]:
    return {f.kind for f in flags}
