"""The services: every lifecycle step through the functions every page, mail and task calls.

A step either happens completely (state, fields, one chained audit event, the customer's
e-mail after commit) or not at all: a refused step leaves the case exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from resuelve.accounts.roles import AUTHORITY_LIMITS, Role
from resuelve.complaints import lifecycle, merging, services
from resuelve.complaints.lifecycle import Action, IllegalStep, Kind, NotAllowed, State, StepRefused
from resuelve.complaints.models import (
    Attachment,
    Channel,
    Complaint,
    ComplaintEvent,
    Message,
    Validity,
    Visibility,
)
from resuelve.notifications.models import Outbox
from resuelve.notifications.tasks import deliver
from resuelve.testing.fixtures import START, chain_problems

A = Action
S = State
DIRECT_KINDS = [Kind.PETITION, Kind.SUGGESTION, Kind.COMPLIMENT]


@pytest.fixture(autouse=True)
def english():
    """Refusal messages are read in English here; the customer's e-mails keep their language."""
    with translation.override("en"):
        yield


def snapshot(case: Complaint) -> dict[str, Any]:
    """Everything a refused step must leave untouched, read from the database."""
    row = Complaint.objects.values().get(pk=case.pk)
    row["messages"] = Message.objects.filter(complaint=case).count()
    row["events"] = ComplaintEvent.objects.filter(complaint=case).count()
    row["attachments"] = Attachment.objects.filter(complaint=case).count()
    return row


def last_event(case: Complaint) -> ComplaintEvent:
    return ComplaintEvent.objects.filter(complaint=case).order_by("-seq").first()


@pytest.fixture
def step(departments, outsider, make_complaint) -> Callable[..., Complaint]:
    """step(action, case, actor, **overrides): take a step with valid input."""

    def merge(case: Complaint, actor, into: Complaint | None) -> Complaint:
        into = into or make_complaint(state=S.ACKNOWLEDGED)
        merging.complaint_merge(duplicate=case, into=into, actor=actor, reason="Same case.")
        return case

    def run(action: str, case: Complaint, actor, **kw: Any) -> Complaint:
        calls: dict[str, Callable[[], Complaint]] = {
            A.ACKNOWLEDGE: lambda: services.complaint_acknowledge(complaint=case, actor=actor),
            A.ASSESS: lambda: services.complaint_assess(
                complaint=case,
                actor=actor,
                established=kw.get("established", True),
                reason="The invoice shows it.",
                answer="We looked into it carefully.",
            ),
            A.ASSIGN: lambda: services.complaint_assign(
                complaint=case,
                actor=actor,
                department=kw.get("department", departments["workshop"]),
                assignee=kw.get("assignee", outsider),
            ),
            A.START_INVESTIGATION: lambda: services.complaint_start_investigation(
                complaint=case, actor=actor
            ),
            A.PROPOSE: lambda: services.complaint_propose_solution(
                complaint=case,
                actor=actor,
                solution="A new set of pads.",
                value=kw.get("value", Decimal("1000")),
            ),
            A.APPROVE: lambda: services.complaint_approve_solution(complaint=case, actor=actor),
            A.REJECT: lambda: services.complaint_reject_solution(
                complaint=case, actor=actor, reason="Too generous."
            ),
            A.COMMUNICATE: lambda: services.complaint_communicate(complaint=case, actor=actor),
            A.ACCEPT: lambda: services.complaint_record_acceptance(
                complaint=case, actor=actor, name="Ana Pérez"
            ),
            A.DISPUTE: lambda: services.complaint_record_dispute(
                complaint=case, actor=actor, reason="Not enough."
            ),
            A.REFER_EXTERNAL: lambda: services.complaint_refer_external(
                complaint=case, actor=actor, body="The consumer ombudsman"
            ),
            A.RESOLVE: lambda: services.complaint_resolve(
                complaint=case, actor=actor, summary="Done.", answer="Here is your answer."
            ),
            A.FOLLOW_UP: lambda: services.complaint_follow_up(
                complaint=case, actor=actor, satisfaction=5
            ),
            A.CLOSE: lambda: services.complaint_close(
                complaint=case, actor=actor, reason="The customer does not answer."
            ),
            A.REOPEN: lambda: services.complaint_reopen(
                complaint=case, actor=actor, reason="The squeak is back."
            ),
            A.WAIT: lambda: services.complaint_wait_for_customer(
                complaint=case, actor=actor, question="Which branch was it?"
            ),
            A.RESUME: lambda: services.complaint_resume(complaint=case, actor=actor),
            A.MERGE: lambda: merge(case, actor, kw.get("into")),
        }
        return calls[action]()

    return run


# --- registering --------------------------------------------------------------------------


def test_it_registers_a_complaint_with_its_code_deadlines_message_and_first_event(db, clock):
    case = services.complaint_register(
        channel=Channel.PHONE,
        kind=Kind.CLAIM,
        subject="  Wrong tyres fitted ",
        description="They fitted summer tyres.",
        contact_phone="+57 1 234",
        contact_name="Luis",
    )
    case = Complaint.objects.get(pk=case.pk)
    assert lifecycle_state(case) == S.RECEIVED
    assert services.tracking.normalize(case.tracking_code) == case.tracking_code
    assert case.subject == "Wrong tyres fitted"
    assert case.received_at == START
    assert case.ack_due_at == START + timedelta(hours=24)
    assert case.due_at == START + timedelta(days=15)
    assert case.language == "es"
    assert case.event_count == 1
    (message,) = Message.objects.filter(complaint=case)
    assert message.from_customer and message.body == "They fitted summer tyres."
    event = last_event(case)
    assert (event.action, event.from_state, event.to_state) == (A.REGISTER, "", S.RECEIVED)
    assert event.actor_label == "customer"
    assert chain_problems(case) == []


