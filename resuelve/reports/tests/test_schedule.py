"""When subscriptions are due and what each occurrence reports, in Bogotá time (UTC-5)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from resuelve.reports.schedule import DAILY, MONTHLY, WEEKLY, next_due, period_for

BOGOTA = ZoneInfo("America/Bogota")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("frequency", "after", "due"),
    [
        # 06:59 in Bogotá is 11:59 UTC: today's 07:00 (12:00 UTC) is still to come.
        (DAILY, utc(2026, 11, 3, 11, 59), utc(2026, 11, 3, 12, 0)),
        # At 07:00 exactly it is the next day's.
        (DAILY, utc(2026, 11, 3, 12, 0), utc(2026, 11, 4, 12, 0)),
        # 23:30 on 3 November in Bogotá is already the 4th in UTC: still the 4th's 07:00.
        (DAILY, utc(2026, 11, 4, 4, 30), utc(2026, 11, 4, 12, 0)),
        # Monday 2 November 2026, 06:00 local: that Monday's.
        (WEEKLY, utc(2026, 11, 2, 11, 0), utc(2026, 11, 2, 12, 0)),
        # Monday after 07:00, and Sunday: the next Monday.
        (WEEKLY, utc(2026, 11, 2, 12, 1), utc(2026, 11, 9, 12, 0)),
        (WEEKLY, utc(2026, 11, 8, 20, 0), utc(2026, 11, 9, 12, 0)),
        # 1 December 03:00 UTC is still 30 November in Bogotá: 1 December 07:00.
        (MONTHLY, utc(2026, 12, 1, 3, 0), utc(2026, 12, 1, 12, 0)),
        (MONTHLY, utc(2026, 12, 1, 12, 0), utc(2027, 1, 1, 12, 0)),
        (MONTHLY, utc(2026, 1, 31, 13, 0), utc(2026, 2, 1, 12, 0)),
    ],
)
def test_it_is_due_at_seven_in_the_morning_company_time(
    frequency: str, after: datetime, due: datetime
) -> None:
    assert next_due(frequency, after, BOGOTA) == due


def test_each_occurrence_reports_the_day_iso_week_or_month_before() -> None:
    daily = period_for(DAILY, utc(2026, 3, 1, 12, 0), BOGOTA)
    assert (daily.start, daily.end) == (date(2026, 2, 28), date(2026, 2, 28))
    # Monday 4 January 2027: ISO week 53 of 2026, Monday 28 December to Sunday 3 January.
    weekly = period_for(WEEKLY, utc(2027, 1, 4, 12, 0), BOGOTA)
    assert (weekly.start, weekly.end) == (date(2026, 12, 28), date(2027, 1, 3))
    assert weekly.start.isocalendar()[:2] == (2026, 53)
    monthly = period_for(MONTHLY, utc(2027, 1, 1, 12, 0), BOGOTA)
    assert (monthly.start, monthly.end) == (date(2026, 12, 1), date(2026, 12, 31))
    leap = period_for(MONTHLY, utc(2028, 3, 1, 12, 0), BOGOTA)
    assert (leap.start, leap.end) == (date(2028, 2, 1), date(2028, 2, 29))
