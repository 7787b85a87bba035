"""The mailbox poller against a real IMAP server: a private Dovecot on loopback."""

from __future__ import annotations

import itertools
import shutil
import ssl
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation
from imapclient import IMAPClient

from resuelve.complaints.models import Complaint
from resuelve.intake.mail.imap import Mailbox, fetch_mail
from resuelve.intake.mail.receive import mail_receive
from resuelve.intake.tests.mail_helpers import (
    DOVECOT_PASSWORD,
    Dovecot,
    make_mail,
    running_dovecot,
)

CORPUS = Path(__file__).parent / "mail_corpus"
_users = itertools.count(1)


@pytest.fixture(scope="module")
def dovecot() -> Iterator[Dovecot]:
    with running_dovecot(tls=shutil.which("openssl") is not None) as server:
        yield server


@pytest.fixture
def mailbox(dovecot: Dovecot) -> Mailbox:
    """A fresh, empty mailbox of its own for each test."""
    return Mailbox(
        host=dovecot.host,
        port=dovecot.port,
        security="plain",
        username=f"quejas{next(_users)}",
        password=DOVECOT_PASSWORD,
    )


class Box:
    """The test's own IMAP session, to put mail in and look at flags and folders."""

    def __init__(self, mailbox: Mailbox) -> None:
        self.client = IMAPClient(mailbox.host, port=mailbox.port, ssl=False)
        self.client.login(mailbox.username, DOVECOT_PASSWORD)

    def deliver(self, raw: bytes, folder: str = "INBOX", flags: tuple[bytes, ...] = ()) -> None:
        self.client.append(folder, raw, flags=flags)

    def flags(self, folder: str = "INBOX") -> dict[str, set[bytes]]:
        """Flags by Message-ID (or Subject) of every message in the folder."""
        self.client.select_folder(folder, readonly=True)
        uids = self.client.search(["ALL"])
        found = self.client.fetch(uids, ["FLAGS", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID SUBJECT)]"])
        result = {}
        for data in found.values():
            header = data[b"BODY[HEADER.FIELDS (MESSAGE-ID SUBJECT)]"].decode(errors="replace")
            key = next(
                (
                    line.split(":", 1)[1].strip()
                    for line in header.splitlines()
                    if line.lower().startswith("message-id")
                ),
                header.strip(),
            )
            result[key] = set(data[b"FLAGS"])
        return result

    def close(self) -> None:
        self.client.logout()


@pytest.fixture
def box(mailbox: Mailbox) -> Iterator[Box]:
    box = Box(mailbox)
    yield box
    box.close()


def test_it_registers_unseen_mail_and_marks_it_seen_after_commit(
    db: None, mailbox: Mailbox, box: Box
) -> None:
    box.deliver(make_mail(message_id="<new@example.com>"))
    box.deliver((CORPUS / "out_of_office.eml").read_bytes())
    box.deliver((CORPUS / "no_from.eml").read_bytes())
    box.deliver((CORPUS / "zh_gb2312.eml").read_bytes())
    box.deliver(make_mail(message_id="<read-by-a-person@example.com>"), flags=(b"\\Seen",))

    report = fetch_mail(mailbox)

    assert report.counts == {"registered": 2, "ignored": 1, "rejected": 1}
    assert sorted(Complaint.objects.values_list("subject", flat=True)) == [
        "El televisor llegó roto",
        "洗衣机不能脱水",
    ]
    flags = box.flags()
    assert flags["<new@example.com>"] == {b"\\Seen"}
    assert flags["<zh-gb2312@example.cn>"] == {b"\\Seen"}
    assert flags["<ooo@example.com>"] == {b"\\Seen"}
    assert {b"\\Seen", b"\\Flagged", b"$ResuelveRefused"} <= flags["<nofrom@example.com>"]
    # A second poll finds nothing new.
    assert fetch_mail(mailbox).counts == {}
    assert Complaint.objects.count() == 2


def test_it_moves_mail_to_the_done_and_failed_folders(db: None, mailbox: Mailbox, box: Box) -> None:
    box.deliver(make_mail(message_id="<small@example.com>"))
    box.deliver(make_mail(message_id="<huge@example.com>", body="grande " * 20_000))
    sorting = Mailbox(
        **{**mailbox.__dict__, "done_folder": "Resuelve-Done", "failed_folder": "Resuelve-Failed"}
    )

    report = fetch_mail(sorting, max_bytes=50_000)

    assert report.counts == {"registered": 1, "rejected": 1}
    assert box.flags("INBOX") == {}
    assert list(box.flags("Resuelve-Done")) == ["<small@example.com>"]
    assert list(box.flags("Resuelve-Failed")) == ["<huge@example.com>"]
    assert Complaint.objects.get().subject == "El televisor llegó roto"


