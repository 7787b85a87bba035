"""Writes for the investigation of a case (E1), internal cooperation (H5), accountability
(G1) and improvement actions (G2).

Investigation and cooperation changes are complaint changes: each is one transaction with
the case's row locked, and its audit event goes into the case's hash chain. No Action is
added for them: they are written as Action.NOTE events whose `changes` name what changed
({"investigation": ...} or {"cooperation": ...}), so the chain covers them and the detail
lives in this app's own rows (InvestigationChange, CooperationRequest).

Accountability records are deliberately NOT written to the case's audit chain: every event
is shown on the case page to everyone who sees the case, and G1 is internal to managers and
human resources.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from resuelve.accounts.models import Department, User
from resuelve.accounts.roles import Role
from resuelve.complaints import services as complaint_services
from resuelve.complaints.lifecycle import IllegalStep, NotAllowed, State
from resuelve.complaints.models import Complaint, Message, Visibility
from resuelve.deadlines.services import _reachable, _staff_email
from resuelve.resolution import selectors
from resuelve.resolution.models import (
    AccountabilityKind,
    AccountabilityRecord,
    CooperationKind,
    CooperationRequest,
    CooperationStatus,
    ImprovementAction,
    ImprovementKind,
    ImprovementStatus,
    Investigation,
    InvestigationChange,
    RootCause,
)
from resuelve.resolution.terms import investigation_open

# From assignment until the case is closed the investigation may be written (E1), so the
# lesson (G2) can still be recorded after the follow-up, before closing.
RECORDABLE_STATES = frozenset(
    {
        State.ASSIGNED,
        State.INVESTIGATING,
        State.SOLUTION_PROPOSED,
        State.APPROVED,
        State.COMMUNICATED,
        State.ACCEPTED,
        State.DISPUTED,
        State.EXTERNAL,
        State.RESOLVED,
        State.FOLLOWED_UP,
    }
)


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def _note_event(
    case: Complaint, *, actor: User, changes: dict[str, Any], reason: str, at: datetime
) -> None:
    """An Action.NOTE event in the case's chain (see the module docstring); the caller holds
    the row lock."""
    complaint_services.note_event_append(case, actor=actor, changes=changes, reason=reason, at=at)


def _check_recordable(case: Complaint) -> None:
    state = case.resume_state if case.state == State.WAITING else case.state
    if state not in RECORDABLE_STATES:
        raise IllegalStep(
            _("The investigation is recorded once the case is assigned, until it is closed.")
        )


# --- investigation ----------------------------------------------------------------------------


def investigation_record(
    *,
    complaint: Complaint,
    actor: User,
    cause: RootCause | None,
    responsible_department: Department | None,
    responsible_people: Iterable[User] = (),
    findings: str,
    evidence: Sequence[UploadedFile] = (),
    lesson: str | None = None,
) -> Investigation:
    """Record what the investigation found (E1): the root cause, the responsible department
    and people, the findings and, later, the lesson (G2). Staff who may write on the case,
    from assignment to resolution. Evidence files join the case as an internal note, through
    the same attachment checks as every other file."""
    findings = (findings or "").strip()
    errors = {}
    if cause is None:
        errors["cause"] = _("Choose the root cause.")
    elif not cause.active:
        errors["cause"] = _("This cause is no longer in use.")
    if not findings:
        errors["findings"] = _("Describe what the investigation found.")
    if responsible_department is not None and not responsible_department.active:
        errors["responsible_department"] = _("This department is no longer active.")
    people = list(responsible_people)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = _locked(complaint)
        complaint_services._check_may_write(actor, case)
        _check_recordable(case)
        names: list[str] = []
        if evidence:
            message = complaint_services.complaint_add_message(
                complaint=case,
                actor=actor,
                body=_("Evidence for the investigation."),
                to_customer=False,
                attachments=evidence,
            )
            names = [a.original_name for a in message.attachments.all()]
            case = _locked(complaint)  # the note moved the chain's head
        now = timezone.now()
        investigation = investigation_open(case, at=now)
        changes: dict[str, Any] = {}
        before_people = sorted(investigation.responsible_people.values_list("username", flat=True))
        after_people = sorted(p.username for p in people)
        if investigation.cause_id != cause.pk:  # type: ignore[union-attr]
            changes["cause"] = cause.code  # type: ignore[union-attr]
        if investigation.responsible_department_id != (
            responsible_department.pk if responsible_department else None
        ):
            changes["responsible_department"] = str(responsible_department or "")
        if before_people != after_people:
            changes["responsible_people"] = after_people
        if investigation.findings != findings:
            changes["findings"] = findings
        if lesson is not None and investigation.lesson != lesson.strip():
            changes["lesson"] = lesson.strip()
        if names:
            changes["evidence"] = names
        if not changes:
            return investigation
        investigation.cause = cause
        investigation.responsible_department = responsible_department
        investigation.findings = findings
        if lesson is not None:
            investigation.lesson = lesson.strip()
        investigation.updated_at = now
        investigation.save()
        investigation.responsible_people.set(people)
        InvestigationChange.objects.create(
            investigation=investigation, actor=actor, at=now, changes=changes
        )
        _note_event(case, actor=actor, changes={"investigation": changes}, reason="", at=now)
    return investigation


def may_set_investigation_due(user: User, complaint: Complaint) -> bool:
    """The department's supervisor (and managers, administrators) move the term."""
    if not user.is_active or user.read_only:
        return False
    if user.is_superuser or user.role in {Role.MANAGER, Role.ADMIN}:
        return True
    return user.role == Role.SUPERVISOR and complaint.department_id in user.department_ids()


