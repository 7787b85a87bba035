"""Every change the product makes to a complaint: one function per lifecycle step.

Each function checks the actor's role and the case's state (lifecycle.check_step), validates
its input, changes the case in one transaction with the row locked, writes one audit event
chained to the previous one, and schedules side effects (e-mail to the customer) to run only
after the transaction commits. A refused step raises StepRefused or ValidationError and
changes nothing.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from resuelve.accounts.models import Department, User
from resuelve.accounts.roles import within_authority
from resuelve.complaints import audit, lifecycle, tracking
from resuelve.complaints.duplicates import merged_into
from resuelve.complaints.lifecycle import (
    CUSTOMER,
    SYSTEM,
    Action,
    IllegalStep,
    Kind,
    NotAllowed,
    State,
)
from resuelve.complaints.models import (
    Attachment,
    Category,
    Channel,
    Complaint,
    ComplaintEvent,
    Message,
    Severity,
    Validity,
    Visibility,
)
from resuelve.complaints.selectors import can_view
from resuelve.core.prepared import insert_only, pipelined
from resuelve.customers.models import Branch, Customer, Product, Purchase
from resuelve.deadlines.history import answer_due_from_history
from resuelve.deadlines.models import DeadlinePolicy
from resuelve.deadlines.selectors import due_dates, policy_for
from resuelve.notifications.services import (
    Email,
    customer_email,
    outbox_customer_email,
    outbox_email,
    outbox_webhooks,
)
from resuelve.resolution.terms import investigation_open, lesson_missing
from resuelve.routing.selectors import Routing
from resuelve.routing.selectors import route as routing_for
from resuelve.triage.services import correction_record

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ALLOWED_ATTACHMENT_TYPES = frozenset(
    {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "text/plain",
        "text/csv",
        "message/rfc822",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/msword",
        "application/vnd.ms-excel",
        "audio/mpeg",
        "audio/wav",
    }
)


# --- the audit trail ------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _actor_label(actor: User | None, fallback: str) -> str:
    if actor is None:
        return fallback
    return f"{actor.get_full_name() or actor.username} ({actor.role})"


def _append_event(
    case: Complaint,
    *,
    actor: User | None,
    actor_label: str,
    action: str,
    from_state: str,
    to_state: str,
    changes: dict[str, Any],
    reason: str,
    at: datetime,
) -> ComplaintEvent:
    """Append one event to the case's chain. The caller holds the case's row lock and saves it."""
    event = _chain_event(
        case,
        actor=actor,
        actor_label=actor_label,
        action=action,
        from_state=from_state,
        to_state=to_state,
        changes=changes,
        reason=reason,
        at=at,
    )
    event.save()
    outbox_webhooks(case, event)
    return event


def _chain_event(
    case: Complaint,
    *,
    actor: User | None,
    actor_label: str,
    action: str,
    from_state: str,
    to_state: str,
    changes: dict[str, Any],
    reason: str,
    at: datetime,
) -> ComplaintEvent:
    """The next event of the case's chain, not saved yet; the case's head moves to it."""
    seq = case.event_count + 1
    prev_hash = case.audit_head or audit.GENESIS
    clean_changes = {key: _jsonable(value) for key, value in changes.items()}
    digest = audit.event_digest(
        prev_hash=prev_hash,
        tracking_code=case.tracking_code,
        seq=seq,
        at=at,
        actor_id=actor.pk if actor else None,
        actor_label=actor_label,
        action=action,
        from_state=from_state,
        to_state=to_state,
        changes=clean_changes,
        reason=reason,
    )
    event = ComplaintEvent(
        complaint=case,
        seq=seq,
        at=at,
        actor=actor,
        actor_label=actor_label,
        action=action,
        from_state=from_state,
        to_state=to_state,
        changes=clean_changes,
        reason=reason,
        prev_hash=prev_hash,
        hash=digest,
    )
    case.event_count = seq
    case.audit_head = digest
    return event


def note_event_append(
    case: Complaint,
    *,
    actor: User | None,
    reason: str,
    changes: dict[str, Any],
    at: datetime,
    save: bool = True,
) -> ComplaintEvent:
    """An Action.NOTE event on the case's chain, for a change kept outside the case's row (a
    playbook tick, an investigation, a public reply). The caller holds the case's row lock;
    with `save`, the case's new chain head is saved too."""
    event = _append_event(
        case,
        actor=actor,
        actor_label=_actor_label(actor, SYSTEM),
        action=Action.NOTE,
        from_state=case.state,
        to_state=case.state,
        changes=changes,
        reason=reason,
        at=at,
    )
    if save:
        case.save(update_fields=["event_count", "audit_head", "updated_at"])
    return event


def _set(case: Complaint, changes: dict[str, Any], field: str, value: Any) -> None:
    if getattr(case, field) != value:
        setattr(case, field, value)
        changes[field] = value


# --- side effects, after commit -------------------------------------------------------------


def _deliver_after_commit(message: Message) -> None:
    """Write the e-mail for a staff message to the customer into the outbox, in this
    transaction; the task worker sends it once the transaction has committed."""
    if message.visibility == Visibility.CUSTOMER and not message.from_customer:
        outbox_customer_email(message)