def lifecycle_state(case: Complaint) -> str:
    return Complaint.objects.values_list("state", flat=True).get(pk=case.pk)


def test_it_takes_contact_data_and_language_from_a_known_customer(customer, clock, agent):
    case = services.complaint_register(
        channel=Channel.IN_PERSON,
        kind=Kind.COMPLAINT,
        subject="Rude",
        description="Very rude.",
        customer=customer,
        actor=agent,
    )
    assert (case.contact_name, case.contact_email, case.language) == (
        "Carla Client",
        "carla@example.com",
        "en",
    )
    assert last_event(case).actor == agent


def test_it_accepts_anonymous_suggestions_and_compliments_only(db, clock):
    for kind in [Kind.SUGGESTION, Kind.COMPLIMENT]:
        services.complaint_register(
            channel=Channel.SUGGESTION_BOX, kind=kind, subject="Coffee", description="More coffee."
        )
    for kind in [Kind.PETITION, Kind.COMPLAINT, Kind.CLAIM]:
        with pytest.raises(ValidationError) as refused:
            services.complaint_register(
                channel=Channel.WEB, kind=kind, subject="Late", description="Late again."
            )
        assert "contact_email" in refused.value.message_dict
    assert Complaint.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"subject": "   "}, "subject"),
        ({"description": ""}, "description"),
        ({"kind": "rant"}, "kind"),
        ({"channel": "pigeon"}, "channel"),
        ({"amount_claimed": Decimal("-1")}, "amount_claimed"),
        ({"language": "fr"}, "language"),
    ],
)
def test_it_refuses_to_register_invalid_input_and_stores_nothing(db, clock, overrides, field):
    data = {
        "channel": Channel.EMAIL,
        "kind": Kind.COMPLAINT,
        "subject": "Late",
        "description": "The car was late.",
        "contact_email": "a@example.com",
        **overrides,
    }
    with pytest.raises(ValidationError) as refused:
        services.complaint_register(**data)
    assert field in refused.value.message_dict
    assert Complaint.objects.count() == 0
    assert ComplaintEvent.objects.count() == 0


def test_it_refuses_registration_by_a_read_only_auditor(auditor, clock):
    with pytest.raises(NotAllowed, match="read-only"):
        services.complaint_register(
            channel=Channel.EMAIL,
            kind=Kind.COMPLAINT,
            subject="x",
            description="y",
            contact_email="a@example.com",
            actor=auditor,
        )
    assert Complaint.objects.count() == 0


# --- every allowed transition -------------------------------------------------------------

# (from state, action, to state, kind, extra input)
ALLOWED = [
    (S.RECEIVED, A.ACKNOWLEDGE, S.ACKNOWLEDGED, Kind.COMPLAINT, {}),
    (S.ACKNOWLEDGED, A.ASSESS, S.ASSESSED, Kind.COMPLAINT, {}),
    (S.ACKNOWLEDGED, A.ASSESS, S.NOT_ESTABLISHED, Kind.COMPLAINT, {"established": False}),
    (S.ASSESSED, A.ASSIGN, S.ASSIGNED, Kind.COMPLAINT, {}),
    (S.ASSIGNED, A.ASSIGN, S.ASSIGNED, Kind.COMPLAINT, {}),
    (S.INVESTIGATING, A.ASSIGN, S.INVESTIGATING, Kind.COMPLAINT, {}),
    (S.ASSIGNED, A.START_INVESTIGATION, S.INVESTIGATING, Kind.COMPLAINT, {}),
    (S.INVESTIGATING, A.PROPOSE, S.SOLUTION_PROPOSED, Kind.COMPLAINT, {}),
    (S.DISPUTED, A.PROPOSE, S.SOLUTION_PROPOSED, Kind.COMPLAINT, {}),
    (S.SOLUTION_PROPOSED, A.APPROVE, S.APPROVED, Kind.COMPLAINT, {}),
    (S.SOLUTION_PROPOSED, A.REJECT, S.INVESTIGATING, Kind.COMPLAINT, {}),
    (S.APPROVED, A.COMMUNICATE, S.COMMUNICATED, Kind.COMPLAINT, {}),
    (S.COMMUNICATED, A.ACCEPT, S.ACCEPTED, Kind.COMPLAINT, {}),
    (S.COMMUNICATED, A.DISPUTE, S.DISPUTED, Kind.COMPLAINT, {}),
    (S.DISPUTED, A.REFER_EXTERNAL, S.EXTERNAL, Kind.COMPLAINT, {}),
    (S.ACCEPTED, A.RESOLVE, S.RESOLVED, Kind.CLAIM, {}),
    (S.EXTERNAL, A.RESOLVE, S.RESOLVED, Kind.COMPLAINT, {}),
    *[
        (s, A.RESOLVE, S.RESOLVED, k, {})
        for s in (S.ASSESSED, S.ASSIGNED, S.INVESTIGATING)
        for k in DIRECT_KINDS
    ],
    (S.RESOLVED, A.FOLLOW_UP, S.FOLLOWED_UP, Kind.COMPLAINT, {}),
    (S.RESOLVED, A.CLOSE, S.CLOSED, Kind.COMPLAINT, {}),
    (S.FOLLOWED_UP, A.CLOSE, S.CLOSED, Kind.COMPLAINT, {}),
    (S.NOT_ESTABLISHED, A.CLOSE, S.CLOSED, Kind.COMPLAINT, {}),
    (S.RESOLVED, A.REOPEN, S.INVESTIGATING, Kind.COMPLAINT, {}),
    (S.FOLLOWED_UP, A.REOPEN, S.INVESTIGATING, Kind.COMPLAINT, {}),
    (S.CLOSED, A.REOPEN, S.INVESTIGATING, Kind.COMPLAINT, {}),
    (S.NOT_ESTABLISHED, A.REOPEN, S.ACKNOWLEDGED, Kind.COMPLAINT, {}),
    *[(s, A.WAIT, S.WAITING, Kind.COMPLAINT, {}) for s in sorted(lifecycle.WAITABLE)],
    *[(s, A.MERGE, S.MERGED, Kind.COMPLAINT, {}) for s in sorted(lifecycle.MERGEABLE)],
]


