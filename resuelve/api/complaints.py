"""/api/v1/complaints: filing, the queue, a case, messages and one endpoint per lifecycle
step. Each handler parses, calls one service or selector and shapes the answer; role,
department and state checks are the services' and selectors', exactly as in the workspace."""

# No `from __future__ import annotations`: ninja reads the handlers' annotations, and the
# per-step handlers below are made in a loop with their body schema in a closure.

import ipaddress
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from resuelve.accounts.models import Department, User
from resuelve.api import presenters
from resuelve.api.schemas import (
    AcceptIn,
    AcknowledgeIn,
    AssessIn,
    AssignIn,
    ChannelEnum,
    CommentIn,
    CommunicateIn,
    ComplaintIn,
    ComplaintOut,
    ComplaintPage,
    ComplaintSummary,
    ErrorOut,
    FiledOut,
    FollowUpIn,
    In,
    Instant,
    InvalidOut,
    KindEnum,
    MessageIn,
    MessageOut,
    NoteIn,
    OptionalReasonIn,
    Out,
    ProposeIn,
    ReasonIn,
    ReferExternalIn,
    ResolveIn,
    StateEnum,
    Text,
    WaitIn,
)
from resuelve.complaints import duplicates, merging, selectors, services
from resuelve.complaints.lifecycle import Action
from resuelve.complaints.models import Category, Complaint
from resuelve.intake.services import Contact, Idempotency, fingerprint, intake_file
from resuelve.remedies import services as remedies_services

router = Router(tags=["complaints"])

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: InvalidOut, 429: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut}
PAGE_SIZE_MAX = 100
IDEMPOTENCY_KEY = Header(None, alias="Idempotency-Key")


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _writer(request: HttpRequest) -> User:
    user = _user(request)
    if user.read_only:
        raise HttpError(403, _("Your role is read-only."))
    return user


def _case(request: HttpRequest, tracking_code: str) -> Complaint:
    try:
        return selectors.complaint_get_for_user(user=_user(request), tracking_code=tracking_code)
    except Complaint.DoesNotExist as exc:
        raise Http404(_("No case with this tracking code is visible to you.")) from exc


# --- filing -----------------------------------------------------------------------------------


@router.post(
    "/complaints",
    response={201: FiledOut, 200: FiledOut, **WRITE_ERRORS},
    operation_id="complaint_create",
    summary="File a complaint",
    description=(
        "Registers and acknowledges a complaint (201). With an `Idempotency-Key` header, a "
        "retry of the same request returns the complaint it filed with 200 and "
        "`Idempotent-Replayed: true`, never a second one; the same key with a different "
        "body is refused with 422."
    ),
)
def complaint_create(
    request: HttpRequest,
    response: HttpResponse,
    payload: ComplaintIn,
    idempotency_key: Text(255) | None = IDEMPOTENCY_KEY,  # type: ignore[valid-type]
) -> Status[dict[str, Any]]:
    user = _writer(request)
    idempotency = None
    if idempotency_key:
        idempotency = Idempotency(
            source=f"api:{user.pk}",
            key=idempotency_key,
            fingerprint=fingerprint(payload.model_dump(mode="json")),
        )
    occurred = payload.occurred_at
    if isinstance(occurred, datetime):
        occurred = timezone.localdate(occurred)
    if occurred is not None and occurred > timezone.localdate():
        raise presenters.Invalid({"occurred_at": [_("This date is in the future.")]})
    customer = payload.customer
    filed = intake_file(
        channel=payload.channel.value,
        kind=payload.kind.value,
        subject=payload.subject,
        description=payload.description,
        contact=Contact(
            name=customer.name,
            email=customer.email,
            phone=customer.phone,
            external_ref=customer.external_ref,
        ),
        language=payload.language.value if payload.language else "",
        product_ref=payload.product_ref,
        order_ref=payload.order_ref,
        remedy_requested=payload.requested_remedy,
        amount_claimed=payload.amount_claimed,
        occurred_on=occurred,
        actor=user,
        idempotency=idempotency,
    )
    if not filed.created:
        response["Idempotent-Replayed"] = "true"
    response["Location"] = f"{request.path.rstrip('/')}/{filed.complaint.tracking_code}"
    return Status(201 if filed.created else 200, presenters.filed(filed.complaint))


