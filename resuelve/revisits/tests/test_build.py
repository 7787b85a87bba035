"""The daily list: the three-day rule, member coverage, occasions, consent, idempotence."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import State
from resuelve.customers.models import Customer, Product, Purchase
from resuelve.revisits import jobs, selectors, services
from resuelve.revisits.models import Occasion, Promotion, Revisit, RevisitSchedule, Status
from resuelve.revisits.tests.conftest import MakeCustomer, assign
from resuelve.testing.fixtures import Clock, MakeComplaint


def test_it_follows_up_a_resolved_complaint_within_three_days(
    clock: Clock, make_complaint: MakeComplaint, customer: Customer
) -> None:
    case = make_complaint(state=State.RESOLVED, customer=customer)
    old = make_complaint(state=State.RESOLVED, customer=customer)
    open_case = make_complaint(state=State.INVESTIGATING, customer=customer)
    # `old` was resolved ten days ago: beyond the look-back, a worker down that long missed it.
    type(old).objects.filter(pk=old.pk).update(resolved_at=clock() - timedelta(days=10))

    added = jobs.revisit_build_daily(now=clock())

    assert added[Occasion.COMPLAINT_FOLLOWUP] == 1
    revisit = Revisit.objects.get(reason=Occasion.COMPLAINT_FOLLOWUP)
    resolved_on = timezone.localdate(case.resolved_at)
    assert revisit.complaint_id == case.pk
    assert revisit.due_on == resolved_on
    assert revisit.latest_on == resolved_on + timedelta(days=3)
    assert not Revisit.objects.filter(complaint__in=[old, open_case]).exists()


def test_it_counts_a_follow_up_after_the_third_day_as_late(
    clock: Clock, make_complaint: MakeComplaint, customer: Customer, ana: User
) -> None:
    on_time = make_complaint(state=State.RESOLVED, customer=customer)
    late = make_complaint(state=State.RESOLVED, customer=customer)
    jobs.revisit_build_daily(now=clock())
    first, second = Revisit.objects.filter(complaint__in=[on_time, late]).order_by("complaint_id")
    services.revisit_record(
        revisit=assign(first, ana),
        actor=ana,
        channel="phone",
        outcome="satisfied",
        now=clock() + timedelta(days=3),
    )
    services.revisit_record(
        revisit=assign(second, ana),
        actor=ana,
        channel="phone",
        outcome="satisfied",
        now=clock() + timedelta(days=4),
    )
    third = make_complaint(state=State.RESOLVED, customer=customer)
    jobs.revisit_build_daily(now=clock())
    today = timezone.localdate(clock())

    report = selectors.coverage_report(
        start=today, end=today, today=today + timedelta(days=4), nobody="-"
    )

    assert (report.followups, report.followups_in_time) == (3, 1)
    assert report.followups_overdue == 1  # the third, still open after its three days
    assert Revisit.objects.get(complaint=third).status == Status.PENDING


def test_it_revisits_every_member_once_per_period_evenly(
    clock: Clock, make_customer: MakeCustomer, gold_every_10: RevisitSchedule, ana: User
) -> None:
    members = [make_customer() for _ in range(50)]
    make_customer(tier="none", member_since=None)  # not a member: never on the member list
    start = date(2025, 3, 1)
    per_day = Counter()
    for day in range(10):
        when = datetime(2025, 3, 1 + day, 14, 0, tzinfo=clock().tzinfo)
        clock.set(when)
        added = jobs.revisit_build_daily(now=when)
        per_day[day] = added[Occasion.MEMBER]
        services.revisit_auto_assign(now=when)
        for revisit in Revisit.objects.filter(status=Status.ASSIGNED):
            services.revisit_record(
                revisit=revisit, actor=ana, channel="phone", outcome="satisfied", now=when
            )

    revisited = Revisit.objects.filter(reason=Occasion.MEMBER).values_list("customer", flat=True)
    assert sorted(revisited) == sorted(m.pk for m in members)  # each exactly once
    assert set(per_day.values()) == {5}  # 50 members over 10 days: 5 a day, every day
    report = selectors.coverage_report(
        start=start, end=start + timedelta(days=9), today=start + timedelta(days=9), nobody="-"
    )
    assert (report.members.due, report.members.done, report.members.rate) == (50, 50, 100.0)
    assert [r.label for r in report.by_specialist] == ["Ana Test"]

    # The next period starts over: the first day's slot is due again.
    clock.set(datetime(2025, 3, 11, 14, 0, tzinfo=clock().tzinfo))
    assert jobs.revisit_build_daily(now=clock())[Occasion.MEMBER] == 5


def test_it_catches_up_a_member_whose_slot_passed(
    clock: Clock, make_customer: MakeCustomer, gold_every_10: RevisitSchedule
) -> None:
    # Slots 0..9 of the period starting 1 March; on 3 March, slots 0, 1 and 2 have come.
    members = {m.pk % 10: m for m in (make_customer() for _ in range(10))}
    jobs.revisit_build_daily(now=clock())  # 3 March, the worker's first run
    due = set(Revisit.objects.values_list("customer_id", flat=True))
    assert due == {members[s].pk for s in (0, 1, 2)}


def test_it_builds_the_same_list_however_often_it_runs(
    clock: Clock,
    make_customer: MakeCustomer,
    gold_every_10: RevisitSchedule,
    make_complaint: MakeComplaint,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for _ in range(20):
        make_customer(birthday=date(1990, 3, 3))
    make_complaint(state=State.RESOLVED, customer=make_customer())
    first = jobs.revisit_build_daily(now=clock())
    rows = Revisit.objects.count()
    assert rows == sum(first.values()) > 0

    again = jobs.revisit_build_daily(now=clock() + timedelta(hours=6))
    # A second worker that read before the first one wrote: the unique key keeps it out.
    monkeypatch.setattr(jobs, "_existing", lambda reason, keys: set())
    racing = jobs.revisit_build_daily(now=clock())

    assert set(again.values()) == {0} and set(racing.values()) == {0}
    assert Revisit.objects.count() == rows


def test_it_never_lists_a_customer_who_withdrew_every_channel(
    clock: Clock, make_customer: MakeCustomer, gold_every_10: RevisitSchedule
) -> None:
    withdrawn = make_customer(
        consent_phone=False, consent_sms=False, consent_messaging=False, consent_email=False
    )
    phone_only_gone = make_customer(consent_phone=False, consent_sms=False)
    no_address = make_customer(email="", phone="", consent_phone=True)
    clock.set(datetime(2025, 3, 10, 14, 0, tzinfo=clock().tzinfo))  # every slot has come

    jobs.revisit_build_daily(now=clock())

    listed = set(Revisit.objects.values_list("customer_id", flat=True))
    assert listed == {phone_only_gone.pk}  # e-mail and messaging remain for them
    assert withdrawn.pk not in listed and no_address.pk not in listed


def test_it_finds_birthdays_anniversaries_renewals_and_holidays(
    clock: Clock, make_customer: MakeCustomer
) -> None:
    RevisitSchedule.objects.create(
        tier="platinum",
        every_days=365,
        starts_on=date(2026, 1, 1),
        holidays=True,
        renewal_notice_days=14,
    )
    on = datetime(2025, 2, 24, 14, 0, tzinfo=clock().tzinfo)  # Estonia's Independence Day
    birthday = make_customer(tier="platinum", birthday=date(1985, 2, 24))
    anniversary = make_customer(tier="platinum", member_since=date(2019, 2, 24))
    renewal = make_customer(tier="platinum", renewal_on=date(2025, 3, 5))
    far_renewal = make_customer(tier="platinum", renewal_on=date(2025, 4, 5))
    tallinn = make_customer(tier="platinum", country="EE", time_zone="Europe/Tallinn")
    bogota = make_customer(tier="platinum", country="CO", time_zone="America/Bogota")

    jobs.revisit_build_daily(now=on)

    found = set(Revisit.objects.values_list("customer_id", "reason"))
    assert (birthday.pk, Occasion.BIRTHDAY) in found
    assert (anniversary.pk, Occasion.ANNIVERSARY) in found
    assert (renewal.pk, Occasion.RENEWAL) in found
    assert (tallinn.pk, Occasion.HOLIDAY) in found
    assert not {(far_renewal.pk, Occasion.RENEWAL), (bogota.pk, Occasion.HOLIDAY)} & found
    assert not any(reason == Occasion.MEMBER for _c, reason in found)  # schedule starts 2026
    # The renewal reminder is made once per renewal date, not every day until it.
    jobs.revisit_build_daily(now=on + timedelta(days=1))
    assert Revisit.objects.filter(customer=renewal, reason=Occasion.RENEWAL).count() == 1


def test_it_invites_the_tiers_and_buyers_of_a_promotion(
    clock: Clock, make_customer: MakeCustomer
) -> None:
    tyres = Product.objects.create(sku="TYR-9", name="Winter tyres")
    buyer = make_customer(tier="platinum")
    gold_buyer = make_customer(tier="gold")
    other = make_customer(tier="platinum")
    for who in (buyer, gold_buyer):
        Purchase.objects.create(
            customer=who,
            product=tyres,
            order_number=f"T{who.pk}",
            purchased_on=date(2024, 11, 1),
            amount=Decimal("100"),
        )
    promotion = Promotion.objects.create(
        name="Winter check",
        starts_on=date(2025, 3, 1),
        ends_on=date(2025, 3, 31),
        tiers=["platinum"],
        product=tyres,
    )

    jobs.revisit_build_daily(now=clock())
    jobs.revisit_build_daily(now=clock() + timedelta(days=1))

    invited = Revisit.objects.filter(reason=Occasion.PROMOTION)
    assert list(invited.values_list("customer_id", flat=True)) == [buyer.pk]
    assert invited.get().promotion == promotion and invited.get().latest_on == date(2025, 3, 31)
    assert other.pk not in set(invited.values_list("customer_id", flat=True))


def test_it_expires_occasions_and_brings_back_callbacks_not_made(
    clock: Clock, make_customer: MakeCustomer, ana: User
) -> None:
    from resuelve.revisits.tests.conftest import member_revisit

    today = timezone.localdate(clock())
    birthday = member_revisit(make_customer(), ana, reason="birthday", latest_on=today)
    callback = member_revisit(make_customer(), ana)
    Revisit.objects.filter(pk=callback.pk).update(
        status=Status.SCHEDULED, callback_at=clock() + timedelta(hours=1)
    )
    followup = member_revisit(make_customer(), ana, reason="complaint_followup", latest_on=today)

    later = clock() + timedelta(days=1, hours=4)
    assert jobs.revisit_sweep(now=later) == {"callbacks_back": 1, "expired": 1}

    assert Revisit.objects.get(pk=birthday.pk).status == Status.MISSED
    back = Revisit.objects.get(pk=callback.pk)
    assert (back.status, back.due_on) == (Status.ASSIGNED, timezone.localdate(later))
    assert Revisit.objects.get(pk=followup.pk).status == Status.ASSIGNED  # overdue, not dropped


def test_it_lists_in_sql_exactly_the_members_the_slot_rule_says(
    clock: Clock, make_customer: MakeCustomer
) -> None:
    from resuelve.revisits import builder

    schedule = RevisitSchedule.objects.create(
        tier="gold",
        every_days=7,
        starts_on=date(2025, 2, 26),
        renewal_notice_days=0,
        birthdays=False,
        anniversaries=False,
    )
    today = timezone.localdate(clock())
    members = [make_customer(member_since=today + timedelta(days=n % 3 - 1)) for n in range(30)]

    jobs.revisit_build_daily(now=clock())

    expected = {
        m.pk
        for m in members
        if builder.member_due(
            m.pk,
            on=today,
            member_since=m.member_since,
            starts_on=schedule.starts_on,
            every_days=schedule.every_days,
        )
    }
    assert 0 < len(expected) < len(members)
    assert set(Revisit.objects.values_list("customer_id", flat=True)) == expected


def test_it_calls_a_leapling_on_28_february_of_a_common_year(
    clock: Clock, make_customer: MakeCustomer, gold_every_10: RevisitSchedule
) -> None:
    leapling = make_customer(birthday=date(2000, 2, 29), member_since=date(2016, 2, 29))
    make_customer(birthday=date(2000, 2, 28) + timedelta(days=2))  # 1 March: not today
    when = datetime(2025, 2, 28, 15, 0, tzinfo=clock().tzinfo)

    jobs.revisit_build_daily(now=when)

    found = set(Revisit.objects.values_list("customer_id", "reason"))
    assert found == {(leapling.pk, Occasion.BIRTHDAY), (leapling.pk, Occasion.ANNIVERSARY)}
