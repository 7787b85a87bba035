#!/usr/bin/env python
"""Building the daily revisit list: seconds, peak memory and rows for 100,000 members and
1,000 resolved complaints.

    .venv/bin/python benchmarks/revisit_build.py
    .venv/bin/python benchmarks/revisit_build.py --database-url postgres://postgres@127.0.0.1:5432/resuelve_bench_revisits

On a fresh database (SQLite file or PostgreSQL database, dropped first): bulk-creates the
members (platinum every 30 days, gold 60, silver 90; birthdays, join dates and renewals
spread over the year; customers of Colombia, Estonia, China and Spain; 3% withdrew every
consent) and 1,000 complaints resolved in the last five days, then runs
`revisit_build_daily` in a fresh process each time, so the peak memory printed is the
build's own (ru_maxrss of that process):

1. a normal day: each member's slot of the period, occasions, the complaint follow-ups;
2. the same day again (idempotent: adds nothing);
3. a catch-up day: every member's slot has passed with no revisit (a schedule just moved
   back a whole period, or a worker down since the period began): every member at once.

Target (docs/benchmarks.md): a normal day in < 10 s and < 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
import urllib.parse
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PLACES = [
    ("CO", "America/Bogota", "es"),
    ("EE", "Europe/Tallinn", "et"),
    ("CN", "Asia/Shanghai", "zh-hans"),
    ("ES", "Europe/Madrid", "en"),
]
TIERS = ["silver"] * 5 + ["gold"] * 3 + ["platinum"] * 2
EVERY = {"platinum": 30, "gold": 60, "silver": 90}


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


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "resuelve.settings.test")
    import django

    django.setup()


def setup(members: int, complaints: int, today: date) -> None:
    _django()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    call_command("migrate", "--no-input", verbosity=0)
    from resuelve.complaints.models import Complaint
    from resuelve.customers.models import Customer
    from resuelve.revisits.models import RevisitSchedule

    rng = random.Random(1)
    batch = []
    for n in range(1, members + 1):
        country, zone, language = PLACES[n % len(PLACES)]
        withdrawn = rng.random() < 0.03
        batch.append(
            Customer(
                name=f"Member {n}",
                search_name=f"member {n}",
                email=f"member{n}@example.com",
                phone=f"+57 300 {n:07d}",
                phone_digits=f"300{n:07d}",
                language=language,
                tier=TIERS[n % len(TIERS)],
                member_since=today - timedelta(days=rng.randint(1, 3000)),
                birthday=date(1950, 1, 1) + timedelta(days=rng.randint(0, 20000)),
                renewal_on=today + timedelta(days=rng.randint(0, 365)),
                country=country,
                time_zone=zone,
                consent_phone=not withdrawn,
                consent_sms=not withdrawn,
                consent_messaging=not withdrawn,
                consent_email=not withdrawn,
            )
        )
        if len(batch) == 5000:
            with transaction.atomic():
                Customer.objects.bulk_create(batch)
            batch = []
    if batch:
        Customer.objects.bulk_create(batch)
    ids = list(Customer.objects.values_list("id", flat=True)[:complaints])
    now = timezone.now()
    Complaint.objects.bulk_create(
        [
            Complaint(
                tracking_code=f"BENCH{i:06d}",
                kind="complaint",
                channel="phone",
                state="resolved",
                is_open=False,
                customer_id=customer_id,
                subject="Brakes squeak",
                description="Two days after the service the brakes squeak.",
                received_at=now - timedelta(days=20),
                resolved_at=now - timedelta(days=i % 5, hours=i % 24),
            )
            for i, customer_id in enumerate(ids)
        ],
        batch_size=1000,
    )
    for tier, every in EVERY.items():
        RevisitSchedule.objects.create(
            tier=tier, every_days=every, starts_on=today, holidays=tier == "platinum"
        )


def build(when: str, shift_to_catch_up: bool) -> None:
    _django()
    from resuelve.revisits.jobs import revisit_build_daily
    from resuelve.revisits.models import RevisitSchedule

    now = datetime.fromisoformat(when)
    if shift_to_catch_up:
        # Every slot of the period has passed: the schedule began a whole period ago.
        for schedule in RevisitSchedule.objects.all():
            schedule.starts_on = now.date() - timedelta(days=schedule.every_days - 1)
            schedule.save(update_fields=["starts_on"])
    started = time.perf_counter()
    added = revisit_build_daily(now=now)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "added": added}))


def _child(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, __file__, *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(result.stdout + result.stderr)
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="sqlite:////tmp/resuelve-bench-revisits.sqlite3")
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--complaints", type=int, default=1_000)
    parser.add_argument("--phase", choices=["setup", "build", "catch-up"], default=None)
    parser.add_argument("--when", default="")
    args = parser.parse_args()
    if args.phase == "setup":
        setup(args.members, args.complaints, datetime.fromisoformat(args.when).date())
        return
    if args.phase in ("build", "catch-up"):
        build(args.when, args.phase == "catch-up")
        return

    fresh_database(args.database_url)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "resuelve.settings.test",
    }
    from zoneinfo import ZoneInfo

    when = datetime.now(ZoneInfo("UTC")).replace(hour=12, minute=0, second=0, microsecond=0)
    vendor = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    started = time.perf_counter()
    _child(
        [
            "--phase",
            "setup",
            "--when",
            when.isoformat(),
            "--members",
            str(args.members),
            "--complaints",
            str(args.complaints),
        ],
        env,
    )
    print(
        f"{vendor}: {args.members:,} members and {args.complaints:,} resolved complaints "
        f"created in {time.perf_counter() - started:.1f} s"
    )
    for label, phase, moment in [
        ("normal day", "build", when),
        ("same day again", "build", when + timedelta(hours=6)),
        ("catch-up day (every member due)", "catch-up", when + timedelta(days=1)),
    ]:
        result = json.loads(_child(["--phase", phase, "--when", moment.isoformat()], env))
        rows = sum(result["added"].values())
        detail = ", ".join(f"{k} {v:,}" for k, v in result["added"].items() if v)
        print(
            f"  {label:<32} {result['seconds']:6.2f} s  peak {result['peak_mb']:6.0f} MB  "
            f"{rows:,} revisits added ({detail or 'none'})"
        )


if __name__ == "__main__":
    main()
