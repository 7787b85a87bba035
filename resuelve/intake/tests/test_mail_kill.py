"""No loss, no duplicates: the real `resuelve mail-intake` and `resuelve fetch-mail` processes
are killed (SIGKILL) in the middle of a stream of messages and restarted, as a crash would."""

from __future__ import annotations

import os
import queue
import signal
import smtplib
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from imapclient import IMAPClient

from resuelve.intake.tests.mail_helpers import (
    DOVECOT_PASSWORD,
    free_port,
    make_mail,
    running_dovecot,
)

ROOT = Path(__file__).resolve().parents[3]
MESSAGES = 60


@pytest.fixture
def site(tmp_path: Path) -> dict[str, str]:
    """The environment of a Resuelve installation with its own migrated SQLite database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "resuelve.settings.dev",
        "DEBUG": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path}/resuelve.sqlite3",
        "RESUELVE_DATA_DIR": str(tmp_path),
        "EMAIL_URL": f"file://{tmp_path}/mail",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run(
        [sys.executable, "-m", "resuelve.cli", "migrate", "--no-input", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return env


def _keys(env: dict[str, str]) -> dict[str, int]:
    """How many complaints each Message-ID registered, read straight from the database file."""
    path = env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path, timeout=30) as db:
        rows = db.execute(
            "SELECT k.key, COUNT(DISTINCT c.id) FROM intake_intakekey k "
            "JOIN complaints_complaint c ON c.id = k.complaint_id GROUP BY k.key"
        ).fetchall()
        complaints = db.execute(
            "SELECT subject, COUNT(*) FROM complaints_complaint GROUP BY subject"
        ).fetchall()
    assert all(n == 1 for _subject, n in complaints), "a message registered two complaints"
    return dict(rows)


def _message(i: int) -> tuple[str, bytes]:
    message_id = f"<kill-{i}@example.com>"
    return message_id, make_mail(
        subject=f"Pedido {i} sin entregar",
        body=f"El pedido número {i} no ha llegado todavía.",
        message_id=message_id,
    )


@pytest.fixture
def intake_server(site: dict[str, str]) -> Iterator[dict[str, object]]:
    port = free_port()
    processes: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", "resuelve.cli", "mail-intake", "--port", str(port)],
            env=site,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(process)
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                    if s.recv(100).startswith(b"220"):
                        return process
            except OSError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "no mail-intake"
            time.sleep(0.1)

    yield {"port": port, "start": start}
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()


def _send(port: int, raw: bytes) -> bool:
    """True only if the server answered 250 to DATA."""
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
            client.sendmail("cliente@example.com", ["quejas@tienda.example"], raw)
        return True
    except (OSError, smtplib.SMTPException):
        return False


def test_killing_the_smtp_intake_loses_and_doubles_nothing(
    site: dict[str, str], intake_server: dict[str, object]
) -> None:
    port = int(intake_server["port"])  # type: ignore[call-overload]
    start = intake_server["start"]
    server = start()  # type: ignore[operator]
    outbox: queue.Queue[int] = queue.Queue()
    for i in range(MESSAGES):
        outbox.put(i)
    accepted: set[int] = set()
    failed: set[int] = set()
    lock = threading.Lock()

    def sender() -> None:  # an MTA with several connections in parallel
        while True:
            try:
                i = outbox.get_nowait()
            except queue.Empty:
                return
            ok = _send(port, _message(i)[1])
            with lock:
                (accepted if ok else failed).add(i)

    threads = [threading.Thread(target=sender) for _ in range(4)]
    for thread in threads:
        thread.start()
    while True:
        with lock:
            if len(accepted) >= MESSAGES // 4:
                break
        time.sleep(0.005)
    server.send_signal(signal.SIGKILL)
    server.wait()
    for thread in threads:
        thread.join()

    # Everything that got 250 before the crash is stored, once.
    stored = _keys(site)
    assert accepted and failed, "the kill should fall in the middle of the stream"
    for i in accepted:
        assert stored.get(_message(i)[0]) == 1

    # The MTA retries what was not acknowledged, with the same Message-ID.
    start()  # type: ignore[operator]
    for i in sorted(failed):
        assert _send(port, _message(i)[1])

    stored = _keys(site)
    assert stored == {_message(i)[0]: 1 for i in range(MESSAGES)}


def test_killing_the_mailbox_poller_loses_and_doubles_nothing(site: dict[str, str]) -> None:
    with running_dovecot() as dovecot:
        host, port = dovecot.host, dovecot.port
        user = "buzon"
        box = IMAPClient(host, port=port, ssl=False)
        box.login(user, DOVECOT_PASSWORD)
        for i in range(MESSAGES):
            box.append("INBOX", _message(i)[1])
        command = [
            sys.executable,
            "-m",
            "resuelve.cli",
            "fetch-mail",
            "--once",
            f"--host={host}",
            f"--port={port}",
            "--security=plain",
            f"--user={user}",
        ]
        env = {**site, "RESUELVE_IMAP_PASSWORD": DOVECOT_PASSWORD}

        poller = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 120
        while len(_keys(site)) < MESSAGES // 4:
            assert poller.poll() is None and time.monotonic() < deadline, poller.stderr
            time.sleep(0.005)
        poller.send_signal(signal.SIGKILL)
        poller.wait()

        box.select_folder("INBOX")
        seen_before = set(box.search(["SEEN"]))
        registered_before = len(_keys(site))
        assert 0 < len(seen_before) <= registered_before < MESSAGES

        rerun = subprocess.run(
            command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
        )
        assert rerun.returncode == 0, rerun.stderr

        assert _keys(site) == {_message(i)[0]: 1 for i in range(MESSAGES)}
        box.select_folder("INBOX")
        assert box.search(["UNSEEN"]) == []
        box.logout()