@pytest.mark.parametrize(("source", "action", "target", "kind", "extra"), ALLOWED)
def test_it_takes_every_allowed_step(
    make_complaint, step, manager, source, action, target, kind, extra
):
    case = make_complaint(state=source, kind=kind)
    before = case.event_count
    case = step(action, case, manager, **extra)
    assert case.state == target
    assert lifecycle_state(case) == target
    assert case.event_count == before + 1
    event = last_event(case)
    assert (event.seq, event.action, event.from_state, event.to_state) == (
        before + 1,
        action,
        source,
        target,
    )
    assert event.actor == manager
    assert chain_problems(case) == []


def test_it_covers_every_edge_of_the_lifecycle():
    covered = {(source, action) for source, action, *_rest in ALLOWED}
    covered |= {(S.WAITING, A.RESUME)}  # test_it_resumes_where_it_waited
    every = {(source, action) for action, s in lifecycle.STEPS.items() for source in s.sources}
    assert every <= covered


@pytest.mark.parametrize("waited_in", sorted(lifecycle.WAITABLE))
def test_it_resumes_where_it_waited(make_complaint, step, manager, waited_in):
    case = make_complaint(state=S.WAITING, wait_from=waited_in)
    case = step(A.RESUME, case, manager)
    assert case.state == waited_in
    assert case.paused_at is None and case.resume_state == ""
    assert last_event(case).from_state == S.WAITING
    assert chain_problems(case) == []


def test_it_walks_a_complaint_from_register_to_close_with_one_event_per_step(make_complaint):
    case = make_complaint(state=S.CLOSED)
    actions = list(
        ComplaintEvent.objects.filter(complaint=case)
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        A.REGISTER,
        A.ACKNOWLEDGE,
        A.ASSESS,
        A.ASSIGN,
        A.START_INVESTIGATION,
        A.PROPOSE,
        A.APPROVE,
        A.COMMUNICATE,
        A.ACCEPT,
        A.RESOLVE,
        A.FOLLOW_UP,
        A.CLOSE,
    ]
    assert case.closed_at is not None and case.satisfaction == 4
    assert chain_problems(case) == []


# --- refused steps change nothing ---------------------------------------------------------


@pytest.mark.parametrize("state", list(State.values))
def test_it_refuses_every_illegal_step_and_changes_nothing(
    make_complaint, step, manager, clock, state
):
    case = make_complaint(state=state)
    clock.advance(minutes=5)  # a stray save would move updated_at
    before = snapshot(case)
    refused = 0
    for action, rule in lifecycle.STEPS.items():
        if state in rule.sources and not (
            action == A.RESOLVE and state in {S.ASSESSED, S.ASSIGNED, S.INVESTIGATING}
        ):
            continue
        with pytest.raises(IllegalStep) as error:
            step(action, case, manager)
        assert str(State(state).label) in error.value.message or "propose a solution first" in (
            error.value.message
        )
        assert snapshot(case) == before, action
        refused += 1
    assert refused >= 10


@pytest.mark.parametrize(
    ("persona", "state", "action", "message"),
    [
        # A handler never even sees an unrouted case, let alone acknowledges it.
        ("handler", S.RECEIVED, A.ACKNOWLEDGE, "outside your departments"),
        ("handler", S.ASSESSED, A.ASSIGN, "may not take the step"),
        ("handler", S.CLOSED, A.REOPEN, "may not take the step"),
        ("auditor", S.RECEIVED, A.ACKNOWLEDGE, "read-only"),
        ("auditor", S.INVESTIGATING, A.PROPOSE, "read-only"),
        ("outsider", S.INVESTIGATING, A.PROPOSE, "outside your departments"),
        ("agent", S.INVESTIGATING, A.PROPOSE, "outside your departments"),
    ],
)
def test_it_refuses_steps_the_role_may_not_take(
    make_complaint, step, personas, persona, state, action, message
):
    case = make_complaint(state=state)
    before = snapshot(case)
    with pytest.raises(NotAllowed, match=message):
        step(action, case, personas[persona])
    assert snapshot(case) == before


def test_it_refuses_a_disabled_account(make_complaint, supervisor, step):
    case = make_complaint(state=S.INVESTIGATING)
    supervisor.is_active = False
    supervisor.save()
    before = snapshot(case)
    with pytest.raises(NotAllowed, match="disabled"):
        step(A.PROPOSE, case, supervisor)
    assert snapshot(case) == before


def test_it_refuses_notes_from_auditors_and_outsiders(make_complaint, auditor, outsider):
    case = make_complaint(state=S.INVESTIGATING)
    before = snapshot(case)
    for actor in [auditor, outsider]:
        with pytest.raises(NotAllowed):
            services.complaint_add_message(
                complaint=case, actor=actor, body="Hi", to_customer=False
            )
    assert snapshot(case) == before


# --- validation -----------------------------------------------------------------------------


