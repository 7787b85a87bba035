"""Task-queue status for /healthz: backend, waiting and failed tasks, oldest wait."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from resuelve.core.tasks import uses_database_queue


def outbox_status() -> dict[str, object]:
    """Notifications waiting to be sent (due now), how long the oldest has waited, and how
    many were given up: a growing backlog means too few workers or a broken mail server."""
    from django.db.models import Q

    from resuelve.notifications.models import Outbox

    now = timezone.now()
    status: dict[str, object] = {"status": "ok"}
    try:
        pending = Outbox.objects.filter(sent_at__isnull=True, failed_at__isnull=True)
        due = pending.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        status["pending"] = due.count()
        oldest = due.order_by("id").values_list("created_at", flat=True).first()
        status["oldest_wait_seconds"] = int((now - oldest).total_seconds()) if oldest else 0
        status["given_up"] = Outbox.objects.filter(failed_at__isnull=False).count()
    except DatabaseError as exc:
        status["status"] = "error"
        status["error"] = str(exc)[:200]
    return status


def task_queue_status() -> dict[str, object]:
    backend = settings.TASKS["default"]["BACKEND"]
    status: dict[str, object] = {"backend": backend.rsplit(".", 1)[-1], "status": "ok"}
    if not uses_database_queue():
        return status
    from django_tasks_db.models import DBTaskResult

    try:
        ready = DBTaskResult.objects.filter(status="READY")
        status["waiting"] = ready.count()
        status["failed"] = DBTaskResult.objects.filter(status="FAILED").count()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        status["oldest_wait_seconds"] = (
            int((timezone.now() - oldest).total_seconds()) if oldest else 0
        )
    except DatabaseError as exc:
        status["status"] = "error"
        status["error"] = str(exc)[:200]
    return status
