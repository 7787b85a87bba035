"""Writes for early warning: raising or refreshing an alert (the scan), and what quality
management does with one: acknowledge it, dismiss it with a reason (which tunes the detector)
or turn it into an improvement action.

Each is one transaction. Status changes are conditional updates from the status read, so
two people pressing at once, or a page submitted twice, change the alert once. Alert rows
keep who acted, when and why (acted_by, acted_at, dismissed_reason): they are the history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from resuelve.accounts.models import User
from resuelve.accounts.quality import quality_department
from resuelve.complaints.lifecycle import IllegalStep, NotAllowed
from resuelve.earlywarning import selectors
from resuelve.earlywarning.models import (
    LIVE,
    Alert,
    AlertComplaint,
    AlertKind,
    AlertStatus,
    Suppression,
    key_text,
)
from resuelve.notifications.models import Outbox, Transport
from resuelve.notifications.services import _schedule
from resuelve.resolution.models import ImprovementAction, ImprovementKind, RootCause
from resuelve.resolution.services import improvement_action_save, improvement_link

if TYPE_CHECKING:
    from resuelve.customers.models import Supplier


@dataclass(frozen=True)
class Finding:
    """What the scan found for one series: the detector's signal or a serious word."""

    kind: str
    key: tuple[tuple[str, str], ...]
    since: date
    observed: int
    complaint_ids: Sequence[int]
    expected: float = 0.0
    score: float = 0.0
    p_value: float | None = None
    terms: Sequence[str] = ()


def _check_handles(actor: User) -> None:
    if not selectors.may_handle(actor):
        raise NotAllowed(
            _("Only supervisors, managers and the quality department handle early warnings.")
        )


def _link(alert: Alert, complaint_ids: Sequence[int], now: datetime) -> int:
    have = set(AlertComplaint.objects.filter(alert=alert).values_list("complaint_id", flat=True))
    new = [pk for pk in dict.fromkeys(complaint_ids) if pk not in have]
    AlertComplaint.objects.bulk_create(
        [AlertComplaint(alert=alert, complaint_id=pk, added_at=now) for pk in new],
        ignore_conflicts=True,
    )
    return len(new)


def alert_record(*, finding: Finding, now: datetime) -> tuple[Alert, bool]:
    """Raise an alert for the finding, or refresh the live alert of its series (observed,
    last seen, complaints added): one live alert per series. A serious-word alert is raised
    once per complaint, whatever became of an earlier one. Returns (alert, raised)."""
    text = key_text(finding.key)
    with transaction.atomic():
        if finding.kind == AlertKind.SERIOUS:
            existing = Alert.objects.filter(key_text=text).first()
        else:
            existing = (
                Alert.objects.select_for_update().filter(key_text=text, status__in=LIVE).first()
            )
        if existing is not None:
            if finding.kind == AlertKind.RISE:
                existing.observed = max(finding.observed, existing.observed)
                existing.expected, existing.score = finding.expected, finding.score
                existing.p_value = finding.p_value
                existing.since = min(existing.since, finding.since)
                existing.last_seen_at = now
                existing.save(
                    update_fields=["observed", "expected", "score", "p_value", "since",
                                   "last_seen_at"]
                )  # fmt: skip
                _link(existing, finding.complaint_ids, now)
            return existing, False
        with translation.override(settings.LANGUAGE_CODE):
            title = selectors.describe(finding.key)[:300]
        try:
            with transaction.atomic():  # another scan raising the same series at once
                alert = Alert.objects.create(
                    kind=finding.kind, key=[list(pair) for pair in finding.key], key_text=text,
                    title=title, since=finding.since, observed=finding.observed,
                    expected=finding.expected, score=finding.score, p_value=finding.p_value,
                    terms=list(finding.terms), created_at=now, last_seen_at=now,
                )  # fmt: skip
        except IntegrityError:
            return Alert.objects.get(key_text=text, status__in=LIVE), False
        _link(alert, finding.complaint_ids, now)
        notify_alert(alert, now=now)
    return alert, True


# --- notifications ------------------------------------------------------------------------------


def _alert_url(alert: Alert) -> str:
    return settings.RESUELVE_PUBLIC_URL + reverse("earlywarning:detail", kwargs={"pk": alert.pk})


