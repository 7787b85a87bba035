#!/usr/bin/env python
"""Filing complaints through the REST API: complaints per second and latency.

    .venv/bin/python benchmarks/intake.py
    .venv/bin/python benchmarks/intake.py --database-url postgres://postgres@127.0.0.1:5432/resuelve_bench_intake

Builds a fresh database (SQLite file or PostgreSQL database, dropped first) with some known
customers, serves it with gunicorn (2 workers, 1 thread each, no task worker) and files
complaints with POST /api/v1/complaints from C concurrent clients (8), each request with its
own Idempotency-Key; half of the customers are known (matched by e-mail), half are new.
Prints complaints/s and p50/p95 latency next to a bare Django JSON endpoint served by the
same server in the same run, and the ratio. Record the figures in docs/benchmarks.md.

The server imports this file as its settings and URLconf (DJANGO_SETTINGS_MODULE=intake with
benchmarks/ on the path): the project's settings and URLs plus /bench/json.
"""

from __future__ import annotations

import os
import sys

if __name__ != "__main__":  # imported by the server as its settings and URLconf
    from resuelve.settings.dev import *  # noqa: F403

    ROOT_URLCONF = __name__

    def __getattr__(name: str) -> object:
        # Built on first use: the settings must be loaded before the project's URLs import.
        if name == "urlpatterns":
            from django.http import HttpRequest, JsonResponse
            from django.urls import include, path

            def bare_json(request: HttpRequest) -> JsonResponse:
                return JsonResponse({"ok": True})

            return [path("bench/json", bare_json), path("", include("resuelve.urls"))]
        raise AttributeError(name)


import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402
import urllib.request  # noqa: E402
import uuid  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def machine_speed() -> float:
    """Milliseconds a fixed pure-Python loop takes now: this virtual machine's speed varies
    by a third from minute to minute, so each run prints it beside its figures."""
    started = time.perf_counter()
    total = 0
    for i in range(5_000_000):
        total += i
    return (time.perf_counter() - started) * 1000


def fresh_database(url: str) -> None:
    if url.startswith("sqlite"):
        path = Path(urllib.parse.urlparse(url).path)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(customers: int) -> tuple[str, list[str]]:
    """Migrated database with the demo company's departments, staff, categories, routing
    rules, agent profiles and keyword rules (so triage, routing and assignment run on every
    filing, as in production), an agent with a token and known customers; returns
    (token, e-mails)."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "--no-input", verbosity=0)
    from resuelve.accounts.models import User
    from resuelve.accounts.roles import Role
    from resuelve.accounts.tokens import token_create
    from resuelve.customers.models import Customer
    from resuelve.demo.loader import ensure_company

    ensure_company()
    user = User.objects.create_user(username="bench", password="x", role=Role.AGENT)
    _row, token = token_create(user=user, name="benchmark")
    emails = [f"known{i}@example.com" for i in range(customers)]
    Customer.objects.bulk_create(
        [
            Customer(name=f"Known {i}", search_name=f"known {i}", email=e, language="es")
            for i, e in enumerate(emails)
        ],
        batch_size=2000,
    )
    from django.db import connections

    connections.close_all()
    return token, emails


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT}/var/bench-intake.sqlite3")
    parser.add_argument("--requests", type=int, default=3000, help="filings to time")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="threads per worker")
    parser.add_argument("--customers", type=int, default=5000, help="known customers")
    parser.add_argument(
        "--no-policy", action="store_true", help="flat answer terms instead of co-ley-1755"
    )
    args = parser.parse_args()

    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "resuelve.settings.dev",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        # Legal deadlines in business days, as the demo company runs (--no-policy: flat terms).
        "RESUELVE_DEADLINE_POLICY": "" if args.no_policy else "co-ley-1755",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    fresh_database(args.database_url)
    token, emails = prepare(args.customers)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "intake",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "benchmarks"), str(ROOT)]),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "resuelve.cli", "serve", "--no-worker", "--port", str(port),
         "--workers", str(args.workers), "--threads", str(args.threads)],
        env=server_env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    rng = random.Random(1)
    lock = threading.Lock()

    from resuelve.demo.company import TEXTS

    # What the demo's customers write, in their four languages, across every category.
    texts = [
        (language, subject, description, remedy)
        for by_language in TEXTS.values()
        for language, rows in by_language.items()
        for subject, description, remedy in rows
    ]

    def filing() -> bytes:
        with lock:
            known = rng.random() < 0.5
            n = rng.randrange(len(emails)) if known else rng.randrange(10**9)
            language, subject, description, remedy = rng.choice(texts)
        email = emails[n] if known else f"new{n}@example.org"
        return json.dumps(
            {
                "kind": "complaint",
                "subject": subject.format(product="Autoandes Sedan 2024"),
                "description": description.format(product="Autoandes Sedan 2024"),
                "language": language,
                "customer": {"name": "Bench Customer", "email": email},
                "requested_remedy": remedy,
                "amount_claimed": "89000.00",
                "occurred_at": "2025-03-01",
            }
        ).encode()

    def exchange(request: bytes) -> tuple[int, float]:
        """One request on a fresh connection, as the sync workers want it; a raw socket, so
        the load generator spends as little as possible of the cores it shares."""
        started = time.perf_counter()
        with socket.create_connection(("127.0.0.1", port), timeout=60) as conn:
            conn.sendall(request)
            chunks = []
            while chunk := conn.recv(65536):
                chunks.append(chunk)
        status = int(b"".join(chunks)[9:12])
        return status, (time.perf_counter() - started) * 1000

    def post_complaint(_i: int) -> float:
        body = filing()
        head = (
            f"POST /api/v1/complaints HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
            f"Idempotency-Key: {uuid.uuid4().hex}\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n"
        )
        status, ms = exchange(head.encode() + body)
        assert status == 201, status
        return ms

    bare_request = (
        f"GET /bench/json HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    ).encode()

    def get_bare(_i: int) -> float:
        status, ms = exchange(bare_request)
        assert status == 200, status
        return ms

    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/bench/json", timeout=1)
                break
            except OSError:
                time.sleep(0.3)
        vendor = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
        print(
            f"\n{vendor} · gunicorn {args.workers} workers × {args.threads} threads · "
            f"{args.concurrency} concurrent clients · {args.requests} requests each · "
            f"load average before {os.getloadavg()[0]:.2f} · "
            f"reference loop {machine_speed():.0f} ms (lower is a faster machine)\n"
        )
        print(f"{'endpoint':<40} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
        results = {}
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            for name, fn in (
                ("bare Django JSON endpoint", get_bare),
                ("POST /api/v1/complaints", post_complaint),
            ):
                list(pool.map(fn, range(args.concurrency * 10)))  # warm up
                started = time.perf_counter()
                timings = sorted(pool.map(fn, range(args.requests)))
                elapsed = time.perf_counter() - started
                rate = args.requests / elapsed
                p50 = statistics.median(timings)
                p95 = timings[int(len(timings) * 0.95) - 1]
                results[name] = rate
                print(f"{name:<40} {rate:>8.0f} {p50:>8.1f} {p95:>8.1f}")
        ratio = results["POST /api/v1/complaints"] / results["bare Django JSON endpoint"]
        print(f"\nfiling throughput / bare endpoint throughput: {ratio:.2f}")
        print(f"load average after: {os.getloadavg()[0]:.2f} (other processes skew the figures)")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
