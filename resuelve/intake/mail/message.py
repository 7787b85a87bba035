"""Reading one raw e-mail into what intake needs. Real mail is often broken (wrong or missing
charsets, 8-bit headers, boundaries that never close, no From at all), so nothing here
raises: every header and part is read leniently and what cannot be read is left out with
a defect noted. Pure: no database access."""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes
from email import policy as email_policy
from email.header import Header, decode_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from resuelve.intake.mail.text import decode_bytes, html_to_text

_TRACE_HEADERS = (b"received:", b"return-path:", b"delivered-to:", b"x-original-to:")


@dataclass(frozen=True)
class MailFile:
    name: str
    content_type: str
    content: bytes


@dataclass
class InboundMail:
    message_id: str
    subject: str
    from_name: str
    from_address: str
    reply_to: str
    sender: str
    return_path: str
    content_language: str
    in_reply_to: str
    references: str
    date: datetime | None
    text: str
    files: list[MailFile]
    content_type: str
    headers: dict[str, str]
    defects: list[str] = field(default_factory=list)

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


def _unescape_8bit(value: str) -> str:
    """compat32 keeps undeclared 8-bit header bytes as surrogate escapes: decode them."""
    if any("\udc80" <= ch <= "\udcff" for ch in value):
        return decode_bytes(value.encode("ascii", "surrogateescape"))
    return value


def _header_str(value: object) -> str:
    """A header with undeclared 8-bit bytes decoded and encoded words left as they are."""
    if value is None:
        return ""
    if isinstance(value, Header):
        try:
            return "".join(
                decode_bytes(chunk) if isinstance(chunk, bytes) else chunk
                for chunk, _charset in decode_header(value)
            )
        except Exception:
            return str(value)
    return _unescape_8bit(str(value))


def decode_header_value(value: object) -> str:
    """A header as text: RFC 2047 encoded words decoded with the charset fallbacks, raw 8-bit
    bytes guessed, folding removed."""
    raw = _header_str(value)
    if not raw:
        return ""
    try:
        chunks = decode_header(raw)
    except Exception:
        return re.sub(r"\s+", " ", raw).strip()
    parts: list[str] = []
    for chunk, charset in chunks:
        if isinstance(chunk, bytes):
            parts.append(decode_bytes(chunk, charset))
        else:
            parts.append(chunk)
    text = "".join(parts)
    return re.sub(r"\s+", " ", text).strip()


