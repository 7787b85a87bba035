"""Merging a duplicate into the case it repeats, keeping everything the customer said (B4).

The duplicate is finished (State.MERGED) with a MERGE event naming the case it joined; that
case gets an ABSORB event naming the duplicate and a copy of every message and attachment of
the duplicate, so its conversation is complete. Nothing is moved or deleted: the duplicate
keeps its own messages, files and audit chain untouched, and the ABSORB event (hash-chained
like every event) records which message and file each copy came from, so the copies can be
checked against their originals at any time.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from resuelve.accounts.models import User
from resuelve.complaints import lifecycle
from resuelve.complaints.lifecycle import OPEN_STATES, Action, IllegalStep, State
from resuelve.complaints.models import Attachment, Complaint, Message
from resuelve.complaints.services import (
    _actor_label,
    _append_event,
    _check_may_write,
    _copy_state,
    _customer_message,
    _in_customer_language,
)
from resuelve.notifications.services import private_url


def _copy_conversation(
    duplicate: Complaint, into: Complaint
) -> tuple[list[list[int]], list[list[int]]]:
    """Copy the duplicate's messages and files onto `into`; returns the [original, copy] id
    pairs of each. A copy keeps the original's author, visibility, channel, time and delivery
    (it is not sent again); its text starts with the case it came from."""
    messages: list[list[int]] = []
    copy_of: dict[int, Message] = {}
    origin = _in_customer_language(
        into, lambda: _("From case %(code)s:") % {"code": duplicate.tracking_code}
    )
    for message in Message.objects.filter(complaint=duplicate).order_by("created_at", "id"):
        copy = Message.objects.create(
            complaint=into,
            author_id=message.author_id,
            from_customer=message.from_customer,
            visibility=message.visibility,
            channel=message.channel,
            body=f"{origin}\n{message.body}",
            created_at=message.created_at,
            delivered_at=message.delivered_at,
        )
        copy_of[message.pk] = copy
        messages.append([message.pk, copy.pk])
    files: list[list[int]] = []
    for attachment in Attachment.objects.filter(complaint=duplicate).order_by("id"):
        # Files are stored under their content's hash and never deleted: the copy points at
        # the same stored file.
        copy_file = Attachment.objects.create(
            complaint=into,
            message=copy_of.get(attachment.message_id) if attachment.message_id else None,
            file=attachment.file.name,
            original_name=attachment.original_name,
            content_type=attachment.content_type,
            size=attachment.size,
            sha256=attachment.sha256,
            uploaded_by_id=attachment.uploaded_by_id,
            created_at=attachment.created_at,
        )
        files.append([attachment.pk, copy_file.pk])
    return messages, files


def _notice(duplicate: Complaint, into: Complaint) -> str:
    return _in_customer_language(
        duplicate,
        lambda: (
            _(
                "Dear %(name)s,\n\nYour case %(code)s is about the same matter as case "
                "%(into)s, so we have joined them: everything you sent us is kept, and your "
                "case continues under the tracking number %(into)s. You can follow it here:\n"
                "%(link)s"
            )
            % {
                "name": duplicate.contact_name or _("customer"),
                "code": duplicate.tracking_code,
                "into": into.tracking_code,
                "link": private_url(into),
            }
        ),
    )


def complaint_merge(
    *, duplicate: Complaint, into: Complaint, actor: User, reason: str = ""
) -> Complaint:
    """Merge `duplicate` into `into` and return `into`, the case that continues.

    Staff who may write on both cases merge an open duplicate that has no solution on the
    table yet (lifecycle.MERGEABLE) into another open case that was not itself merged. The
    duplicate becomes "merged" (final: it takes no further step); every message and file of
    it is copied onto `into`; both cases get their event; the duplicate's customer is told,
    in their language, under which tracking number their case continues."""
    if duplicate.pk == into.pk:
        raise IllegalStep(_("A case cannot be merged into itself."))
    reason = (reason or "").strip()
    with transaction.atomic():
        # Both rows locked, always in the same order, so two crossing merges cannot deadlock.
        locked = {
            case.pk: case
            for case in Complaint.objects.select_for_update()
            .filter(pk__in=[duplicate.pk, into.pk])
            .order_by("pk")
        }
        if len(locked) != 2:
            raise ValidationError({"into": _("No case with this tracking code is visible to you.")})
        dup, target = locked[duplicate.pk], locked[into.pk]
        _check_may_write(actor, dup)
        _check_may_write(actor, target)
        lifecycle.check_step(Action.MERGE, dup.state, actor.role, kind=dup.kind)
        if target.state == State.MERGED:
            raise IllegalStep(
                _("Case %(code)s was itself merged into another case; merge into that one.")
                % {"code": target.tracking_code}
            )
        if target.state not in OPEN_STATES:
            raise IllegalStep(
                _("Case %(code)s is “%(state)s”; a duplicate can only join an open case.")
                % {"code": target.tracking_code, "state": State(target.state).label}
            )
        now = timezone.now()
        messages, files = _copy_conversation(dup, target)
        label = _actor_label(actor, actor.role)
        from_state = dup.state
        dup.state = State.MERGED
        _append_event(
            dup,
            actor=actor,
            actor_label=label,
            action=Action.MERGE,
            from_state=from_state,
            to_state=State.MERGED,
            changes={"into": target.tracking_code},
            reason=reason,
            at=now,
        )
        dup.save()
        _append_event(
            target,
            actor=actor,
            actor_label=label,
            action=Action.ABSORB,
            from_state=target.state,
            to_state=target.state,
            changes={
                "duplicate": dup.tracking_code,
                "messages_copied": messages,
                "attachments_copied": files,
            },
            reason=reason,
            at=now,
        )
        target.save(update_fields=["event_count", "audit_head", "updated_at"])
        # After the copies, so the notice stays with the case it is about.
        _customer_message(dup, author=actor, body=_notice(dup, target), at=now)
    _copy_state(dup, duplicate)
    _copy_state(target, into)
    return into
