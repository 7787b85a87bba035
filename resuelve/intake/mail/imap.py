"""Polling an existing mailbox over IMAP. Each unseen message is read without marking it
(BODY.PEEK), handed to `mail_receive`, and only after that returned (the complaint or
message is committed) is it marked \\Seen, moved or deleted. A crash in between leaves it
unseen; the next poll reads it again and the Message-ID makes that harmless. One bad
message never stops the poll: it is refused (flagged or moved to the failure folder) or,
on an unexpected error, left unseen for the next poll. A message that fails that way poll
after poll is refused after RESUELVE_MAIL_MAX_ATTEMPTS tries (counted in keywords on the
message itself, so restarts do not reset them); a database that is away counts for no
message, since none of them is at fault."""

from __future__ import annotations

import logging
import shlex
import ssl
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _
from imapclient import IMAPClient

from resuelve.complaints.lifecycle import Kind
from resuelve.intake.mail.options import env_int
from resuelve.intake.mail.receive import Outcome, Status, mail_receive, max_message_bytes

log = logging.getLogger("resuelve.intake.mail")

SECURITY_CHOICES = ("ssl", "starttls", "plain")
SEEN = b"\\Seen"
FLAGGED = b"\\Flagged"
DELETED = b"\\Deleted"
REFUSED_KEYWORD = b"$ResuelveRefused"
# One keyword per failed try: $ResuelveFailed1, $ResuelveFailed2, ...
FAILED_KEYWORD = "$ResuelveFailed{n}"


@dataclass(frozen=True)
class Mailbox:
    host: str
    username: str
    port: int = 0
    security: str = "ssl"  # ssl (IMAPS, 993), starttls (143), plain (143, loopback only)
    password: str = ""
    oauth2_token: str = ""
    oauth2_token_command: str = ""  # prints a fresh access token (tokens expire hourly)
    folder: str = "INBOX"
    done_folder: str = ""  # move processed mail here instead of leaving it marked \Seen
    failed_folder: str = ""  # move refused mail here instead of flagging it
    delete: bool = False  # delete processed mail instead of keeping it
    verify_tls: bool = True
    timeout: float = 60.0

    @property
    def effective_port(self) -> int:
        return self.port or (993 if self.security == "ssl" else 143)


@dataclass
class PollReport:
    counts: dict[str, int] = field(default_factory=dict)
    errors: int = 0

    def add(self, status: str) -> None:
        self.counts[status] = self.counts.get(status, 0) + 1

    def __str__(self) -> str:
        labels = {
            Status.REGISTERED: _("%(n)s registered"),
            Status.REPLIED: _("%(n)s added to their cases"),
            Status.IGNORED: _("%(n)s automatic, ignored"),
            Status.REJECTED: _("%(n)s refused"),
        }
        parts = [labels[Status(status)] % {"n": n} for status, n in sorted(self.counts.items())]
        if self.errors:
            parts.append(_("%(n)s left for the next poll") % {"n": self.errors})
        return ", ".join(parts) or _("nothing new")


