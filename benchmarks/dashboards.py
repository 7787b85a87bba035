#!/usr/bin/env python
"""Load N complaints, compute the dashboards' figures, serve them with gunicorn (2 workers)
and measure the dashboard and its drill-down.

    .venv/bin/python benchmarks/dashboards.py --complaints 1000000
    .venv/bin/python benchmarks/dashboards.py --database-url postgres://postgres@127.0.0.1:5432/resuelve_bench

Prints how long the full recomputation and an incremental refresh take, the first (cold)
request of each page, then p50/p95 per page from C concurrent clients (4), next to a bare
Django endpoint (/ping) served by the same server in the same run. Record the figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import Client, connection_vendor, free_port, measure, prepare  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT}/var/bench.sqlite3")
    parser.add_argument("--requests", type=int, default=100, help="requests per page kind")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--skip-load", action="store_true", help="use the database as it is (already loaded)"
    )
    parser.add_argument(
        "--skip-rebuild", action="store_true", help="keep the figures already computed"
    )
    args = parser.parse_args()

    env = prepare(args.database_url, complaints=None if args.skip_load else args.complaints)

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.utils import timezone

    from resuelve.accounts.models import Department
    from resuelve.analytics.refresh import analytics_rebuild, analytics_refresh
    from resuelve.complaints.models import Complaint
    from resuelve.customers.models import Product, Region

    total = Complaint.objects.count()
    began = time.monotonic()
    if not args.skip_rebuild:
        analytics_rebuild()
    rebuild = time.monotonic() - began
    # An incremental run after 500 cases changed (what five busy minutes might bring).
    ids = list(Complaint.objects.order_by("-id").values_list("id", flat=True)[:500])
    Complaint.objects.filter(id__in=ids).update(updated_at=timezone.now())
    began = time.monotonic()
    analytics_refresh()
    refresh = time.monotonic() - began
    print(f"full recomputation: {rebuild:.1f} s ({total / rebuild:,.0f} complaints/s)", flush=True)
    print(f"incremental refresh after 500 changes: {refresh:.2f} s", flush=True)

    calidad = Department.objects.get(code="calidad").pk
    region = Region.objects.order_by("id").values_list("id", flat=True).first()
    product = Product.objects.order_by("id").values_list("id", flat=True).first()
    latest = (
        Complaint.objects.order_by("-received_at").values_list("received_at", flat=True).first()
    )
    end = timezone.localtime(latest).strftime("%Y-%m") if latest else ""
    year = int(end[:4]) if end else 2026
    five_years = f"start={year - 4}{end[4:]}&end={end}"

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "resuelve.cli", "serve", "--no-worker", "--port", str(port),
         "--workers", str(args.workers), "--threads", "1"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/ping", timeout=1)
                break
            except OSError:
                time.sleep(0.3)
        clients = {}
        for username in ("sofia", "elena"):
            client = Client(base)
            client.login(username, "resuelve-demo")
            clients[username] = client
        period = f"end={end}"
        pages: dict[str, list[tuple[str, str]]] = {
            "bare Django endpoint (/ping)": [("elena", "/ping")],
            "dashboard, 12 months (manager)": [("elena", f"/staff/analytics/?{period}")],
            "dashboard, 12 months (supervisor, 3 depts)": [("sofia", f"/staff/analytics/?{period}")],
            "dashboard, department + kind": [
                ("elena", f"/staff/analytics/?{period}&department={calidad}&kind=claim")
            ],
            "dashboard, 5 years (manager)": [("elena", f"/staff/analytics/?{five_years}")],
            "dashboard, one region": [("elena", f"/staff/analytics/?{period}&region={region}")],
            "dashboard, one product": [("elena", f"/staff/analytics/?{period}&product={product}")],
            "scorecards, 12 months (manager)": [("elena", f"/staff/analytics/scorecards/?{period}")],
            "scorecards, 12 months (supervisor)": [("sofia", f"/staff/analytics/scorecards/?{period}")],
            "drill-down, all received (12 months)": [("elena", f"/staff/analytics/cases/?{period}")],
            "drill-down, late in a department": [
                ("elena", f"/staff/analytics/cases/?{period}&dim=all&metric=late&department={calidad}")
            ],
        }  # fmt: skip

        print(
            f"\n{total:,} complaints · {connection_vendor(args.database_url)} · gunicorn "
            f"{args.workers} workers · {args.concurrency} concurrent clients · "
            f"{args.requests} requests per page\n"
        )
        # The first request of a page after a refresh computes its figures (cold); later
        # ones until the next refresh read the kept HTML of the figures (warm).
        print(f"{'first request after a refresh (cold)':<48} {'ms':>8}")
        for name, items in pages.items():
            user, path = items[0]
            status, _body, ms = clients[user].get(path)
            assert status == 200, (path, status)
            print(f"{name:<48} {ms:>8.0f}", flush=True)
        print()
        measure(pages, clients, requests=args.requests, concurrency=args.concurrency)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