# --- reading ----------------------------------------------------------------------------------


class QueueQuery(In):
    state: StateEnum | None = None  # type: ignore[valid-type]
    kind: KindEnum | None = None  # type: ignore[valid-type]
    channel: ChannelEnum | None = None  # type: ignore[valid-type]
    department: Text(40) | None = None  # type: ignore[valid-type]
    assignee: Text(150) | None = None  # type: ignore[valid-type]
    open: bool | None = None
    overdue: bool = False
    by_deadline: bool = False
    received_after: Instant | None = None
    received_before: Instant | None = None
    q: Text(200) = ""  # type: ignore[valid-type]
    cursor: Text(200) = ""  # type: ignore[valid-type]
    limit: int = 25


@router.get(
    "/complaints",
    response={200: ComplaintPage, **READ_ERRORS},
    operation_id="complaint_list",
    summary="The queue",
    description=(
        "Complaints visible to the caller, newest first (most overdue first with "
        "`overdue=true`; open cases with the least time left first with "
        "`by_deadline=true`). `department` is a department code; `assignee` is a username, `me` "
        "or `none`; `q` is a tracking code, an e-mail address or words. Pass `next` back as "
        "`cursor` for the following page. `limit` is 1 to 100."
    ),
)
def complaint_list(request: HttpRequest, filters: Query[QueueQuery]) -> dict[str, Any]:
    user = _user(request)
    errors: dict[str, list[str]] = {
        name: [_("Unknown field.")] for name in request.GET if name not in QueueQuery.model_fields
    }
    if not 1 <= filters.limit <= PAGE_SIZE_MAX:
        errors["limit"] = [_("Choose a page size from 1 to %(max)s.") % {"max": PAGE_SIZE_MAX}]
    if filters.cursor and selectors.decode_cursor(filters.cursor) is None:
        errors["cursor"] = [_("This cursor is not valid; start from the first page.")]
    department_id = None
    if filters.department:
        department_id = (
            Department.objects.filter(code=filters.department).values_list("pk", flat=True).first()
        )
        if department_id is None:
            errors["department"] = [_("There is no department with this code.")]
    assignee = ""
    if filters.assignee in {"me", "none"}:
        assignee = filters.assignee
    elif filters.assignee:
        found = User.objects.filter(username=filters.assignee).values_list("pk", flat=True).first()
        if found is None:
            errors["assignee"] = [_("There is no user with this username.")]
        assignee = str(found)
    if errors:
        raise presenters.Invalid(errors)
    page = selectors.queue_page(
        user=user,
        filters=selectors.QueueFilters(
            state=filters.state.value if filters.state else "",
            kind=filters.kind.value if filters.kind else "",
            channel=filters.channel.value if filters.channel else "",
            department=department_id,
            assignee=assignee,
            overdue=filters.overdue,
            by_deadline=filters.by_deadline,
            is_open=filters.open,
            received_after=filters.received_after,
            received_before=filters.received_before,
            q=filters.q,
        ),
        cursor=filters.cursor,
        size=filters.limit,
    )
    return {"items": [presenters.summary(c) for c in page.items], "next": page.next_cursor}


@router.get(
    "/complaints/{tracking_code}",
    response={200: ComplaintOut, **READ_ERRORS},
    operation_id="complaint_get",
    summary="A case with its timeline and messages",
)
def complaint_get(request: HttpRequest, tracking_code: str) -> dict[str, Any]:
    return presenters.detail(_case(request, tracking_code), _user(request))


class DuplicateOut(ComplaintSummary):
    reasons: list[str] = Field(description="Why it is flagged: `same_customer`, `same_order`.")
    reason_labels: list[str]
    score: float = Field(description="Text similarity of subject and description, 0 to 1.")


class DuplicatesOut(Out):
    items: list[DuplicateOut]


