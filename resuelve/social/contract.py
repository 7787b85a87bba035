"""The webhook contract of the social channel (docs/social.md), checked without the
database: the signature over the timestamp and the body, and the post's JSON.

Headers: X-Resuelve-Timestamp (Unix seconds) and
X-Resuelve-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>." + body, keyed by the source's
secret>. A request older or newer than TOLERANCE_SECONDS is refused, so a captured request
cannot be replayed later."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from resuelve.complaints.lifecycle import Kind

TOLERANCE_SECONDS = 300
MAX_BODY_BYTES = 64 * 1024
MAX_TEXT = 10_000
SIGNATURE_HEADER = "X-Resuelve-Signature"
TIMESTAMP_HEADER = "X-Resuelve-Timestamp"


class ContractError(Exception):
    """The request breaks the contract; `status` is the HTTP answer, `errors` per field."""

    def __init__(self, status: int, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors or {}


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(*, secret: str, timestamp: str, signed: str, body: bytes, now: float) -> None:
    """Raise ContractError(401) unless `signed` is the signature of this body at this time."""
    try:
        at = int(timestamp)
    except (TypeError, ValueError):
        raise ContractError(401, _("The request has no valid timestamp.")) from None
    if abs(now - at) > TOLERANCE_SECONDS:
        raise ContractError(
            401, _("The request's timestamp is too old or in the future: check the clock.")
        )
    if not signed or not hmac.compare_digest(signature(secret, timestamp, body), signed):
        raise ContractError(401, _("The signature does not match this source's secret."))


@dataclass(frozen=True)
class Post:
    id: str
    text: str
    handle: str = ""
    name: str = ""
    email: str = ""
    phone: str = ""
    ref: str = ""
    url: str = ""
    posted_at: datetime | None = None
    language: str = ""
    kind: str = Kind.COMPLAINT
    public: bool = True

    @property
    def subject(self) -> str:
        line = " ".join(self.text.split())
        return line if len(line) <= 120 else line[:119].rstrip() + "…"


def _text(data: dict[str, Any], key: str, limit: int, errors: dict[str, str]) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[key] = _("Must be text.")
        return ""
    value = value.strip()
    if len(value) > limit:
        errors[key] = _("At most %(n)s characters.") % {"n": limit}
    return value


def parse(body: bytes) -> Post:
    """The post in the body, or ContractError(400/422) saying which fields are wrong."""
    if len(body) > MAX_BODY_BYTES:
        raise ContractError(413, _("The request is larger than 64 KB."))
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ContractError(400, _("The body is not JSON in UTF-8.")) from None
    if not isinstance(data, dict):
        raise ContractError(400, _("The body must be a JSON object."))
    errors: dict[str, str] = {}
    post_id = data.get("id")
    if isinstance(post_id, int) and not isinstance(post_id, bool):
        post_id = str(post_id)
    if not isinstance(post_id, str) or not post_id.strip():
        errors["id"] = _("The post's id on the platform is required.")
        post_id = ""
    elif len(post_id) > 200:
        errors["id"] = _("At most %(n)s characters.") % {"n": 200}
    text = _text(data, "text", MAX_TEXT, errors)
    if not text and "text" not in errors:
        errors["text"] = _("The post's text is required.")
    author = data.get("author") or {}
    if not isinstance(author, dict):
        errors["author"] = _("Must be an object.")
        author = {}
    author_errors: dict[str, str] = {}
    handle = _text(author, "handle", 200, author_errors)
    name = _text(author, "name", 200, author_errors)
    email = _text(author, "email", 254, author_errors)
    phone = _text(author, "phone", 40, author_errors)
    ref = _text(author, "ref", 100, author_errors)
    errors.update({f"author.{k}": v for k, v in author_errors.items()})
    url = _text(data, "url", 500, errors)
    if url and not url.startswith(("https://", "http://")):
        errors["url"] = _("Must be an http(s) address.")
    posted_at = None
    raw_at = data.get("posted_at")
    if raw_at:
        posted_at = parse_datetime(raw_at) if isinstance(raw_at, str) else None
        if posted_at is None or posted_at.tzinfo is None:
            errors["posted_at"] = _("Must be an ISO 8601 date and time with its offset.")
            posted_at = None
    language = _text(data, "language", 10, errors).lower()
    kind = data.get("kind") or Kind.COMPLAINT
    if kind not in Kind.values:
        errors["kind"] = _("One of: %(values)s.") % {"values": ", ".join(Kind.values)}
    public = data.get("public", True)
    if not isinstance(public, bool):
        errors["public"] = _("Must be true or false.")
    if errors:
        raise ContractError(422, _("Some fields are wrong."), errors)
    return Post(
        id=post_id.strip(),
        text=text,
        handle=handle,
        name=name,
        email=email,
        phone=phone,
        ref=ref,
        url=url,
        posted_at=posted_at,
        language=language,
        kind=kind,
        public=public,
    )
