"""Turning what mail clients send into the customer's words: bytes in whatever charset was
(or was not) declared, HTML-only bodies, and replies that drag the whole thread along. Pure:
no database access."""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

# Declared charsets that real mailers mean as something wider: GB2312 and GBK mail is
# full of GB18030 characters, Big5 of HKSCS ones, and "ISO-8859-1" is almost always
# Windows-1252 with curly quotes and the euro sign.
_WIDER = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "big5": "big5hkscs",
    "cp950": "big5hkscs",
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso-8859-1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "ks_c_5601-1987": "cp949",
    "utf8": "utf-8",
}
_SINGLE_BYTE = {"cp1252", "latin-1", "iso8859-15", "cp1257", "iso8859-13", "iso8859-4"}


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip('"').lower()
    name = _WIDER.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _looks_cjk(data: bytes) -> bool:
    """Mostly high bytes in pairs: a double-byte CJK encoding, not accented Latin text."""
    visible = [b for b in data if b > 0x20]
    if not visible:
        return False
    high = sum(1 for b in visible if b >= 0x80)
    return high / len(visible) > 0.3


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Text for `data`, trusting the declared charset only as far as the bytes agree with it.
    Never raises: the last resort is Windows-1252 with replacement characters."""
    declared_codec = _codec(declared)
    if not data:
        return ""
    if declared_codec and declared_codec not in _SINGLE_BYTE and declared_codec != "utf-8":
        text = _strict(data, declared_codec)
        if text is not None:
            return text
    utf8 = _strict(data, "utf-8")
    if utf8 is not None:
        return utf8
    if _looks_cjk(data):
        # GB18030 first (mainland mail is the common case), Big5 when GB cannot read it or
        # when the sender said Big5.
        order = ["big5hkscs", "gb18030"] if declared_codec == "big5hkscs" else ["gb18030"]
        order += ["big5hkscs"]
        for codec in order:
            text = _strict(data, codec)
            if text is not None:
                return text
    if declared_codec and declared_codec != "utf-8":
        text = _strict(data, declared_codec)
        if text is not None:
            return text
    text = _strict(data, "cp1252")
    if text is not None:
        return text
    return data.decode("latin-1")


# --- HTML to text ------------------------------------------------------------------------------

_BLOCK = frozenset(
    "address article aside blockquote br dd div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody thead tfoot tr ul".split()
)
_PARAGRAPH = frozenset("p h1 h2 h3 h4 h5 h6 ul ol table blockquote pre hr".split())
_SKIP = frozenset({"script", "style", "head", "title", "template", "noscript", "svg"})


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip_depth = 0
        self.quote_depth = 0
        self.line_quote = 0
        self.pre_depth = 0
        self.href: str | None = None
        self.link_text: list[str] = []

    def _break(self, *, explicit: bool = False) -> None:
        """End the current line; an empty one only for a <br> on an empty line."""
        line = "".join(self.current)
        if self.pre_depth == 0:
            line = re.sub(r"[ \t\r\n\u00a0]+", " ", line).strip()
        if line:
            self.lines.append(("> " * self.line_quote) + line)
        elif explicit:
            self.lines.append("> " * self.line_quote)
        self.current = []
        self.line_quote = self.quote_depth

    def _paragraph(self) -> None:
        self._break()
        if self.lines and self.lines[-1].strip("> "):
            self.lines.append("> " * self.quote_depth)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
            return
        if tag == "br":
            self._break(explicit=not self.current)
        elif tag in _PARAGRAPH:
            self._paragraph()
        elif tag in _BLOCK:
            self._break()
        if tag == "blockquote":
            self.quote_depth += 1
            self.line_quote = self.quote_depth
        elif tag == "pre":
            self.pre_depth += 1
        elif tag == "li":
            self.current.append("- ")
        elif tag in ("td", "th"):
            self.current.append(" ")
        elif tag == "a":
            self.href = dict(attrs).get("href")
            self.link_text = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "hr", "img"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag == "a" and self.href:
            text = "".join(self.link_text).strip()
            href = self.href
            if href.startswith(("http://", "https://")) and href not in text:
                self.current.append(f" ({href})")
            self.href = None
        if tag == "blockquote":
            self._break()
            self.quote_depth = max(0, self.quote_depth - 1)
            self.line_quote = self.quote_depth
        if tag in _PARAGRAPH:
            self._paragraph()
        elif tag in _BLOCK:
            self._break()
        if tag == "pre":
            self.pre_depth = max(0, self.pre_depth - 1)

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if not self.current:
            self.line_quote = self.quote_depth
        self.current.append(data)
        if self.href is not None:
            self.link_text.append(data)

    def text(self) -> str:
        self._break()
        return _tidy("\n".join(self.lines))


def html_to_text(html: str) -> str:
    """Readable text for an HTML body: block elements become line breaks, quoted blocks get
    "> " so the reply stripper sees them, scripts and styles disappear."""
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # a parser error in hostile markup must not lose the message
        return _tidy(re.sub(r"<[^>]*>", " ", html))
    return parser.text()


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


# --- quoted history ----------------------------------------------------------------------------

# A line that introduces a quoted message. "wrote:" headers may be wrapped over two lines.
_ATTRIBUTION = re.compile(
    r"^(?:"
    r"(?:on|el|le|am|il|em)\b.{0,300}?(?:wrote|escribió|escribio|a écrit|schrieb|ha scritto|escreveu)\s*:"
    r"|.{0,250}?@.{0,250}?\bwrote\s*:"
    r"|在.{0,200}?[写寫]道\s*[:：]?"
    r"|.{0,250}?(?:\d|@).{0,250}?[写寫]道\s*[:：]?"
    r"|.{0,250}?(?:\d|@).{0,250}?kirjutas\s*:?"
    r")\s*$",
    re.IGNORECASE | re.DOTALL,
)
_SEPARATOR = re.compile(
    r"^\s*(?:-{2,}|_{2,})?\s*(?:original message|mensaje original|forwarded message|"
    r"mensaje reenviado|algne (?:kiri|sõnum)|edastatud (?:kiri|sõnum)|原始邮件|原始郵件|"
    r"转发邮件|轉寄郵件)\s*(?:-{2,}|_{2,})?\s*$",
    re.IGNORECASE,
)
_HEADER_FROM = re.compile(
    r"^\s*\*?(?:from|de|von|saatja|kellelt|发件人|寄件者|發件人)\s*\*?\s*[:：]", re.I
)
_HEADER_NEXT = re.compile(
    r"^\s*\*?(?:sent|date|to|subject|enviado|fecha|para|asunto|gesendet|saadetud|kuupäev|"
    r"saaja|teema|发送时间|日期|收件人|主题|寄件日期|收件者|主旨)\s*\*?\s*[:：]",
    re.I,
)
_RULE = re.compile(r"^\s*_{10,}\s*$")


def _is_quoted(line: str) -> bool:
    return line.lstrip().startswith(">")


def _next_content(lines: list[str], start: int) -> str | None:
    for line in lines[start:]:
        if line.strip():
            return line
    return None


def strip_quoted(text: str) -> str:
    """The new part of a reply. Quoted lines ("> ") go; an attribution line ("On ... wrote:",
    "El ... escribió:", "在...写道:", "... kirjutas:") goes with them; an Outlook-style block
    (a separator, or From:/De:/发件人: followed by Sent:/Date:/...) ends the new part, since
    what follows it is the old thread without quote marks. Text the customer wrote below a
    quote is kept. If nothing is left, the text is returned as it was."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _SEPARATOR.match(line) or (_RULE.match(line) and _outlook_header_at(lines, i + 1)):
            break
        if _outlook_header_at(lines, i):
            break
        attribution = 0
        if not _is_quoted(line) and line.strip():
            if _ATTRIBUTION.match(line.strip()):
                attribution = 1
            elif i + 1 < len(lines) and _ATTRIBUTION.match(
                f"{line.strip()} {lines[i + 1].strip()}"
            ):
                attribution = 2
        if attribution:
            following = _next_content(lines, i + attribution)
            if following is None or _is_quoted(following):
                i += attribution
                continue
            break  # an unquoted old message follows: everything below is history
        if not _is_quoted(line):
            kept.append(line)
        i += 1
    result = _tidy("\n".join(kept))
    return result or text.strip()