@router.get(
    "/complaints/{tracking_code}/duplicates",
    response={200: DuplicatesOut, **READ_ERRORS},
    operation_id="complaint_duplicates",
    summary="Likely duplicates of a case",
    description=(
        "Other open cases visible to the caller from the same customer (or the same e-mail "
        "or phone when the case has no customer record) or about the same order, the most "
        "alike first; at most 5. Empty for a case that is not open."
    ),
)
def complaint_duplicates(request: HttpRequest, tracking_code: str) -> dict[str, Any]:
    found = duplicates.likely_duplicates(_case(request, tracking_code), user=_user(request))
    return {
        "items": [
            {
                **presenters.summary(d.case),
                "reasons": list(d.reasons),
                "reason_labels": d.reason_labels,
                "score": round(d.score, 3),
            }
            for d in found
        ]
    }


# --- writing on a case ------------------------------------------------------------------------


@router.post(
    "/complaints/{tracking_code}/messages",
    response={201: MessageOut, **WRITE_ERRORS},
    operation_id="complaint_add_message",
    summary="Add a staff note or a reply to the customer",
)
def complaint_add_message(
    request: HttpRequest, tracking_code: str, payload: MessageIn
) -> Status[dict[str, Any]]:
    user = _writer(request)
    message = services.complaint_add_message(
        complaint=_case(request, tracking_code),
        actor=user,
        body=payload.body,
        to_customer=payload.visibility == "customer",
    )
    return Status(201, presenters.message(message))


def _remote_ip(request: HttpRequest) -> str | None:
    address = request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _category(code: str | None) -> Category | None:
    if not code:
        return None
    found = Category.objects.filter(code=code, active=True).first()
    if found is None:
        raise presenters.Invalid({"category": [_("There is no category with this code.")]})
    return found


def _department(code: str) -> Department:
    found = Department.objects.filter(code=code).first()
    if found is None:
        raise presenters.Invalid({"department": [_("There is no department with this code.")]})
    return found


def _assignee(username: str | None) -> User | None:
    if not username:
        return None
    found = User.objects.filter(username=username).first()
    if found is None:
        raise presenters.Invalid({"assignee": [_("There is no user with this username.")]})
    return found


class MergeIn(In):
    into: Text(20) = Field(description="Tracking code of the open case this one joins.")  # type: ignore[valid-type]
    reason: Text(5000) = ""  # type: ignore[valid-type]


def _merge_target(request: HttpRequest, tracking_code: str) -> Complaint:
    try:
        return selectors.complaint_get_for_user(user=_user(request), tracking_code=tracking_code)
    except Complaint.DoesNotExist as exc:
        raise presenters.Invalid(
            {"into": [_("No case with this tracking code is visible to you.")]}
        ) from exc


Step = Callable[[Complaint, User, Any, HttpRequest], object]

