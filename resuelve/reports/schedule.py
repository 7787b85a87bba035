"""When a subscription is due and which period it reports. Pure: no database access.

Every report goes out at SEND_AT in the company's time zone: a daily one every day for the
day before, a weekly one on Mondays for the ISO week before, a monthly one on the 1st for the
month before. A worker that was down sends the occurrence it finds due, once, and moves on to
the next one after now: missed occurrences are not sent in a burst later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAILY = "daily"
WEEKLY = "weekly"
MONTHLY = "monthly"
SEND_AT = time(7, 0)


@dataclass(frozen=True)
class Period:
    """The days a report covers, both included."""

    start: date
    end: date
    frequency: str

    @property
    def months(self) -> tuple[date, date]:
        """The first days of the months the period touches."""
        return self.start.replace(day=1), self.end.replace(day=1)


def _is_send_day(frequency: str, day: date) -> bool:
    if frequency == DAILY:
        return True
    if frequency == WEEKLY:
        return day.isoweekday() == 1
    if frequency == MONTHLY:
        return day.day == 1
    raise ValueError(f"unknown frequency {frequency!r}")


def _next_send_day(frequency: str, day: date) -> date:
    """The first send day on or after `day`."""
    if frequency == DAILY or _is_send_day(frequency, day):
        return day
    if frequency == WEEKLY:
        return day + timedelta(days=7 - day.isoweekday() + 1)
    if frequency == MONTHLY:
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)
    raise ValueError(f"unknown frequency {frequency!r}")


def next_due(frequency: str, after: datetime, zone: ZoneInfo) -> datetime:
    """The first sending moment strictly after `after` (aware), as an aware UTC datetime."""
    local = after.astimezone(zone)
    day = _next_send_day(frequency, local.date())
    candidate = datetime.combine(day, SEND_AT, tzinfo=zone)
    if candidate <= local:
        day = _next_send_day(frequency, local.date() + timedelta(days=1))
        candidate = datetime.combine(day, SEND_AT, tzinfo=zone)
    return candidate.astimezone(ZoneInfo("UTC"))


def period_for(frequency: str, due: datetime, zone: ZoneInfo) -> Period:
    """What the occurrence due at `due` reports: the day, ISO week or month before it."""
    day = due.astimezone(zone).date()
    if frequency == DAILY:
        before = day - timedelta(days=1)
        return Period(before, before, frequency)
    if frequency == WEEKLY:
        this_monday = day - timedelta(days=day.isoweekday() - 1)
        return Period(this_monday - timedelta(days=7), this_monday - timedelta(days=1), frequency)
    if frequency == MONTHLY:
        last = day.replace(day=1) - timedelta(days=1)
        return Period(last.replace(day=1), last, frequency)
    raise ValueError(f"unknown frequency {frequency!r}")


def month_period(month: date) -> Period:
    """The whole calendar month starting on `month` (a first day)."""
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return Period(month, following - timedelta(days=1), MONTHLY)