def _outlook_header_at(lines: list[str], i: int) -> bool:
    if i >= len(lines) or not _HEADER_FROM.match(lines[i]):
        return False
    following = [line for line in lines[i + 1 : i + 5] if line.strip()]
    return any(_HEADER_NEXT.match(line) for line in following[:3])


# --- language ------------------------------------------------------------------------------------

_WORDS = {
    "es": set(
        "el la los las que de del y en por para con una un es no mi me se lo al muy pero "
        "como su fue hola gracias buenos días compré pedido queja".split()
    ),
    "en": set(
        "the and is are was to of in for with my i you it not this that have on hello "
        "thanks order bought please".split()
    ),
    "et": set(
        "ja ei on see et ma mul oli tere aitäh palun minu teie kuid ka kas siis veel "
        "tellimus ostsin".split()
    ),
}


def detect_language(text: str, *, served: set[str], default: str, declared: str = "") -> str:
    """The served language a message is written in: the Content-Language header when it
    names one we serve, else a count of common words (and Han characters for Chinese),
    else the default."""
    for tag in re.split(r"[,\s]+", declared.lower()):
        if not tag:
            continue
        primary = tag.split("-")[0]
        if primary == "zh" and "zh-hans" in served:
            return "zh-hans"
        if tag in served:
            return tag
        if primary in served:
            return primary
    sample = text[:5000]
    han = len(re.findall(r"[\u4e00-\u9fff]", sample))
    if han >= 2 and "zh-hans" in served:
        return "zh-hans"
    words = re.findall(r"[a-záéíóúñüõäö]+", sample.lower())
    scores = {lang: sum(1 for w in words if w in vocab) for lang, vocab in _WORDS.items()}
    scores["et"] += 2 * len(re.findall(r"[õÕ]", sample))
    scores["es"] += 2 * len(re.findall(r"[ñÑ¿¡]", sample))
    best = max(
        (lang for lang in scores if lang in served), key=lambda lang: scores[lang], default=""
    )
    if best and scores[best] >= 2:
        return best
    return default
