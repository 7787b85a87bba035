"""The pure state machine: which step each role may take from each state, and where it leads.

The tables below restate the lifecycle from the requirements (ISO 10002 B-F) independently
of lifecycle.STEPS, so a change to STEPS that breaks the rules fails here."""

from __future__ import annotations

import itertools

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from resuelve.accounts.roles import Role
from resuelve.complaints import lifecycle
from resuelve.complaints.lifecycle import (
    CUSTOMER,
    SYSTEM,
    Action,
    IllegalStep,
    Kind,
    NotAllowed,
    State,
    StepRefused,
    available_steps,
    check_step,
    next_state,
)

S = State
A = Action
ALL_STATES = list(State.values)
ALL_KINDS = list(Kind.values)
ALL_ROLES = [*Role.values, SYSTEM, CUSTOMER]
ALL_ACTIONS = list(Action.values)
INTAKE = {Role.AGENT, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN}
STAFF = INTAKE | {Role.HANDLER}
PRE_SOLUTION = {S.ASSESSED, S.ASSIGNED, S.INVESTIGATING}
DIRECT_KINDS = {Kind.PETITION, Kind.SUGGESTION, Kind.COMPLIMENT}

# action -> (states it may be taken from, roles that may take it)
SPEC: dict[str, tuple[set[str], set[str]]] = {
    A.ACKNOWLEDGE: ({S.RECEIVED}, INTAKE | {SYSTEM}),
    A.ASSESS: ({S.ACKNOWLEDGED}, STAFF),
    A.ASSIGN: ({S.ASSESSED, S.ASSIGNED, S.INVESTIGATING}, INTAKE),
    A.START_INVESTIGATION: ({S.ASSIGNED}, STAFF),
    A.PROPOSE: ({S.INVESTIGATING, S.DISPUTED}, STAFF),
    A.APPROVE: ({S.SOLUTION_PROPOSED}, STAFF),
    A.REJECT: ({S.SOLUTION_PROPOSED}, STAFF),
    A.COMMUNICATE: ({S.APPROVED}, STAFF),
    A.ACCEPT: ({S.COMMUNICATED}, STAFF | {CUSTOMER}),
    A.DISPUTE: ({S.COMMUNICATED}, STAFF | {CUSTOMER}),
    A.REFER_EXTERNAL: ({S.DISPUTED}, STAFF),
    A.RESOLVE: ({S.ACCEPTED, S.EXTERNAL} | PRE_SOLUTION, STAFF),
    A.FOLLOW_UP: ({S.RESOLVED}, STAFF | {CUSTOMER}),  # a satisfied survey answer
    A.CLOSE: ({S.FOLLOWED_UP, S.RESOLVED, S.NOT_ESTABLISHED}, STAFF),
    A.REOPEN: ({S.RESOLVED, S.FOLLOWED_UP, S.CLOSED, S.NOT_ESTABLISHED}, INTAKE),
    A.WAIT: ({S.ACKNOWLEDGED, S.ASSESSED, S.ASSIGNED, S.INVESTIGATING}, STAFF),
    A.RESUME: ({S.WAITING}, STAFF | {SYSTEM}),
    A.MERGE: ({S.RECEIVED, S.ACKNOWLEDGED, S.ASSESSED, S.ASSIGNED, S.INVESTIGATING}, STAFF),
}
FIXED_TARGETS = {
    A.ACKNOWLEDGE: S.ACKNOWLEDGED,
    A.START_INVESTIGATION: S.INVESTIGATING,
    A.PROPOSE: S.SOLUTION_PROPOSED,
    A.APPROVE: S.APPROVED,
    A.REJECT: S.INVESTIGATING,
    A.COMMUNICATE: S.COMMUNICATED,
    A.ACCEPT: S.ACCEPTED,
    A.DISPUTE: S.DISPUTED,
    A.REFER_EXTERNAL: S.EXTERNAL,
    A.RESOLVE: S.RESOLVED,
    A.FOLLOW_UP: S.FOLLOWED_UP,
    A.CLOSE: S.CLOSED,
    A.WAIT: S.WAITING,
    A.MERGE: S.MERGED,
}


def outcome(action: str, state: str, role: str, kind: str) -> str:
    try:
        check_step(action, state, role, kind=kind)
    except IllegalStep:
        return "illegal"
    except NotAllowed:
        return "not allowed"
    return "ok"


def expected(action: str, state: str, role: str, kind: str) -> str:
    if action not in SPEC:
        return "illegal"
    sources, roles = SPEC[action]
    if state not in sources:
        return "illegal"
    if action == A.RESOLVE and state in PRE_SOLUTION and kind not in DIRECT_KINDS:
        return "illegal"
    return "ok" if role in roles else "not allowed"


