"""Every change the deadline engine makes: warnings to staff, the progress notice to the
customer, escalations on breach, and notified extensions.

Each function locks what it changes, records that it acted in a unique DeadlineAlert row
(the claim that makes it happen once, whichever worker gets there first), writes the case's
audit event where the case's history changes, and writes its e-mails to the outbox in the
same transaction, so they are sent if and only if the change was committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from resuelve.accounts.models import User
from resuelve.accounts.roles import Role
from resuelve.complaints.lifecycle import SYSTEM, Action, IllegalStep, NotAllowed
from resuelve.complaints.models import Complaint, Message, Visibility
from resuelve.complaints.services import (
    _actor_label,
    _append_event,
    _check_may_write,
    _customer_message,
    _in_customer_language,
)
from resuelve.deadlines.history import answer_due_from_history, extension_used
from resuelve.deadlines.models import AlertKind, DeadlineAlert, EscalationLevel, TermUnit
from resuelve.deadlines.progress import duration_text
from resuelve.notifications.models import Outbox, Transport
from resuelve.notifications.services import _schedule

# --- settings -------------------------------------------------------------------------------


def warning_levels() -> list[int]:
    """RESUELVE_DEADLINE_WARNINGS as sorted percentages of the answer term, each 1-99."""
    raw = getattr(settings, "RESUELVE_DEADLINE_WARNINGS", ["50", "75", "90"])
    if isinstance(raw, str):
        raw = raw.split(",")
    try:
        levels = sorted({int(str(item).strip()) for item in raw if str(item).strip()})
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"RESUELVE_DEADLINE_WARNINGS={raw!r}: give percentages, e.g. 50,75,90."
        ) from exc
    if any(not 0 < level < 100 for level in levels):
        raise ImproperlyConfigured(
            f"RESUELVE_DEADLINE_WARNINGS={raw!r}: each percentage is between 1 and 99."
        )
    return levels


def manager_escalation_delay() -> timedelta:
    """How long a breached case stays open before it goes up to the managers."""
    hours = getattr(settings, "RESUELVE_ESCALATE_MANAGER_AFTER_HOURS", 24)
    if int(hours) < 0:
        raise ImproperlyConfigured("RESUELVE_ESCALATE_MANAGER_AFTER_HOURS cannot be negative.")
    return timedelta(hours=int(hours))


# --- who hears about a case -----------------------------------------------------------------


def _reachable(users: object) -> list[User]:
    seen: dict[int, User] = {}
    for user in users:  # type: ignore[attr-defined]
        if user is not None and user.is_active and user.email and user.pk not in seen:
            seen[user.pk] = user
    return list(seen.values())


def managers() -> list[User]:
    return _reachable(User.objects.filter(role=Role.MANAGER, is_active=True).order_by("pk"))


def department_supervisors(case: Complaint) -> list[User]:
    """The department's head and its supervisors (C4: who answers for a late case)."""
    if case.department_id is None:
        return []
    department = case.department
    supervisors = User.objects.filter(
        departments=department, role=Role.SUPERVISOR, is_active=True
    ).order_by("pk")
    return _reachable([department.head, *supervisors])


def warning_recipients(case: Complaint) -> list[User]:
    """The assignee; with none, the department's head and supervisors; with no department
    either, the managers."""
    return _reachable([case.assignee]) or department_supervisors(case) or managers()


def escalation_recipients(case: Complaint, level: int) -> list[User]:
    if level == EscalationLevel.SUPERVISOR:
        return department_supervisors(case) or managers()
    return managers()


# --- staff e-mail through the outbox ----------------------------------------------------------


