"""Reads of the social channel: a case's thread with its replies, and the public cases a
supervisor has to watch (replies waiting for approval, first answers due)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import FINISHED_STATES
from resuelve.complaints.models import Complaint
from resuelve.complaints.selectors import can_view, complaints_visible_to
from resuelve.social.models import PublicReply, ReplyStatus, SocialThread
from resuelve.social.services import may_approve


@dataclass
class CasePanel:
    thread: SocialThread
    replies: list[PublicReply]
    may_write: bool
    may_draft: bool
    may_approve: bool
    pending: PublicReply | None
    overdue: bool
    approve_note: str = ""
    flags: list = field(default_factory=list)


def case_panel(user: User, case: Complaint) -> CasePanel | None:
    thread = SocialThread.objects.select_related("source").filter(complaint_id=case.pk).first()
    if thread is None:
        return None
    replies = list(
        thread.replies.select_related("drafted_by", "decided_by", "outbox").order_by(
            "drafted_at", "id"
        )
    )
    pending = next((r for r in replies if r.status == ReplyStatus.PENDING), None)
    writable = (
        user.is_active
        and not user.read_only
        and can_view(user, case, cooperating=False)
        and case.state not in FINISHED_STATES
    )
    return CasePanel(
        thread=thread,
        replies=replies,
        may_write=writable,
        may_draft=writable and thread.public and pending is None,
        may_approve=pending is not None
        and may_approve(user, case)
        and pending.drafted_by_id != user.pk,
        pending=pending,
        overdue=thread.first_answered_at is None and thread.first_answer_due_at < timezone.now(),
    )


@dataclass(frozen=True)
class Watchlist:
    pending: list[PublicReply]
    unanswered: list[SocialThread]
    now: datetime


def _visible_threads(user: User) -> QuerySet[SocialThread]:
    return SocialThread.objects.filter(complaint__in=complaints_visible_to(user))


def watchlist(user: User, *, limit: int = 200) -> Watchlist:
    """Replies waiting for approval (oldest first) and public posts without a first answer
    (soonest due first), among the cases `user` sees."""
    threads = _visible_threads(user)
    pending = list(
        PublicReply.objects.filter(status=ReplyStatus.PENDING, thread__in=threads)
        .select_related("thread__complaint", "thread__source", "drafted_by")
        .order_by("drafted_at")[:limit]
    )
    unanswered = list(
        threads.filter(first_answered_at__isnull=True, public=True)
        .exclude(complaint__state__in=FINISHED_STATES)
        .select_related("complaint", "source")
        .order_by("first_answer_due_at")[:limit]
    )
    return Watchlist(pending=pending, unanswered=unanswered, now=timezone.now())
