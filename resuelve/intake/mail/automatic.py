"""Recognising mail that no person wrote: auto-replies, bounces, receipts and list traffic.
Such mail is logged and dropped, never registered and never answered (answering an
auto-reply is how mail loops start). Pure: no database access."""

from __future__ import annotations

import re

from resuelve.intake.mail.message import InboundMail

_PRECEDENCE = {"bulk", "auto_reply", "auto-reply", "junk", "list"}
_DAEMONS = re.compile(r"^(?:mailer-daemon|postmaster|mail-daemon|mailerdaemon)@", re.I)
# Subjects that clients put on automatic answers, in the languages we serve.
_SUBJECT = re.compile(
    r"^\s*(?:"
    r"out of (?:the )?office|automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|"
    r"vacation reply|away from (?:the )?office|"
    r"undeliverable|undelivered mail|delivery status notification|"
    r"delivery (?:has )?failed|mail delivery (?:failed|failure|subsystem)|returned mail|"
    r"respuesta autom[aá]tica|fuera de (?:la )?oficina|ausente de la oficina|"
    r"no se puede entregar|no entregado|mensaje no entregado|"
    r"自动回复|自動回覆|自动答复|自動答覆|自動回复|外出通知|不在办公室|不在辦公室|"
    r"退信|系统退信|系統退信|无法投递|無法投遞|"
    r"automaatvastus|automaatne vastus|kontorist väljas|"
    r"kohaletoimetamine ebaõnnestus|kirja ei saanud kätte toimetada"
    r")",
    re.I,
)


def automatic_reason(mail: InboundMail, *, envelope_from: str | None = None) -> str | None:
    """Why this message is automatic, or None if a person seems to have written it.
    `envelope_from` is the SMTP MAIL FROM ("" for the null sender of bounces; None when
    unknown, as for a polled mailbox)."""
    auto_submitted = mail.header("auto-submitted").strip().lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return f"Auto-Submitted: {auto_submitted}"
    for header in ("x-autoreply", "x-autorespond", "x-autoresponder"):
        if mail.header(header):
            return f"{header}: {mail.header(header)}"
    precedence = mail.header("precedence").strip().lower()
    if precedence in _PRECEDENCE:
        return f"Precedence: {precedence}"
    if mail.content_type == "multipart/report":
        return "multipart/report (delivery or read report)"
    if mail.header("x-failed-recipients"):
        return "X-Failed-Recipients (bounce)"
    for address in (mail.from_address, mail.return_path, envelope_from or ""):
        if address and _DAEMONS.match(address):
            return f"sent by {address}"
    if envelope_from == "" and not mail.from_address:
        return "null sender and no From (bounce)"
    if mail.header("list-id") or mail.header("list-unsubscribe"):
        return "mailing-list message"
    subject = re.sub(r"^\s*(?:re|aw|sv|vs|rv|fw|fwd)\s*:\s*", "", mail.subject, flags=re.I)
    if _SUBJECT.match(subject):
        return f"automatic subject: {mail.subject[:80]}"
    return None
