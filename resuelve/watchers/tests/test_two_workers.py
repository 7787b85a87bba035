"""Two workers scanning at the same moment, for real, on PostgreSQL (row locks and unique
constraints across connections). SQLite serializes every writer, which the single-process
tests in test_delivery.py cover."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import State
from resuelve.complaints.models import Category
from resuelve.watchers.jobs import watchers_scan
from resuelve.watchers.models import WatchDelivery

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_two_workers_scanning_at_once_send_each_email_once(
    make_complaint, watch_for, sent_mail, supervisor: User, handler: User, category: Category
) -> None:
    watch_for(supervisor, category=category)
    case = make_complaint(state=State.ASSESSED)
    from resuelve.complaints.services import complaint_add_message

    complaint_add_message(complaint=case, actor=supervisor, body="@handler look", to_customer=False)
    start = threading.Barrier(2)
    results: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            results.append(watchers_scan())
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(results) == [0, 2]  # one e-mail and one mention, by one of them
    assert WatchDelivery.objects.filter(complaint=case).count() == 1
    assert sorted(m.to[0] for m in sent_mail()) == sorted([supervisor.email, handler.email])
