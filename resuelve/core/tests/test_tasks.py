"""The database task queue: a task row is written in the transaction that causes it, and
`resuelve worker` runs it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from resuelve.complaints.lifecycle import Kind
from resuelve.complaints.models import Channel
from resuelve.intake.services import Contact, intake_file
from resuelve.notifications.models import Outbox


def _file():
    return intake_file(
        channel=Channel.API,
        kind=Kind.COMPLAINT,
        subject="Late delivery",
        description="The car arrived a week late.",
        contact=Contact(name="Ana", email="ana@example.com"),
    )


@pytest.mark.parametrize(
    "backend", ["resuelve.core.tasks.DatabaseBackend", "django_tasks_db.DatabaseBackend"]
)
def test_the_acknowledgement_is_queued_with_the_complaint_and_sent_by_the_worker(
    db, settings, monkeypatch, backend
):
    # The worker drops stale connections between tasks; the test's transaction is not one.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    settings.TASKS = {"default": {"BACKEND": backend}}
    filed = _file()
    task = DBTaskResult.objects.get()
    assert task.status == "READY"
    assert task.task_path == "resuelve.notifications.tasks.deliver"
    assert task.args_kwargs == {"args": [Outbox.objects.get().pk], "kwargs": {}}
    assert mail.outbox == []

    call_command("worker", "--batch", verbosity=0)

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    (sent,) = mail.outbox
    assert sent.to == ["ana@example.com"]
    assert filed.complaint.tracking_code in sent.subject


def test_a_complaint_rolled_back_leaves_no_task_behind(db, settings):
    settings.TASKS = {"default": {"BACKEND": "resuelve.core.tasks.DatabaseBackend"}}
    with pytest.raises(RuntimeError), transaction.atomic():
        _file()
        assert DBTaskResult.objects.count() == 1
        raise RuntimeError("the caller's transaction fails after filing")
    assert DBTaskResult.objects.count() == 0
    assert Outbox.objects.count() == 0
