"""The demo programme: scripts in four languages, schedules, specialists, a list today."""

from __future__ import annotations

from datetime import date

from resuelve.accounts.models import User
from resuelve.customers.models import Customer
from resuelve.revisits import jobs
from resuelve.revisits.demo import ensure_demo_revisits
from resuelve.revisits.models import CallScript, Occasion, Revisit, RevisitSchedule, Specialist
from resuelve.testing.fixtures import Clock


def test_it_sets_up_the_demo_programme_once(clock: Clock, db: None) -> None:
    for username in ("ana", "wei", "kadri"):
        User.objects.create_user(username=username, password="x", first_name=username)
    for n in range(1, 41):
        Customer.objects.create(
            name=f"Demo {n}",
            external_ref=f"demo-{n}",
            email=f"d{n}@example.com",
            language=["es", "en", "zh-hans", "et"][n % 4],
            tier="platinum",
            member_since=date(2021, 5, 1),
        )

    ensure_demo_revisits(clock())
    rows = Revisit.objects.count()
    again = ensure_demo_revisits(clock())

    assert CallScript.objects.count() == 4 * len(Occasion.values)
    assert set(CallScript.objects.values_list("language", flat=True)) == {
        "es",
        "en",
        "zh-hans",
        "et",
    }
    assert RevisitSchedule.objects.count() == 3 and Specialist.objects.count() == 3
    assert rows > 0 and set(again.values()) == {0} and Revisit.objects.count() == rows
    assert Revisit.objects.filter(status="done").exists()  # the past days, worked through
    assert Customer.objects.exclude(time_zone="").count() == 40
    assert set(jobs.revisit_daily(now=clock())) == {"swept", "added"}
