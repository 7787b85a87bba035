from __future__ import annotations

import pytest

from resuelve.accounts.roles import Role
from resuelve.resolution import selectors
from resuelve.resolution.demo import ensure_demo_hr

pytestmark = pytest.mark.django_db


def test_it_adds_one_hr_reader_to_the_demo_once() -> None:
    first = ensure_demo_hr()
    again = ensure_demo_hr()

    assert first.pk == again.pk and first.role == Role.HR
    assert first.check_password("resuelve-demo") and first.read_only
    assert selectors.may_read_accountability(first)
    assert not selectors.may_record_accountability(first)


def test_the_hr_reader_sees_the_accountability_page_without_a_form(client) -> None:
    client.force_login(ensure_demo_hr())

    response = client.get("/staff/accountability/")

    assert response.status_code == 200
    assert 'method="post"' not in response.content.decode().split('<main id="main"')[1]