def _local(moment: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    return timezone.localtime(moment).strftime(pattern) if moment else "-"


def staff_case_url(case: Complaint) -> str:
    path = reverse("complaints:case", kwargs={"code": case.tracking_code})
    return f"{settings.RESUELVE_PUBLIC_URL}{path}"


def _staff_email(
    case: Complaint, user: User, *, template: str, context: dict[str, object], now: datetime
) -> Outbox:
    """One plain e-mail to a staff member, in their language, into the outbox."""
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        # durations are said in the recipient's language
        said = {k: duration_text(v) if isinstance(v, timedelta) else v for k, v in context.items()}
        body = render_to_string(
            template,
            {
                "case": case,
                "user": user,
                "link": staff_case_url(case),
                "due": _local(case.due_at),
                "company": settings.RESUELVE_COMPANY_NAME,
                **said,
            },
        )
        subject, _sep, body = body.partition("\n")
    row = Outbox.objects.create(
        transport=Transport.EMAIL,
        complaint=case,
        recipient=user.email,
        subject=subject.strip()[:300],
        body=body.lstrip("\n"),
        headers={"Auto-Submitted": "auto-generated", "Content-Language": language},
        created_at=now,
    )
    _schedule(row.pk)
    return row


def _claim(case: Complaint, kind: str, level: int, now: datetime) -> DeadlineAlert | None:
    """Insert the alert row, or None when another run already did."""
    try:
        with transaction.atomic():
            return DeadlineAlert.objects.create(
                complaint=case, kind=kind, level=level, at=now, due_at=case.due_at
            )
    except IntegrityError:
        return None


# --- warnings and the progress notice -------------------------------------------------------


def deadline_warn(
    *, complaint: Complaint, levels: list[int], now: datetime
) -> DeadlineAlert | None:
    """Record the warning `levels` (percent of the term) the case has newly reached, and
    e-mail the highest of them once: a case the scan sees late (the worker was down) gets
    one warning saying how far along it is, not one per missed level."""
    with transaction.atomic():
        claimed = [
            alert for level in levels if (alert := _claim(complaint, AlertKind.WARNING, level, now))
        ]
        if not claimed:
            return None
        top = max(claimed, key=lambda alert: alert.level)
        recipients = warning_recipients(complaint)
        top.recipients = [user.pk for user in recipients]
        top.save(update_fields=["recipients"])
        for user in recipients:
            _staff_email(
                complaint,
                user,
                template="deadlines/email/warning.txt",
                context={"level": top.level},
                now=now,
            )
    return top


def _progress_text(case: Complaint) -> str:
    return _in_customer_language(
        case,
        lambda: (
            _(
                "Dear %(name)s,\n\nWe are still working on your case %(code)s. Looking into "
                "it properly takes some time; you will have our answer by %(due)s at the "
                "latest.\n\nThank you for your patience."
            )
            % {
                "name": case.contact_name or _("customer"),
                "code": case.tracking_code,
                "due": _local(case.due_at, "%Y-%m-%d"),
            }
        ),
    )


def deadline_notify_progress(*, complaint: Complaint, now: datetime) -> Message | None:
    """Tell the customer, once, that work on their case goes on and when to expect the
    answer (D4), if no one has written to them since the acknowledgement. Decided once per
    case: a case whose customer already heard from staff is recorded and left alone."""
    with transaction.atomic():
        case = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if not case.is_open:
            return None
        alert = _claim(case, AlertKind.NOTICE, 0, now)
        if alert is None:
            return None
        # Counted, not compared by time: the acknowledgement and a first answer can share
        # the same instant.
        written = Message.objects.filter(
            complaint=case, from_customer=False, visibility=Visibility.CUSTOMER
        ).count()
        if written > (1 if case.acknowledged_at else 0):
            return None
        message = _customer_message(case, author=None, body=_progress_text(case), at=now)
        _append_event(
            case,
            actor=None,
            actor_label=SYSTEM,
            action=Action.REPLY,
            from_state=case.state,
            to_state=case.state,
            changes={"message": message.pk, "notice": "progress"},
            reason="",
            at=now,
        )
        case.save(update_fields=["event_count", "audit_head", "updated_at"])
    return message


# --- escalation -----------------------------------------------------------------------------


def complaint_escalate(
    *, complaint: Complaint, level: int, now: datetime | None = None
) -> DeadlineAlert | None:
    """Escalate an open case past its answer deadline (C4): at the breach to the
    department's head and supervisors, and when it is still open
    RESUELVE_ESCALATE_MANAGER_AFTER_HOURS later, to the managers. Each escalation is an
    ESCALATE event naming who it went to, once per level; the state does not change."""
    now = now or timezone.now()
    with transaction.atomic():
        case = (
            Complaint.objects.select_for_update(of=("self",))
            .select_related("department__head")
            .get(pk=complaint.pk)
        )
        if not case.is_open or case.due_at is None:
            return None
        delay = manager_escalation_delay() if level == EscalationLevel.MANAGER else timedelta(0)
        if now < case.due_at + delay:
            return None
        alert = _claim(case, AlertKind.ESCALATION, level, now)
        if alert is None:
            return None
        recipients = escalation_recipients(case, level)
        alert.recipients = [user.pk for user in recipients]
        alert.save(update_fields=["recipients"])
        _append_event(
            case,
            actor=None,
            actor_label=SYSTEM,
            action=Action.ESCALATE,
            from_state=case.state,
            to_state=case.state,
            changes={
                "level": EscalationLevel(level).name.lower(),
                "to": [_actor_label(user, SYSTEM) for user in recipients],
                "due_at": case.due_at,
            },
            reason="",
            at=now,
        )
        case.save(update_fields=["event_count", "audit_head", "updated_at"])
        for user in recipients:
            _staff_email(
                case,
                user,
                template="deadlines/email/escalation.txt",
                context={"level": level, "late": now - case.due_at},
                now=now,
            )
    complaint.event_count, complaint.audit_head = case.event_count, case.audit_head
    return alert


# --- notified extensions --------------------------------------------------------------------


@dataclass(frozen=True)
class Allowance:
    """A case's extension allowance in its policy's answer unit."""

    cap: int
    used: int
    unit: str

    @property
    def remaining(self) -> int:
        return max(self.cap - self.used, 0)

    @property
    def unit_label(self) -> str:
        return str(TermUnit(self.unit).label)


def extension_allowance(case: Complaint) -> Allowance | None:
    """How much longer the case's term may still be made; None under no policy."""
    policy = case.deadline_policy
    if policy is None:
        return None
    events = case.events.filter(action__in=[Action.EXTEND, Action.REOPEN]).order_by("seq")
    used = extension_used(events.values_list("action", "at", "changes"))
    return Allowance(cap=policy.extension_amount, used=used, unit=policy.answer_unit)


def _extension_text(case: Complaint, reason: str) -> str:
    return _in_customer_language(
        case,
        lambda: (
            _(
                "Dear %(name)s,\n\nWe cannot answer your case %(code)s within the term we "
                "gave you, and we want to tell you before it ends. The reason:\n\n%(reason)s"
                "\n\nWe will answer by %(due)s at the latest.\n\nThank you for your patience."
            )
            % {
                "name": case.contact_name or _("customer"),
                "code": case.tracking_code,
                "reason": reason,
                "due": _local(case.due_at, "%Y-%m-%d"),
            }
        ),
    )


def complaint_extend_deadline(
    *, complaint: Complaint, actor: User, amount: int, reason: str
) -> Complaint:
    """Extend the answer term of an open case, as the law allows when it cannot be met:
    before the deadline passes, with the reasons and the new date told to the customer, and
    never beyond the policy's extension allowance (counted over all extensions). The new
    deadline is recomputed from the history (term, pauses, extensions), never set by hand."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reasons the customer will read.")})
    if not isinstance(amount, int) or amount < 1:
        raise ValidationError({"amount": _("Extend by at least one.")})
    with transaction.atomic():
        case = (
            Complaint.objects.select_for_update(of=("self",))
            .select_related("deadline_policy")
            .get(pk=complaint.pk)
        )
        _check_may_write(actor, case)
        policy = case.deadline_policy
        if policy is None or policy.extension_amount == 0:
            raise NotAllowed(_("The deadline policy of this case allows no extension."))
        if not case.is_open:
            raise IllegalStep(_("Only an open case's deadline can be extended."))
        now = timezone.now()
        if case.due_at is None or now >= case.due_at:
            raise IllegalStep(
                _("The deadline has passed: an extension must be notified before it expires.")
            )
        history = list(case.events.order_by("seq").values_list("action", "at", "changes"))
        allowance = Allowance(
            cap=policy.extension_amount, used=extension_used(history), unit=policy.answer_unit
        )
        if amount > allowance.remaining:
            raise ValidationError(
                {
                    "amount": _(
                        "The policy allows extending by %(cap)s %(unit)s in all; %(left)s remain."
                    )
                    % {
                        "cap": allowance.cap,
                        "unit": allowance.unit_label,
                        "left": allowance.remaining,
                    }
                }
            )
        previous = case.due_at
        case.due_at = answer_due_from_history(
            policy, case.received_at, history, extra_extension=amount
        )
        message = _customer_message(case, author=actor, body=_extension_text(case, reason), at=now)
        _append_event(
            case,
            actor=actor,
            actor_label=_actor_label(actor, SYSTEM),
            action=Action.EXTEND,
            from_state=case.state,
            to_state=case.state,
            changes={
                "amount": amount,
                "unit": policy.answer_unit,
                "due_at": case.due_at,
                "previous_due_at": previous,
                "message": message.pk,
            },
            reason=reason,
            at=now,
        )
        case.save(update_fields=["due_at", "event_count", "audit_head", "updated_at"])
    complaint.due_at = case.due_at
    complaint.event_count, complaint.audit_head = case.event_count, case.audit_head
    return complaint


__all__ = [
    "Allowance",
    "complaint_escalate",
    "complaint_extend_deadline",
    "deadline_notify_progress",
    "deadline_warn",
    "extension_allowance",
    "manager_escalation_delay",
    "warning_levels",
]
