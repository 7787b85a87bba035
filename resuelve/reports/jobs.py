"""`reports_send_due(now=)`, every 15 minutes on the worker (resuelve.core.periodic): sends
every subscription whose next_due has come.

Each occurrence is claimed first by moving next_due on with a conditional UPDATE from the
value read (and checking the count), so two workers, or a run repeated, send it once. The
report is then made with what the subscriber may see *now* (their role and departments are
read again), in their subscription's language, and e-mailed.

Why not the notifications outbox: an Outbox row holds a text body and no attachment, and a
PDF of a few hundred kilobytes per row would bloat the table every worker polls each second.
The subscription row is this job's own outbox instead: the claim is its lock, and
last_sent_at, the period sent, sent_count, failures and last_error are its delivery record
(shown on the subscriber's page). A failed send is retried by the next runs (MAX_FAILURES).
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from resuelve.analytics.selectors import may_read, scope_of
from resuelve.reports import services
from resuelve.reports.models import ReportKind, ReportSubscription
from resuelve.reports.pdf import report_filename, report_pdf
from resuelve.reports.schedule import Period, period_for
from resuelve.reports.selectors import departments_for, subscriptions_due
from resuelve.reports.summary import period_kpis, period_name

log = logging.getLogger(__name__)


def subscription_email(subscription: ReportSubscription, period: Period) -> EmailMessage:
    """The e-mail of one occurrence, in the subscription's language, with the figures the
    subscriber may see now (and the PDF for the management report)."""
    user = subscription.user
    department = subscription.department
    with translation.override(subscription.language):
        name = period_name(period)
        values = {"company": settings.RESUELVE_COMPANY_NAME, "period": name}
        if subscription.kind == ReportKind.MONTHLY_PDF:
            subject = _("%(company)s: management report, %(period)s") % values
        else:
            subject = _("%(company)s: complaints summary, %(period)s") % values
        body = render_to_string(
            "reports/email/subscription.txt",
            {
                "subscription": subscription,
                "user": user,
                "period_name": name,
                "department": department,
                "kpis": period_kpis(
                    scope=scope_of(user),
                    department=department.pk if department else None,
                    period=period,
                ),
                "pdf": subscription.kind == ReportKind.MONTHLY_PDF,
                "link": settings.RESUELVE_PUBLIC_URL + reverse("reports:index"),
            },
        )
    email = EmailMessage(
        subject=subject[:300],
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Content-Language": subscription.language, "Auto-Submitted": "auto-generated"},
    )
    if subscription.kind == ReportKind.MONTHLY_PDF:
        email.attach(
            report_filename(
                month=period.start, language=subscription.language, department=department
            ),
            report_pdf(
                user=user, month=period.start, language=subscription.language,
                department=department,
            ),
            "application/pdf",
        )  # fmt: skip
    return email


def _cannot_go(subscription: ReportSubscription) -> str:
    """Why the subscription may no longer go out as set up, or ""."""
    user = subscription.user
    if not may_read(user):
        return _("You no longer have access to the dashboards.")
    department = subscription.department
    if department is not None and not departments_for(user).filter(pk=department.pk).exists():
        return _("You no longer see the department %(name)s.") % {"name": department.name}
    if not user.email:
        return _("Your account has no e-mail address.")
    return ""


def send_one(subscription_id: int, seen_due: datetime, *, now: datetime) -> bool:
    """Send the occurrence due at `seen_due` after claiming it; False if not sent."""
    subscription = ReportSubscription.objects.select_related("user", "department").get(
        pk=subscription_id
    )
    with translation.override(subscription.language):
        reason = _cannot_go(subscription)
    if reason:
        services.subscription_suspend(subscription=subscription, reason=reason)
        log.info("report subscription %s paused: %s", subscription.pk, reason)
        return False
    period = period_for(subscription.frequency, seen_due, services.company_zone())
    try:
        subscription_email(subscription, period).send()
    except Exception as exc:  # the mail server, the PDF: retried by the next runs
        error = f"{type(exc).__name__}: {exc}"
        retry = services.subscription_record_failure(
            subscription=subscription, seen_due=seen_due, error=error
        )
        log.warning("report subscription %s failed (retry: %s): %s", subscription.pk, retry, error)
        return False
    services.subscription_record_sent(subscription=subscription, period=period, now=now)
    return True


def reports_send_due(now: datetime | None = None) -> int:
    """Send every due subscription this worker claims; returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    for subscription_id, frequency, seen_due in subscriptions_due(now):
        if not services.subscription_claim(
            subscription_id=subscription_id, frequency=frequency, seen_due=seen_due, now=now
        ):
            continue  # another worker has it
        if send_one(subscription_id, seen_due, now=now):
            sent += 1
    return sent
