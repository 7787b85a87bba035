"""Fixtures shared by every app's tests (registered in the repository's conftest.py).

Fixed personas, one per role, in fixed departments:

    agent       front-line agent, customer service (sees unrouted cases)
    handler     department handler, quality
    supervisor  supervisor, quality
    manager     manager (every department)
    admin       administrator, is_staff and is_superuser
    auditor     auditor, read-only (every department, not confidential cases)
    outsider    department handler of another department, workshop

`clock` freezes django.utils.timezone.now at a known instant that tests move explicitly, and
`make_complaint` registers a case through services.complaint_register and walks it to the
asked state through the real step services, so every case carries its messages and its
hash-chained audit trail exactly as in production.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from resuelve.accounts.models import Department, User
from resuelve.accounts.roles import Role
from resuelve.complaints import audit, merging, services
from resuelve.complaints.lifecycle import Kind, State
from resuelve.complaints.models import Category, Channel, Complaint, ComplaintEvent
from resuelve.customers.models import Customer, Product, Purchase

# A Monday, 09:00 in Bogotá (the default TIME_ZONE).
START = datetime(2025, 3, 3, 14, 0, tzinfo=UTC)


class Clock:
    """A stand-in for timezone.now that only moves when a test moves it."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        self.current += delta if delta is not None else timedelta(**kwargs)
        return self.current

    def set(self, when: datetime) -> datetime:
        self.current = when
        return self.current


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> Iterator[None]:
    """Rules, policies and endpoints are kept per process for a few seconds, and the
    dashboards' figures until the next refresh; a test must not see another test's rows
    through them."""
    from django.core.cache import cache

    from resuelve.deadlines.selectors import forget_policies
    from resuelve.notifications.services import forget_endpoints
    from resuelve.routing.selectors import forget_routing
    from resuelve.triage.selectors import forget_knowledge

    forgets = [forget_policies, forget_endpoints, forget_routing, forget_knowledge, cache.clear]
    for forget in forgets:
        forget()
    yield
    for forget in forgets:
        forget()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock(START)
    monkeypatch.setattr("django.utils.timezone.now", clock)
    return clock


# --- departments, category, personas ------------------------------------------------------


@pytest.fixture
def service_desk(db: None) -> Department:
    return Department.objects.create(code="customer-service", name="Customer service")


@pytest.fixture
def quality(db: None) -> Department:
    return Department.objects.create(code="quality", name="Quality")


@pytest.fixture
def workshop(db: None) -> Department:
    return Department.objects.create(code="workshop", name="Workshop")


@pytest.fixture
def departments(
    service_desk: Department, quality: Department, workshop: Department
) -> dict[str, Department]:
    return {"customer-service": service_desk, "quality": quality, "workshop": workshop}


@pytest.fixture
def category(quality: Department) -> Category:
    return Category.objects.create(
        code="product-defect", name="Product defect", default_department=quality
    )


def _persona(
    username: str,
    role: str,
    first_name: str,
    departments: list[Department],
    **extra: Any,
) -> User:
    user = User.objects.create_user(
        username=username,
        password="correct horse battery staple",
        first_name=first_name,
        last_name="Test",
        email=f"{username}@resuelve.test",
        role=role,
        **extra,
    )
    user.departments.set(departments)
    return user


@pytest.fixture
def agent(service_desk: Department) -> User:
    return _persona("agent", Role.AGENT, "Alba", [service_desk])


@pytest.fixture
def handler(quality: Department) -> User:
    return _persona("handler", Role.HANDLER, "Hugo", [quality])


@pytest.fixture
def supervisor(quality: Department) -> User:
    return _persona("supervisor", Role.SUPERVISOR, "Sara", [quality])


@pytest.fixture
def manager(db: None) -> User:
    return _persona("manager", Role.MANAGER, "Manuel", [])


@pytest.fixture
def admin(db: None) -> User:
    return _persona("admin", Role.ADMIN, "Ada", [], is_staff=True, is_superuser=True)


@pytest.fixture
def auditor(db: None) -> User:
    return _persona("auditor", Role.AUDITOR, "Aurora", [])


@pytest.fixture
def outsider(workshop: Department) -> User:
    return _persona("outsider", Role.HANDLER, "Omar", [workshop])


@pytest.fixture
def personas(
    agent: User,
    handler: User,
    supervisor: User,
    manager: User,
    admin: User,
    auditor: User,
    outsider: User,
) -> dict[str, User]:
    return {
        "agent": agent,
        "handler": handler,
        "supervisor": supervisor,
        "manager": manager,
        "admin": admin,
        "auditor": auditor,
        "outsider": outsider,
    }