def investigation_set_due(
    *, complaint: Complaint, actor: User, due_at: datetime, reason: str
) -> Investigation:
    """Move the department's term to investigate, before it has passed, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the term changes.")})
    with transaction.atomic():
        case = _locked(complaint)
        complaint_services._check_may_write(actor, case)
        if not may_set_investigation_due(actor, case):
            raise NotAllowed(_("Only the department's supervisor may change this term."))
        now = timezone.now()
        investigation = Investigation.objects.select_for_update().filter(complaint=case).first()
        if investigation is None or investigation.due_at is None:
            raise NotAllowed(_("The investigation has not started."))
        if investigation.due_at <= now:
            raise NotAllowed(_("The term has passed; it can no longer be changed."))
        if due_at <= now:
            raise ValidationError({"due_at": _("The new term must end in the future.")})
        changes = {"due_at": [investigation.due_at.isoformat(), due_at.isoformat()]}
        investigation.due_at = due_at
        investigation.updated_at = now
        investigation.save(update_fields=["due_at", "updated_at"])
        InvestigationChange.objects.create(
            investigation=investigation, actor=actor, at=now, changes=changes, reason=reason
        )
        _note_event(case, actor=actor, changes={"investigation": changes}, reason=reason, at=now)
    return investigation


# --- cooperation ------------------------------------------------------------------------------


def input_request_recipients(department: Department, *, requester: User) -> list[User]:
    """Who hears that a department is asked for input: the members who can answer (not
    read-only, not the one asking); with none reachable, the department's head."""
    members = (
        User.objects.filter(departments=department, is_active=True)
        .exclude(pk=requester.pk)
        .order_by("pk")
    )
    answering = _reachable(m for m in members if not m.read_only)
    if answering:
        return answering
    head = department.head
    return _reachable([head]) if head is not None and head.pk != requester.pk else []


def cooperation_request(
    *,
    complaint: Complaint,
    actor: User,
    department: Department,
    kind: str,
    note: str,
    assignee: User | None = None,
) -> CooperationRequest:
    """Ask another department for input while keeping the case and the customer's deadline,
    or transfer the case to it (H5). A transfer is the assignment step (complaint_assign):
    the department changes, the assignee is cleared or chosen, the deadline stays."""
    note = (note or "").strip()
    if kind not in CooperationKind.values:
        raise ValidationError({"kind": _("Choose input or transfer.")})
    if not note:
        raise ValidationError({"note": _("Say what you ask or why you transfer.")})
    if not department.active:
        raise ValidationError({"department": _("This department is no longer active.")})
    with transaction.atomic():
        case = _locked(complaint)
        complaint_services._check_may_write(actor, case)
        if case.department_id == department.pk:
            raise ValidationError({"department": _("The case is already in this department.")})
        from_department = case.department
        if kind == CooperationKind.TRANSFER:
            complaint_services.complaint_assign(
                complaint=case, actor=actor, department=department, assignee=assignee, reason=note
            )
            return CooperationRequest.objects.create(
                complaint=case,
                kind=kind,
                department=department,
                from_department=from_department,
                note=note,
                status=CooperationStatus.DONE,
                requested_by=actor,
                requested_at=timezone.now(),
            )
        if not case.is_open:
            raise NotAllowed(_("The case is finished; reopen it to ask for input."))
        now = timezone.now()
        request = CooperationRequest.objects.create(
            complaint=case,
            kind=kind,
            department=department,
            from_department=from_department,
            note=note,
            requested_by=actor,
            requested_at=now,
        )
        _note_event(
            case,
            actor=actor,
            changes={
                "cooperation": {"request": request.pk, "kind": kind, "department": department.code}
            },
            reason=note,
            at=now,
        )
        # In the same transaction: the e-mails go out if and only if the request is kept.
        answer_link = f"{settings.RESUELVE_PUBLIC_URL}{reverse('resolution:cooperation')}"
        for user in input_request_recipients(department, requester=actor):
            _staff_email(
                case,
                user,
                template="resolution/email/input_requested.txt",
                context={"request": request, "asker": actor, "answer_link": answer_link},
                now=now,
            )
    return request