def _customer_message(case: Complaint, *, author: User | None, body: str, at: datetime) -> Message:
    message = Message.objects.create(
        complaint=case,
        author=author,
        visibility=Visibility.CUSTOMER,
        channel=Channel.EMAIL if case.contact_email else "",
        body=body,
        created_at=at,
    )
    _deliver_after_commit(message)
    return message


def _in_customer_language(case: Complaint, text_fn: Callable[[], str]) -> str:
    with translation.override(case.language):
        return text_fn()


# --- one step, the common frame ---------------------------------------------------------------


def _role_of(actor: User | None, as_customer: bool) -> str:
    if actor is None:
        return CUSTOMER if as_customer else SYSTEM
    return actor.role


def _take_step(
    *,
    complaint: Complaint,
    actor: User | None,
    action: str,
    apply: Callable[[Complaint, dict[str, Any], datetime], None],
    reason: str = "",
    established: bool | None = None,
    as_customer: bool = False,
) -> Complaint:
    with transaction.atomic():
        case = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if actor is not None:
            _check_may_write(actor, case)
        role = _role_of(actor, as_customer)
        from_state = case.state
        lifecycle.check_step(action, from_state, role, kind=case.kind)
        now = timezone.now()
        changes: dict[str, Any] = {}
        to_state = lifecycle.next_state(
            action,
            from_state,
            established=established,
            resume_state=case.resume_state,
            has_assignee=case.assignee_id is not None,
        )
        apply(case, changes, now)
        case.state = to_state
        _append_event(
            case,
            actor=actor,
            actor_label=_actor_label(actor, role),
            action=action,
            from_state=from_state,
            to_state=to_state,
            changes=changes,
            reason=reason,
            at=now,
        )
        case.save()
    _copy_state(case, complaint)
    return complaint


def _copy_state(source: Complaint, target: Complaint) -> None:
    """Make the caller's instance what was just saved, without reading the row again (what
    refresh_from_db would do, one query less on every step)."""
    if source is target:
        return
    for field in Complaint._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    target._state.fields_cache = dict(source._state.fields_cache)


def _check_may_write(actor: User, case: Complaint) -> None:
    if not actor.is_active:
        raise NotAllowed(_("This account is disabled."))
    if actor.read_only:
        raise NotAllowed(_("Your role is read-only."))
    if not can_view(actor, case, cooperating=False):  # asked for input: read, not write
        raise NotAllowed(_("This case is outside your departments or confidential."))


