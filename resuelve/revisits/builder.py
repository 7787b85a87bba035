"""Which revisits fall on a day: pure arithmetic, no database access.

Member coverage (I4, 100% of members each period). Each tier's schedule cuts time into
periods of `every_days` counted from `starts_on`; within a period every member has a fixed
slot, `customer id mod every_days`, so a tier of M members gives about M / every_days calls a
day, every day, and no member waits longer than one period. A member whose slot in the
current period has passed without a revisit (the worker did not run, the customer just became
a member, or changed tier) is due at once: the period's key, not the day, makes the revisit
unique, so catching up never doubles a call. Oldest-first with a daily quota would also be
even, but it needs the whole history ordered on each run and cannot say in advance who is
called on which day; slots can.

Occasions: a birthday or membership anniversary on 29 February is kept on 28 February in
common years (the last day of February the customer would recognise, and not a day late).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from resuelve.revisits.models import REVISIT_CHANNELS, Occasion

# The seed's "three guarantees": a resolved complaint is followed up within three days, and a
# customer who asks to be called back is called within three days.
FOLLOWUP_DAYS = 3
CALLBACK_DAYS = 3


@dataclass(frozen=True)
class Due:
    """One revisit owed: what for, its unique key and the days it may be made in."""

    reason: str
    key: str
    due_on: date
    latest_on: date


def anniversary_in(year: int, anchor: date) -> date:
    """The day `anchor` (a birthday, a join date) recurs in `year`: 29 February falls on
    28 February in common years."""
    if anchor.month == 2 and anchor.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return anchor.replace(year=year)


def falls_on(anchor: date | None, on: date) -> bool:
    return anchor is not None and anniversary_in(on.year, anchor) == on


@dataclass(frozen=True)
class Period:
    index: int
    starts_on: date
    ends_on: date  # the last day of the period

    def key(self, every_days: int) -> str:
        return f"{every_days}d{self.index}"


def period_of(on: date, *, starts_on: date, every_days: int) -> Period | None:
    """The schedule's period containing `on`; None before the schedule starts."""
    if on < starts_on or every_days <= 0:
        return None
    index = (on - starts_on).days // every_days
    first = starts_on + timedelta(days=index * every_days)
    return Period(index, first, first + timedelta(days=every_days - 1))


def slot_day(customer_id: int, period: Period, every_days: int) -> date:
    return period.starts_on + timedelta(days=customer_id % every_days)


def member_due(
    customer_id: int,
    *,
    on: date,
    member_since: date | None,
    starts_on: date,
    every_days: int,
) -> Due | None:
    """The member revisit of the period containing `on`, once the customer's slot has come
    (and they are a member by then); None when nothing is due yet."""
    period = period_of(on, starts_on=starts_on, every_days=every_days)
    if period is None or (member_since is not None and member_since > on):
        return None
    if slot_day(customer_id, period, every_days) > on:
        return None
    return Due(Occasion.MEMBER, period.key(every_days), on, period.ends_on)


def occasions_on(
    on: date,
    *,
    birthday: date | None,
    member_since: date | None,
    renewal_on: date | None,
    renewal_notice_days: int,
    is_holiday: bool,
    birthdays: bool = True,
    anniversaries: bool = True,
    holidays: bool = True,
) -> list[Due]:
    """A member's special revisits on `on` (I3): birthday and anniversary on the day, a
    public holiday of their country on the day, and a renewal reminder from
    `renewal_notice_days` before the renewal date until it (one per renewal date)."""
    found: list[Due] = []
    if birthdays and falls_on(birthday, on):
        found.append(Due(Occasion.BIRTHDAY, f"{on.year}", on, on))
    if (
        anniversaries
        and member_since is not None
        and member_since.year < on.year
        and falls_on(member_since, on)
    ):
        found.append(Due(Occasion.ANNIVERSARY, f"{on.year}", on, on + timedelta(days=2)))
    if holidays and is_holiday:
        found.append(Due(Occasion.HOLIDAY, on.isoformat(), on, on))
    if (
        renewal_notice_days
        and renewal_on is not None
        and on <= renewal_on <= on + timedelta(days=renewal_notice_days)
    ):
        found.append(Due(Occasion.RENEWAL, renewal_on.isoformat(), on, renewal_on))
    return found


def complaint_due(complaint_id: int, resolved_on: date) -> Due:
    """The follow-up of a resolved case: from the day it was resolved, within three days."""
    return Due(
        Occasion.COMPLAINT_FOLLOWUP,
        f"c{complaint_id}",
        resolved_on,
        resolved_on + timedelta(days=FOLLOWUP_DAYS),
    )


def usable_channels(
    consents: Mapping[str, bool], *, email: str, phone: str, preferred: str = ""
) -> list[str]:
    """The channels a revisit may use: consented and with an address, the customer's
    preferred one first. Empty: the customer may not be revisited at all."""
    addresses = {"email": bool(email), "phone": bool(phone), "sms": bool(phone)}
    addresses["messaging"] = bool(phone)
    channels = [
        str(c) for c in REVISIT_CHANNELS if consents.get(str(c), False) and addresses[str(c)]
    ]
    if preferred in channels:
        channels.remove(preferred)
        channels.insert(0, preferred)
    return channels


def holiday_days(country: str, years: Iterable[int]) -> frozenset[date]:
    """Public holidays of `country` (ISO 3166) in `years`; empty for an unknown country."""
    import holidays

    if not country:
        return frozenset()
    try:
        return frozenset(holidays.country_holidays(country.upper(), years=list(years)).keys())
    except (NotImplementedError, KeyError):
        return frozenset()
