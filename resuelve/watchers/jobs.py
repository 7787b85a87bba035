"""The watchers' periodic jobs (resuelve.core.periodic).

`watchers_scan(now=)`, every minute, reads the audit events and the internal notes written
since the last run (a ScanMark per stream holds the highest id seen). Each event on a case
is matched against the active watches: an open case is "new" to a watch the first time it
matches (when registered, or later when filed under a category, given a product or a cause),
a resolved case is "resolved". Each is claimed by a unique WatchDelivery row and, for an
instant watch, e-mailed at once to whoever the watch reaches and may see the case. Each note
is searched for @usernames (services.mentions_record).

Ids are not committed in order (a transaction holding a lower id can commit after a higher
one), so every run reads again the last REWIND ids before the mark; the unique claims make
reading twice harmless.

`watchers_digest(now=)`, daily, sends each person one e-mail listing the digest deliveries
not sent yet, in their language, and stamps them sent.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import State
from resuelve.complaints.models import Complaint, ComplaintEvent, Message, Visibility
from resuelve.watchers import selectors, services
from resuelve.watchers.matching import mentioned_usernames
from resuelve.watchers.models import Mention, Mode, ScanMark, WatchDelivery, WatchEvent

log = logging.getLogger(__name__)

BATCH = 1000
REWIND = 200
EVENTS = "events"
NOTES = "notes"


def _mark(name: str) -> ScanMark:
    """The stream's mark, locked for the transaction: a second worker waits, then reads on
    from where the first one stopped."""
    ScanMark.objects.get_or_create(name=name)
    return ScanMark.objects.select_for_update().get(name=name)


def scan_start_from_now() -> None:
    """Start both streams at the newest rows, so a new installation does not hear about
    history (called when the first watch is created and by the demo)."""
    last_event = ComplaintEvent.objects.aggregate(m=Max("id"))["m"] or 0
    last_note = Message.objects.aggregate(m=Max("id"))["m"] or 0
    for name, last in ((EVENTS, last_event), (NOTES, last_note)):
        ScanMark.objects.get_or_create(name=name, defaults={"last_id": last})


def _scan_events(now: datetime) -> int:
    with transaction.atomic():
        mark = _mark(EVENTS)
        events = list(
            ComplaintEvent.objects.filter(id__gt=max(0, mark.last_id - REWIND))
            .order_by("id")
            .values("id", "complaint_id", "to_state", "from_state", "at")[:BATCH]
        )
        if not events:
            return 0
        watches = selectors.active_watches()
        sent = 0
        if watches:
            ids = sorted({e["complaint_id"] for e in events})
            facts = selectors.case_facts(ids)
            cases = {
                c.pk: c for c in Complaint.objects.filter(pk__in=ids).select_related("category")
            }
            users = {
                u.pk: u
                for u in User.objects.filter(pk__in={w.user_id for w in watches if w.user_id})
            }
            for watch in watches:
                watch.user = users.get(watch.user_id) if watch.user_id else None
            # What the previous runs claimed already (the rewound ids): skipped without trying.
            claimed = set(
                WatchDelivery.objects.filter(complaint_id__in=ids).values_list(
                    "watch_id", "complaint_id", "event"
                )
            )
            for event in events:
                case = cases[event["complaint_id"]]
                resolved_now = (
                    event["to_state"] == State.RESOLVED and event["from_state"] != State.RESOLVED
                )
                for watch in selectors.matching_watches(facts[case.pk], watches):
                    kinds = []
                    if watch.on_new and case.is_open and case.received_at >= watch.created_at:
                        kinds.append(WatchEvent.NEW)
                    if watch.on_resolved and resolved_now and event["at"] >= watch.created_at:
                        kinds.append(WatchEvent.RESOLVED)
                    for kind in kinds:
                        if (watch.pk, case.pk, kind) in claimed:
                            continue
                        claimed.add((watch.pk, case.pk, kind))
                        delivery = services.delivery_claim(
                            watch=watch, complaint=case, event=kind, now=now
                        )
                        if delivery is None or watch.mode != Mode.INSTANT:
                            continue
                        sent += services.delivery_send_instant(
                            delivery=delivery,
                            recipients=selectors.watch_recipients(watch, case),
                            now=now,
                        )
        mark.last_id = max(mark.last_id, events[-1]["id"])
        mark.updated_at = now
        mark.save(update_fields=["last_id", "updated_at"])
    return sent


def _scan_notes(now: datetime) -> int:
    with transaction.atomic():
        mark = _mark(NOTES)
        notes = list(
            Message.objects.filter(id__gt=max(0, mark.last_id - REWIND))
            .order_by("id")
            .select_related("author")[:BATCH]
        )
        found = 0
        recorded = set(
            Mention.objects.filter(message_id__in=[n.pk for n in notes]).values_list(
                "message_id", "user_id"
            )
        )
        for note in notes:
            if note.visibility != Visibility.INTERNAL or note.author_id is None:
                continue
            names = mentioned_usernames(note.body)
            if not names:
                continue
            users = [
                u
                for u in User.objects.filter(username__in=names, is_active=True)
                if (note.pk, u.pk) not in recorded and u.pk != note.author_id
            ]
            if users:
                found += len(services.mentions_record(message=note, users=users, now=now))
        if notes:
            mark.last_id = max(mark.last_id, notes[-1].pk)
            mark.updated_at = now
            mark.save(update_fields=["last_id", "updated_at"])
    return found


def watchers_scan(now: datetime | None = None) -> int:
    """Deliver what happened since the last run; returns instant e-mails plus mentions."""
    now = now or timezone.now()
    count = _scan_events(now) + _scan_notes(now)
    if count:
        log.info("watchers: %s e-mails and mentions", count)
    return count


def watchers_digest(now: datetime | None = None) -> int:
    """One e-mail per person with the digest deliveries not sent yet; returns the e-mails."""
    now = now or timezone.now()
    with transaction.atomic():
        # Locks the rows so a second worker skips them; SQLite serializes writers anyway.
        ids = list(
            WatchDelivery.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, watch__mode=Mode.DIGEST, at__lte=now)
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        claimed = WatchDelivery.objects.filter(pk__in=ids, sent_at__isnull=True).update(sent_at=now)
        if not claimed:
            return 0
        rows = list(
            WatchDelivery.objects.filter(pk__in=ids, sent_at=now)
            .select_related("watch__user", "watch__department", "complaint")
            .order_by("at", "pk")
        )
        per_user: dict[int, list[WatchDelivery]] = defaultdict(list)
        people: dict[int, User] = {}
        for row in rows:
            if not row.watch.active:
                continue  # switched off since: dropped, not sent later
            for user in selectors.watch_recipients(row.watch, row.complaint):
                people[user.pk] = user
                # a case two of one's watches match is listed once per event
                if not any(
                    r.complaint_id == row.complaint_id and r.event == row.event
                    for r in per_user[user.pk]
                ):
                    per_user[user.pk].append(row)
        for row in rows:
            row.link = services.staff_case_url(row.complaint)  # type: ignore[attr-defined]
        for user_id, items in per_user.items():
            services.outbox_staff_email(
                people[user_id],
                template="watchers/email/digest.txt",
                context={"items": items, "day": timezone.localtime(now).date()},
                now=now,
            )
    return len(per_user)