def _require(text: str, message: str, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


# --- registering ------------------------------------------------------------------------------


def answer_deadlines(
    received_at: datetime, policy: DeadlinePolicy | None = None
) -> tuple[datetime, datetime]:
    """When the case must be acknowledged and answered, counted from receipt under its
    deadline policy (or the flat terms of the settings)."""
    return due_dates(received_at, policy)


@dataclass
class Registration:
    """A complaint built and checked in memory, ready to be written in a handful of
    statements (`registration_store`). Building it reads nothing from the database but the
    deadline policies each process keeps for a few seconds, so intake does it before its
    transaction: on SQLite the write lock is held only while the rows are written."""

    case: Complaint
    events: list[ComplaintEvent]
    messages: list[Message]
    email: Email | None
    attachments: Sequence[UploadedFile]
    actor: User | None
    rebuild: Callable[[], Registration]


def complaint_registration(
    *,
    channel: str,
    kind: str,
    subject: str,
    description: str,
    actor: User | None = None,
    customer: Customer | None = None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    language: str = "",
    product: Product | None = None,
    purchase: Purchase | None = None,
    branch: Branch | None = None,
    employee_name: str = "",
    remedy_requested: str = "",
    amount_claimed: Decimal | None = None,
    occurred_on: date | None = None,
    received_at: datetime | None = None,
    attachments: Sequence[UploadedFile] = (),
    acknowledge: bool = False,
    route: bool = True,
    on_the_spot: User | None = None,
) -> Registration:
    """Check a new complaint and build it with its first events and messages (see
    complaint_register for the rules); nothing is written. Unless `route` is off, triage
    suggests its category and routing sends it to a department and a person (a "route"
    event with the trace); `on_the_spot` is the front-line agent who solves it at once
    (D2): the case is theirs and skips routing."""
    arguments = dict(locals())
    errors: dict[str, str] = {}
    if kind not in Kind.values:
        errors["kind"] = _("Choose what kind of message this is.")
    if channel not in Channel.values:
        errors["channel"] = _("Choose the channel the complaint came through.")
    subject = (subject or "").strip()
    description = (description or "").strip()
    if not subject:
        errors["subject"] = _("Say in a few words what it is about.")
    if not description:
        errors["description"] = _("Describe what happened.")
    if customer is not None:
        contact_name = contact_name or customer.name
        contact_email = contact_email or customer.email
        contact_phone = contact_phone or customer.phone
        language = language or customer.language
    # A post on a social network is answered where it was made (resuelve.social).
    reachable = contact_email or contact_phone or channel == Channel.SOCIAL
    if kind not in (Kind.SUGGESTION, Kind.COMPLIMENT) and not reachable:
        errors["contact_email"] = _("Give an e-mail address or a phone number so we can answer.")
    if amount_claimed is not None and amount_claimed < 0:
        errors["amount_claimed"] = _("The amount claimed cannot be negative.")
    language = language or settings.LANGUAGE_CODE
    if language not in {code for code, _name in settings.LANGUAGES}:
        errors["language"] = _("This language is not served.")
    if actor is not None and actor.read_only:
        raise NotAllowed(_("Your role is read-only."))
    if errors:
        raise ValidationError(errors)
    for upload in attachments:
        _validate_upload(upload)
    if purchase is not None and product is None:
        product = purchase.product
    if acknowledge:
        lifecycle.check_step(Action.ACKNOWLEDGE, State.RECEIVED, SYSTEM, kind=kind)
    if on_the_spot is not None and not on_the_spot.department_ids():
        raise ValidationError(
            {"on_the_spot": _("You belong to no department, so you cannot take the case.")}
        )

    received = received_at or timezone.now()
    arguments["received_at"] = received  # a rebuild keeps the moment of receipt
    policy = policy_for(kind)
    ack_due, due = answer_deadlines(received, policy)
    names = [(upload.name or "file")[:255] for upload in attachments]
    case = Complaint(
        tracking_code=tracking.generate(),
        kind=kind,
        channel=channel,
        customer=customer,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip().lower(),
        contact_phone=contact_phone.strip(),
        language=language,
        subject=subject[:200],
        description=description,
        product=product,
        purchase=purchase,
        branch=branch,
        employee_name=employee_name.strip(),
        remedy_requested=remedy_requested.strip(),
        amount_claimed=amount_claimed,
        currency=settings.RESUELVE_CURRENCY,
        occurred_on=occurred_on,
        received_at=received,
        ack_due_at=ack_due,
        due_at=due,
        deadline_policy=policy,
    )
    events = [
        _chain_event(
            case,
            actor=actor,
            actor_label=_actor_label(actor, CUSTOMER),
            action=Action.REGISTER,
            from_state="",
            to_state=State.RECEIVED,
            changes={
                "channel": channel,
                "kind": kind,
                "subject": case.subject,
                **({"attachments": names} if names else {}),
            },
            reason="",
            at=received,
        )
    ]
    messages = [
        Message(
            complaint=case,
            from_customer=True,
            visibility=Visibility.CUSTOMER,
            channel=channel,
            body=description,
            created_at=received,
        )
    ]
    email = None
    if acknowledge:
        # Exactly what complaint_acknowledge would do: its text, message, e-mail and event.
        now = timezone.now()
        case.state = State.ACKNOWLEDGED
        case.acknowledged_at = now
        events.append(
            _chain_event(
                case,
                actor=None,
                actor_label=_actor_label(None, SYSTEM),
                action=Action.ACKNOWLEDGE,
                from_state=State.RECEIVED,
                to_state=State.ACKNOWLEDGED,
                changes={"acknowledged_at": now},
                reason="",
                at=now,
            )
        )
        acknowledgement = Message(
            complaint=case,
            author=None,
            visibility=Visibility.CUSTOMER,
            channel=Channel.EMAIL if case.contact_email else "",
            body=_acknowledgement(case),
            created_at=now,
        )
        messages.append(acknowledgement)
        email = customer_email(case, acknowledgement)
    if on_the_spot is not None:
        routed = Routing(
            department=Department.objects.get(pk=on_the_spot.department_ids()[0]),
            assignee=on_the_spot,
            trace={"on_the_spot": str(on_the_spot)},
        )
    elif route:
        case.suggestion = triage_suggestion(case)
        routed = routing_for(case, suggestion=case.suggestion)
    else:
        routed = Routing()
    if routed.decided or routed.category is not None:
        events.append(_apply_routing(case, routed, received if not acknowledge else now))
    return Registration(
        case=case,
        events=events,
        messages=messages,
        email=email,
        attachments=attachments,
        actor=actor,
        rebuild=lambda: complaint_registration(**arguments),
    )


def triage_suggestion(case: Complaint) -> dict[str, Any] | None:
    """Triage's guess at kind, category, severity and language, as stored on the case."""
    try:
        from resuelve.triage.selectors import suggest_for
    except ImportError:  # pragma: no cover - triage not installed
        return None
    suggestion = suggest_for(
        subject=case.subject,
        description=case.description,
        kind=case.kind,
        language=case.language,
    )
    return suggestion.as_json() if suggestion is not None else None


_SEVERITY_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2, Severity.CRITICAL: 3}


