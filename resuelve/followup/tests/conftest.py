"""Helpers for the survey tests: a resolved case of a known customer, the survey link of a
sent survey, and a fresh rate-limit cache per test."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.core.cache import cache

from resuelve.complaints.lifecycle import State
from resuelve.complaints.models import Complaint
from resuelve.customers.models import Customer
from resuelve.followup import jobs
from resuelve.followup.models import Survey
from resuelve.notifications.models import Outbox
from resuelve.testing.fixtures import Clock, MakeComplaint

LINK = re.compile(r"/survey/([A-Za-z0-9_-]+)/")


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def resolved(make_complaint: MakeComplaint, customer: Customer) -> Complaint:
    """The customer's case, resolved at the clock's start (a Monday, 09:00 in Bogotá)."""
    return make_complaint(state=State.RESOLVED, customer=customer)


def link_in(row: Outbox) -> str:
    """The path of the survey link in an outbox message."""
    match = LINK.search(row.body)
    assert match is not None, row.body
    return match.group(0)


SendSurvey = Callable[[Complaint], tuple[Survey, str]]


@pytest.fixture
def sent_survey(clock: Clock) -> SendSurvey:
    """Run the job a day after resolution; returns the case's survey and its link's path."""

    def send(case: Complaint) -> tuple[Survey, str]:
        clock.advance(timedelta(hours=25))
        jobs.survey_send_due(now=clock())
        survey = Survey.objects.get(complaint=case)
        row = Outbox.objects.filter(complaint=case, body__contains="/survey/").latest("id")
        return survey, link_in(row)

    return send
