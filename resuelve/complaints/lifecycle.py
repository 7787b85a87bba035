"""The complaint lifecycle (ISO 10002; REQUIREMENTS B-F): states, steps, who may take them.

Pure: no I/O. Services ask `check_step` before changing anything and `next_state` for where a
step leads; pages ask `available_steps` which forms to show.

received -> acknowledged -> assessed | not_established -> assigned -> investigating
-> solution_proposed -> approved -> communicated -> accepted | disputed
disputed -> solution_proposed (another round) | external_resolution
accepted | external_resolution -> resolved -> followed_up -> closed
Any open, pre-solution state <-> waiting_customer (the clock stops while waiting).
resolved | followed_up | closed | not_established -> reopen.
Any open, pre-solution state -> merged (a duplicate joins another open case, for good).
Petitions, suggestions and compliments may be answered and resolved without a solution.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from resuelve.accounts.roles import Role


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ASSESSED = "assessed", _("Assessed")
    NOT_ESTABLISHED = "not_established", _("Not established")
    ASSIGNED = "assigned", _("Assigned")
    INVESTIGATING = "investigating", _("Investigating")
    SOLUTION_PROPOSED = "solution_proposed", _("Solution proposed")
    APPROVED = "approved", _("Solution approved")
    COMMUNICATED = "communicated", _("Solution sent to customer")
    ACCEPTED = "accepted", _("Accepted by customer")
    DISPUTED = "disputed", _("Disputed by customer")
    EXTERNAL = "external_resolution", _("Referred to external resolution")
    RESOLVED = "resolved", _("Resolved")
    FOLLOWED_UP = "followed_up", _("Followed up")
    CLOSED = "closed", _("Closed")
    WAITING = "waiting_customer", _("Waiting for customer")
    MERGED = "merged", _("Merged into another case")


class Kind(models.TextChoices):
    PETITION = "petition", _("Request (petición)")
    COMPLAINT = "complaint", _("Complaint (queja)")
    CLAIM = "claim", _("Claim (reclamo)")
    SUGGESTION = "suggestion", _("Suggestion")
    COMPLIMENT = "compliment", _("Compliment")


class Action(models.TextChoices):
    REGISTER = "register", _("Registered")
    ACKNOWLEDGE = "acknowledge", _("Acknowledge")
    ASSESS = "assess", _("Assess")
    ASSIGN = "assign", _("Assign")
    START_INVESTIGATION = "start_investigation", _("Start investigation")
    PROPOSE = "propose", _("Propose solution")
    APPROVE = "approve", _("Approve solution")
    REJECT = "reject", _("Send solution back")
    COMMUNICATE = "communicate", _("Send solution to customer")
    ACCEPT = "accept", _("Record acceptance")
    DISPUTE = "dispute", _("Record dispute")
    REFER_EXTERNAL = "refer_external", _("Refer to external resolution")
    RESOLVE = "resolve", _("Resolve")
    FOLLOW_UP = "follow_up", _("Record follow-up")
    CLOSE = "close", _("Close")
    REOPEN = "reopen", _("Reopen")
    WAIT = "wait", _("Ask the customer and wait")
    RESUME = "resume", _("Resume")
    NOTE = "note", _("Internal note")
    REPLY = "reply", _("Message to customer")
    CUSTOMER_MESSAGE = "customer_message", _("Message from customer")
    # Recorded by triage, deadlines and duplicate handling; none changes the state on its own
    # except merge (the duplicate is finished, its messages kept on the case it joined).
    ROUTE = "route", _("Routed")
    EXTEND = "extend", _("Deadline extended")
    ESCALATE = "escalate", _("Escalated")
    MERGE = "merge", _("Merge into another case")
    ABSORB = "absorb", _("Duplicate merged in")


# Actors that are not staff users: the system itself and the customer (portal, e-mail).
SYSTEM = "system"
CUSTOMER = "customer"

S = State
STAFF = frozenset({Role.AGENT, Role.HANDLER, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})
SUPERVISORS = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})
INTAKE = frozenset({Role.AGENT, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})

# States in which the answer deadline runs and a case can be overdue.
OPEN_STATES = frozenset(
    {
        S.RECEIVED,
        S.ACKNOWLEDGED,
        S.ASSESSED,
        S.ASSIGNED,
        S.INVESTIGATING,
        S.SOLUTION_PROPOSED,
        S.APPROVED,
        S.COMMUNICATED,
        S.DISPUTED,
        S.ACCEPTED,
    }
)
FINISHED_STATES = frozenset(
    {S.RESOLVED, S.FOLLOWED_UP, S.CLOSED, S.NOT_ESTABLISHED, S.EXTERNAL, S.MERGED}
)
# A case may wait for the customer only before a solution is on the table.
WAITABLE = frozenset({S.ACKNOWLEDGED, S.ASSESSED, S.ASSIGNED, S.INVESTIGATING})
# A duplicate may be merged into another case only before a solution is on the table: after
# that the customer is answering a proposal made on this very case.
MERGEABLE = frozenset({S.RECEIVED, S.ACKNOWLEDGED, S.ASSESSED, S.ASSIGNED, S.INVESTIGATING})
# Kinds answered directly, without a solution to approve.
DIRECT_ANSWER_KINDS = frozenset({Kind.PETITION, Kind.SUGGESTION, Kind.COMPLIMENT})


@dataclass(frozen=True)
class Step:
    action: str
    sources: frozenset[str]
    roles: frozenset[str]
    target: str | None  # None: decided by next_state from the step's input


STEPS: dict[str, Step] = {
    step.action: step
    for step in [
        Step(Action.ACKNOWLEDGE, frozenset({S.RECEIVED}), INTAKE | {SYSTEM}, S.ACKNOWLEDGED),
        Step(Action.ASSESS, frozenset({S.ACKNOWLEDGED}), STAFF, None),
        Step(Action.ASSIGN, frozenset({S.ASSESSED, S.ASSIGNED, S.INVESTIGATING}), INTAKE, None),
        Step(Action.START_INVESTIGATION, frozenset({S.ASSIGNED}), STAFF, S.INVESTIGATING),
        Step(Action.PROPOSE, frozenset({S.INVESTIGATING, S.DISPUTED}), STAFF, S.SOLUTION_PROPOSED),
        Step(Action.APPROVE, frozenset({S.SOLUTION_PROPOSED}), STAFF, S.APPROVED),
        Step(Action.REJECT, frozenset({S.SOLUTION_PROPOSED}), STAFF, S.INVESTIGATING),
        Step(Action.COMMUNICATE, frozenset({S.APPROVED}), STAFF, S.COMMUNICATED),
        Step(Action.ACCEPT, frozenset({S.COMMUNICATED}), STAFF | {CUSTOMER}, S.ACCEPTED),
        Step(Action.DISPUTE, frozenset({S.COMMUNICATED}), STAFF | {CUSTOMER}, S.DISPUTED),
        Step(Action.REFER_EXTERNAL, frozenset({S.DISPUTED}), STAFF, S.EXTERNAL),
        Step(
            Action.RESOLVE,
            frozenset({S.ACCEPTED, S.EXTERNAL, S.ASSESSED, S.ASSIGNED, S.INVESTIGATING}),
            STAFF,
            S.RESOLVED,
        ),
        # The customer follows a case up by answering its satisfaction survey (F4).
        Step(Action.FOLLOW_UP, frozenset({S.RESOLVED}), STAFF | {CUSTOMER}, S.FOLLOWED_UP),
        Step(
            Action.CLOSE, frozenset({S.FOLLOWED_UP, S.RESOLVED, S.NOT_ESTABLISHED}), STAFF, S.CLOSED
        ),
        Step(
            Action.REOPEN,
            frozenset({S.RESOLVED, S.FOLLOWED_UP, S.CLOSED, S.NOT_ESTABLISHED}),
            INTAKE,
            None,
        ),
        Step(Action.WAIT, WAITABLE, STAFF, S.WAITING),
        Step(Action.RESUME, frozenset({S.WAITING}), STAFF | {SYSTEM}, None),
        Step(Action.MERGE, MERGEABLE, STAFF, S.MERGED),
    ]
}

# Steps that need no role check beyond being able to write on the case: notes and replies.
ANY_STATE_ACTIONS = frozenset({Action.NOTE, Action.REPLY})


class StepRefused(Exception):
    """A step that cannot be taken; its message is translated and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class IllegalStep(StepRefused):
    pass


