"""The survey settings: defaults, the forms accepted, bad values failing loudly."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from resuelve.followup import conf


def test_it_reads_defaults_and_accepted_forms(settings: Any) -> None:
    for name in ("RESUELVE_SURVEY_DELAY_HOURS", "RESUELVE_SURVEY_REMINDER_DAYS"):
        if hasattr(settings, name):
            delattr(settings, name)
    assert conf.delay() == timedelta(hours=24) and conf.reminder_days() == [3.0]
    settings.RESUELVE_SURVEY_REMINDER_DAYS = "7, 3"
    assert conf.reminder_days() == [3.0, 7.0]
    settings.RESUELVE_SURVEY_REMINDER_DAYS = []
    assert conf.reminder_days() == []
    settings.RESUELVE_SURVEY_EXPIRY_DAYS = "10"
    assert conf.expiry() == timedelta(days=10)


def test_it_fails_loudly_on_bad_values(settings: Any) -> None:
    settings.RESUELVE_SURVEY_DELAY_HOURS = "soon"
    with pytest.raises(ImproperlyConfigured):
        conf.delay()
    settings.RESUELVE_SURVEY_REMINDER_DAYS = "3,x"
    with pytest.raises(ImproperlyConfigured):
        conf.reminder_days()
    settings.RESUELVE_SURVEY_LOW_CSAT = -1
    with pytest.raises(ImproperlyConfigured):
        conf.low_csat()
