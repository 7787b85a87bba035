"""API tokens: made, checked and revoked here. A token is `rsv_` followed by 43 random
URL-safe characters (256 bits); the database keeps its SHA-256 only, so a leaked database
does not leak working tokens, and looking one up is a single indexed equality."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from resuelve.accounts.models import ApiToken, User
from resuelve.core.prepared import Prepared

TOKEN_PREFIX = "rsv_"
VISIBLE_CHARS = 12  # what the prefix column keeps: "rsv_" and 8 random characters
# last_used_at is written at most this often per token: a busy integration must not pay a
# write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# Every API request runs this lookup: compiled once, not per request.
_live_token = Prepared(
    lambda digest: ApiToken.objects.select_related("user").filter(digest=digest, revoked=False)[:1]
)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Make a token for `user`; returns the row and the token, which is never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=raw[:VISIBLE_CHARS],
        digest=token_digest(raw),
        created_at=timezone.now(),
    )
    return token, raw


def token_authenticate(raw: str) -> ApiToken | None:
    """The live token for `raw`, with its user, or None: unknown, revoked, or its user is
    inactive. Marks when it was last used."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = _live_token.first(token_digest(raw))
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_revoke(*, token: ApiToken) -> bool:
    """Revoke a token; False when it was already revoked."""
    return bool(ApiToken.objects.filter(pk=token.pk, revoked=False).update(revoked=True))
