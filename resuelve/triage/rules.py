"""Keyword rules: what triage suggests before the company has a history to learn from.

Pure: no database. The selectors hand in the administrator's rules as plain tuples and get a
compiled RuleSet back; matching is one regular-expression pass over the normalized text.

Matching ignores case and accents ("Garantía" matches "garantia"). A keyword in a script
that writes words apart (Latin) matches whole words ("fire" does not match "fired"), or any
word it starts when it ends in * ("fren*" matches "frenos"); a keyword in Chinese matches
anywhere, as Chinese has no spaces between words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_COMBINING = re.compile("[\u0300-\u036f]")
_SPACES = re.compile(r"\s+")
# CJK ideographs, kana and hangul: scripts written without spaces between words.
_CJK = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def normalize(text: str) -> str:
    """Case-folded, accents removed, whitespace collapsed: what rules and the model read."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return _SPACES.sub(" ", _COMBINING.sub("", text)).strip()


def is_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def cjk_share(text: str) -> float:
    """The share of non-space characters that are CJK (0 for an empty text)."""
    letters = len(text) - text.count(" ")
    return len(_CJK.findall(text)) / letters if letters else 0.0


def keywords_of(text: str) -> list[str]:
    """The keywords of a rule as an administrator writes them: one per line (commas also
    separate), normalized, blanks dropped."""
    found = []
    for line in text.replace(",", "\n").splitlines():
        keyword = normalize(line)
        if keyword.rstrip("*") and keyword not in found:
            found.append(keyword)
    return found


@dataclass(frozen=True)
class Rule:
    """One rule: any of its keywords votes `weight` for `label` (a category code, a kind, a
    severity). With a language, the rule only counts for texts in that language."""

    label: str
    keywords: tuple[str, ...]
    language: str = ""
    weight: float = 1.0


@dataclass(frozen=True)
class Match:
    label: str
    score: float
    total: float

    @property
    def confidence(self) -> float:
        # One keyword of weight 1 alone: 0.5; more agreeing keywords approach 1; rival labels
        # pull it down.
        return round(self.score / (self.total + 1.0), 4)


_WORD = re.compile(r"\w+")