class NotAllowed(StepRefused):
    pass


def check_step(action: str, state: str, role: str, *, kind: str) -> None:
    """Raise IllegalStep or NotAllowed unless `role` may take `action` from `state`."""
    step = STEPS.get(action)
    if step is None:
        raise IllegalStep(_("“%(action)s” is not a lifecycle step.") % {"action": action})
    if state not in step.sources:
        raise IllegalStep(
            _("A case that is “%(state)s” cannot take the step “%(action)s”.")
            % {"state": State(state).label, "action": Action(action).label}
        )
    if action == Action.RESOLVE and state in {S.ASSESSED, S.ASSIGNED, S.INVESTIGATING}:
        if kind not in DIRECT_ANSWER_KINDS:
            raise IllegalStep(
                _(
                    "A %(kind)s is resolved through an approved solution that the customer "
                    "accepts; propose a solution first."
                )
                % {"kind": Kind(kind).label}
            )
    if role not in step.roles:
        raise NotAllowed(
            _("Your role (%(role)s) may not take the step “%(action)s”.")
            % {"role": role_label(role), "action": Action(action).label}
        )


def role_label(role: str) -> str:
    if role == SYSTEM:
        return str(_("system"))
    if role == CUSTOMER:
        return str(_("customer"))
    return str(Role(role).label)


def next_state(
    action: str,
    state: str,
    *,
    established: bool | None = None,
    resume_state: str = "",
    has_assignee: bool = False,
) -> str:
    step = STEPS[action]
    if step.target is not None:
        return step.target
    if action == Action.ASSESS:
        if not established:
            return S.NOT_ESTABLISHED
        # Routing may have given the case its person at intake: nothing is left to assign.
        return S.ASSIGNED if has_assignee else S.ASSESSED
    if action == Action.ASSIGN:
        return S.ASSIGNED if state == S.ASSESSED else state
    if action == Action.RESUME:
        return resume_state or S.ACKNOWLEDGED
    if action == Action.REOPEN:
        return S.INVESTIGATING if has_assignee else S.ACKNOWLEDGED
    raise AssertionError(f"no target rule for {action}")


def available_steps(state: str, role: str, *, kind: str) -> list[str]:
    """The steps `role` may take now, in lifecycle order."""
    allowed = []
    for action in STEPS:
        try:
            check_step(action, state, role, kind=kind)
        except StepRefused:
            continue
        allowed.append(action)
    return allowed