def _apply_routing(case: Complaint, routed: Routing, at: datetime) -> ComplaintEvent:
    """Give the built case what routing decided, recompute its deadlines when a rule chose
    another policy, and return the "route" event that records it with its trace. A
    suggested severity may raise the case's (health and safety first), never lower it."""
    changes: dict[str, Any] = {}
    if routed.category is not None:
        case.category = routed.category
        changes["category"] = routed.category
    if routed.department is not None:
        case.department = routed.department
        changes["department"] = routed.department
    if routed.assignee is not None:
        case.assignee = routed.assignee
        changes["assignee"] = routed.assignee
    severity = routed.severity
    suggested = (case.suggestion or {}).get("severity", "")
    if not severity and _SEVERITY_RANK.get(suggested, 0) > _SEVERITY_RANK[case.severity]:
        severity = suggested
    if severity:
        case.severity = severity
        changes["severity"] = severity
    if routed.confidential is not None:
        case.confidential = routed.confidential
        changes["confidential"] = routed.confidential
    if routed.deadline_policy is not None and routed.deadline_policy != case.deadline_policy:
        case.deadline_policy = routed.deadline_policy
        case.ack_due_at, case.due_at = answer_deadlines(case.received_at, routed.deadline_policy)
        changes["deadline_policy"] = routed.deadline_policy
        changes["due_at"] = case.due_at
    changes["trace"] = routed.trace
    return _chain_event(
        case,
        actor=None,
        actor_label=_actor_label(None, SYSTEM),
        action=Action.ROUTE,
        from_state=case.state,
        to_state=case.state,
        changes=changes,
        reason="",
        at=at,
    )


def registration_store(
    registration: Registration, *, customer: Customer | None = None
) -> Complaint:
    """Write a built complaint: the case with its final audit head, its messages and its
    events each in one insert, its files, and its outbox rows. With `customer`, the case is
    filed under that customer (one recorded in the same transaction). Call it inside
    registration_commit, which retries when the drawn tracking code was already taken."""
    with transaction.atomic(savepoint=False):
        case = registration.case
        if customer is not None:
            case.customer = customer
        case.save(force_insert=True)
        Message.objects.bulk_create(registration.messages)
        # Nothing reads the events' keys: inserted without waiting for them (see pipelined).
        insert_only(registration.events)
        first_message = registration.messages[0]
        _store_attachments(
            case, first_message, registration.attachments, registration.actor, case.received_at
        )
        for event in registration.events:
            outbox_webhooks(case, event)
        if registration.email is not None:
            outbox_email(case, registration.messages[-1], registration.email)
    return case


def registration_commit(
    registration: Registration, write: Callable[[Registration], Complaint]
) -> Complaint:
    """Run `write` (which calls registration_store) in one transaction, and once more with a
    new tracking code if the one drawn was already taken (2**45 codes: hardly ever). No
    savepoint is needed for that: the whole transaction is rolled back and run again."""
    for _attempt in range(3):
        try:
            with transaction.atomic(), pipelined():
                return write(registration)
        except IntegrityError:
            if not Complaint.objects.filter(tracking_code=registration.case.tracking_code).exists():
                raise
            registration = registration.rebuild()
    raise RuntimeError("could not store the complaint")  # pragma: no cover


def complaint_register(
    *,
    channel: str,
    kind: str,
    subject: str,
    description: str,
    actor: User | None = None,
    customer: Customer | None = None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    language: str = "",
    product: Product | None = None,
    purchase: Purchase | None = None,
    branch: Branch | None = None,
    employee_name: str = "",
    remedy_requested: str = "",
    amount_claimed: Decimal | None = None,
    occurred_on: date | None = None,
    received_at: datetime | None = None,
    attachments: Sequence[UploadedFile] = (),
    acknowledge: bool = False,
    route: bool = True,
) -> Complaint:
    """Register a complaint completely and durably (B1): it is committed, with its first
    audit event, before the tracking code is returned. Anonymous entries are accepted only
    for suggestions and compliments; everything else needs a way to answer the customer.
    With `acknowledge`, the system acknowledges it in the same transaction (B2), exactly as
    complaint_acknowledge would: the acknowledgement message, its e-mail and its event.
    Triage and routing run unless `route` is off (the case then waits for the front-line
    desk, as one that no rule routes)."""
    return registration_commit(
        complaint_registration(
            channel=channel,
            kind=kind,
            subject=subject,
            description=description,
            actor=actor,
            customer=customer,
            contact_name=contact_name,
            contact_email=contact_email,
            contact_phone=contact_phone,
            language=language,
            product=product,
            purchase=purchase,
            branch=branch,
            employee_name=employee_name,
            remedy_requested=remedy_requested,
            amount_claimed=amount_claimed,
            occurred_on=occurred_on,
            received_at=received_at,
            attachments=attachments,
            acknowledge=acknowledge,
            route=route,
        ),
        registration_store,
    )


def _acknowledgement(case: Complaint, message: str = "") -> str:
    return message.strip() or _in_customer_language(
        case,
        lambda: (
            _(
                "Dear %(name)s,\n\nWe have received your message and registered it under the "
                "tracking number %(code)s. We will answer by %(due)s at the latest.\n\n"
                "Thank you for telling us."
            )
            % {
                "name": case.contact_name or _("customer"),
                "code": case.tracking_code,
                "due": timezone.localtime(case.due_at).strftime("%Y-%m-%d") if case.due_at else "-",
            }
        ),
    )


# --- the steps --------------------------------------------------------------------------------


