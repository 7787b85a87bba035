"""An API client per persona: the Django test client with the persona's bearer token."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from resuelve.accounts.models import User
from resuelve.accounts.tokens import token_create


class Api:
    def __init__(self, client: Client, user: User | None, token: str | None = None) -> None:
        self.client = client
        self.user = user
        if token is None and user is not None:
            _row, token = token_create(user=user, name="tests")
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path: str, data: dict[str, Any] | None = None, **headers: Any) -> Any:
        return self.client.get(f"/api/v1{path}", data or {}, **self._headers(headers))

    def post(self, path: str, body: Any = None, **headers: Any) -> Any:
        return self.client.post(
            f"/api/v1{path}",
            json.dumps({} if body is None else body),
            content_type="application/json",
            **self._headers(headers),
        )

    def delete(self, path: str, **headers: Any) -> Any:
        return self.client.delete(f"/api/v1{path}", **self._headers(headers))

    def _headers(self, extra: dict[str, Any]) -> dict[str, Any]:
        # English unless a test asks otherwise (the site's default language is Spanish).
        return {"HTTP_ACCEPT_LANGUAGE": "en", **self.headers, **extra}


@pytest.fixture
def api_as(client: Client) -> Any:
    def make(user: User | None, token: str | None = None) -> Api:
        return Api(client, user, token)

    return make


FILING = {
    "kind": "claim",
    "subject": "The brakes squeak",
    "description": "Two days after the service the brakes squeak on every stop.",
    "language": "en",
    "customer": {"name": "Ana Pérez", "email": "ana@example.com", "phone": "+57 300 123 4567"},
    "requested_remedy": "Fix them",
    "amount_claimed": "120000.00",
    "occurred_at": "2025-02-28",
}


@pytest.fixture
def filing() -> dict[str, Any]:
    return json.loads(json.dumps(FILING))
