"""The survey settings, read when used so tests and deployments can change them (document
them in resuelve/settings/base.py). Bad values fail loudly."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _number(name: str, default: float) -> float:
    value = getattr(settings, name, default)
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not a number.") from exc
    if number < 0:
        raise ImproperlyConfigured(f"{name}={value!r} must not be negative.")
    return number


def delay() -> timedelta:
    """How long after resolution the survey goes out (RESUELVE_SURVEY_DELAY_HOURS, 24)."""
    return timedelta(hours=_number("RESUELVE_SURVEY_DELAY_HOURS", 24))


def reminder_days() -> list[float]:
    """Days after sending at which a reminder goes out (RESUELVE_SURVEY_REMINDER_DAYS, [3]);
    a comma-separated string is accepted too."""
    value = getattr(settings, "RESUELVE_SURVEY_REMINDER_DAYS", [3])
    if isinstance(value, str):
        value = [part for part in value.replace(" ", "").split(",") if part]
    if isinstance(value, int | float):
        value = [value]
    try:
        days = sorted(float(day) for day in value)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"RESUELVE_SURVEY_REMINDER_DAYS={value!r} is not a list of days."
        ) from exc
    return [day for day in days if day > 0]


def expiry() -> timedelta:
    """How long a sent survey can be answered (RESUELVE_SURVEY_EXPIRY_DAYS, 14)."""
    return timedelta(days=_number("RESUELVE_SURVEY_EXPIRY_DAYS", 14))


def low_csat() -> int:
    """A satisfaction at or below this opens a follow-up task (RESUELVE_SURVEY_LOW_CSAT, 2)."""
    return int(_number("RESUELVE_SURVEY_LOW_CSAT", 2))


def low_nps() -> int:
    """A likelihood to recommend at or below this opens a task (RESUELVE_SURVEY_LOW_NPS, 6)."""
    return int(_number("RESUELVE_SURVEY_LOW_NPS", 6))