def cooperation_answer(*, request: CooperationRequest, actor: User, answer: str) -> Message:
    """A member of the asked department answers; the answer joins the case as an internal
    note and the department's view of the case ends."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    with transaction.atomic():
        pending = CooperationRequest.objects.select_for_update().get(pk=request.pk)
        case = _locked(pending.complaint)
        if not actor.is_active or actor.read_only:
            raise NotAllowed(_("Your role is read-only."))
        if pending.department_id not in actor.department_ids() and not actor.is_superuser:
            raise NotAllowed(_("Only the asked department answers."))
        if pending.status != CooperationStatus.PENDING:
            raise NotAllowed(_("This request has been answered already."))
        now = timezone.now()
        message = Message.objects.create(
            complaint=case,
            author=actor,
            visibility=Visibility.INTERNAL,
            body=_("Answer from %(department)s: %(answer)s")
            % {"department": pending.department, "answer": answer},
            created_at=now,
        )
        pending.status = CooperationStatus.ANSWERED
        pending.answer = answer
        pending.answered_by = actor
        pending.answered_at = now
        pending.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        _note_event(
            case,
            actor=actor,
            changes={"message": message.pk, "cooperation": {"answered": pending.pk}},
            reason="",
            at=now,
        )
    request.status = pending.status
    return message


# --- accountability ---------------------------------------------------------------------------


def accountability_record(
    *,
    complaint: Complaint,
    actor: User,
    kind: str,
    department: Department,
    person: User | None = None,
    measure: str,
) -> AccountabilityRecord:
    """Record who answers for causing a complaint or for not handling it in time, and the
    measure taken under the company's rules (G1). Managers and administrators only; never
    shown to the customer nor to the case's handlers (see the module docstring)."""
    if not selectors.may_record_accountability(actor):
        raise NotAllowed(_("Only managers record accountability."))
    measure = (measure or "").strip()
    if kind not in AccountabilityKind.values:
        raise ValidationError({"kind": _("Choose what the responsibility is for.")})
    if not measure:
        raise ValidationError({"measure": _("Describe the measure taken.")})
    with transaction.atomic():
        case = _locked(complaint)
        complaint_services._check_may_write(actor, case)
        return AccountabilityRecord.objects.create(
            complaint=case,
            kind=kind,
            department=department,
            person=person,
            measure=measure,
            recorded_by=actor,
            at=timezone.now(),
        )


# --- improvement actions ----------------------------------------------------------------------


def _check_edits_improvements(actor: User) -> None:
    if not selectors.may_edit_improvements(actor):
        raise NotAllowed(_("Only supervisors, managers and the quality department keep improvement actions."))


def improvement_action_save(
    *,
    actor: User,
    title: str,
    kind: str,
    cause: RootCause,
    owner: User,
    due_on: date,
    description: str = "",
    status: str = ImprovementStatus.OPEN,
    conclusion: str = "",
    effectiveness_check_on: date | None = None,
    action: ImprovementAction | None = None,
) -> ImprovementAction:
    """Create or change a corrective or preventive action (G2). When it is done, its
    effectiveness check is due RESUELVE_EFFECTIVENESS_DAYS later unless a date is given."""
    _check_edits_improvements(actor)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the action a title.")})
    if kind not in ImprovementKind.values:
        raise ValidationError({"kind": _("Choose corrective or preventive.")})
    if status not in ImprovementStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    with transaction.atomic():
        if action is None:
            action = ImprovementAction(created_by=actor, created_at=timezone.now())
        else:
            action = ImprovementAction.objects.select_for_update().get(pk=action.pk)
        was_done = action.status == ImprovementStatus.DONE
        action.title, action.kind, action.cause, action.owner = title, kind, cause, owner
        action.due_on, action.description, action.status = due_on, description.strip(), status
        action.conclusion = conclusion.strip()
        if status == ImprovementStatus.DONE and not was_done:
            action.done_on = timezone.localdate()
        elif status != ImprovementStatus.DONE:
            action.done_on = None
        if effectiveness_check_on is not None:
            action.effectiveness_check_on = effectiveness_check_on
        elif action.done_on is not None and action.effectiveness_check_on is None:
            action.effectiveness_check_on = action.done_on + timedelta(
                days=selectors.effectiveness_days()
            )
        action.save()
    return action


def improvement_link(*, action: ImprovementAction, complaint: Complaint, actor: User) -> None:
    """Link a case to an improvement action it calls for."""
    _check_edits_improvements(actor)
    if not complaint_services.can_view(actor, complaint):
        raise NotAllowed(_("This case is outside your departments or confidential."))
    action.complaints.add(complaint)
