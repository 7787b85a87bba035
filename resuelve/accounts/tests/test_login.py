import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from resuelve.accounts.models import User


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(db):
    user = User.objects.create_user("lina", password="correct horse battery", role="agent")
    return user


@override_settings(LOGIN_ATTEMPTS_PER_15_MIN=3)
def test_it_refuses_sign_in_after_too_many_failures_even_with_the_right_password(staff):
    client = Client()
    for _ in range(3):
        response = client.post("/staff/login/", {"username": "lina", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(
        "/staff/login/",
        {"username": "lina", "password": "correct horse battery"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_ATTEMPTS_PER_15_MIN=3)
def test_it_lets_a_user_in_after_fewer_failures_than_the_limit(staff):
    client = Client()
    for _ in range(2):
        client.post("/staff/login/", {"username": "lina", "password": "wrong"})
    response = client.post(
        "/staff/login/", {"username": "lina", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert response.url == "/staff/"


def test_it_shows_a_translated_error_for_a_wrong_password(staff):
    response = Client().post(
        "/staff/login/", {"username": "lina", "password": "nope"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
