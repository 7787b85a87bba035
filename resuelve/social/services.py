"""The social channel (J3): a public post becomes a complaint flagged public, with its own
first-answer deadline; a public reply is drafted, checked strictly for conduct, approved by a
supervisor other than its author, and posted back; the conversation can move to a private
channel."""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from resuelve.accounts.models import User
from resuelve.complaints import lifecycle
from resuelve.complaints import services as complaint_services
from resuelve.complaints.lifecycle import NotAllowed
from resuelve.complaints.models import Channel, Complaint
from resuelve.complaints.selectors import can_view
from resuelve.conduct.check import Flag
from resuelve.conduct.selectors import case_message_flags
from resuelve.deadlines.models import DeadlinePolicy
from resuelve.intake.services import Contact, Filed, Idempotency, fingerprint, intake_file
from resuelve.notifications.models import Outbox, Transport
from resuelve.notifications.services import _schedule, webhook_endpoint_create
from resuelve.social.contract import Post
from resuelve.social.models import (
    PrivateChannel,
    PublicReply,
    ReplyStatus,
    SocialSource,
    SocialThread,
)

# The deadline policy shipped for public complaints (migration 0002).
SOCIAL_POLICY = "social-public"
REPLY_EVENT = "social.reply"
_FINISHED = lifecycle.FINISHED_STATES


class ConductRefused(Exception):
    """A public reply the strict conduct check flags: it is not drafted or approved."""

    def __init__(self, flags: list[Flag]):
        super().__init__(" ".join(f.why for f in flags))
        self.flags = flags


@dataclass(frozen=True)
class Received:
    filed: Filed
    thread: SocialThread
    created: bool


def _event(
    case: Complaint, *, actor: User | None, reason: str, changes: dict, at: datetime
) -> None:
    """The caller saves the case (with the other fields it changed)."""
    complaint_services.note_event_append(
        case, actor=actor, reason=reason, changes=changes, at=at, save=False
    )


# --- sources --------------------------------------------------------------------------------


