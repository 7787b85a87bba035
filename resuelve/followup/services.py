"""Every change to surveys and follow-up tasks.

Each function is safe to run twice or in two workers at once: a survey is created under the
one-per-case constraint, sent, reminded, expired and answered through conditional updates on
its timestamps (the row changes only for the caller whose update matched), and the messages
and contact log of a send are written in the same transaction as its claim."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from resuelve.accounts.models import User
from resuelve.accounts.roles import Role
from resuelve.complaints import lifecycle
from resuelve.complaints import services as complaint_services
from resuelve.complaints.lifecycle import Action, NotAllowed, State
from resuelve.complaints.models import Complaint
from resuelve.customers.models import ContactKind, Customer
from resuelve.customers.services import contact_record
from resuelve.followup import channels, conf, tokens
from resuelve.followup.models import (
    COMMENT_MAX,
    Compared,
    FollowUpTask,
    Survey,
    SurveyChannel,
    SurveyLink,
    TaskReason,
)
from resuelve.notifications.models import Outbox, Transport
from resuelve.notifications.services import _schedule

_TRANSPORTS = {
    SurveyChannel.EMAIL: Transport.EMAIL,
    SurveyChannel.SMS: Transport.SMS,
    SurveyChannel.MESSAGING: Transport.MESSAGING,
}


def survey_url(secret: str) -> str:
    return settings.RESUELVE_PUBLIC_URL + reverse("followup_public:survey", args=[secret])


def _language(case: Complaint, customer: Customer | None) -> str:
    language = customer.language if customer is not None else case.language
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


# --- creating and sending ---------------------------------------------------------------------


def survey_create(*, complaint: Complaint, now: datetime | None = None) -> Survey:
    """The case's one survey, created on first call: its channel chosen by consent (see
    channels.route_for), its sending held until the customer's quiet hours end. With no
    consented channel the survey is recorded as not sent, so the case is not tried again."""
    now = now or timezone.now()
    existing = Survey.objects.filter(complaint=complaint).first()
    if existing is not None:
        return existing
    customer = complaint.customer
    route = channels.route_for(complaint, customer)
    survey = Survey(
        complaint=complaint,
        customer=customer,
        language=_language(complaint, customer),
        created_at=now,
    )
    if route is None:
        survey.not_sent_reason = "no consented channel"
    else:
        survey.channel = route.channel
        survey.recipient = route.recipient
        survey.send_after = channels.reachable_from(now, route.channel, customer)
    try:
        with transaction.atomic():
            survey.save(force_insert=True)
    except IntegrityError:  # another worker created it first
        return Survey.objects.get(complaint=complaint)
    return survey


@dataclass(frozen=True)
class _Rendered:
    subject: str
    body: str


def _render(survey: Survey, secret: str, *, reminder: bool) -> _Rendered:
    case = survey.complaint
    customer = survey.customer
    with translation.override(survey.language):
        context = {
            "case": case,
            "name": (customer.name if customer else case.contact_name) or "",
            "link": survey_url(secret),
            "company": settings.RESUELVE_COMPANY_NAME,
            "reminder": reminder,
            "expires": formats.date_format(timezone.localtime(survey.expires_at), "DATE_FORMAT")
            if survey.expires_at
            else "",
        }
        if survey.channel == SurveyChannel.EMAIL:
            subject = (
                _("[%(code)s] Reminder: how did we do?")
                if reminder
                else _("[%(code)s] How did we do?")
            ) % {"code": case.tracking_code}
            body = render_to_string("followup/messages/survey_email.txt", context)
        else:
            subject = ""
            body = render_to_string("followup/messages/survey_text.txt", context).strip()
    return _Rendered(subject=subject[:300], body=body)


def link_issue(*, survey: Survey, now: datetime | None = None) -> str:
    """A new private link to the survey; returns its secret, which is stored only hashed."""
    secret = tokens.new_secret()
    SurveyLink.objects.create(
        survey=survey, token_hash=tokens.digest(secret), created_at=now or timezone.now()
    )
    return secret


def _deliver(survey: Survey, *, reminder: bool, now: datetime) -> Outbox:
    """A fresh private link for this message, the message in the outbox and the contact in
    the customer's log. The caller holds the claim on the survey."""
    secret = link_issue(survey=survey, now=now)
    rendered = _render(survey, secret, reminder=reminder)
    headers = {"Content-Language": survey.language, "Auto-Submitted": "auto-generated"}
    row = Outbox.objects.create(
        transport=_TRANSPORTS[survey.channel],  # type: ignore[index]
        complaint=survey.complaint,
        recipient=survey.recipient,
        subject=rendered.subject,
        body=rendered.body,
        headers=headers if survey.channel == SurveyChannel.EMAIL else {},
        created_at=now,
    )
    _schedule(row.pk)
    if survey.customer is not None:
        with translation.override(settings.LANGUAGE_CODE):
            summary = (
                _("Survey reminder for case %(code)s")
                if reminder
                else _("Satisfaction survey for case %(code)s")
            ) % {"code": survey.complaint.tracking_code}
        contact_record(
            customer=survey.customer,
            channel=survey.channel,
            kind=ContactKind.SURVEY_REMINDER if reminder else ContactKind.SURVEY,
            summary=summary,
            complaint=survey.complaint,
            at=now,
        )
    return row


