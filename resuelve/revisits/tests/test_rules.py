"""The pure rules: occasions on a day, periods and slots, channels, the assignment plan."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from resuelve.revisits import assignment, builder


def test_it_keeps_a_29_february_birthday_on_28_february_in_common_years() -> None:
    leapling = date(2000, 2, 29)
    assert builder.falls_on(leapling, date(2025, 2, 28))
    assert not builder.falls_on(leapling, date(2025, 3, 1))
    assert builder.falls_on(leapling, date(2028, 2, 29))
    assert not builder.falls_on(leapling, date(2028, 2, 28))


def test_it_finds_each_occasion_on_its_day() -> None:
    on = date(2025, 6, 10)
    found = builder.occasions_on(
        on,
        birthday=date(1970, 6, 10),
        member_since=date(2021, 6, 10),
        renewal_on=date(2025, 6, 20),
        renewal_notice_days=10,
        is_holiday=True,
    )
    assert [d.reason for d in found] == ["birthday", "anniversary", "holiday", "renewal"]
    renewal = found[-1]
    assert (renewal.key, renewal.latest_on) == ("2025-06-20", date(2025, 6, 20))
    # Joining today is no anniversary; a renewal beyond the notice is not yet due.
    assert not builder.occasions_on(
        on,
        birthday=None,
        member_since=on,
        renewal_on=date(2025, 6, 21),
        renewal_notice_days=10,
        is_holiday=False,
    )


def test_it_knows_the_holidays_of_each_country() -> None:
    assert date(2025, 2, 24) in builder.holiday_days("EE", [2025])
    assert date(2025, 10, 1) in builder.holiday_days("CN", [2025])
    assert date(2025, 7, 20) in builder.holiday_days("co", [2025])
    assert date(2025, 8, 15) in builder.holiday_days("ES", [2025])
    assert builder.holiday_days("", [2025]) == frozenset()
    assert builder.holiday_days("XX", [2025]) == frozenset()


@given(
    st.integers(min_value=1, max_value=10**7),
    st.integers(min_value=1, max_value=400),
    st.integers(min_value=0, max_value=3000),
)
def test_it_revisits_each_member_exactly_once_in_every_period(
    customer_id: int, every_days: int, offset: int
) -> None:
    starts_on = date(2024, 1, 1)
    first = starts_on + timedelta(days=offset)
    period = builder.period_of(first, starts_on=starts_on, every_days=every_days)
    assert period is not None
    days = [period.starts_on + timedelta(days=i) for i in range(every_days)]
    slots = [d for d in days if builder.slot_day(customer_id, period, every_days) == d]
    assert len(slots) == 1
    due = builder.member_due(
        customer_id,
        on=period.ends_on,
        member_since=None,
        starts_on=starts_on,
        every_days=every_days,
    )
    assert due is not None and due.key == period.key(every_days)
    assert due.latest_on == period.ends_on


def test_it_offers_only_consented_channels_with_an_address() -> None:
    consents = {"phone": False, "sms": True, "messaging": True, "email": True}
    assert builder.usable_channels(consents, email="a@b.c", phone="300", preferred="email") == [
        "email",
        "sms",
        "messaging",
    ]
    assert builder.usable_channels(consents, email="", phone="") == []
    assert builder.usable_channels(dict.fromkeys(consents, False), email="a@b.c", phone="3") == []


def test_it_balances_the_list_by_capacity_language_and_capability() -> None:
    es = assignment.Candidate(user_id=1, capacity=4, languages=frozenset({"es"}))
    es_busy = assignment.Candidate(user_id=2, capacity=4, load=3, languages=frozenset({"es"}))
    zh = assignment.Candidate(
        user_id=3, capacity=10, languages=frozenset({"zh-hans", "en"}), handles_complaints=False
    )
    anyone = assignment.Candidate(user_id=4, capacity=2)
    items = [assignment.Item(i, "es", "gold") for i in range(1, 7)]
    items += [assignment.Item(10, "zh-hans", "gold"), assignment.Item(11, "en", "silver")]
    items += [assignment.Item(12, "zh-hans", "gold", is_complaint=True)]

    chosen = assignment.plan(items, [es, es_busy, zh, anyone])

    spanish = [chosen.get(i) for i in range(1, 7)]
    assert spanish.count(1) == 4 and spanish.count(2) == 1  # both speakers full: 4/4 and 4/4
    assert spanish.count(4) == 1  # the one left goes to whoever takes any language
    assert chosen[10] == 3 and chosen[11] == 3
    assert chosen[12] == 4  # a complaint follow-up needs someone who handles complaints
    assert (es.load, es_busy.load, zh.load, anyone.load) == (4, 4, 2, 2)