def test_it_defines_exactly_the_steps_of_the_requirements():
    assert set(lifecycle.STEPS) == set(SPEC)
    for action, (sources, roles) in SPEC.items():
        step = lifecycle.STEPS[action]
        assert set(step.sources) == sources, action
        assert set(step.roles) == roles, action


def test_it_allows_or_refuses_every_action_state_role_and_kind_exhaustively():
    mismatches = [
        (action, state, role, kind, outcome(action, state, role, kind))
        for action, state, role, kind in itertools.product(
            ALL_ACTIONS, ALL_STATES, ALL_ROLES, ALL_KINDS
        )
        if outcome(action, state, role, kind) != expected(action, state, role, kind)
    ]
    assert mismatches == []


@pytest.mark.parametrize("action", sorted(SPEC))
def test_it_refuses_each_step_from_every_other_state_as_illegal(action):
    sources, _roles = SPEC[action]
    for state in ALL_STATES:
        if state in sources:
            check_step(action, state, Role.ADMIN, kind=Kind.PETITION)
        else:
            with pytest.raises(IllegalStep):
                check_step(action, state, Role.ADMIN, kind=Kind.PETITION)


def test_it_refuses_what_is_not_a_lifecycle_step():
    for action in [A.NOTE, A.REPLY, A.REGISTER, A.CUSTOMER_MESSAGE, "delete", ""]:
        with pytest.raises(IllegalStep):
            check_step(action, S.RECEIVED, Role.ADMIN, kind=Kind.COMPLAINT)


def test_it_lets_the_auditor_take_no_step_at_all():
    for action, state, kind in itertools.product(ALL_ACTIONS, ALL_STATES, ALL_KINDS):
        assert outcome(action, state, Role.AUDITOR, kind) != "ok"
        assert available_steps(state, Role.AUDITOR, kind=kind) == []


@pytest.mark.parametrize(
    ("action", "state"),
    [
        (A.ACKNOWLEDGE, S.RECEIVED),
        (A.ASSIGN, S.ASSESSED),
        (A.ASSIGN, S.INVESTIGATING),
        (A.REOPEN, S.CLOSED),
        (A.REOPEN, S.NOT_ESTABLISHED),
    ],
)
def test_it_refuses_intake_steps_to_a_department_handler(action, state):
    with pytest.raises(NotAllowed):
        check_step(action, state, Role.HANDLER, kind=Kind.COMPLAINT)
    for role in INTAKE:
        check_step(action, state, role, kind=Kind.COMPLAINT)


@pytest.mark.parametrize(
    ("action", "state"),
    [
        (A.ASSESS, S.ACKNOWLEDGED),
        (A.START_INVESTIGATION, S.ASSIGNED),
        (A.PROPOSE, S.INVESTIGATING),
        (A.APPROVE, S.SOLUTION_PROPOSED),
        (A.COMMUNICATE, S.APPROVED),
        (A.RESOLVE, S.ACCEPTED),
        (A.CLOSE, S.FOLLOWED_UP),
        (A.WAIT, S.INVESTIGATING),
    ],
)
def test_it_lets_a_handler_work_the_case(action, state):
    check_step(action, state, Role.HANDLER, kind=Kind.COMPLAINT)


def test_it_lets_the_customer_only_accept_dispute_or_follow_up():
    allowed = {
        action
        for action, state, kind in itertools.product(ALL_ACTIONS, ALL_STATES, ALL_KINDS)
        if outcome(action, state, CUSTOMER, kind) == "ok"
    }
    # Following up is the customer's satisfied answer to the survey of a resolved case.
    assert allowed == {A.ACCEPT, A.DISPUTE, A.FOLLOW_UP}


def test_it_lets_the_system_only_acknowledge_and_resume():
    allowed = {
        action
        for action, state, kind in itertools.product(ALL_ACTIONS, ALL_STATES, ALL_KINDS)
        if outcome(action, state, SYSTEM, kind) == "ok"
    }
    assert allowed == {A.ACKNOWLEDGE, A.RESUME}


@pytest.mark.parametrize("state", sorted(PRE_SOLUTION))
def test_it_resolves_directly_only_requests_suggestions_and_compliments(state):
    for kind in [Kind.PETITION, Kind.SUGGESTION, Kind.COMPLIMENT]:
        check_step(A.RESOLVE, state, Role.HANDLER, kind=kind)
    for kind in [Kind.COMPLAINT, Kind.CLAIM]:
        with translation.override("en"), pytest.raises(IllegalStep) as refused:
            check_step(A.RESOLVE, state, Role.ADMIN, kind=kind)
        assert "propose a solution first" in refused.value.message


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_it_resolves_every_kind_after_acceptance_or_external_resolution(kind):
    check_step(A.RESOLVE, S.ACCEPTED, Role.HANDLER, kind=kind)
    check_step(A.RESOLVE, S.EXTERNAL, Role.HANDLER, kind=kind)