def quality_recipients() -> list[User]:
    """The active members of the quality department with an e-mail address."""
    return list(
        User.objects.filter(is_active=True, departments__code=quality_department())
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _supplier(alert: Alert) -> Supplier | None:
    """The supplier of the series: its own, or its product's."""
    from resuelve.customers.models import Product, Supplier

    pk = selectors.key_value(alert.key, "supplier")
    if pk.isdigit():
        return Supplier.objects.filter(pk=int(pk)).first()
    product = selectors.key_value(alert.key, "product")
    if product.isdigit():
        found = Product.objects.filter(pk=int(product)).select_related("supplier").first()
        return found.supplier if found is not None else None
    return None


def _outbox(
    *, recipient: str, language: str, template: str, context: dict[str, object], now: datetime
) -> Outbox:
    with translation.override(language):
        text = render_to_string(
            template, {"company": settings.RESUELVE_COMPANY_NAME, "what": "", **context}
        )
    subject, _sep, body = text.partition("\n")
    row = Outbox.objects.create(
        transport=Transport.EMAIL,
        recipient=recipient,
        subject=subject.strip()[:300],
        body=body.lstrip("\n"),
        headers={"Auto-Submitted": "auto-generated", "Content-Language": language},
        created_at=now,
    )
    _schedule(row.pk)
    return row


def notify_alert(alert: Alert, *, now: datetime) -> list[Outbox]:
    """E-mail a new alert to the quality department, each in their language, and a rise in a
    supplier's or its product's series to the supplier's contact (in the company's language, without the
    customers' complaints: only what rose, by how much and since when)."""
    rows = []
    for user in quality_recipients():
        language = user.language or settings.LANGUAGE_CODE
        with translation.override(language):
            what = selectors.describe(alert.key)
        rows.append(
            _outbox(
                recipient=user.email, language=language, now=now,
                template="earlywarning/email/alert.txt",
                context={"alert": alert, "user": user, "what": what, "link": _alert_url(alert)},
            )
        )  # fmt: skip
    supplier = _supplier(alert) if alert.kind == AlertKind.RISE else None
    if supplier is not None and supplier.contact_email:
        language = settings.LANGUAGE_CODE
        with translation.override(language):
            what = selectors.describe(alert.key)
        rows.append(
            _outbox(
                recipient=supplier.contact_email, language=language, now=now,
                template="earlywarning/email/supplier.txt",
                context={"alert": alert, "supplier": supplier, "what": what},
            )
        )  # fmt: skip
    return rows


# --- what quality management does with an alert ------------------------------------------------


def _move(alert: Alert, *, to: str, actor: User, now: datetime, **fields: object) -> Alert:
    changed = Alert.objects.filter(pk=alert.pk, status__in=LIVE).update(
        status=to, acted_by=actor, acted_at=now, **fields
    )
    if not changed:
        raise IllegalStep(_("This alert was already dismissed or turned into an action."))
    alert.refresh_from_db()
    return alert


def alert_acknowledge(*, alert: Alert, actor: User) -> Alert:
    """Someone in charge has seen the alert: it stays live (new complaints still join it)."""
    _check_handles(actor)
    now = timezone.now()
    with transaction.atomic():
        changed = Alert.objects.filter(pk=alert.pk, status=AlertStatus.OPEN).update(
            status=AlertStatus.ACKNOWLEDGED, acted_by=actor, acted_at=now
        )
        if not changed:
            raise IllegalStep(_("Only an open alert can be acknowledged."))
    alert.refresh_from_db()
    return alert


def alert_dismiss(*, alert: Alert, actor: User, reason: str) -> Alert:
    """Dismiss a live alert with a reason. The series is suppressed: the detector leaves it
    out from the next scan on (a serious-word alert is about one complaint only, so nothing
    is suppressed for it)."""
    _check_handles(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the alert is dismissed.")})
    now = timezone.now()
    with transaction.atomic():
        alert = _move(
            alert, to=AlertStatus.DISMISSED, actor=actor, now=now, dismissed_reason=reason
        )
        if alert.kind == AlertKind.RISE:
            Suppression.objects.update_or_create(
                key_text=alert.key_text,
                defaults={"key": alert.key, "reason": reason, "by": actor, "at": now},
            )
    return alert


def alert_to_action(
    *,
    alert: Alert,
    actor: User,
    title: str,
    cause: RootCause,
    owner: User,
    due_on: date,
    kind: str = ImprovementKind.CORRECTIVE,
    description: str = "",
) -> ImprovementAction:
    """Open an improvement action (G2) for a live alert, with the root cause the user chose,
    and link to it every complaint of the alert the user may see."""
    _check_handles(actor)
    with transaction.atomic():
        locked = Alert.objects.select_for_update().get(pk=alert.pk)
        if locked.status not in LIVE:
            raise IllegalStep(_("This alert was already dismissed or turned into an action."))
        action = improvement_action_save(
            actor=actor, title=title, kind=kind, cause=cause, owner=owner, due_on=due_on,
            description=description,
        )  # fmt: skip
        for complaint in selectors.alert_complaints(alert=locked, user=actor):
            improvement_link(action=action, complaint=complaint, actor=actor)
        _move(
            locked, to=AlertStatus.ACTIONED, actor=actor, now=timezone.now(),
            improvement_action=action,
        )  # fmt: skip
    alert.refresh_from_db()
    return action
