"""Tasks the worker tests run in real worker processes."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task

CALLS: list[str] = []


def count_call() -> None:
    """A periodic job that counts its runs (in-process tests)."""
    CALLS.append("ran")


@task()
def record_and_wait(path: str) -> str:
    """Write "start", wait while `<path>.block` exists (at most a minute), write "done"."""
    log = Path(path)
    with log.open("a") as out:
        out.write("start\n")
    block = Path(path + ".block")
    deadline = time.monotonic() + 60
    while block.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    with log.open("a") as out:
        out.write("done\n")
    return "done"
