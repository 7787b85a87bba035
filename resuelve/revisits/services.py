"""Writes of the revisit programme: classify, assign (by hand or automatically), record the
outcome of a call, open a case from it. Every change is a conditional UPDATE from the status
read, so two supervisors or a double-clicked form cannot record anything twice."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import Kind
from resuelve.complaints.models import Channel, Complaint
from resuelve.customers import reach
from resuelve.customers.models import ContactChannel, ContactKind
from resuelve.customers.services import contact_record
from resuelve.revisits import access, assignment, builder
from resuelve.revisits.models import (
    FINAL_OUTCOMES,
    OPEN_STATUSES,
    Occasion,
    Outcome,
    Priority,
    Revisit,
    Specialist,
    Status,
)

# After this many unanswered calls the revisit is given up (and counted as missed).
MAX_ATTEMPTS = 3
_RANK = {Priority.HIGH: 0, "": 1, Priority.NORMAL: 1, Priority.LOW: 2}


class AlreadyRecorded(Exception):
    """The revisit was recorded (or changed) by someone else since the form was shown."""


def channels_for(revisit: Revisit) -> list[str]:
    """The channels the form may offer: consented and with an address, now (a consent
    withdrawn after the list was built counts)."""
    customer = revisit.customer
    return [
        c
        for c in builder.usable_channels(
            {
                "phone": customer.consent_phone,
                "sms": customer.consent_sms,
                "messaging": customer.consent_messaging,
                "email": customer.consent_email,
            },
            email=customer.email,
            phone=customer.phone_digits or customer.phone,
            preferred=customer.preferred_channel,
        )
        if customer.may_contact(c)
    ]


def _supervisor(actor: User) -> None:
    if not access.may_supervise(actor) or actor.read_only:
        raise PermissionDenied(_("Only supervisors classify and assign revisits."))


def revisit_classify(*, actor: User, revisit_ids: Iterable[int], priority: str) -> int:
    """Set the supervisor's priority on open revisits; returns how many changed."""
    _supervisor(actor)
    if priority not in Priority.values:
        raise ValidationError(_("Choose a priority."))
    return Revisit.objects.filter(pk__in=list(revisit_ids), status__in=OPEN_STATUSES).update(
        priority=priority
    )


def revisit_cancel(*, actor: User, revisit_ids: Iterable[int]) -> int:
    """Take open revisits off the list (a customer who asked not to be called again, a
    duplicate); they stay in the archive as cancelled."""
    _supervisor(actor)
    return Revisit.objects.filter(pk__in=list(revisit_ids), status__in=OPEN_STATUSES).update(
        status=Status.CANCELLED
    )


def revisit_assign(
    *, actor: User, revisit_ids: Iterable[int], specialist: User, now: datetime | None = None
) -> int:
    """Give open, not yet scheduled revisits to an active specialist."""
    _supervisor(actor)
    if access.specialist_of(specialist) is None:
        raise ValidationError(_("This user is not an active revisit specialist."))
    return Revisit.objects.filter(
        pk__in=list(revisit_ids), status__in=[Status.PENDING, Status.ASSIGNED]
    ).update(assigned_to=specialist, assigned_at=now or timezone.now(), status=Status.ASSIGNED)


@dataclass(frozen=True)
class AutoAssigned:
    assigned: int
    left: int


def revisit_auto_assign(
    *,
    actor: User | None = None,
    revisit_ids: Iterable[int] | None = None,
    now: datetime | None = None,
) -> AutoAssigned:
    """Distribute the unassigned revisits due by today among the active specialists,
    balancing each one's load against their daily capacity and matching the customer's
    language, tier and (for complaint follow-ups) the specialist's capability (I1)."""
    if actor is not None:
        _supervisor(actor)
    now = now or timezone.now()
    today = timezone.localdate(now)
    pending = Revisit.objects.filter(status=Status.PENDING, due_on__lte=today)
    if revisit_ids is not None:
        pending = pending.filter(pk__in=list(revisit_ids))
    rows = list(
        pending.order_by("latest_on", "id").values_list(
            "id", "customer__language", "customer__tier", "reason", "priority"
        )
    )
    rows.sort(key=lambda r: _RANK.get(r[4], 1))
    profiles = list(Specialist.objects.filter(active=True, user__is_active=True))
    loads = dict(
        Revisit.objects.filter(
            assigned_to__in=[p.user_id for p in profiles],
            status__in=[Status.ASSIGNED, Status.SCHEDULED],
            due_on__lte=today,
        )
        .values_list("assigned_to")
        .annotate(n=Count("id"))
        .values_list("assigned_to", "n")
    )
    candidates = [
        assignment.Candidate(
            user_id=p.user_id,
            capacity=p.daily_capacity,
            load=loads.get(p.user_id, 0),
            languages=frozenset(p.languages or []),
            tiers=frozenset(p.tiers or []),
            handles_complaints=p.handles_complaints,
        )
        for p in profiles
    ]
    items = [
        assignment.Item(r[0], r[1], r[2], is_complaint=r[3] == Occasion.COMPLAINT_FOLLOWUP)
        for r in rows
    ]
    chosen = assignment.plan(items, candidates)
    by_user: dict[int, list[int]] = {}
    for revisit_id, user_id in chosen.items():
        by_user.setdefault(user_id, []).append(revisit_id)
    assigned = 0
    with transaction.atomic():
        for user_id, ids in by_user.items():
            assigned += Revisit.objects.filter(pk__in=ids, status=Status.PENDING).update(
                assigned_to_id=user_id, assigned_at=now, status=Status.ASSIGNED
            )
    return AutoAssigned(assigned=assigned, left=len(rows) - assigned)


