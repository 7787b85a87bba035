"""SQLite whose writers queue on a lock file instead of polling the database.

SQLite lets one connection write at a time. A writer that finds the database locked is put to
sleep by SQLite's busy handler for 1, 2, 5, 10... ms before it looks again, so with several
workers filing at once the write lock sits idle between holders and throughput collapses
well below what one writer can do. Here every write transaction (Django opens them with
`BEGIN IMMEDIATE`) first takes an exclusive `flock` on `<database>-writer.lock`, which the
kernel hands to the next waiter as soon as the holder commits or rolls back. The lock is
released by the operating system if the process dies. In-memory databases (the tests) are
private to their process and are not queued.

A writer that cannot get the lock file within the connection's timeout goes on to
`BEGIN IMMEDIATE` without it, where SQLite's own busy timeout decides, exactly as without
this backend.

Checkpoints (copying the write-ahead log back into the database, with an fsync) are taken
out of the queue too: SQLite would run one inside every ~25th commit, holding up every
writer behind it for several milliseconds. Here automatic checkpoints are off and each
connection runs a passive checkpoint after every CHECKPOINT_EVERY of its commits, once it
has left the queue; WAL mode lets the next writer go on meanwhile.
"""

from __future__ import annotations

import fcntl
import os
import time
from typing import Any

from django.db.backends.sqlite3 import base

CHECKPOINT_EVERY = 50


class DatabaseWrapper(base.DatabaseWrapper):
    _writer_fd: int | None = None
    _writer_held = False
    _commits_since_checkpoint = 0

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        conn = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            conn.execute("PRAGMA wal_autocheckpoint=0")
        return conn

    def _start_transaction_under_autocommit(self) -> None:
        self._writer_acquire()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._writer_release()
            raise

    def _commit(self) -> None:
        wrote = self._writer_held
        try:
            return super()._commit()
        finally:
            self._writer_release()
            if wrote:
                self._commits_since_checkpoint += 1
                if self._commits_since_checkpoint >= CHECKPOINT_EVERY:
                    self._checkpoint()

    def _checkpoint(self) -> None:
        self._commits_since_checkpoint = 0
        if self.connection is not None and self.connection.in_transaction is False:
            with self.wrap_database_errors:
                self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def _rollback(self) -> None:
        try:
            return super()._rollback()
        finally:
            self._writer_release()

    def _close(self) -> None:
        try:
            return super()._close()
        finally:
            self._writer_release()
            if self._writer_fd is not None:
                os.close(self._writer_fd)
                self._writer_fd = None

    def _writer_acquire(self) -> None:
        if self._writer_held or self.is_in_memory_db():
            return
        if self._writer_fd is None:
            path = f"{self.settings_dict['NAME']}-writer.lock"
            self._writer_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        timeout = float(self.settings_dict["OPTIONS"].get("timeout", 5))
        deadline = time.monotonic() + timeout
        pause = 0.00005
        while True:
            try:
                fcntl.flock(self._writer_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return  # SQLite's busy timeout takes over
                # Polled rather than blocking so that the timeout holds; the pause stays
                # far below the busy handler's first sleep of 1 ms.
                time.sleep(pause)
                pause = min(pause * 2, 0.0005)
                continue
            self._writer_held = True
            return

    def _writer_release(self) -> None:
        if self._writer_held and self._writer_fd is not None:
            fcntl.flock(self._writer_fd, fcntl.LOCK_UN)
        self._writer_held = False
