"""Error pages are product pages: in the user's language, with a way back."""

from __future__ import annotations


def test_a_page_outside_ones_role_answers_403_with_a_page_that_explains(client, handler):
    client.force_login(handler)
    response = client.get("/staff/ledger/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    html = response.content.decode()
    assert "This page is not for your role" in html
    assert 'href="/staff/"' in html  # back to the queue


def test_the_403_page_speaks_the_users_language(client, handler):
    client.force_login(handler)
    html = client.get("/staff/ledger/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es"' in html
    assert "This page is not for your role" not in html
