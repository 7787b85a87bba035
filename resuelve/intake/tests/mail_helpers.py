"""Helpers for the mail intake tests: free ports and hand-made messages."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_mail(
    *,
    subject: str = "El televisor llegó roto",
    body: str = "Buenos días, compré un televisor y llegó con la pantalla rota. Quiero el cambio.",
    sender: str = "Lucía Gómez <lucia@example.com>",
    message_id: str | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "quejas@tienda.example"
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime(2025, 3, 3, 14, 0, tzinfo=UTC))
    message["Message-ID"] = message_id or make_msgid(domain="example.com")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))


def release_audit_events() -> None:
    """Let pytest-django's flush after a transactional test empty the audit events: SQLite
    flushes with DELETE, which the append-only triggers refuse (PostgreSQL truncates, which
    row triggers do not see). The triggers are put back at once, for the tests that follow."""
    from importlib import import_module

    from django.db import connection

    if connection.vendor != "sqlite":
        return
    migration = import_module("resuelve.complaints.migrations.0002_append_only_events")
    with connection.cursor() as cursor:
        for statement in migration.SQLITE_DOWN:
            cursor.execute(statement)
        cursor.execute(f"DELETE FROM {migration.TABLE}")
        for statement in migration.SQLITE_UP:
            cursor.execute(statement)