class RuleSet:
    """Rules compiled for matching; `best(text)` is the label with the most weight among the
    keywords found in the (normalized) text. Latin keywords are looked up word by word in
    dictionaries, Chinese ones searched as substrings: a regular expression with hundreds
    of alternatives would try each at every position, ten times slower."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = tuple(rule for rule in rules if rule.keywords)
        # keyword -> [(label, language, weight)]
        self._votes: dict[str, list[tuple[str, str, float]]] = {}
        for rule in self.rules:
            for keyword in rule.keywords:
                self._votes.setdefault(keyword, []).append((rule.label, rule.language, rule.weight))
        self._cjk: list[str] = []
        # first word -> [(keyword, its words, last word is a prefix)]
        self._phrases: dict[str, list[tuple[str, tuple[str, ...], bool]]] = {}
        # one-word prefixes by length: {3: {"fre": keyword}}
        self._prefixes: dict[int, dict[str, str]] = {}
        for keyword in self._votes:
            if is_cjk(keyword):
                self._cjk.append(keyword)
                continue
            prefix = keyword.endswith("*")
            words = tuple(_WORD.findall(keyword))
            if not words:
                continue
            if prefix and len(words) == 1:
                self._prefixes.setdefault(len(words[0]), {})[words[0]] = keyword
            else:
                self._phrases.setdefault(words[0], []).append((keyword, words, prefix))
        self._prefix_lengths = sorted(self._prefixes)

    def __bool__(self) -> bool:
        return bool(self._votes)

    def found(self, text: str) -> set[str]:
        """The keywords present in `text` (already normalized)."""
        found: set[str] = set()
        if self._cjk and is_cjk(text):
            found.update(keyword for keyword in self._cjk if keyword in text)
        words = _WORD.findall(text)
        phrases = self._phrases
        prefixes = self._prefixes
        lengths = self._prefix_lengths
        for i, word in enumerate(words):
            candidates = phrases.get(word)
            if candidates:
                for keyword, parts, prefix in candidates:
                    end = i + len(parts)
                    if end > len(words):
                        continue
                    if prefix:
                        if words[i : end - 1] == list(parts[:-1]) and words[end - 1].startswith(
                            parts[-1]
                        ):
                            found.add(keyword)
                    elif len(parts) == 1 or words[i:end] == list(parts):
                        found.add(keyword)
            for length in lengths:
                if length > len(word):
                    break
                keyword = prefixes[length].get(word[:length])
                if keyword is not None:
                    found.add(keyword)
        return found

    def scores(self, text: str, language: str = "") -> dict[str, float]:
        """Weight per label of the distinct keywords found in `text` (already normalized)."""
        scores: dict[str, float] = {}
        for keyword in self.found(text):
            for label, rule_language, weight in self._votes[keyword]:
                if rule_language and language and rule_language != language:
                    continue
                scores[label] = scores.get(label, 0.0) + weight
        return scores

    def best(self, text: str, language: str = "") -> Match | None:
        scores = self.scores(text, language)
        if not scores:
            return None
        label = max(scores, key=lambda key: (scores[key], key))
        if scores[label] <= 0:
            return None
        return Match(label, scores[label], sum(s for s in scores.values() if s > 0))


def rules_from(entries: Sequence[tuple[str, str, str, float]]) -> list[Rule]:
    """Rules from (label, keywords text, language, weight) as stored."""
    return [
        Rule(label=label, keywords=tuple(keywords_of(text)), language=language, weight=weight)
        for label, text, language, weight in entries
    ]


# --- built in: severity and kind hints (administrators add their own in the admin) ----------

# Health and safety: a case with any of these words is suggested critical (REQUIREMENTS C6).
CRITICAL_WORDS = {
    "es": "accident*, choque, incendi*, fuego, humo, se prendio, explot*, explosion, herid*, "
    "lesion*, hospital*, quemadur*, frenos fallan, fallan los frenos, fallaron los frenos, "
    "sin frenos, no frena, perdi los frenos, airbag, bolsa de aire, peligros*, peligro, "
    "se apaga en carretera, se apaga mientras conduzco, olor a gasolina, fuga de gasolina, "
    "direccion se bloqueo, intoxicacion",
    "en": "accident*, crash*, fire, smoke*, burning, caught fire, explo*, injur*, "
    "hurt, hospital*, brakes failed, brakes failing, brake failure, no brakes, airbag, "
    "dangerous, danger, unsafe, stalls on the highway, shuts off while driving, fuel leak, "
    "smell of petrol, smell of gas, steering locked",
    "zh-hans": "事故, 车祸, 碰撞, 起火, 着火, 火灾, 冒烟, 爆炸, 受伤, 医院, 刹车失灵, "
    "刹车失效, 制动失灵, 安全气囊, 危险, 漏油起火, 汽油味, 方向盘锁死, 熄火",
    "et": "õnnetus*, avarii*, kokkupõrge*, tulekahju*, põleng*, süttis, suits*, plahvat*, "
    "vigastu*, vigasta*, haigla*, pidurid ei tööta, pidurid ütlesid üles, piduririke, "
    "turvapad*, ohtli*, oht, kütuseleke, bensiinilõhn, rool lukustus",
}
HIGH_WORDS = {
    "es": "urgente, abogado, demanda, denuncia, superintendencia, tutela, inaceptable, "
    "estafa, fraude",
    "en": "urgent, lawyer, lawsuit, sue, legal action, regulator, unacceptable, fraud, scam",
    "zh-hans": "紧急, 律师, 起诉, 投诉到, 消协, 欺诈, 诈骗",
    "et": "kiire, kiiresti, advokaat, kohus, kohtusse, tarbijakaitse, pettus, vastuvõetamatu",
}
SUGGESTION_WORDS = {
    "es": "sugiero, sugerenci*, sugerir, propongo, propuesta, seria bueno, seria util, "
    "seria muy util, recomiendo",
    "en": "suggest*, it would help, it would be nice, would be great, propose, recommend, idea",
    "zh-hans": "建议, 希望能, 希望可以, 提议, 意见",
    "et": "ettepanek*, soovitan, soovitus*, oleks hea, oleks tore, teen ettepaneku",
}
COMPLIMENT_WORDS = {
    "es": "felicit*, agradezco, agradecer, quiero agradecer, gracias, excelente "
    "atencion, excelente servicio",
    "en": "thank you, thanks, grateful, compliment*, congratulat*, excellent service, "
    "great service, well done",
    "zh-hans": "感谢, 谢谢, 表扬, 非常满意, 服务很好",
    "et": "aitäh, tänan, täname, kiitus*, kiidan, suurepärane teenindus",
}
PETITION_WORDS = {
    "es": "solicito, solicitud, peticion, quisiera saber, necesito informacion, me pueden "
    "informar, certificado, copia de",
    "en": "request, could you send, i would like to know, please send me, certificate, copy of",
    "zh-hans": "申请, 请求, 请提供, 想了解, 请问",
    "et": "taotlus, palun saatke, sooviksin teada, palun teavitage, tõend",
}
CLAIM_WORDS = {
    "es": "reclamo, reembolso, devolucion del dinero, exijo, me cobraron, indemnizacion",
    "en": "claim, refund, money back, reimburse, compensation for, charged me",
    "zh-hans": "索赔, 退款, 赔偿, 退钱",
    "et": "nõue, nõuan, raha tagasi, hüvitist, tagastage raha",
}


def _builtin(label: str, words: dict[str, str], weight: float = 1.0) -> list[Rule]:
    # Language-free: a Spanish customer who writes "airbag" means the same thing.
    return [Rule(label, tuple(keywords_of(text)), "", weight) for text in words.values()]


BUILTIN_SEVERITY = [
    *_builtin("critical", CRITICAL_WORDS, 3.0),
    *_builtin("high", HIGH_WORDS, 1.0),
]
BUILTIN_KIND = [
    *_builtin("suggestion", SUGGESTION_WORDS),
    *_builtin("compliment", COMPLIMENT_WORDS),
    *_builtin("petition", PETITION_WORDS),
    *_builtin("claim", CLAIM_WORDS),
]
SEVERITY_ORDER = {"low": 0, "medium": 1, "high": 2, "critical": 3}