def complaint_acknowledge(
    *, complaint: Complaint, actor: User | None, message: str = ""
) -> Complaint:
    """Acknowledge receipt (B2): the customer is told the tracking code and the answer date."""

    def apply(case: Complaint, changes: dict[str, Any], now: datetime) -> None:
        _set(case, changes, "acknowledged_at", now)
        _customer_message(case, author=actor, body=_acknowledgement(case, message), at=now)

    return _take_step(complaint=complaint, actor=actor, action=Action.ACKNOWLEDGE, apply=apply)


def complaint_assess(
    *,
    complaint: Complaint,
    actor: User,
    established: bool,
    reason: str,
    category: Category | None = None,
    severity: str = "",
    confidential: bool | None = None,
    answer: str = "",
) -> Complaint:
    """Decide the nature of the complaint (C1). One that cannot be established gets a tactful
    answer explaining why (C2); serious ones may be marked confidential (C6)."""
    reason = _require(reason, _("Give the reason for the verdict."), "reason")
    if not established:
        answer = _require(
            answer,
            _("Write the answer the customer receives, explaining tactfully why."),
            "answer",
        )
    if severity and severity not in Severity.values:
        raise ValidationError({"severity": _("Choose a severity.")})

    def apply(case: Complaint, changes: dict[str, Any], now: datetime) -> None:
        verdict = Validity.ESTABLISHED if established else Validity.NOT_ESTABLISHED
        _set(case, changes, "validity", verdict)
        _set(case, changes, "validity_reason", reason)
        if category is not None:
            _set(case, changes, "category", category)
            if case.department_id is None and category.default_department_id:
                _set(case, changes, "department", category.default_department)
        if severity:
            _set(case, changes, "severity", severity)
        if confidential is not None:
            _set(case, changes, "confidential", confidential)
        if not established:
            _customer_message(case, author=actor, body=answer, at=now)
        # Where the assessor chose otherwise than triage suggested: the next training learns
        # it. Only what they chose here counts (the kind is the customer's; an empty field
        # records nothing).
        correction_record(
            complaint=case,
            actor=actor,
            category_code=category.code if category is not None else None,
            kind="",
            severity=severity,
        )

    return _take_step(
        complaint=complaint,
        actor=actor,
        action=Action.ASSESS,
        apply=apply,
        reason=reason,
        established=established,
    )


def complaint_assign(
    *,
    complaint: Complaint,
    actor: User,
    department: Department,
    assignee: User | None = None,
    reason: str = "",
) -> Complaint:
    """Route the case to the accepting department and a responsible person (C3)."""
    if not department.active:
        raise ValidationError({"department": _("This department is no longer active.")})
    if assignee is not None:
        if not assignee.is_active or assignee.read_only:
            raise ValidationError({"assignee": _("This person cannot handle cases.")})
        if not (
            assignee.sees_all_departments or assignee.departments.filter(pk=department.pk).exists()
        ):
            raise ValidationError(
                {
                    "assignee": _("%(name)s is not a member of %(department)s.")
                    % {"name": assignee, "department": department}
                }
            )

    def apply(case: Complaint, changes: dict[str, Any], now: datetime) -> None:
        _set(case, changes, "department", department)
        _set(case, changes, "assignee", assignee)
        # Assigning an assessed case moves it to "assigned" even when its category already
        # routed it to this department; only a re-assignment may be a no-op.
        if not changes and case.state != State.ASSESSED:
            raise ValidationError({"department": _("The case is already assigned that way.")})

    return _take_step(
        complaint=complaint, actor=actor, action=Action.ASSIGN, apply=apply, reason=reason.strip()
    )


def complaint_start_investigation(
    *, complaint: Complaint, actor: User, note: str = ""
) -> Complaint:
    """The department starts investigating the cause (E1); the customer is told work has
    started and when to expect news (D4)."""

    def apply(case: Complaint, changes: dict[str, Any], now: datetime) -> None:
        if case.assignee_id is None:
            _set(case, changes, "assignee", actor)
        # The department's own term to investigate, in the same transaction as the step.
        changes["investigation_due_at"] = investigation_open(case, at=now).due_at
        body = _in_customer_language(
            case,
            lambda: (
                _(
                    "We have started working on your case %(code)s. You will hear from us by "
                    "%(due)s at the latest."
                )
                % {
                    "code": case.tracking_code,
                    "due": timezone.localtime(case.due_at).strftime("%Y-%m-%d")
                    if case.due_at
                    else "-",
                }
            ),
        )
        _customer_message(case, author=actor, body=body, at=now)

    return _take_step(
        complaint=complaint,
        actor=actor,
        action=Action.START_INVESTIGATION,
        apply=apply,
        reason=note.strip(),
    )


