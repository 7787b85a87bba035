#!/usr/bin/env python
"""Load N complaints and download the whole queue as CSV and as XLSX through the real view.

    .venv/bin/python benchmarks/export.py --rows 1000000
    .venv/bin/python benchmarks/export.py --database-url postgres://postgres@127.0.0.1:5432/resuelve_bench

The data is the demo company's (`resuelve demo`, idempotent) in a scratch database. Each
export runs in a fresh process, signed in as the manager (who sees every case; --users
elena,sofia adds a supervisor of three departments), through
django.test.Client: the CSV's streaming_content or the XLSX file is read to the end and
counted. Prints rows, seconds, rows/s, bytes and peak RSS (ru_maxrss, and its rise over
the process's baseline just before the export). Target: < 300 MB RSS at 1,000,000 rows.
Record the figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import connection_vendor, run  # noqa: E402

MANAGER = "elena"  # the demo company's manager: every department, confidential cases too
URLS = {"csv": "/staff/queue/export.csv", "xlsx": "/staff/queue/export.xlsx"}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class RowCount(logging.Handler):
    """Reads the row count the view logs when the export has been read to the end."""

    rows: int | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if record.args and "rows=" in record.msg:
            self.rows = int(record.args[2])  # type: ignore[index]


def export_once(fmt: str, username: str = MANAGER) -> dict[str, float | int | None]:
    """In this (fresh) process: one export, read to the end, with its figures."""
    import django

    django.setup()
    from django.test import Client

    from resuelve.accounts.models import User

    counter = RowCount(level=logging.INFO)
    view_log = logging.getLogger("resuelve.complaints.views_export")
    view_log.addHandler(counter)
    view_log.setLevel(logging.INFO)

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(User.objects.get(username=username))
    baseline = rss_mb()
    started = time.perf_counter()
    response = client.get(URLS[fmt])
    assert response.status_code == 200, response.status_code
    size = 0
    first_byte = None
    for chunk in response.streaming_content:
        if first_byte is None:
            first_byte = time.perf_counter() - started
        size += len(chunk)
    response.close()
    seconds = time.perf_counter() - started
    return {
        "rows": counter.rows,
        "seconds": seconds,
        "first_byte": first_byte,
        "bytes": size,
        "baseline_mb": baseline,
        "peak_mb": rss_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000, help="complaints to load")
    parser.add_argument(
        "--database-url",
        default=f"sqlite:///{Path(tempfile.gettempdir()) / 'resuelve-bench-export.sqlite3'}",
    )
    parser.add_argument("--formats", default="csv,xlsx", help="comma-separated: csv,xlsx")
    parser.add_argument(
        "--users",
        default=MANAGER,
        help=f"comma-separated demo users to export as ({MANAGER}; sofia is a supervisor of "
        "three departments, whose scope the database must sort)",
    )
    parser.add_argument("--only", choices=sorted(URLS), help=argparse.SUPPRESS)  # child run
    args = parser.parse_args()

    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "resuelve.settings.dev",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "testserver",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))

    if args.only:
        print(json.dumps(export_once(args.only, args.users)))
        return

    started = time.monotonic()
    run(env, "migrate", "--no-input", "-v0")
    run(env, "demo", "--complaints", str(args.rows), "--no-migrate")
    print(f"data ready in {time.monotonic() - started:.0f} s")

    print(f"\n{args.rows:,} complaints loaded · {connection_vendor(args.database_url)}\n")
    print(
        f"{'user':<8} {'format':<6} {'rows':>10} {'seconds':>8} {'rows/s':>8} "
        f"{'1st byte s':>10} {'MB out':>8} {'peak RSS MB':>11} {'RSS rise MB':>11}"
    )
    for username in args.users.split(","):
        for fmt in args.formats.split(","):
            command = [sys.executable, __file__, "--database-url", args.database_url]
            command += ["--only", fmt, "--users", username]
            child = subprocess.run(
                command, env=env, cwd=ROOT, check=True, capture_output=True, text=True
            )
            figures = json.loads(child.stdout.strip().splitlines()[-1])
            rows = figures["rows"] or 0
            print(
                f"{username:<8} {fmt:<6} {rows:>10,} {figures['seconds']:>8.1f} "
                f"{rows / figures['seconds']:>8,.0f} {figures['first_byte'] or 0:>10.2f} "
                f"{figures['bytes'] / 1e6:>8.1f} {figures['peak_mb']:>11.0f} "
                f"{figures['peak_mb'] - figures['baseline_mb']:>11.0f}"
            )


if __name__ == "__main__":
    main()
