"""Writes on report subscriptions: a subscriber creates, pauses, resumes and deletes their own;
the worker claims a due one, then records that it was sent, failed or could no longer go."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from resuelve.accounts.models import Department, User
from resuelve.reports import schedule
from resuelve.reports.models import Frequency, ReportKind, ReportSubscription
from resuelve.reports.selectors import may_report_on

# A failed send is tried again on the next runs of the job, then given up until the next one.
MAX_FAILURES = 3


def company_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def subscription_create(
    *,
    user: User,
    kind: str,
    frequency: str,
    language: str = "",
    department: Department | None = None,
    now: datetime | None = None,
) -> ReportSubscription:
    """Subscribe `user` to a report of what they may see; the PDF is monthly only. The
    language defaults to the user's own (or the site's)."""
    if not may_report_on(user, department):
        raise PermissionDenied(_("You may not read the figures of that department."))
    if kind not in ReportKind.values or frequency not in Frequency.values:
        raise ValidationError(_("Unknown report or frequency."))
    if kind == ReportKind.MONTHLY_PDF and frequency != Frequency.MONTHLY:
        raise ValidationError(_("The management report is monthly."))
    language = language or user.language or settings.LANGUAGE_CODE
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError(_("Unknown language."))
    now = now or timezone.now()
    return ReportSubscription.objects.create(
        user=user,
        kind=kind,
        frequency=frequency,
        language=language,
        department=department,
        next_due=schedule.next_due(frequency, now, company_zone()),
        created_at=now,
    )


def _check_owner(actor: User, subscription: ReportSubscription) -> None:
    if subscription.user_id != actor.pk:
        raise PermissionDenied(_("This is someone else's subscription."))


@transaction.atomic
def subscription_set_active(
    *, actor: User, subscription: ReportSubscription, active: bool, now: datetime | None = None
) -> ReportSubscription:
    """Pause or resume one's own subscription. Resuming sends the next occurrence after now,
    not the ones missed while paused."""
    _check_owner(actor, subscription)
    subscription.active = active
    fields = ["active"]
    if active:
        subscription.next_due = schedule.next_due(
            subscription.frequency, now or timezone.now(), company_zone()
        )
        subscription.failures = 0
        subscription.last_error = ""
        fields += ["next_due", "failures", "last_error"]
    subscription.save(update_fields=fields)
    return subscription


def subscription_delete(*, actor: User, subscription: ReportSubscription) -> None:
    """Delete one's own subscription."""
    _check_owner(actor, subscription)
    subscription.delete()


def subscription_claim(
    *, subscription_id: int, frequency: str, seen_due: datetime, now: datetime
) -> bool:
    """Take the occurrence due at `seen_due` by moving next_due on from the value read;
    False when another worker took it first (or it was paused or changed meanwhile)."""
    return (
        ReportSubscription.objects.filter(
            pk=subscription_id, active=True, next_due=seen_due
        ).update(next_due=schedule.next_due(frequency, now, company_zone()))
        == 1
    )


def subscription_record_sent(
    *, subscription: ReportSubscription, period: schedule.Period, now: datetime
) -> None:
    ReportSubscription.objects.filter(pk=subscription.pk).update(
        last_sent_at=now,
        last_period_start=period.start,
        last_period_end=period.end,
        sent_count=F("sent_count") + 1,
        failures=0,
        last_error="",
    )


def subscription_record_failure(
    *, subscription: ReportSubscription, seen_due: datetime, error: str
) -> bool:
    """Note a failed send; the occurrence is due again (the next run retries it) until
    MAX_FAILURES in a row. Returns whether it will be retried."""
    retry = subscription.failures + 1 < MAX_FAILURES
    changes: dict[str, object] = {"last_error": error[:2000]}
    if retry:
        changes.update(next_due=seen_due, failures=F("failures") + 1)
    else:
        changes.update(failures=0)
    # Only if nobody changed the row since it was claimed (a pause, a resume).
    ReportSubscription.objects.filter(
        pk=subscription.pk, next_due=subscription.next_due, active=True
    ).update(**changes)
    return retry


def subscription_suspend(*, subscription: ReportSubscription, reason: str) -> None:
    """Pause a subscription that may no longer go out as it was set up (the subscriber lost
    access to its department or to the figures, or has no e-mail address): they see why on
    the reports page and can subscribe again."""
    ReportSubscription.objects.filter(pk=subscription.pk).update(active=False, last_error=reason)