def complaint_propose_solution(
    *, complaint: Complaint, actor: User, solution: str, value: Decimal
) -> Complaint:
    """Propose a solution based on what the customer asked for (E2), with its value. After
    RESUELVE_MAX_DISPUTE_ROUNDS disputed proposals the case goes to external resolution."""
    solution = _require(solution, _("Describe the solution."), "solution")
    if value is None or value < 0:
        raise ValidationError({"value": _("The value must be zero or more.")})

    def apply(case: Complaint, changes: dict[str, Any], now: datetime) -> None:
        if case.dispute_rounds >= settings.RESUELVE_MAX_DISPUTE_ROUNDS:
            raise IllegalStep(
                _(
                    "The customer has disputed %(rounds)s proposals; refer the case to external "
                    "resolution instead of proposing again."
                )
                % {"rounds": case.dispute_rounds}
            )
        _set(case, changes, "solution", solution)
        _set(case, changes, "solution_value", value)
        _set(case, changes, "solution_proposed_by", actor)
        _set(case, changes, "solution_approved_by", None)

    return _take_step(complaint=complaint, actor=actor, action=Action.PROPOSE, apply=apply)


def _check_authority(actor: User, case: Complaint) -> None:
    value = case.solution_value or Decimal("0")
    if not within_authority(actor.role, value):
        raise NotAllowed(
            _(
                "The solution is worth %(value)s, above your authority limit of %(limit)s; "
                "a supervisor or manager must decide."
            )
            % {"value": value, "limit": actor.authority_limit}
        )


def complaint_approve_solution(
    *, complaint: Complaint, actor: User, comment: str = ""
) -> Complaint:
    """Approve the proposed solution. Front-line staff approve alone within their authority
    limit (D2); above it a higher role must (D3)."""

    def apply(case: Complaint, changes: dict[str, Any], now: datetime) -> None:
        _check_authority(actor, case)
        _set(case, changes, "solution_approved_by", actor)

    return _take_step(
        complaint=complaint, actor=actor, action=Action.APPROVE, apply=apply, reason=comment.strip()
    )


def complaint_reject_solution(*, complaint: Complaint, actor: User, reason: str) -> Complaint:
    """Send the proposal back to the investigation with the reason."""
    reason = _require(reason, _("Say why the solution goes back."), "reason")

    def apply(case: Complaint, changes: dict[str, Any], now: datetime) -> None:
        _check_authority(actor, case)

    return _take_step(
        complaint=complaint, actor=actor, action=Action.REJECT, apply=apply, reason=reason
    )


def complaint_communicate(*, complaint: Complaint, actor: User, message: str = "") -> Complaint:
    """Tell the customer the approved solution (F1). Only an approved solution can be
    communicated: never promise what is not approved (E6)."""

    def apply(case: Complaint, changes: dict[str, Any], now: datetime) -> None:
        if case.solution_approved_by_id is None:
            raise NotAllowed(_("The solution has not been approved yet."))
        intro = message.strip() or _in_customer_language(
            case,
            lambda: (
                _("Dear %(name)s,\n\nThis is our proposal to solve your case %(code)s:")
                % {"name": case.contact_name or _("customer"), "code": case.tracking_code}
            ),
        )
        closing = _in_customer_language(case, lambda: _("Please tell us whether you accept it."))
        _customer_message(
            case, author=actor, body=f"{intro}\n\n{case.solution}\n\n{closing}", at=now
        )

    return _take_step(complaint=complaint, actor=actor, action=Action.COMMUNICATE, apply=apply)


def complaint_record_acceptance(
    *, complaint: Complaint, actor: User | None, name: str, ip: str | None = None
) -> Complaint:
    """The customer accepts the solution (F2); name, time and address are their signature."""
    name = _require(name, _("Give the name of the person who accepts."), "name")

    def apply(case: Complaint, changes: dict[str, Any], now: datetime) -> None:
        _set(case, changes, "accepted_by_name", name)
        _set(case, changes, "accepted_at", now)
        _set(case, changes, "accepted_ip", ip)

    return _take_step(
        complaint=complaint, actor=actor, action=Action.ACCEPT, apply=apply, as_customer=True
    )


def complaint_record_dispute(*, complaint: Complaint, actor: User | None, reason: str) -> Complaint:
    """The customer does not accept: back to a new proposal, or to external resolution once
    the allowed rounds are used up."""
    reason = _require(reason, _("Say why the customer does not accept."), "reason")

    def apply(case: Complaint, changes: dict[str, Any], now: datetime) -> None:
        _set(case, changes, "dispute_rounds", case.dispute_rounds + 1)
        _set(case, changes, "solution_approved_by", None)
        if actor is None:
            Message.objects.create(
                complaint=case,
                from_customer=True,
                visibility=Visibility.CUSTOMER,
                body=reason,
                created_at=now,
            )

    return _take_step(
        complaint=complaint,
        actor=actor,
        action=Action.DISPUTE,
        apply=apply,
        reason=reason,
        as_customer=True,
    )


