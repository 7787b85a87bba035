"""Deadline arithmetic against cases counted by hand on the real calendars (JURISDICTIONS.md).

Each case says why the expected day is that day; the holidays it relies on are checked too,
so a change in the holidays package shows up as such and not as a wrong count."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resuelve.deadlines.calendar import (
    Calendar,
    Clock,
    Pause,
    Term,
    Unit,
    deadline,
    holiday_name,
    is_business_day,
    paused_days,
)

CO = Calendar(country="CO", timezone="America/Bogota")
PE = Calendar(country="PE", timezone="America/Lima")
MADRID = Calendar(country="ES", subdivision="MD", timezone="Europe/Madrid")
CATALONIA = Calendar(country="ES", subdivision="CT", timezone="Europe/Madrid")
CN = Calendar(country="CN", timezone="Asia/Shanghai")
EE = Calendar(country="EE", timezone="Europe/Tallinn")
ENGLAND = Calendar(country="GB", subdivision="ENG", timezone="Europe/London")
SCOTLAND = Calendar(country="GB", subdivision="SCT", timezone="Europe/London")
US = Calendar(country="US", timezone="America/New_York")

BUSINESS_15 = Term(15, Unit.BUSINESS_DAYS)


def at(cal: Calendar, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZoneInfo(cal.timezone))


def end_of(cal: Calendar, day: date) -> datetime:
    """The close of a local day, in UTC."""
    return datetime(
        day.year, day.month, day.day, 23, 59, 59, tzinfo=ZoneInfo(cal.timezone)
    ).astimezone(UTC)


def test_colombia_15_business_days_skip_a_moved_monday_holiday():
    # Filed Mon 17 Mar 2025; counting starts Tue 18. Mon 24 Mar is San José, moved to Monday.
    assert holiday_name(date(2025, 3, 24), CO)
    # 18 19 20 21 | 25 26 27 28 | 31 1 2 3 4 | 7 8  -> the 15th business day is Tue 8 Apr
    due = deadline(at(CO, 2025, 3, 17, 10, 0), BUSINESS_15, CO)
    assert due == end_of(CO, date(2025, 4, 8))
    assert due == datetime(2025, 4, 9, 4, 59, 59, tzinfo=UTC)  # Bogotá is UTC-5


def test_colombia_across_the_year_end():
    # Filed Fri 19 Dec 2025. Off: 25 Dec, 1 Jan, and Epiphany moved to Mon 12 Jan 2026.
    for day in (date(2025, 12, 25), date(2026, 1, 1), date(2026, 1, 12)):
        assert holiday_name(day, CO), day
    # 22 23 24 26 | 29 30 31 2 | 5 6 7 8 9 | 13 14  -> Wed 14 Jan 2026
    assert deadline(at(CO, 2025, 12, 19, 16, 30), BUSINESS_15, CO) == end_of(CO, date(2026, 1, 14))


def test_colombia_waiting_for_the_customer_and_a_notified_extension():
    # Same filing as the first case; the clock waited for the customer Tue 25 to Thu 27 Mar,
    # then the company notified an extension of another 15 business days.
    waited = Clock(pauses=(Pause(date(2025, 3, 25), date(2025, 3, 27)),))
    # 18 19 20 21 | 28 | 31 1 2 3 4 | 7 8 9 10 11  -> Fri 11 Apr
    filed = at(CO, 2025, 3, 17, 10, 0)
    assert deadline(filed, BUSINESS_15, CO, waited) == end_of(CO, date(2025, 4, 11))
    for day in (date(2025, 4, 17), date(2025, 4, 18), date(2025, 5, 1)):
        assert holiday_name(day, CO), day
    # then 14 15 16 | 21 22 23 24 25 | 28 29 30 2 | 5 6 7  -> Wed 7 May (Holy Thursday, Good
    # Friday and 1 May are off)
    extended = Clock(pauses=waited.pauses, extension=BUSINESS_15)
    assert deadline(filed, BUSINESS_15, CO, extended) == end_of(CO, date(2025, 5, 7))


def test_peru_a_settlement_offer_pauses_five_business_days():
    # Filed Mon 3 Nov 2025: 4 5 6 7 | 10 11 12 13 14 | 17 18 19 20 21 | 24 -> Mon 24 Nov
    filed = at(PE, 2025, 11, 3, 9, 0)
    assert deadline(filed, BUSINESS_15, PE) == end_of(PE, date(2025, 11, 24))
    # An offer on Mon 10 Nov paused Mon 10 to Fri 14: five business days later, Mon 1 Dec.
    offer = Clock(pauses=(Pause(date(2025, 11, 10), date(2025, 11, 14)),))
    assert deadline(filed, BUSINESS_15, PE, offer) == end_of(PE, date(2025, 12, 1))


def test_spain_regional_holidays_change_the_count():
    # Filed Tue 29 Apr 2025. 1 May is national; 2 May is a holiday in Madrid, not Catalonia.
    assert holiday_name(date(2025, 5, 2), MADRID)
    assert not holiday_name(date(2025, 5, 2), CATALONIA)
    filed = at(MADRID, 2025, 4, 29, 12, 0)
    # Madrid: 30 | 5 6 7 8 9 | 12 13 14 15 16 | 19 20 21 22  -> Thu 22 May
    assert deadline(filed, BUSINESS_15, MADRID) == end_of(MADRID, date(2025, 5, 22))
    # Catalonia counts 2 May: one day earlier
    assert deadline(filed, BUSINESS_15, CATALONIA) == end_of(CATALONIA, date(2025, 5, 21))


def test_spain_one_month_across_the_summer_time_change():
    # Filed 10 Mar 2025 (CET, UTC+1): one month is 10 Apr, after the change to CEST (UTC+2).
    due = deadline(at(MADRID, 2025, 3, 10, 9, 0), Term(1, Unit.CALENDAR_MONTHS), MADRID)
    assert due == datetime(2025, 4, 10, 21, 59, 59, tzinfo=UTC)


def test_spain_a_month_ending_on_a_holiday_rolls_to_the_next_business_day():
    # Filed 15 Jul 2025: one month is Fri 15 Aug, Assumption, a national holiday -> Mon 18.
    assert holiday_name(date(2025, 8, 15), MADRID)
    term = Term(1, Unit.CALENDAR_MONTHS, roll_to_business_day=True)
    assert deadline(at(MADRID, 2025, 7, 15, 9), term, MADRID) == end_of(MADRID, date(2025, 8, 18))


def test_a_month_from_the_31st_ends_on_the_months_last_day():
    due = deadline(at(MADRID, 2025, 1, 31, 9), Term(1, Unit.CALENDAR_MONTHS), MADRID)
    assert due == end_of(MADRID, date(2025, 2, 28))


def test_china_counts_make_up_working_weekends():
    # Spring Festival 2025: 28 Jan to 4 Feb off; Sun 26 Jan and Sat 8 Feb are working days.
    assert is_business_day(date(2025, 1, 26), CN) and is_business_day(date(2025, 2, 8), CN)
    assert not is_business_day(date(2025, 1, 28), CN) and not is_business_day(date(2025, 2, 4), CN)
    # Filed Thu 23 Jan: 24 26 27 | 5 6 7 8 | 10 11 12  -> the 10th working day is Wed 12 Feb
    due = deadline(at(CN, 2025, 1, 23, 15, 0), Term(10, Unit.BUSINESS_DAYS), CN)
    assert due == end_of(CN, date(2025, 2, 12))


def test_estonia_15_calendar_days_across_the_end_of_summer_time():
    # Filed 20 Oct 2025 12:00 EEST (UTC+3); Tue 4 Nov ends 23:59:59 EET (UTC+2).
    due = deadline(at(EE, 2025, 10, 20, 12), Term(15, Unit.CALENDAR_DAYS), EE)
    assert due == datetime(2025, 11, 4, 21, 59, 59, tzinfo=UTC)


def test_estonia_calendar_days_end_on_a_sunday_without_rolling():
    assert deadline(at(EE, 2025, 12, 20, 8), Term(15, Unit.CALENDAR_DAYS), EE) == end_of(
        EE, date(2026, 1, 4)
    )


def test_great_britain_15_business_days_over_christmas_differ_by_nation():
    filed = at(ENGLAND, 2025, 12, 19, 11)
    # England: 22 23 24 | 29 30 31 2 | 5 6 7 8 9 | 12 13 14  -> Wed 14 Jan 2026
    assert deadline(filed, BUSINESS_15, ENGLAND) == end_of(ENGLAND, date(2026, 1, 14))
    # Scotland also rests on 2 January: one day later
    assert holiday_name(date(2026, 1, 2), SCOTLAND)
    assert deadline(filed, BUSINESS_15, SCOTLAND) == end_of(SCOTLAND, date(2026, 1, 15))


def test_united_states_15_calendar_days_across_the_start_of_daylight_time():
    # Filed 1 Mar 2025 (EST, UTC-5); Sun 16 Mar ends 23:59:59 EDT (UTC-4).
    due = deadline(at(US, 2025, 3, 1, 10), Term(15, Unit.CALENDAR_DAYS), US)
    assert due == datetime(2025, 3, 17, 3, 59, 59, tzinfo=UTC)


def test_an_acknowledgement_in_hours_runs_on_the_clock():
    filed = datetime(2025, 3, 8, 22, 0, tzinfo=UTC)
    assert deadline(filed, Term(24, Unit.HOURS), CO) == filed + timedelta(hours=24)


def test_the_count_starts_the_day_after_filing_whatever_the_hour():
    early = deadline(at(CO, 2025, 3, 18, 0, 1), Term(1, Unit.BUSINESS_DAYS), CO)
    late = deadline(at(CO, 2025, 3, 18, 23, 59), Term(1, Unit.BUSINESS_DAYS), CO)
    assert early == late == end_of(CO, date(2025, 3, 19))


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError):
        deadline(datetime(2025, 3, 18, 9), BUSINESS_15, CO)


CALENDARS = st.sampled_from([CO, PE, MADRID, CN, EE, ENGLAND, US])
MOMENTS = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 1)).map(
    lambda moment: moment.replace(tzinfo=UTC)
)


@given(moment=MOMENTS, cal=CALENDARS, amount=st.integers(1, 40))
def test_business_day_deadlines_end_on_a_business_day_at_the_close(moment, cal, amount):
    due = deadline(moment, Term(amount, Unit.BUSINESS_DAYS), cal)
    local = due.astimezone(ZoneInfo(cal.timezone))
    assert is_business_day(local.date(), cal)
    assert (local.hour, local.minute, local.second) == (23, 59, 59)
    assert due > moment


@given(moment=MOMENTS, cal=CALENDARS, amount=st.integers(1, 30), paused=st.integers(0, 10))
def test_a_pause_never_brings_a_deadline_forward(moment, cal, amount, paused):
    term = Term(amount, Unit.BUSINESS_DAYS)
    start = moment.astimezone(ZoneInfo(cal.timezone)).date() + timedelta(days=2)
    clock = Clock(pauses=(Pause(start, start + timedelta(days=paused)),))
    assert deadline(moment, term, cal, clock) >= deadline(moment, term, cal)
    longer = Term(amount + 1, Unit.BUSINESS_DAYS)
    assert deadline(moment, longer, cal) > deadline(moment, term, cal)


def test_a_day_counts_unless_the_case_was_waiting_at_its_close():
    bogota = ZoneInfo(CO.timezone)
    same_day = (datetime(2025, 3, 25, 9, tzinfo=bogota), datetime(2025, 3, 25, 17, tzinfo=bogota))
    assert paused_days([same_day], CO) == ()
    # waited from Tue 10:00 to Thu 15:00: Tue and Wed ended while waiting, Thu did not
    waited = (datetime(2025, 3, 25, 10, tzinfo=bogota), datetime(2025, 3, 27, 15, tzinfo=bogota))
    assert paused_days([waited], CO) == (Pause(date(2025, 3, 25), date(2025, 3, 26)),)