def social_source_create(
    *,
    code: str,
    name: str,
    platform: str = "",
    reply_url: str = "",
    first_answer_hours: int = 2,
    deadline_policy: DeadlinePolicy | None | bool = True,
    created_by: User | None = None,
) -> SocialSource:
    """Register a source with a fresh signing secret. Approved replies are POSTed to
    `reply_url`, signed with the same secret; `deadline_policy=True` takes the shipped
    policy for public complaints."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,39}", code or ""):
        raise ValidationError(
            {"code": _("2 to 40 lower-case letters, digits and hyphens, e.g. x-listening.")}
        )
    if deadline_policy is True:
        deadline_policy = DeadlinePolicy.objects.filter(code=SOCIAL_POLICY, active=True).first()
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        endpoint = None
        if reply_url:
            endpoint = webhook_endpoint_create(
                url=reply_url,
                secret=secret,
                events=[],  # hears no case events: only this source's approved replies
                description=_("Public replies for %(name)s") % {"name": name},
                created_by=created_by,
            )
        return SocialSource.objects.create(
            code=code,
            name=name,
            platform=platform,
            secret=secret,
            first_answer_hours=first_answer_hours,
            deadline_policy=deadline_policy or None,
            reply_endpoint=endpoint,
        )


# --- receiving ------------------------------------------------------------------------------


def _language(post: Post) -> str:
    served = {code for code, _name in settings.LANGUAGES}
    declared = post.language.lower()
    if declared.startswith("zh"):
        declared = "zh-hans"
    if declared in served:
        return declared
    if declared.split("-")[0] in served:
        return declared.split("-")[0]
    from resuelve.triage.classifier import detect_language

    return detect_language(post.text)


def _received_at(post: Post, now: datetime) -> datetime:
    """The clock runs from the post, as the customer sees it; a post dated in the future or
    more than a week back (a wrong clock or an old post found late) counts from now."""
    at = post.posted_at
    if at is None or at > now or now - at > timedelta(days=7):
        return now
    return at


def social_receive(*, source: SocialSource, post: Post) -> Received:
    """Register the post as a complaint on the social channel (acknowledged like any other),
    then record its public thread with the first-answer deadline and the source's deadline
    policy when that one answers sooner. Sending the same post again returns the same case:
    the complaint is durable first, and a repeat completes a thread left unrecorded."""
    now = timezone.now()
    received_at = _received_at(post, now)
    filed = intake_file(
        channel=Channel.SOCIAL,
        kind=post.kind,
        subject=post.subject,
        description=post.text + (f"\n\n{post.url}" if post.url else ""),
        contact=Contact(
            name=post.name or post.handle,
            email=post.email,
            phone=post.phone,
            external_ref=post.ref,
        ),
        language=_language(post),
        received_at=received_at,
        idempotency=Idempotency(
            source=f"social:{source.code}"[:40],
            key=post.id,
            fingerprint=fingerprint({"id": post.id, "text": post.text}),
        ),
    )
    with transaction.atomic():
        case = Complaint.objects.select_for_update().get(pk=filed.complaint.pk)
        thread = SocialThread.objects.filter(complaint=case).first()
        if thread is not None:
            return Received(filed=filed, thread=thread, created=False)
        due = received_at + timedelta(hours=source.first_answer_hours)
        thread = SocialThread.objects.create(
            complaint=case,
            source=source,
            external_id=post.id,
            author_handle=post.handle,
            post_url=post.url,
            public=post.public,
            private_channel="" if post.public else PrivateChannel.DIRECT,
            private_since=None if post.public else now,
            first_answer_due_at=due,
        )
        changes: dict[str, Any] = {
            "social_source": source.code,
            "public": post.public,
            "first_answer_due_at": due,
        }
        policy = source.deadline_policy
        update = ["event_count", "audit_head", "updated_at"]
        if policy is not None and policy.active and case.deadline_policy_id != policy.pk:
            ack_due, answer_due = complaint_services.answer_deadlines(case.received_at, policy)
            if case.due_at is None or answer_due < case.due_at:
                case.deadline_policy = policy
                case.ack_due_at, case.due_at = ack_due, answer_due
                changes.update(deadline_policy=policy.code, due_at=answer_due)
                update += ["deadline_policy", "ack_due_at", "due_at"]
        with translation.override(settings.LANGUAGE_CODE):
            if post.public:
                reason = _("Public post on %(source)s by %(who)s: first public answer due %(due)s.")
            else:
                reason = _("Direct message on %(source)s from %(who)s.")
            reason = reason % {
                "source": source.name,
                "who": post.handle or post.name or "?",
                "due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M"),
            }
        _event(case, actor=None, reason=reason, changes=changes, at=now)
        case.save(update_fields=update)
    return Received(filed=filed, thread=thread, created=True)


# --- public replies -------------------------------------------------------------------------


def _strict_flags(case: Complaint, text: str) -> list[Flag]:
    """Everything the conduct check finds, notes included: a public reply apologises and
    acknowledges, and nothing is sent anyway."""
    return case_message_flags(complaint=case, text=text)


def _locked_thread(complaint: Complaint) -> tuple[Complaint, SocialThread]:
    case = Complaint.objects.select_for_update().get(pk=complaint.pk)
    thread = SocialThread.objects.select_related("source").filter(complaint=case).first()
    if thread is None:
        raise NotAllowed(_("This case did not come from a social network."))
    return case, thread


def public_reply_draft(*, complaint: Complaint, actor: User, body: str) -> PublicReply:
    """Draft the public answer to the post; it waits for a supervisor's approval. The strict
    conduct check must find nothing (ConductRefused carries its flags)."""
    text = (body or "").strip()
    if not text:
        raise ValidationError({"body": _("Write the public reply.")})
    if len(text) > 2000:
        raise ValidationError({"body": _("A public reply has at most 2000 characters.")})
    with transaction.atomic():
        case, thread = _locked_thread(complaint)
        complaint_services._check_may_write(actor, case)
        if not thread.public:
            raise NotAllowed(
                _("The conversation moved to a private channel: answer there, not in public.")
            )
        if case.state in _FINISHED:
            raise NotAllowed(_("This case is finished."))
        if thread.replies.filter(status=ReplyStatus.PENDING).exists():
            raise NotAllowed(_("A public reply is already waiting for approval."))
        flags = _strict_flags(case, text)
        if flags:
            raise ConductRefused(flags)
        now = timezone.now()
        reply = PublicReply.objects.create(
            thread=thread, body=text, language=case.language, drafted_by=actor, drafted_at=now
        )
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("Public reply drafted; it waits for a supervisor's approval.")
        _event(case, actor=actor, reason=reason, changes={"public_reply": reply.pk}, at=now)
        case.save(update_fields=["event_count", "audit_head", "updated_at"])
    return reply


def may_approve(user: User, case: Complaint) -> bool:
    return (
        user.is_active
        and not user.read_only
        and (user.is_superuser or user.role in lifecycle.SUPERVISORS)
        and can_view(user, case, cooperating=False)
    )


def _pending(reply: PublicReply, actor: User) -> tuple[Complaint, SocialThread, PublicReply]:
    case, thread = _locked_thread(reply.thread.complaint)
    reply = PublicReply.objects.select_for_update().get(pk=reply.pk)
    if not may_approve(actor, case):
        raise NotAllowed(_("Only a supervisor of this case's department approves public replies."))
    if reply.status != ReplyStatus.PENDING:
        raise NotAllowed(_("This reply was already decided."))
    return case, thread, reply


def reply_payload(reply: PublicReply, thread: SocialThread) -> str:
    return json.dumps(
        {
            "event": REPLY_EVENT,
            "reply_id": reply.pk,
            "source": thread.source.code,
            "in_reply_to": thread.external_id,
            "post_url": thread.post_url,
            "text": reply.body,
            "language": reply.language,
        },
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    )


def public_reply_approve(*, reply: PublicReply, actor: User) -> PublicReply:
    """A supervisor other than the author approves; the check runs again (rules and approved
    amounts may have changed). The reply is then posted through the source's reply endpoint
    (signed, retried by the outbox), or left for someone to post by hand."""
    with transaction.atomic():
        case, thread, reply = _pending(reply, actor)
        if reply.drafted_by_id == actor.pk:
            raise NotAllowed(_("Another supervisor approves a public reply, not its author."))
        flags = _strict_flags(case, reply.body)
        if flags:
            raise ConductRefused(flags)
        now = timezone.now()
        reply.decided_by, reply.decided_at = actor, now
        endpoint = thread.source.reply_endpoint
        if endpoint is not None and endpoint.active:
            reply.outbox = Outbox.objects.create(
                transport=Transport.WEBHOOK,
                complaint=case,
                endpoint=endpoint,
                recipient=endpoint.url,
                subject=REPLY_EVENT,
                body=reply_payload(reply, thread),
                created_at=now,
            )
            _schedule(reply.outbox.pk)
            reply.status = ReplyStatus.QUEUED
            if thread.first_answered_at is None:
                thread.first_answered_at = now
                thread.save(update_fields=["first_answered_at"])
        else:
            reply.status = ReplyStatus.APPROVED
        reply.save(update_fields=["status", "decided_by", "decided_at", "outbox"])
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("Public reply approved: %(text)s") % {"text": reply.body}
        _event(
            case,
            actor=actor,
            reason=reason,
            changes={"public_reply": reply.pk, "status": reply.status},
            at=now,
        )
        case.save(update_fields=["event_count", "audit_head", "updated_at"])
    return reply


def public_reply_reject(*, reply: PublicReply, actor: User, note: str) -> PublicReply:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what to change, so the author can rewrite it.")})
    with transaction.atomic():
        case, _thread, reply = _pending(reply, actor)
        now = timezone.now()
        reply.status = ReplyStatus.REJECTED
        reply.decided_by, reply.decided_at, reply.decision_note = actor, now, note
        reply.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("Public reply sent back: %(note)s") % {"note": note}
        _event(case, actor=actor, reason=reason, changes={"public_reply": reply.pk}, at=now)
        case.save(update_fields=["event_count", "audit_head", "updated_at"])
    return reply


def public_reply_mark_posted(*, reply: PublicReply, actor: User) -> PublicReply:
    """Someone posted an approved reply by hand on the platform."""
    with transaction.atomic():
        case, thread = _locked_thread(reply.thread.complaint)
        complaint_services._check_may_write(actor, case)
        reply = PublicReply.objects.select_for_update().get(pk=reply.pk)
        if reply.status != ReplyStatus.APPROVED:
            raise NotAllowed(_("Only an approved reply waiting to be posted can be marked posted."))
        now = timezone.now()
        reply.status, reply.posted_at = ReplyStatus.POSTED, now
        reply.save(update_fields=["status", "posted_at"])
        if thread.first_answered_at is None:
            thread.first_answered_at = now
            thread.save(update_fields=["first_answered_at"])
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("Public reply posted by hand.")
        _event(case, actor=actor, reason=reason, changes={"public_reply": reply.pk}, at=now)
        case.save(update_fields=["event_count", "audit_head", "updated_at"])
    return reply


def social_move_private(
    *, complaint: Complaint, actor: User, channel: str, email: str = "", phone: str = ""
) -> SocialThread:
    """Continue the conversation privately: by e-mail or phone (recorded on the case, so the
    messages that follow reach the customer there) or by the platform's direct messages."""
    if channel not in PrivateChannel.values:
        raise ValidationError({"channel": _("Choose where the conversation continues.")})
    email, phone = (email or "").strip(), (phone or "").strip()
    if channel == PrivateChannel.EMAIL:
        if not email:
            raise ValidationError({"email": _("Give the customer's e-mail address.")})
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    if channel == PrivateChannel.PHONE and not phone:
        raise ValidationError({"phone": _("Give the customer's phone number.")})
    with transaction.atomic():
        case, thread = _locked_thread(complaint)
        complaint_services._check_may_write(actor, case)
        if not thread.public:
            raise NotAllowed(_("The conversation is already private."))
        now = timezone.now()
        thread.public, thread.private_channel, thread.private_since = False, channel, now
        thread.save(update_fields=["public", "private_channel", "private_since"])
        update = ["event_count", "audit_head", "updated_at"]
        changes: dict[str, Any] = {"public": False, "private_channel": channel}
        if channel == PrivateChannel.EMAIL and email != case.contact_email:
            case.contact_email = email
            changes["contact_email"] = email
            update.append("contact_email")
        if channel == PrivateChannel.PHONE and phone != case.contact_phone:
            case.contact_phone = phone
            changes["contact_phone"] = phone
            update.append("contact_phone")
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("The conversation continues privately: %(channel)s.") % {
                "channel": PrivateChannel(channel).label
            }
        _event(case, actor=actor, reason=reason, changes=changes, at=now)
        case.save(update_fields=update)
    return thread
