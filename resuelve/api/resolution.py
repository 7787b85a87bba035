"""/api/v1: a case's investigation, recording it, and the improvement actions. Handlers
parse, call one service or selector and shape the answer; the checks are the services'."""

# No `from __future__ import annotations`: ninja reads the handlers' annotations.

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError
from pydantic import Field

from resuelve.accounts.models import Department, User
from resuelve.api.complaints import READ_ERRORS, WRITE_ERRORS, _case, _user, _writer
from resuelve.api.presenters import Invalid
from resuelve.api.schemas import In, Out, Text
from resuelve.resolution import selectors, services
from resuelve.resolution.models import ImprovementAction, Investigation, RootCause

router = Router(tags=["investigation and improvement"])


class CauseOut(Out):
    code: str
    name: str
    parent: str | None


class InvestigationOut(Out):
    tracking_code: str
    cause: CauseOut | None
    responsible_department: str | None
    responsible_people: list[str]
    findings: str
    lesson: str
    due_at: datetime | None
    opened_at: datetime
    updated_at: datetime


class InvestigateIn(In):
    cause: Text(40)  # type: ignore[valid-type]
    responsible_department: Text(40) | None = None  # type: ignore[valid-type]
    responsible_people: list[Text(150)] = Field(default_factory=list, max_length=50)  # type: ignore[valid-type]
    findings: Text(20000)  # type: ignore[valid-type]
    lesson: Text(20000) | None = None  # type: ignore[valid-type]


class ImprovementOut(Out):
    id: int
    title: str
    kind: str
    cause: CauseOut
    owner: str
    description: str
    due_on: date
    status: str
    done_on: date | None
    effectiveness_check_on: date | None
    conclusion: str
    complaints: list[str]


class EffectivenessOut(Out):
    before: int
    after: int
    before_days: int
    after_days: int
    before_rate: float
    after_rate: float
    verdict: str


class ImprovementDetailOut(ImprovementOut):
    effectiveness: EffectivenessOut


def _cause(cause: RootCause | None) -> dict[str, Any] | None:
    if cause is None:
        return None
    return {
        "code": cause.code,
        "name": cause.name,
        "parent": cause.parent.code if cause.parent else None,
    }


def _investigation(inv: Investigation) -> dict[str, Any]:
    return {
        "tracking_code": inv.complaint.tracking_code,
        "cause": _cause(inv.cause),
        "responsible_department": inv.responsible_department.code
        if inv.responsible_department
        else None,
        "responsible_people": sorted(p.username for p in inv.responsible_people.all()),
        "findings": inv.findings,
        "lesson": inv.lesson,
        "due_at": inv.due_at,
        "opened_at": inv.opened_at,
        "updated_at": inv.updated_at,
    }


def _improvement(action: ImprovementAction, user: User) -> dict[str, Any]:
    from resuelve.complaints.selectors import complaints_visible_to

    codes = complaints_visible_to(user).filter(improvement_actions=action)
    return {
        "id": action.pk,
        "title": action.title,
        "kind": action.kind,
        "cause": _cause(action.cause),
        "owner": action.owner.username,
        "description": action.description,
        "due_on": action.due_on,
        "status": action.status,
        "done_on": action.done_on,
        "effectiveness_check_on": action.effectiveness_check_on,
        "conclusion": action.conclusion,
        "complaints": list(codes.order_by("received_at").values_list("tracking_code", flat=True)),
    }


def _improvement_reader(request: HttpRequest) -> User:
    user = _user(request)
    if not selectors.may_read_improvements(user):
        raise HttpError(403, _("Improvement actions are for supervisors, managers and auditors."))
    return user


@router.get(
    "/complaints/{tracking_code}/investigation",
    response={200: InvestigationOut, **READ_ERRORS},
    operation_id="complaint_investigation",
    summary="A case's investigation",
)
def complaint_investigation(request: HttpRequest, tracking_code: str) -> dict[str, Any]:
    case = _case(request, tracking_code)
    investigation = selectors.investigation_for(case)
    if investigation is None:
        raise Http404(_("The investigation of this case has not started."))
    return _investigation(investigation)


@router.post(
    "/complaints/{tracking_code}/actions/record-investigation",
    response={200: InvestigationOut, **WRITE_ERRORS},
    operation_id="complaint_record_investigation",
    summary="Record the investigation",
    description=(
        "Records the root cause, the responsible department and people, the findings and the "
        "lesson, through the same service as the case page; 409 before assignment or after "
        "resolution, 403 when the caller may not write on the case. Evidence files are added "
        "as internal notes (POST /complaints/{tracking_code}/messages). Not `actions/"
        "investigate`: that path starts the investigation (the lifecycle step)."
    ),
)
def complaint_record_investigation(
    request: HttpRequest, tracking_code: str, payload: InvestigateIn
) -> dict[str, Any]:
    user = _writer(request)
    case = _case(request, tracking_code)
    cause = RootCause.objects.filter(code=payload.cause, active=True).first()
    errors: dict[str, list[str]] = {}
    if cause is None:
        errors["cause"] = [_("No active root cause has this code.")]
    department = None
    if payload.responsible_department:
        department = Department.objects.filter(code=payload.responsible_department).first()
        if department is None:
            errors["responsible_department"] = [_("No department has this code.")]
    people = list(User.objects.filter(username__in=payload.responsible_people, is_active=True))
    if len(people) != len(set(payload.responsible_people)):
        errors["responsible_people"] = [_("Some of these users do not exist.")]
    if errors:
        raise Invalid(errors)
    investigation = services.investigation_record(
        complaint=case,
        actor=user,
        cause=cause,
        responsible_department=department,
        responsible_people=people,
        findings=payload.findings,
        lesson=payload.lesson,
    )
    return _investigation(selectors.investigation_for(investigation.complaint) or investigation)


@router.get(
    "/improvement-actions",
    response={200: list[ImprovementOut], **READ_ERRORS, 403: WRITE_ERRORS[403]},
    operation_id="improvement_action_list",
    summary="Improvement actions",
)
def improvement_action_list(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    user = _improvement_reader(request)
    actions = selectors.improvement_actions(user=user, status=status)[:200]
    return [_improvement(a, user) for a in actions]


@router.get(
    "/improvement-actions/{action_id}",
    response={200: ImprovementDetailOut, **READ_ERRORS, 403: WRITE_ERRORS[403]},
    operation_id="improvement_action_get",
    summary="An improvement action with its effectiveness",
)
def improvement_action_get(request: HttpRequest, action_id: int) -> dict[str, Any]:
    user = _improvement_reader(request)
    action = selectors.improvement_actions(user=user).filter(pk=action_id).first()
    if action is None:
        raise Http404(_("No such improvement action."))
    result = selectors.effectiveness(action)
    return {**_improvement(action, user), "effectiveness": result.__dict__}