@pytest.fixture
def customer(db: None) -> Customer:
    """A known customer with two purchases, who writes in English."""
    customer = Customer.objects.create(
        name="Carla Client", email="carla@example.com", phone="+57 300 000 0000", language="en"
    )
    brakes = Product.objects.create(sku="BRK-1", name="Brake pads")
    tyres = Product.objects.create(sku="TYR-4", name="All-season tyres")
    Purchase.objects.create(
        customer=customer,
        product=brakes,
        order_number="PO-1001",
        purchased_on=date(2025, 1, 10),
        amount=Decimal("350000"),
    )
    Purchase.objects.create(
        customer=customer,
        product=tyres,
        order_number="PO-1002",
        purchased_on=date(2025, 2, 14),
        amount=Decimal("1200000"),
    )
    return customer


# --- the complaint factory --------------------------------------------------------------------

# Where each state is reached from on the factory's walk; waiting is reached from `wait_from`.
_PARENT: dict[str, str] = {
    State.ACKNOWLEDGED: State.RECEIVED,
    State.ASSESSED: State.ACKNOWLEDGED,
    State.NOT_ESTABLISHED: State.ACKNOWLEDGED,
    State.ASSIGNED: State.ASSESSED,
    State.INVESTIGATING: State.ASSIGNED,
    State.SOLUTION_PROPOSED: State.INVESTIGATING,
    State.APPROVED: State.SOLUTION_PROPOSED,
    State.COMMUNICATED: State.APPROVED,
    State.ACCEPTED: State.COMMUNICATED,
    State.DISPUTED: State.COMMUNICATED,
    State.EXTERNAL: State.DISPUTED,
    State.RESOLVED: State.ACCEPTED,
    State.FOLLOWED_UP: State.RESOLVED,
    State.CLOSED: State.FOLLOWED_UP,
    State.MERGED: State.ACKNOWLEDGED,  # merged into a new case from the same customer
}

_DEFAULT = object()
MakeComplaint = Callable[..., Complaint]


@pytest.fixture
def make_complaint(clock: Clock, category: Category, handler: User, manager: User) -> MakeComplaint:
    """make_complaint(state="communicated", kind=..., confidential=..., **register_kwargs).

    Registers a case and walks it to `state` with the real services, as `by` (the manager by
    default, who sees every case and has no authority limit). Assessment files it under
    `category` (routing it to the category's department; category=None leaves it unrouted);
    assignment gives it to `department` and `assignee` (quality and the handler by default).
    """
    default_category = category

    def make(
        *,
        state: str = State.RECEIVED,
        kind: str = Kind.COMPLAINT,
        by: User | None = None,
        category: Category | None | object = _DEFAULT,
        department: Department | None = None,
        assignee: User | None | object = _DEFAULT,
        confidential: bool = False,
        value: Decimal = Decimal("50000"),
        wait_from: str = State.INVESTIGATING,
        **register: Any,
    ) -> Complaint:
        actor = by or manager
        chosen_category = default_category if category is _DEFAULT else category
        chosen_assignee = handler if assignee is _DEFAULT else assignee
        path = [state]
        while path[-1] != State.RECEIVED:
            current = path[-1]
            parent = wait_from if current == State.WAITING else _PARENT.get(current)
            if parent is None:
                raise ValueError(f"make_complaint cannot reach {current!r}")
            path.append(parent)
        path.reverse()
        if confidential and State.ASSESSED not in path:
            raise ValueError("a case is marked confidential when it is assessed")

        register.setdefault("channel", Channel.EMAIL)
        register.setdefault("subject", "The brakes squeak after the service")
        register.setdefault(
            "description", "Two days after the service the brakes squeak on every stop."
        )
        if register.get("customer") is None:  # a known customer brings their own contact data
            register.setdefault("contact_name", "Ana Pérez")
            register.setdefault("contact_email", "ana@example.com")
        case = services.complaint_register(kind=kind, **register)

        for target in path[1:]:
            case = _walk_one(
                case,
                target,
                actor=actor,
                category=chosen_category,
                department=department,
                assignee=chosen_assignee,
                confidential=confidential,
                value=value,
            )
            assert case.state == target, (case.state, target)
        return case

    return make