def test_it_explains_refusals_with_the_state_step_and_role():
    with translation.override("en"):
        with pytest.raises(IllegalStep) as illegal:
            check_step(A.APPROVE, S.RECEIVED, Role.ADMIN, kind=Kind.COMPLAINT)
        assert "Received" in illegal.value.message
        assert "Approve solution" in illegal.value.message
        assert str(illegal.value) == illegal.value.message

        with pytest.raises(NotAllowed) as refused:
            check_step(A.ASSIGN, S.ASSESSED, Role.HANDLER, kind=Kind.COMPLAINT)
        assert "Department handler" in refused.value.message
        assert "Assign" in refused.value.message

        with pytest.raises(NotAllowed) as refused:
            check_step(A.ASSESS, S.ACKNOWLEDGED, CUSTOMER, kind=Kind.COMPLAINT)
        assert "customer" in refused.value.message


@pytest.mark.parametrize(("action", "target"), sorted(FIXED_TARGETS.items()))
def test_it_leads_fixed_steps_to_their_state(action, target):
    for state in SPEC[action][0]:
        assert next_state(action, state) == target


def test_it_leads_an_assessment_to_assessed_or_not_established():
    assert next_state(A.ASSESS, S.ACKNOWLEDGED, established=True) == S.ASSESSED
    assert next_state(A.ASSESS, S.ACKNOWLEDGED, established=False) == S.NOT_ESTABLISHED


def test_it_assigns_an_assessed_case_and_reassigns_without_moving_it():
    assert next_state(A.ASSIGN, S.ASSESSED) == S.ASSIGNED
    assert next_state(A.ASSIGN, S.ASSIGNED) == S.ASSIGNED
    assert next_state(A.ASSIGN, S.INVESTIGATING) == S.INVESTIGATING


def test_it_resumes_where_the_case_was_before_waiting():
    for state in [S.ACKNOWLEDGED, S.ASSESSED, S.ASSIGNED, S.INVESTIGATING]:
        assert next_state(A.RESUME, S.WAITING, resume_state=state) == state
    assert next_state(A.RESUME, S.WAITING) == S.ACKNOWLEDGED


def test_it_reopens_to_the_investigation_when_someone_owns_the_case():
    for state in SPEC[A.REOPEN][0]:
        assert next_state(A.REOPEN, state, has_assignee=True) == S.INVESTIGATING
        assert next_state(A.REOPEN, state, has_assignee=False) == S.ACKNOWLEDGED


def test_it_stops_the_clock_only_while_waiting():
    open_states, finished = lifecycle.OPEN_STATES, lifecycle.FINISHED_STATES
    assert not open_states & finished
    assert open_states | finished | {S.WAITING} == set(ALL_STATES)
    assert S.WAITING not in open_states
    assert lifecycle.WAITABLE <= open_states


def _reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    seen, frontier = {start}, [start]
    while frontier:
        for nxt in edges[frontier.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    return seen


def test_it_reaches_every_state_from_received_and_closed_from_every_state_but_merged():
    edges: dict[str, set[str]] = {state: set() for state in ALL_STATES}
    for action in lifecycle.STEPS:
        for state in SPEC[action][0]:
            options = [
                next_state(
                    action,
                    state,
                    established=established,
                    resume_state=resume,
                    has_assignee=assigned,
                )
                for established in (True, False)
                for resume in lifecycle.WAITABLE
                for assigned in (True, False)
            ]
            edges[state].update(options)
    assert _reachable(edges, S.RECEIVED) == set(ALL_STATES)
    assert edges[S.MERGED] == set()  # a merged case lives on in the case it joined
    for start in set(ALL_STATES) - {S.MERGED}:
        assert S.CLOSED in _reachable(edges, start), start


@given(
    st.sampled_from(ALL_STATES),
    st.sampled_from(ALL_ROLES),
    st.sampled_from(ALL_KINDS),
)
def test_it_offers_exactly_the_steps_check_step_allows(state, role, kind):
    offered = available_steps(state, role, kind=kind)
    allowed = []
    for action in lifecycle.STEPS:
        try:
            check_step(action, state, role, kind=kind)
        except StepRefused:
            continue
        allowed.append(action)
    assert offered == allowed
    assert len(set(offered)) == len(offered)
    for action in offered:
        assert expected(action, state, role, kind) == "ok"
        target = next_state(
            action, state, established=True, resume_state=S.ASSIGNED, has_assignee=True
        )
        assert target in ALL_STATES


@given(st.sampled_from(ALL_STATES), st.sampled_from(ALL_KINDS))
def test_it_offers_supervisors_everything_a_handler_may_do(state, kind):
    handler = set(available_steps(state, Role.HANDLER, kind=kind))
    agent = set(available_steps(state, Role.AGENT, kind=kind))
    for role in [Role.SUPERVISOR, Role.MANAGER, Role.ADMIN]:
        assert handler | agent <= set(available_steps(state, role, kind=kind))
