"""SQLite writers queue on a lock file: each waits for the one before it and starts as soon as
that one commits or rolls back, and nobody is left waiting on a transaction that ended."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler


def _handler(path: Path, timeout: float = 20) -> ConnectionHandler:
    return ConnectionHandler(
        {
            "default": {
                "ENGINE": "resuelve.core.db.sqlite",
                "NAME": str(path),
                "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": timeout},
            }
        }
    )


def _begin(conn) -> None:
    conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def _end(conn, commit: bool = True) -> None:
    conn.commit() if commit else conn.rollback()
    conn.set_autocommit(True)


@pytest.fixture(autouse=True)
def _own_database(django_db_blocker):
    # These tests open their own database file, not the test database.
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    path = tmp_path / "writers.sqlite3"
    conn = _handler(path)["default"]
    with conn.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("CREATE TABLE filing (id INTEGER PRIMARY KEY, who TEXT)")
    conn.close()
    return path


def test_a_second_writer_waits_for_the_first_and_then_sees_its_rows(db_file):
    handler = _handler(db_file)
    first = handler.create_connection("default")
    order: list[str] = []
    _begin(first)
    with first.cursor() as cursor:
        cursor.execute("INSERT INTO filing (who) VALUES ('first')")
    assert Path(f"{db_file}-writer.lock").exists()

    def second_writer() -> None:
        conn = handler.create_connection("default")
        _begin(conn)
        order.append("second began")
        with conn.cursor() as cursor:
            cursor.execute("SELECT who FROM filing")
            order.append("second saw " + ",".join(row[0] for row in cursor.fetchall()))
            cursor.execute("INSERT INTO filing (who) VALUES ('second')")
        _end(conn)
        conn.close()

    thread = threading.Thread(target=second_writer)
    thread.start()
    time.sleep(0.3)
    order.append("first commits")
    _end(first)
    thread.join(timeout=10)
    assert order == ["first commits", "second began", "second saw first"]
    with first.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM filing")
        assert cursor.fetchone()[0] == 2
    first.close()


def _lock_is_free(db_file: Path) -> bool:
    fd = os.open(f"{db_file}-writer.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing drops the lock this probe may have taken
    return True


@pytest.mark.parametrize("ending", ["commit", "rollback", "close"])
def test_the_queue_is_held_exactly_while_a_write_transaction_is_open(db_file, ending):
    handler = _handler(db_file, timeout=0.5)
    writer = handler.create_connection("default")
    with writer.cursor() as cursor:  # reading in autocommit mode does not queue
        cursor.execute("SELECT count(*) FROM filing")
    _begin(writer)
    assert not _lock_is_free(db_file)
    if ending == "close":
        writer.close()  # e.g. a worker killed mid-request: the lock goes with the connection
    else:
        _end(writer, commit=ending == "commit")
    assert _lock_is_free(db_file)
    nxt = handler.create_connection("default")
    _begin(nxt)
    with nxt.cursor() as cursor:
        cursor.execute("INSERT INTO filing (who) VALUES ('next')")
    _end(nxt)
    nxt.close()
    writer.close()


def test_a_writer_stuck_behind_a_held_lock_gets_sqlites_locked_error_after_the_timeout(db_file):
    handler = _handler(db_file, timeout=0.3)
    holder = handler.create_connection("default")
    _begin(holder)
    waiter = handler.create_connection("default")
    with pytest.raises(OperationalError, match="locked"):
        _begin(waiter)
    _end(holder)
    _begin(waiter)  # and once the holder is done it proceeds
    _end(waiter)
    holder.close()
    waiter.close()


def test_the_log_is_copied_into_the_database_every_few_commits_outside_the_queue(
    db_file, monkeypatch
):
    monkeypatch.setattr("resuelve.core.db.sqlite.base.CHECKPOINT_EVERY", 3)
    writer = _handler(db_file)["default"]

    def in_database_file() -> int:
        # immutable=1 reads the database file alone, as if the write-ahead log did not exist
        with sqlite3.connect(f"file:{db_file}?immutable=1", uri=True) as plain:
            return plain.execute("SELECT count(*) FROM filing").fetchone()[0]

    for expected_in_file in (0, 0, 3, 3, 3, 6):
        _begin(writer)
        with writer.cursor() as cursor:
            cursor.execute("INSERT INTO filing (who) VALUES ('w')")
        _end(writer)
        assert _lock_is_free(db_file)
        assert in_database_file() == expected_in_file
    writer.close()
