from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from resuelve.accounts.models import ApiToken, User
from resuelve.accounts.tokens import token_digest


@pytest.mark.django_db
class TestTokens:
    def test_it_prints_a_token_that_authenticates(self, agent: User, client: Client) -> None:
        out = StringIO()
        call_command("create_token", "agent", "--name", "CRM", stdout=out)
        raw = out.getvalue().strip()
        assert raw.startswith("rsv_")
        row = ApiToken.objects.get(user=agent)
        assert row.name == "CRM"
        assert row.digest == token_digest(raw) and raw not in (row.digest, row.prefix)
        assert raw.startswith(row.prefix)
        response = client.get("/api/v1/complaints", HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 200
        row.refresh_from_db()
        assert row.last_used_at is not None

    def test_it_lists_and_revokes(self, agent: User, client: Client) -> None:
        out = StringIO()
        call_command("create_token", "agent", stdout=out)
        raw = out.getvalue().strip()
        prefix = ApiToken.objects.get(user=agent).prefix
        listing = StringIO()
        call_command("create_token", "agent", "--list", stdout=listing)
        assert prefix in listing.getvalue() and "active" in listing.getvalue()
        call_command("create_token", "agent", "--revoke", prefix, stdout=StringIO())
        assert ApiToken.objects.get(user=agent).revoked
        response = client.get("/api/v1/complaints", HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 401

    def test_it_refuses_missing_unknown_and_malformed_tokens(self, api_as: Any) -> None:
        for api in (api_as(None), api_as(None, "rsv_nope"), api_as(None, "garbage")):
            response = api.get("/complaints")
            assert response.status_code == 401
            assert response["WWW-Authenticate"] == "Bearer"
            assert response.json()["detail"]

    def test_it_refuses_inactive_users_tokens(self, api_as: Any, agent: User) -> None:
        api = api_as(agent)
        agent.is_active = False
        agent.save()
        assert api.get("/complaints").status_code == 401

    def test_it_answers_in_the_users_language(self, api_as: Any, agent: User) -> None:
        agent.language = "es"
        agent.save()
        response = api_as(agent).post("/complaints", {"subject": "x"})
        assert response.status_code == 422
        assert response["Content-Language"] == "es"
        assert response.json()["errors"]["description"] == ["Este campo es obligatorio."]

    def test_it_answers_in_the_accept_language_otherwise(self, api_as: Any, agent: User) -> None:
        response = api_as(agent).post("/complaints", {"subject": "x"}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.json()["errors"]["description"] == ["This field is required."]
        response = api_as(agent).post("/complaints", {"subject": "x"}, HTTP_ACCEPT_LANGUAGE="es")
        assert response.json()["errors"]["description"] == ["Este campo es obligatorio."]


@pytest.mark.django_db
class TestRateLimit:
    def test_it_limits_requests_per_token(self, api_as: Any, agent: User, settings: Any) -> None:
        from django.core.cache import cache

        cache.clear()
        settings.RESUELVE_API_REQUESTS_PER_MINUTE = 3
        api = api_as(agent)
        statuses = [api.get("/complaints").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert api.get("/complaints")["Retry-After"] == "60"
        settings.RESUELVE_API_REQUESTS_PER_MINUTE = 0
        assert api.get("/complaints").status_code == 200

    def test_it_limits_failed_authentication_per_address(self, api_as: Any, settings: Any) -> None:
        from django.core.cache import cache

        cache.clear()
        settings.RESUELVE_API_AUTH_FAILURES_PER_MINUTE = 2
        api = api_as(None, "rsv_wrong")
        assert [api.get("/complaints").status_code for _ in range(3)] == [401, 401, 429]


@pytest.mark.django_db
def test_the_docs_page_needs_no_cdn(client: Client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/complaints/{tracking_code}/actions/refer-external" in schema["paths"]
