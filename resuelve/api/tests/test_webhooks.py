from __future__ import annotations

from typing import Any

import pytest

from resuelve.accounts.models import User
from resuelve.notifications.models import WebhookEndpoint
from resuelve.notifications.services import forget_endpoints

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_endpoint_cache() -> Any:
    forget_endpoints()
    yield
    forget_endpoints()


def test_administrators_register_list_and_stop_endpoints(api_as: Any, admin: User) -> None:
    api = api_as(admin)
    created = api.post("/webhooks", {"url": "https://crm.example.com/hook"})
    assert created.status_code == 201
    body = created.json()
    assert len(body["secret"]) >= 32
    assert body["events"] == ["complaint.created", "complaint.state_changed"]
    listed = api.get("/webhooks").json()
    assert [e["url"] for e in listed] == ["https://crm.example.com/hook"]
    assert "secret" not in listed[0]
    assert api.delete(f"/webhooks/{body['id']}").status_code == 204
    assert not WebhookEndpoint.objects.get().active
    assert api.delete(f"/webhooks/{body['id']}").status_code == 404


def test_only_administrators_manage_endpoints(api_as: Any, manager: User) -> None:
    api = api_as(manager)
    assert api.get("/webhooks").status_code == 403
    assert api.post("/webhooks", {"url": "https://x.example.com/"}).status_code == 403


def test_an_endpoint_must_be_a_web_address(api_as: Any, admin: User) -> None:
    response = api_as(admin).post("/webhooks", {"url": "file:///etc/passwd"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"url"}
