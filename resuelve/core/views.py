from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from resuelve.core.health import outbox_status, task_queue_status

log = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


def ping(request: HttpRequest) -> HttpResponse:
    """The barest endpoint: no database, no template. Benchmarks compare pages against it."""
    return HttpResponse("pong", content_type="text/plain")


def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers; 503 otherwise. Reports the task queue and the outbox."""
    body: dict[str, object] = {"status": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        body["database"] = {"status": "ok", "vendor": connection.vendor}
    except DatabaseError as exc:
        log.warning("healthz: database unavailable: %s", exc)
        body["status"] = "error"
        body["database"] = {"status": "error", "error": str(exc)[:200]}
        body["tasks"] = {"status": "unknown"}
        body["outbox"] = {"status": "unknown"}
        return JsonResponse(body, status=503)
    body["tasks"] = task_queue_status()
    body["outbox"] = outbox_status()
    return JsonResponse(body, status=200)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