def survey_send(*, survey: Survey, now: datetime | None = None) -> bool:
    """Send a scheduled survey once its time has come; False when it is not due, was sent by
    another worker, or its channel is no longer allowed (consent withdrawn in the meantime:
    another consented channel is chosen, or the survey is recorded as not sent)."""
    now = now or timezone.now()
    if survey.sent_at is not None or survey.not_sent_reason or not survey.channel:
        return False
    customer = survey.customer
    if customer is not None:
        customer.refresh_from_db()
    if not channels.still_allowed(survey.channel, customer):
        route = channels.route_for(survey.complaint, customer)
        if route is None:
            Survey.objects.filter(pk=survey.pk, sent_at__isnull=True).update(
                not_sent_reason="no consented channel"
            )
            survey.not_sent_reason = "no consented channel"
            return False
        survey.channel, survey.recipient = route.channel, route.recipient
        survey.send_after = channels.reachable_from(now, route.channel, customer)
        Survey.objects.filter(pk=survey.pk, sent_at__isnull=True).update(
            channel=survey.channel, recipient=survey.recipient, send_after=survey.send_after
        )
    if survey.send_after is not None and survey.send_after > now:
        return False
    if channels.reachable_from(now, survey.channel, customer) > now:  # quiet hours moved
        return False
    expires_at = now + conf.expiry()
    with transaction.atomic():
        claimed = Survey.objects.filter(
            pk=survey.pk, sent_at__isnull=True, not_sent_reason="", channel=survey.channel
        ).update(sent_at=now, expires_at=expires_at)
        if not claimed:
            return False
        survey.sent_at, survey.expires_at = now, expires_at
        _deliver(survey, reminder=False, now=now)
    return True


def survey_remind(*, survey: Survey, now: datetime | None = None) -> bool:
    """Send the next reminder when it is due (RESUELVE_SURVEY_REMINDER_DAYS after sending),
    the survey is still open and the customer still allows the channel and is not in their
    quiet hours; False otherwise."""
    now = now or timezone.now()
    days = conf.reminder_days()
    if survey.sent_at is None or survey.answered_at is not None or survey.expired_at is not None:
        return False
    if survey.reminders_sent >= len(days) or survey.expires_at and survey.expires_at <= now:
        return False
    if now < survey.sent_at + timedelta(days=days[survey.reminders_sent]):
        return False
    customer = survey.customer
    if customer is not None:
        customer.refresh_from_db()
    if not channels.still_allowed(survey.channel, customer):
        return False
    if channels.reachable_from(now, survey.channel, customer) > now:
        return False
    with transaction.atomic():
        claimed = Survey.objects.filter(
            pk=survey.pk,
            reminders_sent=survey.reminders_sent,
            answered_at__isnull=True,
            expired_at__isnull=True,
        ).update(reminders_sent=F("reminders_sent") + 1, last_reminder_at=now)
        if not claimed:
            return False
        survey.reminders_sent += 1
        survey.last_reminder_at = now
        _deliver(survey, reminder=True, now=now)
    return True