def _token(mailbox: Mailbox) -> str:
    if mailbox.oauth2_token_command:
        result = subprocess.run(  # noqa: S603 - the administrator's own configured command
            shlex.split(mailbox.oauth2_token_command),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return result.stdout.strip()
    return mailbox.oauth2_token


def connect(mailbox: Mailbox) -> IMAPClient:
    """A logged-in client with the folder selected."""
    context = ssl.create_default_context()
    if not mailbox.verify_tls:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    client = IMAPClient(
        mailbox.host,
        port=mailbox.effective_port,
        ssl=mailbox.security == "ssl",
        ssl_context=context if mailbox.security == "ssl" else None,
        timeout=mailbox.timeout,
    )
    try:
        if mailbox.security == "starttls":
            client.starttls(context)
        token = _token(mailbox)
        if token:
            client.oauth2_login(mailbox.username, token)
        else:
            client.login(mailbox.username, mailbox.password)
        client.select_folder(mailbox.folder)
    except Exception:
        _logout(client)
        raise
    return client


def _logout(client: IMAPClient) -> None:
    try:
        client.logout()
    except Exception:  # the connection may already be gone
        log.debug("IMAP logout failed", exc_info=True)


def _ensure_folder(client: IMAPClient, folder: str) -> None:
    if not client.folder_exists(folder):
        client.create_folder(folder)


def _move(client: IMAPClient, uid: int, folder: str) -> None:
    _ensure_folder(client, folder)
    if client.has_capability("MOVE"):
        client.move([uid], folder)
        return
    client.copy([uid], folder)
    _delete(client, uid)


def _delete(client: IMAPClient, uid: int) -> None:
    client.add_flags([uid], [DELETED])
    if client.has_capability("UIDPLUS"):
        client.uid_expunge([uid])
    else:
        client.expunge()


def _finish(client: IMAPClient, mailbox: Mailbox, uid: int, outcome: Outcome) -> None:
    """What happens to the message in the mailbox, once its outcome is committed."""
    if outcome.status == Status.REJECTED:
        client.add_flags([uid], [SEEN, FLAGGED, REFUSED_KEYWORD])
        if mailbox.failed_folder:
            _move(client, uid, mailbox.failed_folder)
        return
    client.add_flags([uid], [SEEN])
    if mailbox.done_folder:
        _move(client, uid, mailbox.done_folder)
    elif mailbox.delete:
        _delete(client, uid)


def _arrival(value: object) -> datetime | None:
    """INTERNALDATE (when the mailbox got the message) as an aware time, not in the future."""
    if not isinstance(value, datetime):
        return None
    arrived = value if value.tzinfo else value.replace(tzinfo=UTC)
    return min(arrived, timezone.now())


def _too_large(size: int, limit: int) -> Outcome:
    return Outcome(
        status=Status.REJECTED,
        key=f"size:{size}",
        reason=f"message of {size} bytes is over the limit of {limit}",
        too_large=True,
    )


def poll_once(
    client: IMAPClient,
    mailbox: Mailbox,
    *,
    kind: str = Kind.COMPLAINT,
    max_bytes: int | None = None,
) -> PollReport:
    """Register every unseen message in the selected folder, oldest first."""
    limit = max_bytes or max_message_bytes()
    report = PollReport()
    uids = sorted(client.search(["UNSEEN", "NOT", "DELETED"]))
    if not uids:
        return report
    sizes = client.fetch(uids, ["RFC822.SIZE", "INTERNALDATE"])
    for uid in uids:
        meta = sizes.get(uid, {})
        size = int(meta.get(b"RFC822.SIZE", 0) or 0)
        try:
            if size > limit:
                outcome = _too_large(size, limit)
                log.warning("mail uid %s in %s refused: %s", uid, mailbox.folder, outcome.reason)
            else:
                fetched = client.fetch([uid], ["BODY.PEEK[]"]).get(uid, {})
                raw = fetched.get(b"BODY[]")
                if raw is None:  # expunged by someone else meanwhile
                    continue
                outcome = mail_receive(
                    raw=bytes(raw),
                    received_at=_arrival(meta.get(b"INTERNALDATE")),
                    kind=kind,
                    max_bytes=limit,
                )
            _finish(client, mailbox, uid, outcome)
            report.add(outcome.status)
        except (IMAPClient.AbortError, OSError):
            raise  # the connection is gone: the caller reconnects
        except DatabaseError:
            # Not committed: the database is away, which is no message's fault.
            report.errors += 1
            log.exception("mail uid %s in %s left for the next poll", uid, mailbox.folder)
        except Exception:
            # Not committed, or committed but not flagged: left unseen for the next poll.
            if _count_failure(client, mailbox, uid):
                report.add(Status.REJECTED)
                log.exception(
                    "mail uid %s in %s refused after %s failed tries",
                    uid,
                    mailbox.folder,
                    max_attempts(),
                )
            else:
                report.errors += 1
                log.exception("mail uid %s in %s left for the next poll", uid, mailbox.folder)
    return report


def max_attempts() -> int:
    return env_int("RESUELVE_MAIL_MAX_ATTEMPTS", 5)


def _count_failure(client: IMAPClient, mailbox: Mailbox, uid: int) -> bool:
    """Note one more failed try on the message; refuse it (True) when that was the last."""
    flags = client.get_flags([uid]).get(uid, ())
    failed = sum(1 for f in flags if bytes(f).startswith(b"$ResuelveFailed"))
    if failed + 1 >= max_attempts():
        client.add_flags([uid], [SEEN, FLAGGED, REFUSED_KEYWORD])
        if mailbox.failed_folder:
            _move(client, uid, mailbox.failed_folder)
        return True
    client.add_flags([uid], [FAILED_KEYWORD.format(n=failed + 1).encode()])
    return False


def fetch_mail(
    mailbox: Mailbox, *, kind: str = Kind.COMPLAINT, max_bytes: int | None = None
) -> PollReport:
    """Connect, register everything unseen, log out."""
    client = connect(mailbox)
    try:
        return poll_once(client, mailbox, kind=kind, max_bytes=max_bytes)
    finally:
        _logout(client)
