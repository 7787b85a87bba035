"""When a customer may be reached: their local time, quiet hours and preferred window.
Pure: no database access; times are aware datetimes and the customer's own fields."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings


def zone(name: str) -> ZoneInfo:
    """The customer's zone, or the company's when blank or unknown."""
    try:
        return ZoneInfo(name or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def local(at: datetime, zone_name: str) -> datetime:
    return at.astimezone(zone(zone_name))


def within(start: time | None, end: time | None, moment: time) -> bool:
    """Whether `moment` lies in [start, end), a span that may wrap midnight (22:00-07:00).
    No span (either end missing, or start == end) contains nothing."""
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def is_quiet(
    at: datetime, *, zone_name: str, quiet_from: time | None, quiet_until: time | None
) -> bool:
    """Whether `at` falls in the customer's quiet hours, in their local time."""
    return within(quiet_from, quiet_until, local(at, zone_name).time().replace(tzinfo=None))


def next_reachable(
    at: datetime, *, zone_name: str, quiet_from: time | None, quiet_until: time | None
) -> datetime:
    """`at` itself when it is not quiet, else the moment the customer's quiet hours end."""
    if not is_quiet(at, zone_name=zone_name, quiet_from=quiet_from, quiet_until=quiet_until):
        return at
    assert quiet_until is not None
    here = local(at, zone_name)
    end = datetime.combine(here.date(), quiet_until, tzinfo=here.tzinfo)
    if end <= here:
        end = datetime.combine(here.date() + timedelta(days=1), quiet_until, tzinfo=here.tzinfo)
    return end.astimezone(at.tzinfo)


def in_window(
    at: datetime,
    *,
    zone_name: str,
    contact_from: time | None,
    contact_until: time | None,
    contact_days: str = "",
) -> bool:
    """Whether `at` is in the customer's preferred contact window (any time on a preferred
    day when no hours are given; any day when no days are given)."""
    here = local(at, zone_name)
    if contact_days and str(here.isoweekday()) not in contact_days:
        return False
    if contact_from is None or contact_until is None:
        return True
    return within(contact_from, contact_until, here.time().replace(tzinfo=None))
