"""The SMTP intake server. It answers 250 only once `mail_receive` has returned, i.e. once the
complaint (or message) is committed; a database or other internal error gets 451 so the
sending MTA keeps the message and retries, and the Message-ID makes the retry harmless."""

from __future__ import annotations

import asyncio
import logging
import ssl
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.db import close_old_connections

from resuelve.complaints.lifecycle import Kind
from resuelve.intake.mail.receive import Outcome, Status, mail_receive, max_message_bytes

log = logging.getLogger("resuelve.intake.mail")


def _ascii(text: str) -> str:
    return text.encode("ascii", "replace").decode()[:200].replace("\r", " ").replace("\n", " ")


def _receive(raw: bytes, envelope_from: str | None, kind: str, max_bytes: int) -> Outcome:
    # The ORM runs in worker threads: each keeps a connection, checked like a request's.
    close_old_connections()
    try:
        return mail_receive(raw=raw, envelope_from=envelope_from, kind=kind, max_bytes=max_bytes)
    finally:
        close_old_connections()


class IntakeHandler:
    def __init__(
        self, *, kind: str = Kind.COMPLAINT, max_bytes: int | None = None, workers: int = 4
    ):
        self.kind = kind
        self.max_bytes = max_bytes or max_message_bytes()
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mail-intake")

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        if isinstance(envelope.content, bytes) and not raw:
            raw = envelope.content
        peer = session.peer
        envelope_from = (envelope.mail_from or "").strip().strip("<>")
        try:
            outcome = await asyncio.get_running_loop().run_in_executor(
                self.executor, _receive, raw, envelope_from, self.kind, self.max_bytes
            )
        except Exception:
            log.exception(
                "mail from %s (peer %s) not stored: temporary failure", envelope.mail_from, peer
            )
            return "451 4.3.0 Temporary failure storing the message, please retry"
        if outcome.status == Status.REJECTED:
            if outcome.too_large:
                return f"552 5.3.4 {_ascii(outcome.reason)}"
            return f"550 5.6.0 Message not registered: {_ascii(outcome.reason)}"
        if outcome.status == Status.IGNORED:
            return "250 2.0.0 Automatic message received and not answered"
        code = outcome.complaint.tracking_code if outcome.complaint else ""
        return f"250 2.0.0 Received as {code}"

    def close(self) -> None:
        self.executor.shutdown(wait=True)


class _IntakeSMTP(SMTP):
    """aiosmtpd refuses oversized mail itself (before our handler sees it): log why."""

    async def push(self, status: str) -> None:
        if status.startswith("552"):
            log.warning(
                "mail from %s (peer %s) refused: %s (limit %s bytes)",
                getattr(self.envelope, "mail_from", None),
                getattr(self.session, "peer", None),
                status,
                self.data_size_limit,
            )
        await super().push(status)


class IntakeController(Controller):
    def factory(self) -> SMTP:
        return _IntakeSMTP(self.handler, **self.SMTP_kwargs)


def intake_controller(
    *,
    host: str,
    port: int,
    kind: str = Kind.COMPLAINT,
    max_bytes: int | None = None,
    tls_cert: str = "",
    tls_key: str = "",
    require_tls: bool = False,
) -> IntakeController:
    """A started-on-demand SMTP intake server (call .start() / .stop())."""
    handler = IntakeHandler(kind=kind, max_bytes=max_bytes)
    kwargs: dict[str, Any] = {
        "data_size_limit": handler.max_bytes,
        "decode_data": False,
        "enable_SMTPUTF8": True,
        "ident": "Resuelve mail intake",
    }
    if tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(tls_cert, tls_key or None)
        kwargs["tls_context"] = context
        kwargs["require_starttls"] = require_tls
    return IntakeController(handler, hostname=host, port=port, **kwargs)
