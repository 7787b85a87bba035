"""Tracking codes: readable, non-guessable, self-checking. Pure: no database access.

A code looks like ``RS-7KX9M-4TPQZ``: nine random symbols of Crockford's base-32 alphabet
(45 bits from the operating system's CSPRNG, so codes are never sequential and cannot be
enumerated) and one check symbol computed with the Luhn mod-32 algorithm, which catches
every single mistyped symbol and most swapped neighbours before a lookup is even made.
Customers may type it in lower case, with I/L for 1, O for 0, and without dashes.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
PREFIX = "RS"
RANDOM_SYMBOLS = 9
RANDOM_BITS = RANDOM_SYMBOLS * 5
_INDEX = {symbol: i for i, symbol in enumerate(ALPHABET)}
_ALIASES = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def check_symbol(payload: str) -> str:
    """Luhn mod N over the alphabet (N = 32)."""
    n = len(ALPHABET)
    factor = 2
    total = 0
    for symbol in reversed(payload):
        addend = factor * _INDEX[symbol]
        factor = 1 if factor == 2 else 2
        total += addend // n + addend % n
    return ALPHABET[(n - total % n) % n]


def generate() -> str:
    payload = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
    return format_code(payload + check_symbol(payload))


def format_code(symbols: str) -> str:
    return f"{PREFIX}-{symbols[:5]}-{symbols[5:]}"


def normalize(text: str) -> str | None:
    """The canonical code for what a person typed, or None if it cannot be a valid code."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    if cleaned.startswith(PREFIX) and len(cleaned) == len(PREFIX) + RANDOM_SYMBOLS + 1:
        cleaned = cleaned[len(PREFIX) :]
    cleaned = cleaned.translate(_ALIASES)
    if len(cleaned) != RANDOM_SYMBOLS + 1 or any(ch not in _INDEX for ch in cleaned):
        return None
    payload, check = cleaned[:-1], cleaned[-1]
    if check_symbol(payload) != check:
        return None
    return format_code(cleaned)


def is_valid(text: str) -> bool:
    return normalize(text) is not None


def access_key(code: str) -> str:
    """The secret in the customer's private link to their case: an HMAC of the tracking code
    with the site's SECRET_KEY, so it needs no storage and cannot be derived from the code.
    Rotating SECRET_KEY invalidates old links; the customer can still look the case up by
    code and e-mail."""
    from django.utils.crypto import salted_hmac

    return salted_hmac("resuelve.tracking.access", code, algorithm="sha256").hexdigest()[:32]