def survey_expire(*, survey: Survey, now: datetime | None = None) -> bool:
    """Mark an unanswered survey expired once its time is over."""
    now = now or timezone.now()
    if survey.expires_at is None or survey.expires_at > now:
        return False
    done = Survey.objects.filter(
        pk=survey.pk, answered_at__isnull=True, expired_at__isnull=True
    ).update(expired_at=now)
    if done:
        survey.expired_at = now
    return bool(done)


# --- the customer's answer ----------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    csat: int
    solved: bool
    effort: int | None = None
    nps: int | None = None
    compared: str = ""
    comment: str = ""


class AlreadyAnswered(Exception):
    pass


class SurveyClosed(Exception):
    pass


def clean_comment(text: str) -> str:
    """Plain text only: control characters dropped (new lines kept), trimmed to the limit.
    Pages escape it; nothing here is ever rendered as markup."""
    kept = "".join(c for c in text if c in "\n\t" or (c.isprintable() and c != "\x7f"))
    return "\n".join(line.rstrip() for line in kept.replace("\r", "").split("\n")).strip()[
        :COMMENT_MAX
    ]


def _validate(answer: Answer) -> Answer:
    errors: dict[str, str] = {}
    if answer.csat not in range(1, 6):
        errors["csat"] = _("Choose a score from 1 to 5.")
    if answer.effort is not None and answer.effort not in range(1, 6):
        errors["effort"] = _("Choose a score from 1 to 5.")
    if answer.nps is not None and answer.nps not in range(0, 11):
        errors["nps"] = _("Choose a score from 0 to 10.")
    if answer.compared and answer.compared not in Compared.values:
        errors["compared"] = _("Choose one of the options.")
    if errors:
        raise ValidationError(errors)
    return Answer(
        csat=answer.csat,
        solved=answer.solved,
        effort=answer.effort,
        nps=answer.nps,
        compared=answer.compared,
        comment=clean_comment(answer.comment),
    )


def survey_for_secret(secret: str) -> Survey | None:
    """The survey a private link opens, or None for a link that was never issued."""
    if not tokens.looks_valid(secret):
        return None
    link = (
        SurveyLink.objects.select_related("survey__complaint", "survey__customer")
        .filter(token_hash=tokens.digest(secret))
        .first()
    )
    return link.survey if link is not None else None


def low_reasons(answer: Answer | Survey) -> list[str]:
    """Why the answer needs the supervisor (F3), most serious first."""
    reasons = []
    if answer.solved is False:
        reasons.append(TaskReason.NOT_SOLVED)
    if answer.csat is not None and answer.csat <= conf.low_csat():
        reasons.append(TaskReason.LOW_CSAT)
    if answer.nps is not None and answer.nps <= conf.low_nps():
        reasons.append(TaskReason.LOW_NPS)
    return reasons


def _summary(survey: Survey) -> str:
    parts = [_("satisfaction %(n)s/5") % {"n": survey.csat}]
    if survey.effort is not None:
        parts.append(_("ease %(n)s/5") % {"n": survey.effort})
    if survey.nps is not None:
        parts.append(_("likely to recommend %(n)s/10") % {"n": survey.nps})
    if survey.compared:
        parts.append(
            _("compared with other companies: %(c)s")
            % {"c": str(Compared(survey.compared).label).lower()}
        )
    parts.append(_("solved: yes") if survey.solved else _("solved: no"))
    text = _("Satisfaction survey answered: %(parts)s.") % {"parts": "; ".join(parts)}
    if survey.comment:
        text += "\n" + _("Comment: %(comment)s") % {"comment": survey.comment}
    return text


def _supervisor_of(case: Complaint) -> User | None:
    department = case.department
    head = department.head if department is not None else None
    if head is not None and head.is_active and head.role in lifecycle.SUPERVISORS:
        return head
    if department is None:
        return None
    supervisors = list(
        department.members.filter(role=Role.SUPERVISOR, is_active=True).order_by("id")[:2]
    )
    return supervisors[0] if len(supervisors) == 1 else None