def _address(value: str) -> tuple[str, str]:
    try:
        pairs = getaddresses([value])
    except Exception:
        pairs = []
    for name, address in pairs:
        if address and "@" in address:
            return decode_header_value(name).strip().strip('"'), address.strip().lower()
    found = re.search(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", value)
    return "", found.group(0).lower() if found else ""


def _payload_bytes(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if isinstance(data, bytes):
        return data
    payload = part.get_payload()
    if isinstance(payload, str):
        return payload.encode("ascii", "surrogateescape")
    return b""


def _part_text(part: Message) -> str:
    text = decode_bytes(_payload_bytes(part), part.get_content_charset())
    if part.get_content_type() == "text/html":
        return html_to_text(text)
    return text.replace("\r\n", "\n").strip()


def _safe_name(name: str) -> str:
    name = re.split(r"[\\/]", name)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().strip(".")
    return name[:200]


def _file_for(part: Message, index: int) -> MailFile:
    content_type = part.get_content_type()
    name = _safe_name(decode_header_value(part.get_filename() or part.get_param("name") or ""))
    if content_type == "message/rfc822":
        inner = part.get_payload()
        inner_message = inner[0] if isinstance(inner, list) and inner else None
        if isinstance(inner_message, Message):
            content = inner_message.as_bytes(policy=email_policy.compat32)
            if not name:
                subject = decode_header_value(inner_message.get("Subject"))
                name = _safe_name(subject)[:80] or f"message-{index}"
        else:
            content = _payload_bytes(part)
            name = name or f"message-{index}"
        if not name.lower().endswith(".eml"):
            name += ".eml"
        return MailFile(name=name, content_type=content_type, content=content)
    if not name:
        extension = mimetypes.guess_extension(content_type) or ".bin"
        stem = "image" if content_type.startswith("image/") else "attachment"
        name = f"{stem}-{index}{extension}"
    return MailFile(name=name, content_type=content_type, content=_payload_bytes(part))


class _Walker:
    def __init__(self) -> None:
        self.texts: list[str] = []
        self.files: list[MailFile] = []
        self.defects: list[str] = []

    def walk(self, part: Message) -> None:
        content_type = part.get_content_type()
        for defect in getattr(part, "defects", []) or []:
            self.defects.append(type(defect).__name__)
        if content_type == "message/rfc822":
            self.files.append(_file_for(part, len(self.files) + 1))
            return
        if part.is_multipart():
            subparts = [p for p in part.get_payload() if isinstance(p, Message)]
            if content_type == "multipart/alternative":
                self._alternative(subparts)
            else:
                for sub in subparts:
                    self.walk(sub)
            return
        if content_type.startswith("multipart/"):
            # A multipart whose boundary never appears: keep what text there is.
            self.defects.append("BrokenMultipart")
            self.texts.append(_unframed_text(part))
            return
        disposition = (part.get_content_disposition() or "").lower()
        if (
            content_type in ("text/plain", "text/html")
            and disposition != "attachment"
            and not part.get_filename()
        ):
            text = _part_text(part)
            if text:
                self.texts.append(text)
            return
        if content_type in ("message/delivery-status", "text/rfc822-headers"):
            return
        file = _file_for(part, len(self.files) + 1)
        if file.content:
            self.files.append(file)

    def _alternative(self, subparts: list[Message]) -> None:
        """Take the text of the plainest alternative that has any, and the files (inline
        images of the HTML version) of all of them."""
        choices: list[tuple[int, _Walker]] = []
        for sub in subparts:
            walker = _Walker()
            walker.walk(sub)
            rank = {"text/plain": 0, "text/html": 2}.get(sub.get_content_type(), 1)
            choices.append((rank, walker))
            self.defects.extend(walker.defects)
        with_text = [c for c in choices if "".join(c[1].texts).strip()]
        if with_text:
            self.texts.extend(min(with_text, key=lambda c: c[0])[1].texts)
        seen = {hashlib.sha256(f.content).digest() for f in self.files}
        for _rank, walker in choices:
            for file in walker.files:
                digest = hashlib.sha256(file.content).digest()
                if digest not in seen:
                    seen.add(digest)
                    self.files.append(file)


def _unframed_text(part: Message) -> str:
    raw = decode_bytes(_payload_bytes(part), part.get_content_charset())
    lines = [
        line
        for line in raw.replace("\r\n", "\n").split("\n")
        if not line.startswith("--") and not re.match(r"(?i)^content-[\w-]+:", line)
    ]
    return "\n".join(lines).strip()


def parse(raw: bytes) -> InboundMail:
    """Everything intake reads from one message; never raises."""
    message = message_from_bytes(raw, policy=email_policy.compat32)
    headers = {}
    for key, value in message.items():
        headers.setdefault(key.lower(), decode_header_value(value))
    from_name, from_address = _address(_header_str(message.get("From")))
    walker = _Walker()
    try:
        walker.walk(message)
    except Exception as exc:  # a pathological structure: fall back to the raw body
        walker.defects.append(f"{type(exc).__name__}: {exc}")
        walker.texts = [_unframed_text(message)]
    text = "\n\n".join(t for t in walker.texts if t.strip())
    try:
        date = parsedate_to_datetime(headers.get("date", "")) if headers.get("date") else None
    except (TypeError, ValueError, IndexError):
        date = None
    return InboundMail(
        message_id=headers.get("message-id", "").strip(),
        subject=headers.get("subject", ""),
        from_name=from_name,
        from_address=from_address,
        reply_to=_address(_header_str(message.get("Reply-To")))[1],
        sender=_address(_header_str(message.get("Sender")))[1],
        return_path=_address(_header_str(message.get("Return-Path")))[1],
        content_language=headers.get("content-language", ""),
        in_reply_to=headers.get("in-reply-to", ""),
        references=headers.get("references", ""),
        date=date,
        text=text,
        files=walker.files,
        content_type=message.get_content_type(),
        headers=headers,
        defects=[type(d).__name__ for d in message.defects] + walker.defects,
    )


def stable_key(raw: bytes, message_id: str) -> str:
    """The idempotency key of a message: its Message-ID, or, without one, a hash of its bytes
    without the trace headers a relay adds (so a retry through another hop has the same key)."""
    message_id = message_id.strip()
    if message_id and len(message_id) <= 200:
        return message_id
    if message_id:
        return "sha256:" + hashlib.sha256(message_id.encode("utf-8", "replace")).hexdigest()
    head, sep, body = raw.replace(b"\r\n", b"\n").partition(b"\n\n")
    kept: list[bytes] = []
    skipping = False
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t") and skipping:
            continue
        skipping = line.lower().startswith(_TRACE_HEADERS)
        if not skipping:
            kept.append(line)
    return "sha256:" + hashlib.sha256(b"\n".join(kept) + sep + body).hexdigest()