def complaint_refer_external(
    *, complaint: Complaint, actor: User, body: str, reason: str = ""
) -> Complaint:
    """Record referral to an external dispute-resolution body (ISO 10003); without a name,
    the external body of the case's deadline policy (e.g. the SIC for Colombia's PQRS)."""
    policy = complaint.deadline_policy
    body = (body or "").strip() or (policy.external_body if policy is not None else "")
    body = _require(body, _("Name the external body."), "body")

    def apply(case: Complaint, changes: dict[str, Any], now: datetime) -> None:
        changes["external_body"] = body
        text = _in_customer_language(
            case,
            lambda: (
                _(
                    "We could not agree on a solution for case %(code)s. You may take it to "
                    "%(body)s, which resolves disputes independently."
                )
                % {"code": case.tracking_code, "body": body}
            ),
        )
        _customer_message(case, author=actor, body=text, at=now)

    return _take_step(
        complaint=complaint,
        actor=actor,
        action=Action.REFER_EXTERNAL,
        apply=apply,
        reason=reason.strip(),
    )


def complaint_resolve(
    *, complaint: Complaint, actor: User, summary: str, answer: str = ""
) -> Complaint:
    """Resolve the case. Requests, suggestions and compliments are answered directly; other
    kinds are resolved only once the customer accepted a solution or went to external
    resolution."""
    summary = _require(summary, _("Summarise how the case was resolved."), "summary")
    direct = complaint.state in {State.ASSESSED, State.ASSIGNED, State.INVESTIGATING}
    if direct:
        answer = _require(answer, _("Write the answer the customer receives."), "answer")

    def apply(case: Complaint, changes: dict[str, Any], now: datetime) -> None:
        from resuelve.remedies.services import check_may_resolve  # remedies builds on this

        check_may_resolve(case)  # refused while an item of the accepted plan is not delivered
        _set(case, changes, "resolution_summary", summary)
        _set(case, changes, "resolved_at", now)
        if answer.strip():
            _customer_message(case, author=actor, body=answer.strip(), at=now)

    return _take_step(complaint=complaint, actor=actor, action=Action.RESOLVE, apply=apply)


def complaint_follow_up(
    *,
    complaint: Complaint,
    actor: User | None,
    satisfaction: int,
    note: str = "",
    as_customer: bool = False,
) -> Complaint:
    """Record the check with the customer after resolution (F4) and their satisfaction: by
    staff, or by the customer themself (actor None, as_customer) answering the survey."""
    if satisfaction not in range(1, 6):
        raise ValidationError({"satisfaction": _("Satisfaction is a score from 1 to 5.")})

    def apply(case: Complaint, changes: dict[str, Any], now: datetime) -> None:
        _set(case, changes, "satisfaction", satisfaction)

    return _take_step(
        complaint=complaint,
        actor=actor,
        action=Action.FOLLOW_UP,
        apply=apply,
        reason=note.strip(),
        as_customer=as_customer,
    )


def complaint_close(*, complaint: Complaint, actor: User, reason: str = "") -> Complaint:
    """Close the case. Closing without a follow-up needs a reason."""
    if complaint.state == State.RESOLVED:
        reason = _require(
            reason, _("Say why the case closes without a follow-up with the customer."), "reason"
        )

    def apply(case: Complaint, changes: dict[str, Any], now: datetime) -> None:
        if lesson_missing(case):
            raise ValidationError(
                {"reason": _("Record the lesson learned in the investigation before closing.")}
            )
        _set(case, changes, "closed_at", now)

    return _take_step(
        complaint=complaint, actor=actor, action=Action.CLOSE, apply=apply, reason=reason.strip()
    )


def complaint_reopen(*, complaint: Complaint, actor: User, reason: str) -> Complaint:
    """Reopen a finished case (F3: follow up until it is really solved). The answer clock
    starts again."""
    reason = _require(reason, _("Say why the case is reopened."), "reason")

    def apply(case: Complaint, changes: dict[str, Any], now: datetime) -> None:
        _set(case, changes, "closed_at", None)
        _set(case, changes, "resolved_at", None)
        _set(case, changes, "due_at", answer_deadlines(now, case.deadline_policy)[1])
        if case.validity == Validity.NOT_ESTABLISHED:
            _set(case, changes, "validity", Validity.PENDING)

    return _take_step(
        complaint=complaint, actor=actor, action=Action.REOPEN, apply=apply, reason=reason
    )


def complaint_wait_for_customer(*, complaint: Complaint, actor: User, question: str) -> Complaint:
    """Ask the customer for what is missing; the answer clock stops until they reply."""
    question = _require(question, _("Write what you need from the customer."), "question")

    def apply(case: Complaint, changes: dict[str, Any], now: datetime) -> None:
        _set(case, changes, "paused_at", now)
        case.resume_state = case.state
        _customer_message(case, author=actor, body=question, at=now)

    return _take_step(complaint=complaint, actor=actor, action=Action.WAIT, apply=apply)


def complaint_resume(*, complaint: Complaint, actor: User | None, note: str = "") -> Complaint:
    """Resume after waiting. Under a deadline policy the answer deadline is recomputed from
    the case's history, without the days it waited; otherwise it moves by the time waited."""

    def apply(case: Complaint, changes: dict[str, Any], now: datetime) -> None:
        if case.deadline_policy_id is not None and case.received_at:
            history = case.events.order_by("seq").values_list("action", "at", "changes")
            due = answer_due_from_history(
                case.deadline_policy, case.received_at, history, resumed_at=now
            )
            _set(case, changes, "due_at", due)
        elif case.paused_at and case.due_at:
            _set(case, changes, "due_at", case.due_at + (now - case.paused_at))
        _set(case, changes, "paused_at", None)
        case.resume_state = ""

    return _take_step(
        complaint=complaint, actor=actor, action=Action.RESUME, apply=apply, reason=note.strip()
    )


