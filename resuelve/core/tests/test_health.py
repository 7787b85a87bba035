"""/healthz for load balancers and monitoring, and the public home page."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.utils import timezone

from resuelve.complaints.lifecycle import State
from resuelve.complaints.models import Message
from resuelve.notifications.models import Outbox, Transport
from resuelve.notifications.tasks import deliver


def test_it_reports_the_database_and_the_task_queue(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"status": "ok", "vendor": connections["default"].vendor}
    assert body["tasks"] == {"backend": "ImmediateBackend", "status": "ok"}
    assert body["outbox"] == {
        "status": "ok",
        "pending": 0,
        "oldest_wait_seconds": 0,
        "given_up": 0,
    }


def test_it_reports_notifications_waiting_to_be_sent_and_those_given_up(
    client, settings, make_complaint, clock
):
    settings.TASKS = {"default": {"BACKEND": "resuelve.core.tasks.DatabaseBackend"}}
    case = make_complaint()
    message = Message.objects.filter(complaint=case).first()
    for n in range(3):
        Outbox.objects.create(
            transport=Transport.EMAIL,
            complaint=case,
            message=message,
            recipient=f"c{n}@example.com",
            body="Hello",
            created_at=timezone.now(),
        )
        clock.advance(timedelta(minutes=1))
    Outbox.objects.filter(recipient="c2@example.com").update(failed_at=timezone.now())
    Outbox.objects.filter(recipient="c1@example.com").update(
        next_attempt_at=timezone.now() + timedelta(minutes=5)  # backing off: not due yet
    )
    clock.advance(timedelta(seconds=30))
    outbox = client.get("/healthz").json()["outbox"]
    assert outbox == {"status": "ok", "pending": 1, "oldest_wait_seconds": 210, "given_up": 1}


def test_it_counts_waiting_tasks_and_the_oldest_wait_on_the_database_queue(
    client, settings, make_complaint, clock
):
    case = make_complaint()
    message = Message.objects.filter(complaint=case).first()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    body = client.get("/healthz").json()
    assert body["tasks"] == {
        "backend": "DatabaseBackend",
        "status": "ok",
        "waiting": 0,
        "failed": 0,
        "oldest_wait_seconds": 0,
    }
    deliver.enqueue(message.pk)
    clock.advance(timedelta(minutes=2))
    deliver.enqueue(message.pk)
    clock.advance(timedelta(seconds=30))
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert (body["tasks"]["waiting"], body["tasks"]["failed"]) == (2, 0)
    assert body["tasks"]["oldest_wait_seconds"] == 150


def test_it_answers_503_when_the_database_is_down(client, db, caplog):
    down = OperationalError("could not connect to server: Connection refused")
    with mock.patch.object(connections["default"], "cursor", side_effect=down):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"]["status"] == "error"
    assert "Connection refused" in body["database"]["error"]
    assert body["tasks"] == {"status": "unknown"}
    assert body["outbox"] == {"status": "unknown"}
    assert "database unavailable" in caplog.text


def test_it_needs_no_sign_in_for_the_health_check(client, db, manager):
    assert client.get("/healthz").status_code == 200
    client.force_login(manager)
    assert client.get("/healthz").status_code == 200


def test_it_shows_the_home_page_to_anonymous_visitors_with_a_staff_sign_in_link(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/staff/login/"' in html
    assert "Staff sign-in" in html
    assert "RS-7KX9M-4TPQZ" in html  # how a tracking number looks


@pytest.mark.parametrize("language", ["es", "en", "zh-hans", "et"])
def test_it_renders_the_home_page_in_every_language(client, db, language):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()


def test_it_opens_the_staff_login_page(client, db):
    response = client.get("/staff/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


def test_it_keeps_the_queue_behind_the_login(client, make_complaint, manager):
    make_complaint(state=State.ACKNOWLEDGED)
    assert client.get("/staff/").status_code == 302
    client.force_login(manager)
    assert client.get("/staff/").status_code == 200
