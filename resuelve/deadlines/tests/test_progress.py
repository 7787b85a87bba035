"""How far along its term a case is: pure arithmetic, waits and reopenings included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from resuelve.deadlines.progress import crossed, duration_text, elapsed_fraction

T0 = datetime(2025, 3, 3, 14, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def test_it_is_the_share_of_the_term_used():
    assert elapsed_fraction(T0, T0 + 10 * DAY, T0 + 5 * DAY) == 0.5
    assert elapsed_fraction(T0, T0 + 10 * DAY, T0 + 12 * DAY) == 1.2


def test_time_waiting_for_the_customer_does_not_count():
    events = [("wait", T0 + 2 * DAY), ("resume", T0 + 5 * DAY)]
    # due moved by the 3 days waited: 13 days after receipt, 10 of clock time
    assert elapsed_fraction(T0, T0 + 13 * DAY, T0 + 5 * DAY, events) == 0.2
    assert elapsed_fraction(T0, T0 + 13 * DAY, T0 + 10 * DAY, events) == 0.7
    # still waiting: the fraction stands still
    waiting = [("wait", T0 + 2 * DAY)]
    assert elapsed_fraction(T0, T0 + 10 * DAY, T0 + 8 * DAY, waiting) == 0.2


def test_a_reopening_starts_the_term_again():
    events = [("wait", T0 + DAY), ("resume", T0 + 2 * DAY), ("reopen", T0 + 30 * DAY)]
    assert elapsed_fraction(T0, T0 + 40 * DAY, T0 + 35 * DAY, events) == 0.5


@given(
    term=st.integers(min_value=1, max_value=90),
    waited=st.integers(min_value=0, max_value=30),
    at=st.integers(min_value=0, max_value=90),
)
def test_a_wait_moves_the_thresholds_by_exactly_the_time_waited(term, waited, at):
    plain = elapsed_fraction(T0, T0 + term * DAY, T0 + at * DAY)
    events = [("wait", T0), ("resume", T0 + waited * DAY)]
    moved = elapsed_fraction(T0, T0 + (term + waited) * DAY, T0 + (at + waited) * DAY, events)
    assert abs(plain - moved) < 1e-9


def test_the_levels_reached():
    assert crossed([50, 75, 90], 0.49) == []
    assert crossed([50, 75, 90], 0.75) == [50, 75]


def test_lateness_is_said_in_days_and_hours():
    with translation.override("en"):
        assert duration_text(timedelta(days=2, hours=3)) == "2 days 3 hours"
        assert duration_text(timedelta(hours=1)) == "1 hour"
        assert duration_text(timedelta(minutes=40)) == "40 minutes"
    with translation.override("es"):
        assert duration_text(timedelta(days=2, hours=3)) == "2 días 3 horas"
