from __future__ import annotations

import pytest
from django.test import Client

from resuelve.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_header_picker_changes_a_signed_in_users_language(
    client: Client, handler: User
) -> None:
    handler.language = "es"
    handler.save(update_fields=["language"])
    client.force_login(handler)
    assert client.get("/staff/").headers["Content-Language"] == "es"
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/staff/"})
    assert response.status_code == 302 and response.headers["Location"] == "/staff/"
    handler.refresh_from_db()
    assert handler.language == "zh-hans"
    page = client.get("/staff/")
    assert page.headers["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans"' in page.content.decode()


def test_an_unknown_language_changes_nothing(client: Client, handler: User) -> None:
    client.force_login(handler)
    before = handler.language
    client.post("/i18n/setlang/", {"language": "xx", "next": "/staff/"})
    handler.refresh_from_db()
    assert handler.language == before


def test_a_visitor_still_picks_a_language_by_cookie(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "et", "next": "/"})
    assert response.cookies["django_language"].value == "et"
