"""The survey's private link: a long random secret in the URL, its SHA-256 in the database.
Pure: no database access."""

from __future__ import annotations

import hashlib
import secrets


def new_secret() -> str:
    """43 URL-safe characters, 256 bits: not guessable, and unrelated to any id."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def looks_valid(secret: str) -> bool:
    """Cheap shape check before any query (a link mangled by a mail client, or a probe)."""
    return 40 <= len(secret) <= 64 and all(c.isalnum() or c in "-_" for c in secret)