def survey_answer(*, survey: Survey, answer: Answer, now: datetime | None = None) -> Survey:
    """Record the customer's one answer. A second answer raises AlreadyAnswered, an expired
    survey SurveyClosed. In the same transaction the case's audit trail gets the answer (its
    satisfaction field takes the score) and a low score or "not solved" opens one follow-up
    task for the department's supervisor (F3)."""
    now = now or timezone.now()
    clean = _validate(answer)
    with transaction.atomic():
        done = (
            Survey.objects.filter(pk=survey.pk, answered_at__isnull=True, expired_at__isnull=True)
            .exclude(expires_at__lte=now)
            .update(
                answered_at=now,
                csat=clean.csat,
                effort=clean.effort,
                nps=clean.nps,
                compared=clean.compared,
                solved=clean.solved,
                comment=clean.comment,
            )
        )
        if not done:
            survey.refresh_from_db()
            if survey.answered_at is not None:
                raise AlreadyAnswered
            raise SurveyClosed
        survey.refresh_from_db()
        _record_on_case(survey, now)
    return survey


def _record_on_case(survey: Survey, now: datetime) -> None:
    case = Complaint.objects.select_for_update().get(pk=survey.complaint_id)
    reasons = low_reasons(survey)
    with translation.override(settings.LANGUAGE_CODE):
        reason_text = _summary(survey)
        if reasons:
            task = FollowUpTask.objects.create(
                complaint=case,
                survey=survey,
                reason=reasons[0],
                detail="; ".join(str(TaskReason(r).label) for r in reasons)[:300],
                department=case.department,
                assignee=_supervisor_of(case),
                created_at=now,
            )
            reason_text += "\n" + _("A follow-up task was opened for the supervisor (#%(n)s).") % {
                "n": task.pk
            }
    changes: dict[str, Any] = {}
    if case.satisfaction != survey.csat:
        case.satisfaction = survey.csat
        changes["satisfaction"] = survey.csat
    complaint_services._append_event(
        case,
        actor=None,
        actor_label=lifecycle.CUSTOMER,
        action=Action.NOTE,
        from_state=case.state,
        to_state=case.state,
        changes=changes,
        reason=reason_text,
        at=now,
    )
    case.save(update_fields=["satisfaction", "event_count", "audit_head", "updated_at"])
    if not reasons and survey.solved and case.state == State.RESOLVED:
        # A satisfied customer who says it is solved has followed the case up (F4).
        with translation.override(settings.LANGUAGE_CODE):
            note = _("Followed up by the customer's satisfaction survey.")
        complaint_services.complaint_follow_up(
            complaint=case, actor=None, satisfaction=survey.csat, note=note, as_customer=True
        )


# --- follow-up tasks ----------------------------------------------------------------------------


def may_handle_tasks(user: User) -> bool:
    return user.is_active and not user.read_only and user.role in lifecycle.SUPERVISORS


def _check_task_actor(task: FollowUpTask, actor: User) -> None:
    from resuelve.complaints.selectors import can_view

    if not may_handle_tasks(actor):
        raise NotAllowed(_("Only supervisors and managers close follow-up tasks."))
    if not can_view(actor, task.complaint, cooperating=False):
        raise NotAllowed(_("This case is outside your departments or confidential."))


def task_done(
    *, task: FollowUpTask, actor: User, note: str, reopen: bool = False, now: datetime | None = None
) -> FollowUpTask:
    """Close a follow-up task with what was done (a note is required). With `reopen`, the
    case is reopened first through the complaints service, as the supervisor (F3: follow up
    until it is really solved); a refused reopening leaves the task open."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Write what was done.")})
    _check_task_actor(task, actor)
    with transaction.atomic():
        if reopen:
            complaint_services.complaint_reopen(complaint=task.complaint, actor=actor, reason=note)
        now = now or timezone.now()
        done = FollowUpTask.objects.filter(pk=task.pk, done_at__isnull=True).update(
            done_at=now, done_by=actor, note=note[:4000]
        )
        if not done:
            raise ValidationError({"note": _("This task was already closed.")})
    task.refresh_from_db()
    return task
