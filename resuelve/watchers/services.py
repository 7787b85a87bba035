"""Writes: watches, the deliveries a scan claims, mentions and the read access they give.

Every delivery is claimed by inserting a unique row (WatchDelivery per watch, case and event;
Mention per note and colleague) in a savepoint, so a scan run twice, or by two workers at
once, acts once; e-mails go to the outbox in the same transaction as their claim."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from resuelve.accounts.models import Department, User
from resuelve.complaints import services as complaint_services
from resuelve.complaints.lifecycle import SYSTEM, Action, NotAllowed
from resuelve.complaints.models import Complaint, Message
from resuelve.complaints.selectors import can_view
from resuelve.notifications.models import Outbox, Transport
from resuelve.notifications.services import _schedule
from resuelve.watchers.matching import has_filter
from resuelve.watchers.models import (
    FILTER_FIELDS,
    CaseGrant,
    GrantReason,
    Mention,
    Mode,
    Watch,
    WatchDelivery,
)
from resuelve.watchers.selectors import may_manage_department_watches

# --- watches ----------------------------------------------------------------------------------


def _check_may_own(actor: User, *, user: User | None, department: Department | None) -> None:
    if not actor.is_active:
        raise NotAllowed(_("This account is disabled."))
    if department is not None:
        if not may_manage_department_watches(actor, department):
            raise NotAllowed(_("Only the department's head and supervisors set its watches."))
    elif user is None or user.pk != actor.pk:
        raise NotAllowed(_("You set only your own watches."))


def _apply(watch: Watch, values: dict[str, Any]) -> None:
    for name in FILTER_FIELDS:
        setattr(watch, name, values.get(name) or ("" if name == "tier" else None))
    watch.mode = values.get("mode") or Mode.INSTANT
    watch.on_new = bool(values.get("on_new"))
    watch.on_resolved = bool(values.get("on_resolved"))
    watch.active = bool(values.get("active", True))
    if not has_filter(watch):
        raise ValidationError(
            _("Choose at least one of product, supplier, category, cause, region or tier.")
        )
    if not (watch.on_new or watch.on_resolved):
        raise ValidationError({"on_new": _("Choose at least one event to hear about.")})
    if watch.mode not in Mode.values:
        raise ValidationError({"mode": _("Choose instant or daily digest.")})


def watch_create(
    *, actor: User, values: dict[str, Any], department: Department | None = None
) -> Watch:
    """A watch for the actor, or, for its head or a supervisor, for a department (the group:
    every member hears)."""
    owner = None if department is not None else actor
    _check_may_own(actor, user=owner, department=department)
    watch = Watch(user=owner, department=department, created_by=actor, created_at=timezone.now())
    _apply(watch, values)
    from resuelve.watchers.jobs import scan_start_from_now

    scan_start_from_now()  # the first watch starts the scan at today's events, not history
    watch.save()
    return watch


def _check_may_change(actor: User, watch: Watch) -> None:
    _check_may_own(
        actor,
        user=watch.user if watch.user_id is not None else None,
        department=watch.department if watch.department_id is not None else None,
    )


def watch_update(*, actor: User, watch: Watch, values: dict[str, Any]) -> Watch:
    _check_may_change(actor, watch)
    _apply(watch, values)
    watch.save()
    return watch


def watch_delete(*, actor: User, watch: Watch) -> None:
    _check_may_change(actor, watch)
    watch.delete()


# --- staff e-mail -----------------------------------------------------------------------------


def staff_case_url(case: Complaint) -> str:
    path = reverse("complaints:case", kwargs={"code": case.tracking_code})
    return f"{settings.RESUELVE_PUBLIC_URL}{path}"


def outbox_staff_email(
    user: User,
    *,
    template: str,
    context: dict[str, Any],
    now: datetime,
    complaint: Complaint | None = None,
) -> Outbox:
    """One plain e-mail to a colleague, in their language, into the outbox. The template's
    first line is the subject: it names the tracking code at most, never what the case is
    about, so a subject line shown on a lock screen tells nothing confidential."""
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        text = render_to_string(
            template,
            {
                "user": user,
                "company": settings.RESUELVE_COMPANY_NAME,
                "watches_link": f"{settings.RESUELVE_PUBLIC_URL}{reverse('watchers:list')}",
                **context,
            },
        )
    subject, _sep, body = text.partition("\n")
    row = Outbox.objects.create(
        transport=Transport.EMAIL,
        complaint=complaint,
        recipient=user.email,
        subject=subject.strip()[:300],
        body=body.lstrip("\n"),
        headers={"Auto-Submitted": "auto-generated", "Content-Language": language},
        created_at=now,
    )
    _schedule(row.pk)
    return row


# --- deliveries -------------------------------------------------------------------------------


def delivery_claim(
    *, watch: Watch, complaint: Complaint, event: str, now: datetime
) -> WatchDelivery | None:
    """Insert the delivery row, or None when a run already did (the unique constraint)."""
    try:
        with transaction.atomic():
            return WatchDelivery.objects.create(
                watch=watch, complaint=complaint, event=event, at=now
            )
    except IntegrityError:
        return None


def delivery_send_instant(*, delivery: WatchDelivery, recipients: list[User], now: datetime) -> int:
    """The instant e-mail of a claimed delivery, to each recipient; stamps it sent."""
    for user in recipients:
        outbox_staff_email(
            user,
            template="watchers/email/instant.txt",
            context={
                "case": delivery.complaint,
                "event": delivery.event,
                "watch": delivery.watch,
                "link": staff_case_url(delivery.complaint),
            },
            now=now,
            complaint=delivery.complaint,
        )
    WatchDelivery.objects.filter(pk=delivery.pk, sent_at__isnull=True).update(sent_at=now)
    return len(recipients)


# --- mentions ---------------------------------------------------------------------------------


def mentions_record(*, message: Message, users: list[User], now: datetime) -> list[Mention]:
    """Record the colleagues an internal note mentions: a Mention each, read access to the
    case for those who could not see it (never to a confidential case for someone who may
    not see confidential cases), an audit event on the case, and an e-mail to each one who
    can now open it. Mentions already recorded are skipped, so this runs at most once per
    note and colleague."""
    author = message.author
    created: list[Mention] = []
    with transaction.atomic():
        case = Complaint.objects.select_for_update().get(pk=message.complaint_id)
        granted_names: list[str] = []
        for user in users:
            if author is not None and user.pk == author.pk or not user.is_active:
                continue
            allowed = not case.confidential or user.sees_confidential or case.assignee_id == user.pk
            try:
                with transaction.atomic():
                    mention = Mention.objects.create(
                        complaint=case,
                        message=message,
                        user=user,
                        by=author,
                        at=now,
                        granted=allowed,
                    )
            except IntegrityError:
                continue
            if allowed and not can_view(user, case):
                CaseGrant.objects.get_or_create(
                    user=user,
                    complaint=case,
                    defaults={"reason": GrantReason.MENTIONED, "granted_by": author, "at": now},
                )
                granted_names.append(user.username)
            created.append(mention)
        if not created:
            return []
        complaint_services._append_event(
            case,
            actor=None,
            actor_label=SYSTEM,
            action=Action.NOTE,
            from_state=case.state,
            to_state=case.state,
            changes={
                "mention": {
                    "message": message.pk,
                    "mentioned": [m.user.username for m in created],
                    "read_access": granted_names,
                }
            },
            reason="",
            at=now,
        )
        case.save(update_fields=["event_count", "audit_head", "updated_at"])
        for mention in created:
            if mention.granted and mention.user.email:
                outbox_staff_email(
                    mention.user,
                    template="watchers/email/mentioned.txt",
                    context={
                        "case": case,
                        "by": author,
                        "note": message.body,
                        "link": staff_case_url(case),
                    },
                    now=now,
                    complaint=case,
                )
    return created
