"""Helpers for the mail intake tests: free ports, hand-made messages, a private Dovecot."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from importlib import import_module
from pathlib import Path

import pytest
from django.db import connection


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

    if connection.vendor != "sqlite":
        return
    migration = import_module("resuelve.complaints.migrations.0002_append_only_events")
    with connection.cursor() as cursor:
        for statement in migration.SQLITE_DOWN:
            cursor.execute(statement)
        cursor.execute(f"DELETE FROM {migration.TABLE}")
        for statement in migration.SQLITE_UP:
            cursor.execute(statement)


DOVECOT_PASSWORD = "secret"


def dovecot_binary() -> str:
    """The dovecot binary, or skip (fail on CI, where `make test` installs it)."""

    path = shutil.which("dovecot") or (
        "/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None
    )
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Dovecot is not installed; `make test` installs it (apt-get).")
        pytest.skip("dovecot is not installed (apt-get install dovecot-imapd)")
    return path


@dataclass(frozen=True)
class Dovecot:
    host: str
    port: int  # IMAP, with STARTTLS when started with tls=True
    imaps_port: int = 0  # IMAPS, when started with tls=True


@contextmanager
def running_dovecot(*, tls: bool = False) -> Iterator[Dovecot]:
    """A private Dovecot on a free loopback port: plaintext login for any user with the
    password DOVECOT_PASSWORD, one maildir per user in a temporary directory. With `tls`, a
    self-signed certificate for STARTTLS and a second port for IMAPS."""

    binary = dovecot_binary()
    root = Path(tempfile.mkdtemp(prefix="resuelve-dovecot-"))
    root.chmod(0o755)  # the login processes run as dovenull and must reach base_dir
    port = free_port()
    imaps_port = free_port() if tls else 0
    ssl_settings = "ssl = no"
    if tls:
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-subj", "/CN=localhost", "-keyout", str(root / "key.pem"),
             "-out", str(root / "cert.pem")],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        ssl_settings = f"ssl = yes\nssl_cert = <{root}/cert.pem\nssl_key = <{root}/key.pem"
    uid, gid = os.getuid(), os.getgid()
    if uid == 0:  # Dovecot will not store mail as root: use nobody, who owns the maildirs
        import pwd

        nobody = pwd.getpwnam("nobody")
        uid, gid = nobody.pw_uid, nobody.pw_gid
    for sub in ("mail", "home"):
        (root / sub).mkdir()
        os.chown(root / sub, uid, gid)
    config = root / "dovecot.conf"
    config.write_text(
        f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl_settings}
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = static
  args = password={DOVECOT_PASSWORD}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""
    )
    process = subprocess.Popen(
        [binary, "-F", "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                    if s.recv(100).startswith(b"* OK"):
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
                output = process.stdout.read().decode() if process.stdout else ""
                raise RuntimeError(f"dovecot did not start:\n{output}\n{log}")
            time.sleep(0.1)
        yield Dovecot(host="127.0.0.1", port=port, imaps_port=imaps_port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(root, ignore_errors=True)