def _walk_one(
    case: Complaint,
    target: str,
    *,
    actor: User,
    category: Any,
    department: Department | None,
    assignee: Any,
    confidential: bool,
    value: Decimal,
) -> Complaint:
    if target == State.ACKNOWLEDGED:
        return services.complaint_acknowledge(complaint=case, actor=actor)
    if target == State.ASSESSED:
        return services.complaint_assess(
            complaint=case,
            actor=actor,
            established=True,
            reason="The service sheet confirms it.",
            category=category,
            confidential=confidential or None,
        )
    if target == State.NOT_ESTABLISHED:
        return services.complaint_assess(
            complaint=case,
            actor=actor,
            established=False,
            reason="The car was not serviced here.",
            category=category,
            answer="We checked our records and found no service of your car at our branches.",
        )
    if target == State.ASSIGNED:
        dept = department or case.department or (category.default_department if category else None)
        assert dept is not None, "pass department= to assign an unrouted case"
        return services.complaint_assign(
            complaint=case, actor=actor, department=dept, assignee=assignee
        )
    if target == State.INVESTIGATING:
        return services.complaint_start_investigation(complaint=case, actor=actor)
    if target == State.SOLUTION_PROPOSED:
        return services.complaint_propose_solution(
            complaint=case,
            actor=actor,
            solution="Replace the brake pads free of charge.",
            value=value,
        )
    if target == State.APPROVED:
        return services.complaint_approve_solution(complaint=case, actor=actor)
    if target == State.COMMUNICATED:
        return services.complaint_communicate(complaint=case, actor=actor)
    if target == State.ACCEPTED:
        return services.complaint_record_acceptance(complaint=case, actor=actor, name="Ana Pérez")
    if target == State.DISPUTED:
        return services.complaint_record_dispute(
            complaint=case, actor=actor, reason="I want my money back, not new pads."
        )
    if target == State.EXTERNAL:
        return services.complaint_refer_external(
            complaint=case, actor=actor, body="Superintendencia de Industria y Comercio"
        )
    if target == State.RESOLVED:
        return services.complaint_resolve(complaint=case, actor=actor, summary="Pads replaced.")
    if target == State.FOLLOWED_UP:
        return services.complaint_follow_up(complaint=case, actor=actor, satisfaction=4)
    if target == State.CLOSED:
        return services.complaint_close(complaint=case, actor=actor)
    if target == State.WAITING:
        return services.complaint_wait_for_customer(
            complaint=case, actor=actor, question="Please send a photo of the service sheet."
        )
    if target == State.MERGED:
        into = services.complaint_register(
            channel=case.channel,
            kind=case.kind,
            subject=case.subject,
            description=case.description,
            customer=case.customer,
            contact_name=case.contact_name,
            contact_email=case.contact_email,
            contact_phone=case.contact_phone,
            language=case.language,
            acknowledge=True,
        )
        merging.complaint_merge(duplicate=case, into=into, actor=actor, reason="The same squeak.")
        return case
    raise AssertionError(f"no walk to {target}")


@pytest.fixture
def scoped_cases(
    make_complaint: MakeComplaint,
    workshop: Department,
    service_desk: Department,
    outsider: User,
    agent: User,
) -> dict[str, Complaint]:
    """One case in each corner of the visibility rules, by name."""
    return {
        "quality": make_complaint(state=State.ASSIGNED, subject="Quality case"),
        "workshop": make_complaint(
            state=State.ASSIGNED, department=workshop, assignee=outsider, subject="Workshop case"
        ),
        "desk": make_complaint(
            state=State.ASSIGNED, department=service_desk, assignee=agent, subject="Desk case"
        ),
        "unrouted": make_complaint(state=State.ACKNOWLEDGED, subject="Unrouted case"),
        "unrouted_assessed": make_complaint(
            state=State.ASSESSED, category=None, subject="Assessed, not routed"
        ),
        "secret_mine": make_complaint(
            state=State.ASSIGNED, confidential=True, subject="Confidential, the handler is assigned"
        ),
        "secret_nobodys": make_complaint(
            state=State.ASSESSED, confidential=True, subject="Confidential, unassigned"
        ),
        "secret_workshop": make_complaint(
            state=State.ASSIGNED,
            confidential=True,
            department=workshop,
            assignee=outsider,
            subject="Confidential, workshop",
        ),
    }


def chain_problems(case: Complaint) -> list[audit.ChainProblem]:
    """What is wrong with a case's stored audit chain (empty when it verifies)."""
    case = Complaint.objects.get(pk=case.pk)
    events = ComplaintEvent.objects.filter(complaint=case).order_by("seq").values()
    return audit.verify_chain(
        tracking_code=case.tracking_code,
        head=case.audit_head,
        count=case.event_count,
        events=events,
    )