def _refuses(case: Complaint, field: str, call: Callable[[], object]) -> None:
    before = snapshot(case)
    with pytest.raises(ValidationError) as error:
        call()
    assert field in error.value.message_dict
    assert all(message.strip() for message in error.value.message_dict[field])
    assert snapshot(case) == before


def test_it_requires_a_reason_for_the_verdict(make_complaint, handler):
    case = make_complaint(state=S.ACKNOWLEDGED)
    _refuses(
        case,
        "reason",
        lambda: services.complaint_assess(
            complaint=case, actor=handler, established=True, reason="  "
        ),
    )


def test_it_requires_an_answer_when_a_complaint_is_not_established(make_complaint, manager):
    case = make_complaint(state=S.ACKNOWLEDGED)
    _refuses(
        case,
        "answer",
        lambda: services.complaint_assess(
            complaint=case, actor=manager, established=False, reason="Not our product."
        ),
    )


def test_it_refuses_an_unknown_severity(make_complaint, manager):
    case = make_complaint(state=S.ACKNOWLEDGED)
    _refuses(
        case,
        "severity",
        lambda: services.complaint_assess(
            complaint=case, actor=manager, established=True, reason="ok", severity="apocalyptic"
        ),
    )


@pytest.mark.parametrize("score", [0, 6, -1, 10])
def test_it_refuses_a_satisfaction_outside_one_to_five(make_complaint, manager, score):
    case = make_complaint(state=S.RESOLVED)
    _refuses(
        case,
        "satisfaction",
        lambda: services.complaint_follow_up(complaint=case, actor=manager, satisfaction=score),
    )


@pytest.mark.parametrize("score", [1, 5])
def test_it_records_satisfaction_at_the_ends_of_the_scale(make_complaint, manager, score):
    case = make_complaint(state=S.RESOLVED)
    case = services.complaint_follow_up(complaint=case, actor=manager, satisfaction=score)
    assert case.satisfaction == score and case.state == S.FOLLOWED_UP


def test_it_refuses_a_negative_or_missing_solution_value(make_complaint, manager):
    case = make_complaint(state=S.INVESTIGATING)
    _refuses(
        case,
        "value",
        lambda: services.complaint_propose_solution(
            complaint=case, actor=manager, solution="Refund", value=Decimal("-0.01")
        ),
    )
    _refuses(
        case,
        "value",
        lambda: services.complaint_propose_solution(
            complaint=case, actor=manager, solution="Refund", value=None
        ),
    )
    _refuses(
        case,
        "solution",
        lambda: services.complaint_propose_solution(
            complaint=case, actor=manager, solution=" ", value=Decimal("1")
        ),
    )
    case = services.complaint_propose_solution(
        complaint=case, actor=manager, solution="An apology", value=Decimal("0")
    )
    assert case.solution_value == Decimal("0")


@pytest.mark.parametrize(
    ("state", "field", "call"),
    [
        (
            S.SOLUTION_PROPOSED,
            "reason",
            lambda c, u: services.complaint_reject_solution(complaint=c, actor=u, reason=""),
        ),
        (
            S.COMMUNICATED,
            "reason",
            lambda c, u: services.complaint_record_dispute(complaint=c, actor=u, reason=""),
        ),
        (
            S.COMMUNICATED,
            "name",
            lambda c, u: services.complaint_record_acceptance(complaint=c, actor=u, name=" "),
        ),
        (
            S.DISPUTED,
            "body",
            lambda c, u: services.complaint_refer_external(complaint=c, actor=u, body=""),
        ),
        (
            S.ACCEPTED,
            "summary",
            lambda c, u: services.complaint_resolve(complaint=c, actor=u, summary=""),
        ),
        (S.RESOLVED, "reason", lambda c, u: services.complaint_close(complaint=c, actor=u)),
        (
            S.CLOSED,
            "reason",
            lambda c, u: services.complaint_reopen(complaint=c, actor=u, reason="  "),
        ),
        (
            S.INVESTIGATING,
            "question",
            lambda c, u: services.complaint_wait_for_customer(complaint=c, actor=u, question=""),
        ),
        (
            S.INVESTIGATING,
            "body",
            lambda c, u: services.complaint_add_message(
                complaint=c, actor=u, body="", to_customer=True
            ),
        ),
    ],
)
def test_it_refuses_steps_without_their_required_text(make_complaint, manager, state, field, call):
    case = make_complaint(state=state)
    _refuses(case, field, lambda: call(case, manager))


def test_it_closes_after_a_follow_up_without_a_reason(make_complaint, manager):
    case = services.complaint_close(complaint=make_complaint(state=S.FOLLOWED_UP), actor=manager)
    assert case.state == S.CLOSED


def test_it_needs_an_answer_to_resolve_a_request_directly(make_complaint, handler):
    case = make_complaint(state=S.INVESTIGATING, kind=Kind.PETITION)
    _refuses(
        case,
        "answer",
        lambda: services.complaint_resolve(
            complaint=case, actor=handler, summary="Sent the invoice copy."
        ),
    )
    case = services.complaint_resolve(
        complaint=case,
        actor=handler,
        summary="Sent the invoice copy.",
        answer="Please find your invoice attached.",
    )
    assert case.state == S.RESOLVED
    assert Message.objects.filter(
        complaint=case, body="Please find your invoice attached.", visibility=Visibility.CUSTOMER
    ).exists()


def test_it_refuses_to_resolve_a_complaint_without_an_accepted_solution(make_complaint, manager):
    case = make_complaint(state=S.INVESTIGATING, kind=Kind.CLAIM)
    before = snapshot(case)
    with pytest.raises(IllegalStep, match="propose a solution first"):
        services.complaint_resolve(complaint=case, actor=manager, summary="x", answer="y")
    assert snapshot(case) == before