# path -> (action, body schema, the service call): the same services the case page calls.
STEPS: dict[str, tuple[str, type[Schema], Step]] = {
    "acknowledge": (
        Action.ACKNOWLEDGE,
        AcknowledgeIn,
        lambda c, u, d, r: services.complaint_acknowledge(complaint=c, actor=u, message=d.message),
    ),
    "assess": (
        Action.ASSESS,
        AssessIn,
        lambda c, u, d, r: services.complaint_assess(
            complaint=c,
            actor=u,
            established=d.established,
            reason=d.reason,
            category=_category(d.category),
            severity=d.severity.value if d.severity else "",
            confidential=d.confidential,
            answer=d.answer,
        ),
    ),
    "assign": (
        Action.ASSIGN,
        AssignIn,
        lambda c, u, d, r: services.complaint_assign(
            complaint=c,
            actor=u,
            department=_department(d.department),
            assignee=_assignee(d.assignee),
            reason=d.reason,
        ),
    ),
    "investigate": (
        Action.START_INVESTIGATION,
        NoteIn,
        lambda c, u, d, r: services.complaint_start_investigation(
            complaint=c, actor=u, note=d.note
        ),
    ),
    "propose": (
        Action.PROPOSE,
        ProposeIn,
        lambda c, u, d, r: services.complaint_propose_solution(
            complaint=c, actor=u, solution=d.solution, value=d.value
        ),
    ),
    "approve": (
        Action.APPROVE,
        CommentIn,
        lambda c, u, d, r: services.complaint_approve_solution(
            complaint=c, actor=u, comment=d.comment
        ),
    ),
    "reject": (
        Action.REJECT,
        ReasonIn,
        lambda c, u, d, r: services.complaint_reject_solution(
            complaint=c, actor=u, reason=d.reason
        ),
    ),
    "communicate": (
        Action.COMMUNICATE,
        CommunicateIn,
        lambda c, u, d, r: remedies_services.proposals_offer(
            complaint=c, actor=u, message=d.message
        ),
    ),
    "accept": (
        Action.ACCEPT,
        AcceptIn,
        lambda c, u, d, r: remedies_services.proposal_accept(
            complaint=c, actor=u, name=d.name, ip=_remote_ip(r)
        ),
    ),
    "dispute": (
        Action.DISPUTE,
        ReasonIn,
        lambda c, u, d, r: remedies_services.proposal_dispute(
            complaint=c, actor=u, reason=d.reason
        ),
    ),
    "refer-external": (
        Action.REFER_EXTERNAL,
        ReferExternalIn,
        lambda c, u, d, r: services.complaint_refer_external(
            complaint=c, actor=u, body=d.body, reason=d.reason
        ),
    ),
    "resolve": (
        Action.RESOLVE,
        ResolveIn,
        lambda c, u, d, r: services.complaint_resolve(
            complaint=c, actor=u, summary=d.summary, answer=d.answer
        ),
    ),
    "follow-up": (
        Action.FOLLOW_UP,
        FollowUpIn,
        lambda c, u, d, r: services.complaint_follow_up(
            complaint=c, actor=u, satisfaction=d.satisfaction, note=d.note
        ),
    ),
    "close": (
        Action.CLOSE,
        OptionalReasonIn,
        lambda c, u, d, r: services.complaint_close(complaint=c, actor=u, reason=d.reason),
    ),
    "reopen": (
        Action.REOPEN,
        ReasonIn,
        lambda c, u, d, r: services.complaint_reopen(complaint=c, actor=u, reason=d.reason),
    ),
    "wait": (
        Action.WAIT,
        WaitIn,
        lambda c, u, d, r: services.complaint_wait_for_customer(
            complaint=c, actor=u, question=d.question
        ),
    ),
    "resume": (
        Action.RESUME,
        NoteIn,
        lambda c, u, d, r: services.complaint_resume(complaint=c, actor=u, note=d.note),
    ),
    # The case in the path is the duplicate; it joins `into` and is answered merged.
    "merge": (
        Action.MERGE,
        MergeIn,
        lambda c, u, d, r: merging.complaint_merge(
            duplicate=c, into=_merge_target(r, d.into), actor=u, reason=d.reason
        ),
    ),
}


def _register_step(path: str, action: str, body: type[Schema], call: Step) -> None:
    def take_step(request: HttpRequest, tracking_code: str, payload: body) -> dict[str, Any]:  # type: ignore[valid-type]
        user = _writer(request)
        case = _case(request, tracking_code)
        call(case, user, payload, request)
        return presenters.detail(_case(request, case.tracking_code), user)

    take_step.__name__ = f"complaint_{path.replace('-', '_')}"
    router.post(
        f"/complaints/{{tracking_code}}/actions/{path}",
        response={200: ComplaintOut, **WRITE_ERRORS},
        operation_id=take_step.__name__,
        summary=f"Lifecycle step: {path}",
        description=(
            "Takes the lifecycle step through the same service as the case page; 409 when "
            "the case's state does not allow it, 403 when the caller's role may not."
        ),
    )(take_step)


for _path, (_action, _body, _call) in STEPS.items():
    _register_step(_path, _action, _body, _call)

# The same steps under the names the resolution issue uses; both spellings stay stable.
STEP_ALIASES = {
    "reject-proposal": "reject",
    "record-acceptance": "accept",
    "record-dispute": "dispute",
}
for _alias, _path in STEP_ALIASES.items():
    _register_step(_alias, *STEPS[_path])

# The paths offered to a user for each lifecycle action (in `allowed_actions`).
ACTION_PATHS = {action: path for path, (action, _b, _c) in STEPS.items()}