def test_a_message_committed_but_never_flagged_is_not_registered_twice(
    db: None, mailbox: Mailbox, box: Box
) -> None:
    raw = make_mail(message_id="<crash@example.com>")
    box.deliver(raw)
    # A poller registered it and died before it could set \Seen.
    first = mail_receive(raw=raw)

    report = fetch_mail(mailbox)

    assert report.counts == {"registered": 1}
    assert Complaint.objects.get() == first.complaint
    assert box.flags()["<crash@example.com>"] == {b"\\Seen"}


def test_a_message_that_keeps_failing_is_refused_after_its_tries_and_others_go_on(
    db: None, mailbox: Mailbox, box: Box, monkeypatch: pytest.MonkeyPatch
) -> None:
    from resuelve.intake.mail import imap

    box.deliver(make_mail(message_id="<poison@example.com>", subject="Poison"))
    box.deliver(make_mail(message_id="<fine@example.com>"))
    monkeypatch.setenv("RESUELVE_MAIL_MAX_ATTEMPTS", "3")

    def receive(*, raw: bytes, **kwargs: object):
        if b"<poison@example.com>" in raw:
            raise RuntimeError("a bug this message always triggers")
        return mail_receive(raw=raw, **kwargs)

    monkeypatch.setattr(imap, "mail_receive", receive)
    first = fetch_mail(mailbox)
    assert (first.counts, first.errors) == ({"registered": 1}, 1)
    assert box.flags()["<poison@example.com>"] == {b"$ResuelveFailed1"}
    assert fetch_mail(mailbox).errors == 1
    third = fetch_mail(mailbox)
    assert (third.counts, third.errors) == ({"rejected": 1}, 0)
    assert {b"\\Seen", b"\\Flagged", b"$ResuelveRefused"} <= box.flags()["<poison@example.com>"]
    assert fetch_mail(mailbox).counts == {}  # not tried again: a person looks at it
    assert Complaint.objects.count() == 1


def test_a_database_that_is_away_counts_against_no_message(
    db: None, mailbox: Mailbox, box: Box, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import OperationalError

    from resuelve.intake.mail import imap

    box.deliver(make_mail(message_id="<waiting@example.com>"))
    monkeypatch.setenv("RESUELVE_MAIL_MAX_ATTEMPTS", "2")

    def database_down(**kwargs: object):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(imap, "mail_receive", database_down)
    for _ in range(3):
        assert fetch_mail(mailbox).errors == 1
    assert box.flags()["<waiting@example.com>"] == set()
    monkeypatch.setattr(imap, "mail_receive", mail_receive)
    assert fetch_mail(mailbox).counts == {"registered": 1}


def test_it_adds_a_reply_to_its_case(db: None, mailbox: Mailbox, box: Box) -> None:
    box.deliver(make_mail(message_id="<start@example.com>"))
    fetch_mail(mailbox)
    case = Complaint.objects.get()
    box.deliver(
        make_mail(
            subject=f"Re: [{case.tracking_code}] El televisor llegó roto",
            body="Sigue sin llegar el técnico.\n\n> Hemos recibido su mensaje.\n",
            message_id="<reply@example.com>",
        )
    )

    assert fetch_mail(mailbox).counts == {"replied": 1}
    assert case.messages.filter(from_customer=True).latest("id").body == (
        "Sigue sin llegar el técnico."
    )


def test_the_command_reads_the_mailbox_once(db: None, mailbox: Mailbox, box: Box) -> None:
    box.deliver((CORPUS / "pdf_attached.eml").read_bytes())
    out = StringIO()

    with translation.override("en"):
        call_command(
            "fetch_mail",
            "--once",
            f"--host={mailbox.host}",
            f"--port={mailbox.port}",
            "--security=plain",
            f"--user={mailbox.username}",
            f"--password={DOVECOT_PASSWORD}",
            stdout=out,
        )

    assert "1 registered" in out.getvalue()
    case = Complaint.objects.get()
    assert [a.original_name for a in case.attachments.all()] == ["factura.pdf"]


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_it_reads_over_tls(
    db: None, dovecot: Dovecot, mailbox: Mailbox, box: Box, security: str
) -> None:
    if not dovecot.imaps_port:
        pytest.skip("openssl is not installed: no certificate for the TLS tests")
    box.deliver(make_mail(message_id=f"<tls-{security}@example.com>"))
    port = dovecot.imaps_port if security == "ssl" else dovecot.port
    secure = Mailbox(**{**mailbox.__dict__, "security": security, "port": port})

    with pytest.raises(ssl.SSLCertVerificationError):
        fetch_mail(secure)  # a self-signed certificate is refused by default
    report = fetch_mail(Mailbox(**{**secure.__dict__, "verify_tls": False}))

    assert report.counts == {"registered": 1}
    assert box.flags()[f"<tls-{security}@example.com>"] == {b"\\Seen"}