# --- assessment and assignment --------------------------------------------------------------


def test_it_routes_an_assessed_case_to_its_category_department(
    make_complaint, category, handler, supervisor
):
    case = make_complaint(state=S.ACKNOWLEDGED)
    assert case.department is None
    case = services.complaint_assess(
        complaint=case,
        actor=supervisor,
        established=True,
        reason="Confirmed.",
        category=category,
        severity="high",
        confidential=True,
    )
    assert case.department == category.default_department
    assert (case.validity, case.severity, case.confidential) == (Validity.ESTABLISHED, "high", True)
    assert last_event(case).changes["confidential"] is True


def test_it_answers_a_not_established_complaint_tactfully(
    make_complaint, manager, mailoutbox, django_capture_on_commit_callbacks
):
    case = make_complaint(state=S.ACKNOWLEDGED)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.complaint_assess(
            complaint=case,
            actor=manager,
            established=False,
            reason="No service on record.",
            answer="We could not find a service of your car; could you send the invoice?",
        )
    assert case.state == S.NOT_ESTABLISHED and case.validity == Validity.NOT_ESTABLISHED
    (mail,) = mailoutbox
    assert mail.body.startswith(
        "We could not find a service of your car; could you send the invoice?\n"
    )
    assert f"/track/{case.tracking_code}/" in mail.body  # the private link to the case


def test_it_assigns_within_the_department_only(
    make_complaint, manager, workshop, handler, outsider, auditor
):
    case = make_complaint(state=S.ASSESSED)
    _refuses(
        case,
        "assignee",
        lambda: services.complaint_assign(
            complaint=case, actor=manager, department=workshop, assignee=handler
        ),
    )
    _refuses(
        case,
        "assignee",
        lambda: services.complaint_assign(
            complaint=case, actor=manager, department=workshop, assignee=auditor
        ),
    )
    workshop.active = False
    workshop.save()
    _refuses(
        case,
        "department",
        lambda: services.complaint_assign(
            complaint=case, actor=manager, department=workshop, assignee=outsider
        ),
    )


def test_it_refuses_an_assignment_that_changes_nothing(make_complaint, manager, quality, handler):
    case = make_complaint(state=S.ASSIGNED)
    _refuses(
        case,
        "department",
        lambda: services.complaint_assign(
            complaint=case, actor=manager, department=quality, assignee=handler
        ),
    )


def test_it_assigns_an_assessed_case_to_its_department_without_naming_a_person(
    make_complaint, supervisor, quality
):
    case = make_complaint(state=S.ASSESSED)
    assert case.department == quality
    case = services.complaint_assign(complaint=case, actor=supervisor, department=quality)
    assert case.state == S.ASSIGNED and case.assignee is None


