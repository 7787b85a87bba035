"""The survey jobs, run by the periodic worker (resuelve.core.periodic). Both take `now` so
tests drive them with a clock, and both are idempotent and safe in two workers: each survey
changes through a conditional update in services."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from resuelve.complaints.lifecycle import State
from resuelve.complaints.models import Complaint
from resuelve.followup import conf, services
from resuelve.followup.models import Survey

# States in which a case counts as resolved for the survey (the lifecycle's resolved ->
# followed_up -> closed; resolved_at is kept until a reopening clears it).
SURVEYED_STATES = (State.RESOLVED, State.FOLLOWED_UP, State.CLOSED)
BATCH = 500


def due_cases(now: datetime) -> list[Complaint]:
    """Cases resolved more than the delay ago that have no survey yet. Cases resolved longer
    ago than the delay plus the expiry are left alone: a survey about a case the customer
    has long forgotten helps nobody (and the first run on old data must not mail everyone)."""
    delay = conf.delay()
    return list(
        Complaint.objects.filter(
            state__in=SURVEYED_STATES,
            resolved_at__isnull=False,
            resolved_at__lte=now - delay,
            resolved_at__gt=now - delay - conf.expiry(),
            survey__isnull=True,
        )
        .select_related("customer")
        .order_by("resolved_at", "id")[:BATCH]
    )


def survey_send_due(now: datetime | None = None) -> dict[str, int]:
    """Create the surveys that are due and send every scheduled survey whose time has come."""
    now = now or timezone.now()
    created = 0
    for case in due_cases(now):
        services.survey_create(complaint=case, now=now)
        created += 1
    scheduled = (
        Survey.objects.filter(sent_at__isnull=True, not_sent_reason="")
        .filter(Q(send_after__isnull=True) | Q(send_after__lte=now))
        .select_related("complaint", "customer")
        .order_by("send_after", "id")[:BATCH]
    )
    sent = sum(1 for survey in scheduled if services.survey_send(survey=survey, now=now))
    return {"created": created, "sent": sent}


def survey_remind_and_expire(now: datetime | None = None) -> dict[str, int]:
    """Send due reminders, then mark surveys whose time is over as expired."""
    now = now or timezone.now()
    days = conf.reminder_days()
    reminded = 0
    if days:
        waiting = (
            Survey.objects.filter(
                sent_at__isnull=False,
                answered_at__isnull=True,
                expired_at__isnull=True,
                reminders_sent__lt=len(days),
                expires_at__gt=now,
                sent_at__lte=now - timedelta(days=days[0]),
            )
            .select_related("complaint", "customer")
            .order_by("sent_at", "id")[:BATCH]
        )
        reminded = sum(1 for survey in waiting if services.survey_remind(survey=survey, now=now))
    expired = 0
    for survey in Survey.objects.filter(
        sent_at__isnull=False,
        answered_at__isnull=True,
        expired_at__isnull=True,
        expires_at__lte=now,
    ).order_by("id")[:BATCH]:
        expired += services.survey_expire(survey=survey, now=now)
    return {"reminded": reminded, "expired": expired}
