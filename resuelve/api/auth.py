"""Bearer-token authentication, the caller's language and the per-token rate limit."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from ninja.security import HttpBearer

from resuelve.accounts.models import User
from resuelve.accounts.tokens import token_authenticate
from resuelve.core.ratelimit import client_ip, hit


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


class TokenAuth(HttpBearer):
    """`Authorization: Bearer rsv_...`. The request then runs as the token's user, in their
    profile language (else the Accept-Language one), with the same role and department
    scope as in the workspace."""

    openapi_description = "An API token made with `resuelve create-token USERNAME`."

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = token_authenticate(token)
        if found is None:
            # Failed attempts count per address: guessing tokens is pointless, but not free.
            limit = settings.RESUELVE_API_AUTH_FAILURES_PER_MINUTE
            if limit and not hit("api-auth", client_ip(request), limit=limit, window_seconds=60):
                raise RateLimited(60)
            return None
        limit = settings.RESUELVE_API_REQUESTS_PER_MINUTE
        if limit and not hit("api", str(found.pk), limit=limit, window_seconds=60):
            raise RateLimited(60)
        user = found.user
        request.user = user
        if user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return user