def test_it_makes_whoever_starts_an_unowned_investigation_its_owner(
    make_complaint, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    case = make_complaint(state=S.ASSIGNED, assignee=None)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.complaint_start_investigation(complaint=case, actor=supervisor)
    assert case.assignee == supervisor
    (mail,) = mailoutbox
    assert case.tracking_code in mail.body
    assert "2025-03-18" in mail.body  # the answer date the customer can hold us to


# --- authority limits -----------------------------------------------------------------------


@pytest.fixture
def proposal_for(make_complaint, service_desk, agent):
    """A proposal in the agent's own department, so the agent may work it."""

    def make(value: Decimal) -> Complaint:
        return make_complaint(
            state=S.SOLUTION_PROPOSED, value=value, department=service_desk, assignee=agent
        )

    return make


@pytest.mark.parametrize(
    ("persona", "allowed", "refused"),
    [
        ("agent", AUTHORITY_LIMITS[Role.AGENT], AUTHORITY_LIMITS[Role.AGENT] + Decimal("0.01")),
        ("handler", AUTHORITY_LIMITS[Role.HANDLER], AUTHORITY_LIMITS[Role.HANDLER] + 1),
        ("supervisor", AUTHORITY_LIMITS[Role.SUPERVISOR], AUTHORITY_LIMITS[Role.SUPERVISOR] + 1),
    ],
)
def test_it_lets_staff_approve_only_within_their_authority(
    make_complaint, service_desk, quality, personas, persona, allowed, refused
):
    actor = personas[persona]
    dept = service_desk if persona == "agent" else quality
    owner = actor if persona != "supervisor" else personas["handler"]

    ok = make_complaint(state=S.SOLUTION_PROPOSED, value=allowed, department=dept, assignee=owner)
    ok = services.complaint_approve_solution(complaint=ok, actor=actor)
    assert ok.state == S.APPROVED and ok.solution_approved_by == actor

    above = make_complaint(
        state=S.SOLUTION_PROPOSED, value=refused, department=dept, assignee=owner
    )
    before = snapshot(above)
    with pytest.raises(NotAllowed) as error:
        services.complaint_approve_solution(complaint=above, actor=actor)
    assert "authority limit" in error.value.message
    assert f"{AUTHORITY_LIMITS[actor.role]}" in error.value.message
    assert snapshot(above) == before
    with pytest.raises(NotAllowed):
        services.complaint_reject_solution(complaint=above, actor=actor, reason="too much")
    assert snapshot(above) == before


@pytest.mark.parametrize("persona", ["supervisor", "manager", "admin"])
def test_it_lets_higher_roles_approve_what_an_agent_may_not(proposal_for, personas, persona, agent):
    case = proposal_for(Decimal("1500000"))
    with pytest.raises(NotAllowed):
        services.complaint_approve_solution(complaint=case, actor=agent)
    approver = personas[persona]
    if persona == "supervisor":
        approver.departments.add(case.department)
    case = services.complaint_approve_solution(complaint=case, actor=approver)
    assert case.state == S.APPROVED and case.solution_approved_by == approver


@pytest.mark.parametrize("persona", ["manager", "admin"])
def test_it_puts_no_limit_on_managers_and_admins(make_complaint, personas, persona):
    case = make_complaint(state=S.SOLUTION_PROPOSED, value=Decimal("999999999999.99"))
    case = services.complaint_approve_solution(complaint=case, actor=personas[persona])
    assert case.state == S.APPROVED


# --- communicating, accepting, disputing ----------------------------------------------------


def test_it_never_communicates_an_unapproved_solution(make_complaint, manager):
    case = make_complaint(state=S.SOLUTION_PROPOSED)
    before = snapshot(case)
    with pytest.raises(StepRefused):
        services.complaint_communicate(complaint=case, actor=manager)
    assert snapshot(case) == before
    assert not Message.objects.filter(complaint=case, body__contains=case.solution).exists()


def test_it_sends_the_approved_solution_in_the_customers_language(
    make_complaint, manager, mailoutbox, django_capture_on_commit_callbacks
):
    case = make_complaint(state=S.APPROVED, language="et", contact_name="Mari")
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        case = services.complaint_communicate(complaint=case, actor=manager)
    (mail,) = mailoutbox
    assert mail.to == ["ana@example.com"]
    assert mail.extra_headers["Content-Language"] == "et"
    assert "Replace the brake pads free of charge." in mail.body
    with translation.override("et"):
        greeting = gettext("Dear %(name)s,\n\nThis is our proposal to solve your case %(code)s:")
    assert mail.body.startswith(greeting % {"name": "Mari", "code": case.tracking_code})
    assert not mail.body.startswith("Dear"), "the proposal is not in Estonian"


def test_it_counts_dispute_rounds_and_needs_a_new_approval_each_round(
    make_complaint, manager, handler
):
    case = make_complaint(state=S.DISPUTED)
    assert case.dispute_rounds == 1 and case.solution_approved_by is None
    case = services.complaint_propose_solution(
        complaint=case, actor=handler, solution="A full refund.", value=Decimal("350000")
    )
    before = snapshot(case)
    with pytest.raises(StepRefused):
        services.complaint_communicate(complaint=case, actor=handler)
    assert snapshot(case) == before
    case = services.complaint_approve_solution(complaint=case, actor=manager)
    case = services.complaint_communicate(complaint=case, actor=handler)
    assert Message.objects.filter(complaint=case, body__contains="A full refund.").exists()
    case = services.complaint_record_dispute(complaint=case, actor=None, reason="Still no.")
    assert case.dispute_rounds == 2 and case.state == S.DISPUTED
    assert last_event(case).actor_label == "customer"
    assert Message.objects.filter(complaint=case, from_customer=True, body="Still no.").exists()


def test_it_records_the_customers_acceptance_as_their_signature(make_complaint, clock):
    case = make_complaint(state=S.COMMUNICATED)
    clock.advance(hours=3)
    case = services.complaint_record_acceptance(
        complaint=case, actor=None, name="Ana Pérez", ip="203.0.113.9"
    )
    assert case.state == S.ACCEPTED
    assert (case.accepted_by_name, case.accepted_at, case.accepted_ip) == (
        "Ana Pérez",
        START + timedelta(hours=3),
        "203.0.113.9",
    )
    assert last_event(case).actor_label == "customer"


def test_it_refuses_acceptance_before_the_solution_is_communicated(make_complaint):
    case = make_complaint(state=S.APPROVED)
    before = snapshot(case)
    with pytest.raises(StepRefused):
        services.complaint_record_acceptance(complaint=case, actor=None, name="Ana")
    assert snapshot(case) == before


# --- waiting for the customer ---------------------------------------------------------------


def test_it_stops_the_answer_clock_while_waiting_for_the_customer(make_complaint, manager, clock):
    case = make_complaint(state=S.INVESTIGATING)
    due = case.due_at
    assert due == START + timedelta(days=15)
    clock.advance(days=2)
    case = services.complaint_wait_for_customer(
        complaint=case, actor=manager, question="Which branch?"
    )
    assert case.state == S.WAITING and case.paused_at == clock() and not case.is_open
    assert Message.objects.filter(
        complaint=case, body="Which branch?", visibility=Visibility.CUSTOMER
    ).exists()
    clock.advance(days=3, hours=4, minutes=30)
    case = services.complaint_resume(complaint=case, actor=manager)
    assert case.state == S.INVESTIGATING and case.is_open
    assert case.paused_at is None
    assert case.due_at == due + timedelta(days=3, hours=4, minutes=30)
    assert last_event(case).changes["due_at"] == case.due_at.isoformat()


def test_it_resumes_a_waiting_case_when_the_customer_writes(make_complaint, clock):
    case = make_complaint(state=S.WAITING, wait_from=S.ASSIGNED)
    due = case.due_at
    clock.advance(days=4)
    message = services.complaint_receive_customer_message(complaint=case, body="Branch north.")
    case.refresh_from_db()
    assert message.from_customer and message.visibility == Visibility.CUSTOMER
    assert case.state == S.ASSIGNED
    assert case.due_at == due + timedelta(days=4)
    actions = list(
        ComplaintEvent.objects.filter(complaint=case)
        .order_by("-seq")
        .values_list("action", "actor_label")[:2]
    )
    assert actions == [(A.RESUME, "system"), (A.CUSTOMER_MESSAGE, "customer")]
    assert chain_problems(case) == []


def test_it_files_a_customer_message_without_moving_a_case_that_is_not_waiting(
    make_complaint, clock
):
    case = make_complaint(state=S.INVESTIGATING)
    before = case.due_at
    clock.advance(days=1)
    services.complaint_receive_customer_message(complaint=case, body="Any news?")
    case.refresh_from_db()
    assert case.state == S.INVESTIGATING and case.due_at == before
    assert last_event(case).action == A.CUSTOMER_MESSAGE


# --- reopening --------------------------------------------------------------------------------


def test_it_reopens_a_closed_case_and_restarts_the_answer_clock(
    make_complaint, agent, supervisor, clock
):
    case = make_complaint(state=S.CLOSED)
    clock.advance(days=40)
    case = services.complaint_reopen(complaint=case, actor=supervisor, reason="Squeaks again.")
    assert case.state == S.INVESTIGATING  # back to its owner
    assert case.closed_at is None and case.resolved_at is None
    assert case.due_at == clock() + timedelta(days=15)
    assert case.is_open
    assert last_event(case).reason == "Squeaks again."


def test_it_reopens_a_not_established_case_for_a_new_verdict(make_complaint, agent, clock):
    case = make_complaint(state=S.NOT_ESTABLISHED, category=None)
    assert case.department is None  # the agent's intake desk still sees it
    case = services.complaint_reopen(complaint=case, actor=agent, reason="Invoice found.")
    assert case.state == S.ACKNOWLEDGED
    assert case.validity == Validity.PENDING
    case = services.complaint_assess(
        complaint=case, actor=agent, established=True, reason="The invoice proves it."
    )
    assert case.state == S.ASSESSED


# --- e-mail to the customer, after commit ---------------------------------------------------


def test_it_emails_the_acknowledgement_only_after_commit(
    make_complaint, agent, mailoutbox, django_capture_on_commit_callbacks
):
    case = make_complaint(state=S.RECEIVED, language="en", category=None)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.complaint_acknowledge(complaint=case, actor=agent)
    assert len(callbacks) == 1
    assert mailoutbox == []  # nothing leaves before the transaction commits
    callbacks[0]()
    (mail,) = mailoutbox
    assert mail.to == ["ana@example.com"]
    assert mail.subject == f"[{case.tracking_code}] {case.subject}"
    assert case.tracking_code in mail.body and "2025-03-18" in mail.body
    assert mail.extra_headers["Content-Language"] == "en"
    assert "We have received your message" in mail.body
    message = Message.objects.get(complaint=case, author=agent)
    assert message.delivered_at is not None
    (row,) = Outbox.objects.filter(message=message)
    assert row.sent_at is not None
    assert deliver.call(row.pk) == "not due or already handled"
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("language", ["es", "en", "zh-hans", "et"])
def test_it_writes_to_the_customer_in_their_language(
    make_complaint, agent, mailoutbox, django_capture_on_commit_callbacks, language
):
    case = make_complaint(state=S.RECEIVED, language=language, category=None)
    other = "et" if language != "et" else "es"
    with translation.override(other), django_capture_on_commit_callbacks(execute=True):
        services.complaint_acknowledge(complaint=case, actor=agent)
    (mail,) = mailoutbox
    assert mail.extra_headers["Content-Language"] == language
    with translation.override(language):
        expected = gettext(
            "Dear %(name)s,\n\nWe have received your message and registered it under the "
            "tracking number %(code)s. We will answer by %(due)s at the latest.\n\n"
            "Thank you for telling us."
        ) % {"name": "Ana Pérez", "code": case.tracking_code, "due": "2025-03-18"}
    assert mail.body.startswith(expected + "\n")
    with translation.override(language):  # the footer is in their language too
        assert gettext("Your tracking number: %(code)s") % {"code": case.tracking_code} in mail.body
    assert case.tracking_code in mail.body and "2025-03-18" in mail.body
    if language != "en":
        assert "We have received your message" not in mail.body, "not translated"


def test_it_sends_nothing_when_the_step_is_rolled_back(
    make_complaint, agent, mailoutbox, django_capture_on_commit_callbacks
):
    case = make_complaint(state=S.RECEIVED, category=None)
    before = snapshot(case)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.complaint_acknowledge(complaint=case, actor=agent)
            raise RuntimeError("the request failed after the step")
    assert mailoutbox == []
    assert snapshot(case) == before


def test_it_emails_replies_but_never_internal_notes(
    make_complaint, handler, mailoutbox, django_capture_on_commit_callbacks
):
    case = make_complaint(state=S.INVESTIGATING)
    with django_capture_on_commit_callbacks(execute=True):
        note = services.complaint_add_message(
            complaint=case, actor=handler, body="Check the pads batch.", to_customer=False
        )
        reply = services.complaint_add_message(
            complaint=case, actor=handler, body="We are checking the pads.", to_customer=True
        )
    assert [m.body.split("\n")[0] for m in mailoutbox] == ["We are checking the pads."]
    assert note.visibility == Visibility.INTERNAL and reply.visibility == Visibility.CUSTOMER
    case.refresh_from_db()
    assert case.state == S.INVESTIGATING
    actions = list(
        ComplaintEvent.objects.filter(complaint=case)
        .order_by("-seq")
        .values_list("action", flat=True)[:2]
    )
    assert actions == [A.REPLY, A.NOTE]
    assert chain_problems(case) == []


def test_it_does_not_email_a_customer_without_an_address(
    make_complaint, agent, mailoutbox, django_capture_on_commit_callbacks
):
    case = make_complaint(
        state=S.RECEIVED, contact_email="", contact_phone="+57 1 234", category=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_acknowledge(complaint=case, actor=agent)
    assert mailoutbox == []
    assert Message.objects.filter(complaint=case, author=agent, channel="").exists()


# --- attachments ----------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_it_stores_attachments_with_their_name_type_size_and_digest(make_complaint, handler, media):
    case = make_complaint(state=S.INVESTIGATING)
    upload = SimpleUploadedFile(
        "Factura 123.pdf", b"%PDF-1.4 invoice", content_type="application/pdf"
    )
    message = services.complaint_add_message(
        complaint=case, actor=handler, body="The invoice.", to_customer=False, attachments=[upload]
    )
    (attachment,) = Attachment.objects.filter(message=message)
    assert attachment.original_name == "Factura 123.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(b"%PDF-1.4 invoice")
    assert attachment.file.read() == b"%PDF-1.4 invoice"
    assert attachment.sha256 in attachment.file.name  # stored under its digest, not its name
    assert last_event(case).changes["attachments"] == ["Factura 123.pdf"]


def test_it_accepts_an_attachment_of_exactly_ten_megabytes(make_complaint, handler, media):
    case = make_complaint(state=S.INVESTIGATING)
    jpeg = b"\xff\xd8\xff\xe0"
    upload = SimpleUploadedFile(
        "photo.JPG", jpeg + b"\0" * (services.MAX_ATTACHMENT_BYTES - len(jpeg))
    )
    services.complaint_add_message(
        complaint=case, actor=handler, body="Photo.", to_customer=False, attachments=[upload]
    )
    assert Attachment.objects.get(complaint=case).content_type == "image/jpeg"


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        ("photo.jpg", services.MAX_ATTACHMENT_BYTES + 1, "larger than 10 MB"),
        ("setup.exe", 10, "not accepted"),
        ("script.html", 10, "not accepted"),
        ("no-extension", 10, "not accepted"),
    ],
)
def test_it_refuses_attachments_too_large_or_of_a_wrong_type(
    make_complaint, handler, media, name, size, message
):
    case = make_complaint(state=S.INVESTIGATING)
    good = SimpleUploadedFile("ok.txt", b"fine")
    bad = SimpleUploadedFile(name, b"x" * size)
    before = snapshot(case)
    with pytest.raises(ValidationError) as error:
        services.complaint_add_message(
            complaint=case, actor=handler, body="Files.", to_customer=True, attachments=[good, bad]
        )
    assert message in " ".join(error.value.message_dict["attachments"])
    assert name in " ".join(error.value.message_dict["attachments"])
    assert snapshot(case) == before
    assert list(media.rglob("*.*")) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("invoice.pdf", b"MZ\x90\x00 a Windows program renamed"),
        ("photo.png", b"%PDF-1.4 not a picture"),
        ("notes.txt", b"binary\x00\x01\x02"),
    ],
)
def test_it_refuses_a_file_whose_content_is_not_what_its_name_says(
    make_complaint, handler, media, name, content
):
    case = make_complaint(state=S.INVESTIGATING)
    events = case.event_count
    with pytest.raises(ValidationError, match="not accepted"):
        services.complaint_add_message(
            complaint=case,
            actor=handler,
            body="See file.",
            to_customer=False,
            attachments=[SimpleUploadedFile(name, content)],
        )
    case.refresh_from_db()
    assert case.event_count == events
    assert not Attachment.objects.filter(complaint=case).exists()


