"""One inbound e-mail, whichever way it came (SMTP or a polled mailbox), becomes a complaint,
a message on an existing case, or a logged refusal. Both channels call `mail_receive` and
act on its outcome only after it returns, i.e. after the database committed."""

from __future__ import annotations

import logging
import mimetypes
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from resuelve.complaints import tracking
from resuelve.complaints.lifecycle import Kind
from resuelve.complaints.models import Channel, Complaint, Message
from resuelve.complaints.services import (
    ALLOWED_ATTACHMENT_TYPES,
    MAX_ATTACHMENT_BYTES,
    content_matches,
)
from resuelve.intake.mail.automatic import automatic_reason
from resuelve.intake.mail.message import InboundMail, MailFile, parse, stable_key
from resuelve.intake.mail.text import detect_language, strip_quoted
from resuelve.intake.models import IntakeKey
from resuelve.intake.services import Contact, Idempotency, intake_file, intake_reply
from resuelve.settings.env import env_int

log = logging.getLogger("resuelve.intake.mail")

SOURCE = "email"
DEFAULT_MAX_BYTES = 25 * 1024 * 1024
# Our own customer e-mails carry Message-ID <RS-XXXXX-XXXXX.<message pk>@resuelve>.
_OUR_MESSAGE_ID = re.compile(r"<(RS-[0-9A-Z]{5}-[0-9A-Z]{5})\.\d+@resuelve>", re.I)
_CODE = re.compile(r"(?<![0-9A-Z])RS[-\s]?[0-9A-Z]{5}[-\s]?[0-9A-Z]{5}(?![0-9A-Z])", re.I)


class Status(StrEnum):
    REGISTERED = "registered"
    REPLIED = "replied"
    IGNORED = "ignored"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Outcome:
    status: Status
    key: str
    reason: str = ""
    complaint: Complaint | None = None
    message: Message | None = None
    created: bool = True
    too_large: bool = False

    @property
    def accepted(self) -> bool:
        """Whether the sender may forget the message (it is stored, or deliberately dropped)."""
        return self.status != Status.REJECTED


def max_message_bytes() -> int:
    configured = getattr(settings, "RESUELVE_MAIL_MAX_BYTES", None)
    if configured:
        return int(configured)
    return env_int("RESUELVE_MAIL_MAX_BYTES", DEFAULT_MAX_BYTES)


def _own_addresses() -> set[str]:
    addresses = {parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower()}
    if settings.RESUELVE_INTAKE_ADDRESS:
        addresses.add(parseaddr(settings.RESUELVE_INTAKE_ADDRESS)[1].lower())
    return {a for a in addresses if a}


def _sender(mail: InboundMail, envelope_from: str | None) -> str:
    for address in (mail.from_address, mail.reply_to, mail.sender, mail.return_path):
        if address:
            return address
    return (envelope_from or "").strip().lower()


def _thread_code(mail: InboundMail) -> str | None:
    """The tracking code this message answers: our Message-ID in In-Reply-To or References,
    else a valid code in the subject."""
    for header in (mail.in_reply_to, mail.references):
        for found in _OUR_MESSAGE_ID.finditer(header):
            code = tracking.normalize(found.group(1))
            if code:
                return code
    for found in _CODE.finditer(mail.subject):
        code = tracking.normalize(found.group(0))
        if code:
            return code
    return None


def _case_for_reply(code: str, sender: str) -> Complaint | None:
    """The case a reply joins. As on the portal, the code alone is not enough: the reply must
    come from the case's contact address (or its customer's)."""
    case = Complaint.objects.select_related("customer").filter(tracking_code=code).first()
    if case is None:
        return None
    addresses = {case.contact_email.lower()}
    if case.customer is not None and case.customer.email:
        addresses.add(case.customer.email.lower())
    if sender and sender in addresses:
        return case
    log.info("mail for %s from %s, not the case's contact: filed as new", code, sender)
    return None


def _refusal(file: MailFile) -> str | None:
    """Why the portal would refuse this file, or None: the same type and size rules."""
    if not file.content:
        return _("it is empty")
    if len(file.content) > MAX_ATTACHMENT_BYTES:
        return _("it is larger than 10 MB")
    guessed = mimetypes.guess_type(file.name)[0] or ""
    if guessed not in ALLOWED_ATTACHMENT_TYPES or not content_matches(guessed, file.content[:4096]):
        return _("files of this type are not accepted")
    return None


def _uploads(files: list[MailFile]) -> tuple[list[SimpleUploadedFile], list[str]]:
    uploads: list[SimpleUploadedFile] = []
    notes: list[str] = []
    for file in files:
        why = _refusal(file)
        if why is None:
            uploads.append(SimpleUploadedFile(file.name, file.content, file.content_type))
        else:
            notes.append(
                _("[Attachment %(name)s was not kept: %(why)s.]") % {"name": file.name, "why": why}
            )
            log.info("attachment %s (%s) dropped: %s", file.name, file.content_type, why)
    return uploads, notes