# --- messages and notes -----------------------------------------------------------------------


# What the first bytes of a file of each type look like, so a renamed program is not taken
# for a document.
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
    "application/msword": (b"\xd0\xcf\x11\xe0",),
    "application/vnd.ms-excel": (b"\xd0\xcf\x11\xe0",),
    "audio/mpeg": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
}
_TEXT_TYPES = frozenset({"text/plain", "text/csv", "message/rfc822"})


def content_matches(content_type: str, head: bytes) -> bool:
    if content_type in _SIGNATURES:
        return head.startswith(_SIGNATURES[content_type])
    if content_type == "image/webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if content_type == "audio/wav":
        return head[:4] == b"RIFF" and head[8:12] == b"WAVE"
    if content_type in _TEXT_TYPES:
        return b"\x00" not in head
    return False


def _validate_upload(upload: UploadedFile) -> str:
    if upload.size is None or upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {"attachments": _("%(name)s is larger than 10 MB.") % {"name": upload.name}}
        )
    guessed = mimetypes.guess_type(upload.name or "")[0] or ""
    head = upload.read(4096)
    upload.seek(0)
    if guessed not in ALLOWED_ATTACHMENT_TYPES or not content_matches(guessed, head):
        raise ValidationError(
            {
                "attachments": _(
                    "Files of the type of %(name)s are not accepted; send PDF, "
                    "images, text, office documents or audio."
                )
                % {"name": upload.name}
            }
        )
    return guessed


def _store_attachments(
    case: Complaint,
    message: Message,
    uploads: Sequence[UploadedFile],
    actor: User | None,
    now: datetime,
) -> list[str]:
    names = []
    for upload in uploads:
        content_type = _validate_upload(upload)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        attachment = Attachment(
            complaint=case,
            message=message,
            original_name=(upload.name or "file")[:255],
            content_type=content_type,
            size=upload.size or 0,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
            created_at=now,
        )
        attachment.file.save(upload.name or "file", upload, save=False)
        attachment.save()
        names.append(attachment.original_name)
    return names


def complaint_add_message(
    *,
    complaint: Complaint,
    actor: User,
    body: str,
    to_customer: bool,
    attachments: Sequence[UploadedFile] = (),
) -> Message:
    """Add an internal note or a message to the customer; nothing said is lost (B4)."""
    body = _require(body, _("Write the message."), "body")
    for upload in attachments:
        _validate_upload(upload)
    with transaction.atomic():
        case = Complaint.objects.select_for_update().get(pk=complaint.pk)
        _check_may_write(actor, case)
        now = timezone.now()
        message = Message.objects.create(
            complaint=case,
            author=actor,
            visibility=Visibility.CUSTOMER if to_customer else Visibility.INTERNAL,
            channel=Channel.EMAIL if to_customer and case.contact_email else "",
            body=body,
            created_at=now,
        )
        names = _store_attachments(case, message, attachments, actor, now)
        _append_event(
            case,
            actor=actor,
            actor_label=_actor_label(actor, SYSTEM),
            action=Action.REPLY if to_customer else Action.NOTE,
            from_state=case.state,
            to_state=case.state,
            changes={"message": message.pk, **({"attachments": names} if names else {})},
            reason="",
            at=now,
        )
        case.save(update_fields=["event_count", "audit_head", "updated_at"])
        _deliver_after_commit(message)
    return message


def complaint_receive_customer_message(
    *,
    complaint: Complaint,
    body: str,
    channel: str = Channel.EMAIL,
    attachments: Sequence[UploadedFile] = (),
) -> Message:
    """A message from the customer joins the case with its files (B4); if the case waited
    for the customer, it resumes."""
    body = (body or "").strip()
    if not body and not attachments:
        raise ValidationError({"body": _("Write the message.")})
    for upload in attachments:
        _validate_upload(upload)
    # A merged case lives on in the case it joined: the customer's message goes there (B4).
    complaint = merged_into(complaint) or complaint
    with transaction.atomic():
        case = Complaint.objects.select_for_update().get(pk=complaint.pk)
        now = timezone.now()
        message = Message.objects.create(
            complaint=case,
            from_customer=True,
            visibility=Visibility.CUSTOMER,
            channel=channel,
            body=body,
            created_at=now,
        )
        names = _store_attachments(case, message, attachments, None, now)
        _append_event(
            case,
            actor=None,
            actor_label=CUSTOMER,
            action=Action.CUSTOMER_MESSAGE,
            from_state=case.state,
            to_state=case.state,
            changes={"message": message.pk, **({"attachments": names} if names else {})},
            reason="",
            at=now,
        )
        case.save(update_fields=["event_count", "audit_head", "updated_at"])
        if case.state == State.WAITING:
            complaint_resume(complaint=case, actor=None, note=_("The customer answered."))
    return message
