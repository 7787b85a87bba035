#!/usr/bin/env python
"""Importing customers from a file: rows per second, seconds and peak memory.

    .venv/bin/python benchmarks/customer_import.py
    .venv/bin/python benchmarks/customer_import.py --database-url postgres://postgres@127.0.0.1:5432/resuelve_bench_customers
    .venv/bin/python benchmarks/customer_import.py --rows 20000 --xlsx

Builds a fresh database (SQLite file or PostgreSQL database, dropped first), writes a CSV
(or, with --xlsx, an XLSX workbook) of N customers (100,000) with every importable column
filled the way a shop's export fills them (mixed-case e-mails, phones with spaces, tiers
and channels as words in four languages, dates as ISO and day/month/year, quiet hours,
consents, 1% bad rows), and times `resuelve import-customers` on it three times: the first
run creates everyone, the second finds everything unchanged, the third after 10% of the
rows changed. Prints rows/s, seconds and the process's peak resident memory. The target
(REQUIREMENTS H8): 100,000 customers in under a minute on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import sys
import time
import urllib.parse
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

HEADER = [
    "external_ref", "name", "email", "phone", "language", "tier", "joined", "renewal_on",
    "birthday", "region", "country", "time_zone", "preferred_channel", "consent_email",
    "consent_phone", "consent_sms", "consent_messaging", "consent_letter", "quiet_from",
    "quiet_until", "contact_from", "contact_until", "contact_days", "address",
]  # fmt: skip
NAMES = ["Ana Pérez", "Luis Gómez", "Wang Fang", "Mari Tamm", "José Núñez", "Li Wei", "Jaan Kask"]
LANGUAGES = ["es", "en", "zh-hans", "et", "Español", "eesti"]
TIERS = ["none", "silver", "gold", "platinum", "oro", "plata", "银卡", "", ""]
CHANNELS = ["email", "phone", "sms", "messaging", "letter", "teléfono", "短信"]
ZONES = ["America/Bogota", "Europe/Tallinn", "Asia/Shanghai", "Europe/Madrid", ""]
REGIONS = ["Andina", "Caribe", "Pacífico", "Orinoquía", "Harjumaa", "Shanghai", ""]
YES_NO = ["yes", "no", "sí", "1", "0", "是", "jah", ""]


def row(i: int, rng: random.Random, version: int = 0) -> list[str]:
    if i % 100 == 99:  # a bad row: an e-mail that is not one, a zone that does not exist
        return [f"B-{i}", "Bad Row", "not-an-address", "", "", "diamond", "2020-13-40"] + [""] * (
            len(HEADER) - 7
        )
    joined = f"{rng.randint(2005, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    renewal = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2025, 2027)}"
    return [
        f"C-{i:07d}",
        f"{rng.choice(NAMES)} {i}" + (" Jr." if version else ""),
        f"Customer.{i}@Example.com",
        f"+57 3{rng.randint(0, 99):02d} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
        rng.choice(LANGUAGES),
        rng.choice(TIERS),
        joined,
        renewal,
        f"19{rng.randint(40, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        rng.choice(REGIONS),
        rng.choice(["CO", "ee", "CN", "ES", ""]),
        rng.choice(ZONES),
        rng.choice(CHANNELS),
        *(rng.choice(YES_NO) for _ in range(5)),
        rng.choice(["22:00", "21:30", ""]),
        rng.choice(["07:00", "8:00", ""]),
        rng.choice(["09:00", "14:00", ""]),
        rng.choice(["12:00", "18:00", ""]),
        rng.choice(["12345", "67", "1,3,5", ""]),
        f"Calle {rng.randint(1, 200)} # {rng.randint(1, 99)}-{rng.randint(1, 99)}",
    ]


def write_file(path: Path, rows: int, *, changed_every: int = 0) -> None:
    rng = random.Random(7)  # the same people every time; `changed_every` renames some
    lines = (
        row(i, rng, version=1 if changed_every and i % changed_every == 0 else 0)
        for i in range(rows)
    )
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(HEADER)
        for line in lines:
            sheet.append(line)
        workbook.save(path)
        return
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(lines)


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


def machine_speed() -> float:
    """Milliseconds a fixed pure-Python loop takes now (as benchmarks/intake.py prints it):
    this virtual machine's speed varies from minute to minute."""
    started = time.perf_counter()
    total = 0
    for i in range(5_000_000):
        total += i
    return (time.perf_counter() - started) * 1000


def peak_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_import(path: Path, label: str, batch_size: int) -> None:
    from django.core.management import call_command
    from django.utils import translation

    out = StringIO()
    started = time.perf_counter()
    with translation.override("en"):
        call_command(
            "import_customers",
            str(path),
            batch_size=batch_size,
            stdout=out,
            stderr=StringIO(),
        )
    seconds = time.perf_counter() - started
    summary = out.getvalue().strip().splitlines()[-1]
    rows = int(summary.split(" rows", 1)[0])
    print(
        f"{label:<22} {rows / seconds:>9,.0f} rows/s  {seconds:>6.1f} s  "
        f"peak {peak_mib():>5.0f} MiB  | {summary}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT}/var/bench-customers.sqlite3")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--xlsx", action="store_true", help="an XLSX workbook instead of CSV")
    args = parser.parse_args()

    os.environ.update(
        {
            "DATABASE_URL": args.database_url,
            "DJANGO_SETTINGS_MODULE": "resuelve.settings.dev",
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    sys.path.insert(0, str(ROOT))
    (ROOT / "var").mkdir(exist_ok=True)
    fresh_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", "--no-input", verbosity=0)
    suffix = ".xlsx" if args.xlsx else ".csv"
    first = ROOT / "var" / f"bench-customers{suffix}"
    changed = ROOT / "var" / f"bench-customers-changed{suffix}"
    started = time.perf_counter()
    write_file(first, args.rows)
    write_file(changed, args.rows, changed_every=10)
    print(
        f"{connection.vendor}, {args.rows:,} rows ({suffix[1:]}, "
        f"{first.stat().st_size / 2**20:.1f} MiB), files written in "
        f"{time.perf_counter() - started:.1f} s, batch size {args.batch_size}, "
        f"machine speed {machine_speed():.0f} ms"
    )
    timed_import(first, "first run (creates)", args.batch_size)
    timed_import(first, "second run (same)", args.batch_size)
    timed_import(changed, "10% of rows changed", args.batch_size)
    from resuelve.customers.models import ConsentChange, Customer

    print(
        f"customers {Customer.objects.count():,}, consent changes {ConsentChange.objects.count():,}"
    )


if __name__ == "__main__":
    main()