def _with_notes(text: str, notes: list[str]) -> str:
    return "\n\n".join([text.strip(), *notes]).strip() if notes else text.strip()


def _subject(mail: InboundMail, text: str) -> str:
    if mail.subject.strip():
        return mail.subject.strip()
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if first:
        return first[:80]
    return _("E-mail without subject")


def _already(key: str) -> Outcome | None:
    found = (
        IntakeKey.objects.select_related("complaint", "message")
        .filter(source=SOURCE, key=key)
        .first()
    )
    if found is None:
        return None
    status = Status.REPLIED if found.message_id else Status.REGISTERED
    return Outcome(
        status=status,
        key=key,
        reason="already received",
        complaint=found.complaint,
        message=found.message,
        created=False,
    )


def _log(outcome: Outcome, mail: InboundMail | None) -> Outcome:
    code = outcome.complaint.tracking_code if outcome.complaint else "-"
    sender = mail.from_address if mail else "-"
    level = logging.WARNING if outcome.status == Status.REJECTED else logging.INFO
    log.log(
        level,
        "mail %s from %s: %s%s %s",
        outcome.key,
        sender or "-",
        outcome.status,
        "" if outcome.created else " (repeat)",
        f"{code} {outcome.reason}".strip(),
    )
    return outcome


def _validation_text(error: ValidationError) -> str:
    return "; ".join(str(m) for m in error.messages)


def mail_receive(
    *,
    raw: bytes,
    envelope_from: str | None = None,
    received_at: datetime | None = None,
    kind: str = Kind.COMPLAINT,
    max_bytes: int | None = None,
) -> Outcome:
    """Register one raw e-mail at most once (its Message-ID, or a hash of it, is the
    idempotency key). Automatic mail is ignored; a reply from the case's contact joins its
    case without the quoted history; anything else is a new complaint. Refused attachments
    are left out with a note in the text. Returns REJECTED (with the reason) for what can
    never be registered: too large, no sender, no content. Database errors propagate, so the
    caller can ask the sender to retry."""
    limit = max_message_bytes() if max_bytes is None else max_bytes
    if len(raw) > limit:
        key = stable_key(raw, "")
        return _log(
            Outcome(
                status=Status.REJECTED,
                key=key,
                reason=f"message of {len(raw)} bytes is over the limit of {limit}",
                too_large=True,
            ),
            None,
        )
    mail = parse(raw)
    key = stable_key(raw, mail.message_id)
    automatic = automatic_reason(mail, envelope_from=envelope_from)
    if automatic:
        return _log(Outcome(status=Status.IGNORED, key=key, reason=automatic), mail)
    sender = _sender(mail, envelope_from)
    if sender in _own_addresses():
        return _log(Outcome(status=Status.IGNORED, key=key, reason="sent by ourselves"), mail)
    earlier = _already(key)
    if earlier is not None:
        return _log(earlier, mail)
    if not sender:
        return _log(Outcome(status=Status.REJECTED, key=key, reason="no sender address"), mail)
    idempotency = Idempotency(source=SOURCE, key=key)
    uploads, notes = _uploads(mail.files)

    code = _thread_code(mail)
    case = _case_for_reply(code, sender) if code else None
    if case is not None:
        body = _with_notes(strip_quoted(mail.text), notes)
        try:
            message, created = intake_reply(
                complaint=case,
                body=body,
                channel=Channel.EMAIL,
                attachments=uploads,
                idempotency=idempotency,
            )
        except ValidationError as error:
            return _log(
                Outcome(status=Status.REJECTED, key=key, reason=_validation_text(error)), mail
            )
        return _log(
            Outcome(
                status=Status.REPLIED, key=key, complaint=case, message=message, created=created
            ),
            mail,
        )

    text = mail.text.strip()
    if not text and uploads:
        text = _("(The e-mail had no text; see the attachments.)")
    if not text and mail.subject.strip():
        text = mail.subject.strip()
    if not text and not notes:
        return _log(Outcome(status=Status.REJECTED, key=key, reason="empty message"), mail)
    description = _with_notes(text, notes)
    language = detect_language(
        f"{mail.subject}\n{text}",
        served={code for code, _name in settings.LANGUAGES},
        default=settings.LANGUAGE_CODE,
        declared=mail.content_language,
    )
    try:
        filed = intake_file(
            channel=Channel.EMAIL,
            kind=kind,
            subject=_subject(mail, text),
            description=description,
            contact=Contact(name=mail.from_name[:200], email=sender),
            language=language,
            received_at=received_at,
            attachments=uploads,
            idempotency=idempotency,
        )
    except ValidationError as error:
        return _log(Outcome(status=Status.REJECTED, key=key, reason=_validation_text(error)), mail)
    return _log(
        Outcome(
            status=Status.REGISTERED,
            key=key,
            complaint=filed.complaint,
            created=filed.created,
            reason=f"code {code} unknown or not the sender's" if code else "",
        ),
        mail,
    )