def test_it_sends_the_case_to_external_resolution_after_the_allowed_disputes(
    make_complaint, supervisor, settings
):
    settings.RESUELVE_MAX_DISPUTE_ROUNDS = 1
    case = make_complaint(state=S.DISPUTED)
    assert case.dispute_rounds == 1
    with pytest.raises(lifecycle.IllegalStep, match="external resolution"):
        services.complaint_propose_solution(
            complaint=case, actor=supervisor, solution="Another try", value=Decimal("10")
        )
    case.refresh_from_db()
    assert case.state == S.DISPUTED
    case = services.complaint_refer_external(complaint=case, actor=supervisor, body="SIC")
    assert case.state == S.EXTERNAL


def test_it_keeps_the_open_flag_with_the_state_through_close_and_reopen(make_complaint, supervisor):
    case = make_complaint(state=S.FOLLOWED_UP)
    assert Complaint.objects.get(pk=case.pk).is_open is False
    case = services.complaint_close(complaint=case, actor=supervisor)
    assert Complaint.objects.filter(pk=case.pk, is_open=False).exists()
    case = services.complaint_reopen(complaint=case, actor=supervisor, reason="Not fixed after all")
    assert Complaint.objects.filter(pk=case.pk, is_open=True).exists()
    fresh = make_complaint(state=S.INVESTIGATING)
    assert Complaint.objects.filter(pk=fresh.pk, is_open=True).exists()


def test_a_referral_names_the_external_body_of_the_cases_policy(make_complaint, manager):
    from resuelve.deadlines.models import DeadlinePolicy

    case = make_complaint(state=State.DISPUTED)
    case.deadline_policy = DeadlinePolicy.objects.get(code="co-ley-1755")
    case.save(update_fields=["deadline_policy"])
    services.complaint_refer_external(complaint=case, actor=manager, body="")
    event = case.events.get(action=A.REFER_EXTERNAL)
    assert event.changes["external_body"] == "Superintendencia de Industria y Comercio (SIC)"
    told = Message.objects.filter(complaint=case).order_by("-id").first()
    assert "Superintendencia de Industria y Comercio (SIC)" in told.body
