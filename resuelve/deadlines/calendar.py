"""Deadline arithmetic: pure, no database. How long a company has to acknowledge or answer a
complaint under a given law, counted the way that law counts.

Day-count modes (JURISDICTIONS.md):
- calendar days, and calendar months ("de fecha a fecha": the same day of the month, or the
  month's last day when it has no such day);
- business days of a country and, where holidays differ, a region, from the `holidays`
  package, moved holidays included. A weekend day that the country declares a working day
  counts: China's make-up working weekends (调休) are business days there;
- hours, for acknowledgements due "at once".

The clock starts the day after receipt, in the company's time zone, and a term in days ends
at the close of its last day (the end of the local day unless the company closes earlier).
Days the case was paused (waiting for the customer, a settlement offer) do not count, and a
notified extension adds days to the term. The result is an aware UTC datetime: a deadline
that crosses a DST change still ends at the local closing time.
"""

from __future__ import annotations

import calendar as month_calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

END_OF_DAY = time(23, 59, 59)


class Unit(StrEnum):
    HOURS = "hours"
    CALENDAR_DAYS = "calendar_days"
    BUSINESS_DAYS = "business_days"
    CALENDAR_MONTHS = "calendar_months"


@dataclass(frozen=True)
class Term:
    """An amount of time as a law states it: 15 business days, 1 calendar month, 24 hours."""

    amount: int
    unit: Unit
    # A term in calendar days or months that would end on a day off ends on the next
    # business day instead (as Spanish and Colombian procedure rules say).
    roll_to_business_day: bool = False


@dataclass(frozen=True)
class Calendar:
    """Whose days count: a country's (and region's) public holidays and the company's clock."""

    country: str = ""
    subdivision: str = ""
    timezone: str = "UTC"
    closes_at: time = END_OF_DAY


@dataclass(frozen=True)
class Pause:
    """Local dates, both included, on which the clock did not run."""

    first_day: date
    last_day: date


@dataclass(frozen=True)
class Clock:
    pauses: Sequence[Pause] = field(default_factory=tuple)
    extension: Term | None = None


@lru_cache(maxsize=256)
def _days_off(country: str, subdivision: str, year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(public holidays, weekend days that are working days) of one year."""
    if not country:
        return frozenset(), frozenset()
    calendar = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    workdays = frozenset(
        day for day in getattr(calendar, "weekend_workdays", ()) if day.year == year
    )
    return frozenset(calendar.keys()), workdays


def is_business_day(day: date, cal: Calendar) -> bool:
    off, make_up = _days_off(cal.country, cal.subdivision, day.year)
    if day in make_up:
        return True
    return day.weekday() < 5 and day not in off


def holiday_name(day: date, cal: Calendar) -> str:
    if not cal.country:
        return ""
    names = holidays.country_holidays(cal.country, subdiv=cal.subdivision or None, years=day.year)
    return str(names.get(day) or "")


def _paused(day: date, pauses: Sequence[Pause]) -> bool:
    return any(p.first_day <= day <= p.last_day for p in pauses)


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = month_calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def _count(start: date, amount: int, unit: Unit, cal: Calendar, pauses: Sequence[Pause]) -> date:
    """The last day of a term of `amount` units counted from the day after `start`."""
    day = start
    if unit == Unit.CALENDAR_MONTHS:
        day = _add_months(start, amount)
        # paused days push the end by as many calendar days
        extra = sum(
            (min(p.last_day, day) - max(p.first_day, start + timedelta(days=1))).days + 1
            for p in pauses
            if p.last_day > start and p.first_day <= day
        )
        return day + timedelta(days=max(extra, 0))
    counted = 0
    while counted < amount:
        day += timedelta(days=1)
        if _paused(day, pauses):
            continue
        if unit == Unit.BUSINESS_DAYS and not is_business_day(day, cal):
            continue
        counted += 1
    return day


def deadline(
    received_at: datetime, term: Term, cal: Calendar, clock: Clock | None = None
) -> datetime:
    """When a term that started with the receipt of a complaint ends (aware, UTC)."""
    if received_at.tzinfo is None:
        raise ValueError("received_at must be an aware datetime")
    clock = clock or Clock()
    if term.unit == Unit.HOURS:
        extra = clock.extension.amount if clock.extension else 0
        return (received_at + timedelta(hours=term.amount + extra)).astimezone(UTC)
    zone = ZoneInfo(cal.timezone)
    received_on = received_at.astimezone(zone).date()
    last_day = _count(received_on, term.amount, term.unit, cal, clock.pauses)
    if clock.extension is not None and clock.extension.amount:
        last_day = _count(last_day, clock.extension.amount, clock.extension.unit, cal, clock.pauses)
    if term.roll_to_business_day and cal.country:
        while not is_business_day(last_day, cal):
            last_day += timedelta(days=1)
    return datetime.combine(last_day, cal.closes_at, tzinfo=zone).astimezone(UTC)


def paused_days(stops: Sequence[tuple[datetime, datetime]], cal: Calendar) -> tuple[Pause, ...]:
    """The local days a case's clock did not run, from the moments it stopped and started
    again: a day does not count when the case was waiting at that day's close (so a reply
    the same day costs the customer nothing, and a whole day waited is not counted)."""
    zone = ZoneInfo(cal.timezone)
    pauses = []
    for stopped, started in stops:
        first = stopped.astimezone(zone).date()
        if datetime.combine(first, cal.closes_at, tzinfo=zone) < stopped:
            first += timedelta(days=1)
        last = started.astimezone(zone).date()
        if datetime.combine(last, cal.closes_at, tzinfo=zone) >= started:
            last -= timedelta(days=1)
        if first <= last:
            pauses.append(Pause(first, last))
    return tuple(pauses)