def callback_check(revisit: Revisit, callback_at: datetime | None, now: datetime) -> datetime:
    """A callback is at a time the customer chose, after now, within three days (I4), and
    not in their quiet hours."""
    if callback_at is None:
        raise ValidationError({"callback_at": _("Say when the customer wants to be called.")})
    if callback_at <= now:
        raise ValidationError({"callback_at": _("The call-back time has already passed.")})
    if callback_at > now + timedelta(days=builder.CALLBACK_DAYS):
        raise ValidationError(
            {
                "callback_at": _("A call back must be within three days (by %(limit)s).")
                % {
                    "limit": reach.local(
                        now + timedelta(days=builder.CALLBACK_DAYS), revisit.customer.time_zone
                    ).strftime("%Y-%m-%d %H:%M")
                }
            }
        )
    customer = revisit.customer
    if reach.is_quiet(
        callback_at,
        zone_name=customer.time_zone,
        quiet_from=customer.quiet_from,
        quiet_until=customer.quiet_until,
    ):
        raise ValidationError(
            {"callback_at": _("That time is in the customer's quiet hours; choose another.")}
        )
    return callback_at


def _summary(revisit: Revisit, outcome: str) -> str:
    return f"{revisit.get_reason_display()}: {Outcome(outcome).label}"


@transaction.atomic
def revisit_record(
    *,
    revisit: Revisit,
    actor: User,
    channel: str,
    outcome: str,
    suggestions: str = "",
    callback_at: datetime | None = None,
    seen_attempts: int | None = None,
    open_complaint: bool = False,
    now: datetime | None = None,
) -> Revisit:
    """Record one attempt at a revisit (I2, I4). Reached outcomes close it and are logged as
    a contact; a call back is scheduled at the customer's time within three days; an
    unanswered call is tried again the next day, up to MAX_ATTEMPTS. Only a consented channel
    may be used. With `open_complaint`, a case is registered from what the customer said,
    linked to the revisit. Refuses (AlreadyRecorded) when the revisit changed since the form
    showed `seen_attempts`, or is no longer open."""
    now = now or timezone.now()
    if not access.may_work(actor, revisit) or actor.read_only:
        raise PermissionDenied(_("This revisit is not yours."))
    if channel not in channels_for(revisit):
        raise ValidationError({"channel": _("The customer may not be contacted this way.")})
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose what came of the call.")})
    customer = revisit.customer
    if channel == ContactChannel.PHONE and reach.is_quiet(
        now,
        zone_name=customer.time_zone,
        quiet_from=customer.quiet_from,
        quiet_until=customer.quiet_until,
    ):
        raise ValidationError(
            {"channel": _("The customer is resting now: do not call them in their quiet hours.")}
        )
    suggestions = suggestions.strip()
    if open_complaint and not suggestions:
        raise ValidationError(
            {"suggestions": _("Write what the customer complains about to open a case.")}
        )
    attempts = revisit.attempts if seen_attempts is None else seen_attempts
    changes: dict[str, Any] = {
        "channel": channel,
        "outcome": outcome,
        "attempts": attempts + 1,
    }
    if suggestions:
        changes["suggestions"] = suggestions
    if outcome in FINAL_OUTCOMES:
        changes.update(status=Status.DONE, done_at=now, done_by=actor, callback_at=None)
    elif outcome == Outcome.CALLBACK:
        when = callback_check(revisit, callback_at, now)
        changes.update(status=Status.SCHEDULED, callback_at=when, due_on=timezone.localdate(when))
    elif attempts + 1 >= MAX_ATTEMPTS:
        changes.update(status=Status.MISSED, done_at=now, done_by=actor)
    else:
        changes.update(
            status=Status.ASSIGNED if revisit.assigned_to_id else Status.PENDING,
            due_on=timezone.localdate(now) + timedelta(days=1),
            callback_at=None,
        )
    updated = Revisit.objects.filter(
        pk=revisit.pk, status__in=OPEN_STATUSES, attempts=attempts
    ).update(**changes)
    if updated != 1:
        raise AlreadyRecorded(revisit.pk)
    for name, value in changes.items():
        setattr(revisit, name, value)
    if outcome != Outcome.NO_ANSWER:
        contact_record(
            customer=revisit.customer,
            channel=channel,
            kind=ContactKind.REVISIT,
            summary=_summary(revisit, outcome),
            by=actor,
            complaint=revisit.complaint,
            at=now,
        )
    if open_complaint:
        revisit.new_complaint = _open_complaint(revisit, actor, suggestions, now)
        Revisit.objects.filter(pk=revisit.pk).update(new_complaint=revisit.new_complaint)
    return revisit


def _open_complaint(revisit: Revisit, actor: User, text: str, now: datetime) -> Complaint:
    from resuelve.complaints.services import complaint_register

    customer = revisit.customer
    first_line = text.splitlines()[0] if text else ""
    return complaint_register(
        channel=Channel.PHONE,
        kind=Kind.COMPLAINT,
        subject=first_line[:200],
        description=text,
        actor=actor,
        customer=customer,
        contact_name=customer.name,
        contact_email=customer.email,
        contact_phone=customer.phone,
        language=customer.language,
        received_at=now,
    )
