#!/usr/bin/env python
"""Load N complaints, serve them with gunicorn (2 workers) and measure the staff pages.

    .venv/bin/python benchmarks/pages.py --complaints 1000000
    .venv/bin/python benchmarks/pages.py --database-url postgres://postgres@127.0.0.1:5432/resuelve_bench

Prints p50/p95 per page from C concurrent clients (4), next to a bare Django endpoint (/ping)
served by the same server in the same run. Record the figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "resuelve.cli", *args], env=env, cwd=ROOT, check=True)


class Client:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, bytes, float]:
        started = time.perf_counter()
        with self.opener.open(self.base + path, timeout=30) as response:
            body = response.read()
            status = response.status
        return status, body, (time.perf_counter() - started) * 1000

    def login(self, username: str, password: str) -> None:
        _status, body, _ms = self.get("/staff/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert token, "no CSRF token on the login page"
        data = urllib.parse.urlencode(
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": token.group(1).decode(),
            }
        ).encode()
        request = urllib.request.Request(
            self.base + "/staff/login/", data=data, headers={"Referer": self.base + "/staff/login/"}
        )
        with self.opener.open(request, timeout=30) as response:
            assert "/staff/login/" not in response.url, f"login failed for {username}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT}/var/bench.sqlite3")
    parser.add_argument("--requests", type=int, default=200, help="requests per page kind")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    env = prepare(args.database_url, complaints=args.complaints)

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from resuelve.accounts.models import Department
    from resuelve.complaints.models import Complaint
    from resuelve.complaints.selectors import encode_cursor

    rng = random.Random(1)
    total = Complaint.objects.count()
    max_id = Complaint.objects.order_by("-id").values_list("id", flat=True).first() or 1
    sample = list(
        Complaint.objects.filter(id__in=[rng.randint(1, max_id) for _ in range(400)]).values_list(
            "tracking_code", "received_at", "id", "contact_email"
        )
    )
    calidad = Department.objects.get(code="calidad").pk
    cursors = [encode_cursor(at, pk) for _code, at, pk, _email in sample]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "resuelve.cli",
            "serve",
            "--no-worker",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--threads",
            "1",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/ping", timeout=1)
                break
            except OSError:
                time.sleep(0.3)
        clients = {}
        for username in ("sofia", "elena", "ana"):
            client = Client(base)
            client.login(username, "resuelve-demo")
            clients[username] = client

        pages: dict[str, list[tuple[str, str]]] = {
            "bare Django endpoint (/ping)": [("elena", "/ping")],
            "queue, first page (manager)": [("elena", "/staff/")],
            "queue, first page (supervisor, 3 departments)": [("sofia", "/staff/")],
            "queue, first page (agent)": [("ana", "/staff/")],
            "queue, a later page": [("elena", f"/staff/?after={c}") for c in cursors],
            "queue, later page + filters": [
                ("sofia", f"/staff/?state=open&kind=claim&after={c}") for c in cursors
            ],
            "queue, state=investigating": [("elena", "/staff/?state=investigating")],
            "queue, open + department + kind": [
                ("elena", f"/staff/?state=open&department={calidad}&kind=complaint")
            ],
            "queue, assignee=nobody": [("elena", "/staff/?assignee=none")],
            "queue, overdue": [("elena", "/staff/?overdue=on")],
            "queue, confidential": [("elena", "/staff/?confidential=yes")],
            "queue, search by tracking code": [
                ("elena", f"/staff/?q={code}") for code, *_rest in sample
            ],
            "queue, search by e-mail": [("elena", f"/staff/?q={email}") for *_r, email in sample],
            "case page": [("elena", f"/staff/c/{code}/") for code, *_rest in sample],
        }

        print(
            f"\n{total:,} complaints · {connection_vendor(args.database_url)} · gunicorn "
            f"{args.workers} workers · {args.concurrency} concurrent clients · "
            f"{args.requests} requests per page\n"
        )
        measure(pages, clients, requests=args.requests, concurrency=args.concurrency)
    finally:
        server.terminate()
        server.wait(timeout=10)


def prepare(database_url: str, *, complaints: int | None) -> dict[str, str]:
    """Point this process and its children at the database, migrate it, and load the demo
    with `complaints` complaints (None: use the data as it is). Returns the environment."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "resuelve.settings.dev",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    started = time.monotonic()
    run(env, "migrate", "--no-input", "-v0")
    if complaints is not None:
        run(env, "demo", "--complaints", str(complaints), "--no-migrate")
    print(f"data ready in {time.monotonic() - started:.0f} s", flush=True)
    return env


def measure(
    pages: dict[str, list[tuple[str, str]]],
    clients: dict[str, Client],
    *,
    requests: int,
    concurrency: int,
) -> None:
    """Print p50/p95 per page: `requests` GETs from `concurrency` clients, after a warm-up;
    each item is (username, path) and must answer 200."""

    def fetch(item: tuple[str, str]) -> float:
        user, path = item
        status, _body, ms = clients[user].get(path)
        assert status == 200, (path, status)
        return ms

    print(f"{'page':<48} {'p50 ms':>8} {'p95 ms':>8}")
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for name, items in pages.items():
            work = [items[i % len(items)] for i in range(requests)]
            list(pool.map(fetch, work[: concurrency * 2]))  # warm up
            timings = sorted(pool.map(fetch, work))
            p50 = statistics.median(timings)
            p95 = timings[int(len(timings) * 0.95) - 1]
            print(f"{name:<48} {p50:>8.1f} {p95:>8.1f}", flush=True)


def connection_vendor(url: str) -> str:
    return "PostgreSQL" if url.startswith("postgres") else "SQLite"


if __name__ == "__main__":
    main()
