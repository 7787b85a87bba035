"""Load the demo company and its complaints, from 500 for a demo to 1,000,000 for benchmarks.

Complaints are written in batches straight into the tables (executemany on SQLite, COPY on
PostgreSQL), with the same rows, messages and hash-chained audit events the services write,
so `resuelve verify-audit` passes on them. Everything is deterministic and idempotent:
running it again adds only what is missing."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from resuelve.accounts.models import Department, User
from resuelve.complaints import audit, tracking
from resuelve.complaints.lifecycle import OPEN_STATES, Action, Kind, State
from resuelve.complaints.models import Category, Complaint, ComplaintEvent, Message
from resuelve.core.text import fold
from resuelve.customers.models import Branch, Customer, Product, Purchase, Region, Supplier
from resuelve.customers.phones import significant_digits
from resuelve.demo import company
from resuelve.intake.models import PublishedPage

Progress = Callable[[str], None]


# --- the company ------------------------------------------------------------------------------


@dataclass
class Company:
    departments: dict[str, int]
    categories: dict[str, tuple[int, str, int]]  # code -> (id, name, department id)
    department_names: dict[int, str]
    users: dict[str, User]
    members: dict[int, list[User]]  # department id -> handlers/agents who work cases there
    branches: dict[str, int]
    products: list[tuple[int, str, int]]  # (id, name, price)


def ensure_company() -> Company:
    """Departments, categories, staff, branches and products: created once, then reused."""
    with transaction.atomic():
        departments = {}
        for code, name, _head, duties in company.DEPARTMENTS:
            dept, _created = Department.objects.get_or_create(
                code=code, defaults={"name": name, "duties": duties}
            )
            departments[code] = dept
        users = {}
        for username, first, last, role, dept_codes, language in company.USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(
                    username=username,
                    first_name=first,
                    last_name=last,
                    role=role,
                    language=language,
                    email=f"{username}@autoandes.example",
                    is_staff=role == "admin",
                    is_superuser=role == "admin",
                )
                user.set_password(company.DEMO_PASSWORD)
                user.save()
                user.departments.set([departments[c] for c in dept_codes])
            users[username] = user
        for code, _name, head, _duties in company.DEPARTMENTS:
            dept = departments[code]
            if dept.head_id is None:
                dept.head = users[head]
                dept.save(update_fields=["head"])
        categories = {}
        for code, name, dept_code in company.CATEGORIES:
            cat, _created = Category.objects.get_or_create(
                code=code, defaults={"name": name, "default_department": departments[dept_code]}
            )
            categories[code] = (
                cat.pk,
                cat.name,
                cat.default_department_id or departments[dept_code].pk,
            )
        branches = {}
        for region_name, places in company.REGIONS.items():
            region, _created = Region.objects.get_or_create(name=region_name)
            for branch_name, city in places:
                branch, _created = Branch.objects.get_or_create(
                    name=branch_name, defaults={"region": region, "city": city}
                )
                branches[branch_name] = branch.pk
        suppliers = [Supplier.objects.get_or_create(name=name)[0] for name in company.SUPPLIERS]
        for slug, language, title, body in company.PUBLISHED_PAGES:
            PublishedPage.objects.get_or_create(
                slug=slug, language=language, defaults={"title": title, "body": body}
            )
        products = []
        for sku, name, supplier_index, is_service, price in company.PRODUCTS:
            product, _created = Product.objects.get_or_create(
                sku=sku,
                defaults={
                    "name": name,
                    "is_service": is_service,
                    "supplier": suppliers[supplier_index] if supplier_index is not None else None,
                },
            )
            products.append((product.pk, product.name, price))
        _ensure_routing(departments, users)
        from resuelve.triage.services import seed_demo_rules

        seed_demo_rules()
    members: dict[int, list[User]] = {}
    for user in users.values():
        for dept_id in user.department_ids():
            if user.role in ("agent", "handler", "supervisor"):
                members.setdefault(dept_id, []).append(user)
    return Company(
        departments={code: d.pk for code, d in departments.items()},
        categories=categories,
        department_names={d.pk: d.name for d in departments.values()},
        users=users,
        members=members,
        branches=branches,
        products=products,
    )


def _ensure_routing(departments: dict[str, Department], users: dict[str, User]) -> None:
    """The seeds' routing (C3) as rules, and who takes automatic assignments; only when the
    company has none yet, so an administrator's changes are kept."""
    from resuelve.routing.models import AgentProfile, RoutingRule

    if not RoutingRule.objects.exists():
        for (
            name,
            position,
            stop,
            cats,
            text,
            dept,
            assignee,
            severity,
            secret,
        ) in company.ROUTING_RULES:
            rule = RoutingRule.objects.create(
                name=name,
                position=position,
                stop=stop,
                text_contains=text,
                department=departments[dept] if dept else None,
                assignee=users[assignee] if assignee else None,
                severity=severity,
                confidential=secret,
            )
            rule.categories.set(Category.objects.filter(code__in=cats))
    for username, (capacity, languages, skills) in company.AGENT_PROFILES.items():
        profile, created = AgentProfile.objects.get_or_create(
            user=users[username], defaults={"capacity": capacity, "languages": languages}
        )
        if created:
            profile.skills.set(Category.objects.filter(code__in=skills))


# --- customers and purchases ------------------------------------------------------------------


def _weighted_language(rng: random.Random) -> str:
    return rng.choices(
        [code for code, _w in company.LANGUAGE_WEIGHTS],
        weights=[w for _code, w in company.LANGUAGE_WEIGHTS],
    )[0]


def _customer_name(rng: random.Random, language: str) -> str:
    first = rng.choice(company.FIRST_NAMES[language])
    last = rng.choice(company.LAST_NAMES[language])
    return f"{last}{first}" if language == "zh-hans" else f"{first} {last}"


CUSTOMER_COLUMNS = [
    "id",
    "external_ref",
    "name",
    "email",
    "phone",
    "phone_digits",
    "search_name",
    "id_document",
    "address",
    "language",
    "tier",
    "member_since",
    "preferred_channel",
    "contact_hours",
    "created_at",
    "region_id",
    "country",
    "time_zone",
    "renewal_on",
    "birthday",
    "consent_email",
    "consent_phone",
    "consent_sms",
    "consent_messaging",
    "consent_letter",
    "quiet_from",
    "quiet_until",
    "contact_from",
    "contact_until",
    "contact_days",
]
# Where a demo customer lives, by their home branch: (country, time zone).
BRANCH_PLACES = {
    "Lima Miraflores": ("PE", "America/Lima"),
    "Tallinn Ülemiste": ("EE", "Europe/Tallinn"),
    "上海浦东": ("CN", "Asia/Shanghai"),
}
CONTACT_WINDOWS = {
    "": (None, None),
    "9:00-12:00": (clock_time(9), clock_time(12)),
    "14:00-18:00": (clock_time(14), clock_time(18)),
    "17:00-19:00": (clock_time(17), clock_time(19)),
}
PURCHASE_COLUMNS = [
    "customer_id",
    "product_id",
    "order_number",
    "branch_id",
    "purchased_on",
    "amount",
    "currency",
    "batch",
]


def ensure_customers(
    target: int, *, now: datetime, progress: Progress, batch: int = 20_000
) -> None:
    """Customers numbered demo-1..demo-N, each with one or two purchases."""
    existing = Customer.objects.filter(external_ref__startswith="demo-").count()
    if existing >= target:
        return
    a = Adapter(connection.vendor)
    products = list(Product.objects.values_list("id", "sku"))
    prices = {sku: price for sku, _n, _s, _svc, price in company.PRODUCTS}
    branches = dict(Branch.objects.values_list("name", "id"))
    branch_regions = dict(Branch.objects.values_list("name", "region_id"))
    tiers = ["none"] * 6 + ["silver"] * 2 + ["gold", "platinum"]
    next_id = (Customer.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    created = a.dt(now)
    for start in range(existing + 1, target + 1, batch):
        stop = min(target, start + batch - 1)
        customers = []
        purchases = []
        for n in range(start, stop + 1):
            rng = random.Random(n)
            language = _weighted_language(rng)
            tier = rng.choice(tiers)
            since = (now - timedelta(days=rng.randint(30, 2000))).date() if tier != "none" else None
            pk = next_id
            next_id += 1
            phone = f"+57 3{rng.randint(10, 29)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
            name = _customer_name(rng, language)
            channel = rng.choice(["email", "email", "phone", "sms"])
            hours = rng.choice(list(CONTACT_WINDOWS))
            home = rng.choice(company.LANGUAGE_BRANCHES[language])
            country, zone = BRANCH_PLACES.get(home, ("CO", "America/Bogota"))
            renewal = None
            if since is not None:
                renewal = (
                    since.replace(year=now.year) if (since.month, since.day) != (2, 29) else None
                )
                if renewal is not None and renewal < now.date():
                    renewal = renewal.replace(year=now.year + 1)
            birthday = date(rng.randint(1950, 2002), rng.randint(1, 12), rng.randint(1, 28))
            quiet = rng.choice(
                [(clock_time(21), clock_time(8)), (clock_time(22), clock_time(7)), (None, None)]
            )
            customers.append(
                (
                    pk,
                    f"demo-{n}",
                    name,
                    f"cliente{n}@example.com",
                    phone,
                    significant_digits(phone),
                    fold(name),
                    "",
                    "",
                    language,
                    tier,
                    a.day(since),
                    channel,
                    hours,
                    created,
                    branch_regions.get(home),
                    country,
                    zone,
                    a.day(renewal),
                    a.day(birthday),
                    rng.random() > 0.04,  # a few have withdrawn each consent
                    rng.random() > 0.06,
                    rng.random() > 0.08,
                    rng.random() > 0.1,
                    rng.random() > 0.3,
                    a.tm(quiet[0]),
                    a.tm(quiet[1]),
                    a.tm(CONTACT_WINDOWS[hours][0]),
                    a.tm(CONTACT_WINDOWS[hours][1]),
                    rng.choice(["", "", "12345", "123456"]),
                )
            )
            for i in range(rng.choice([1, 1, 2])):
                index = 0 if i == 0 and rng.random() < 0.6 else rng.randrange(len(products))
                product_id, sku = products[index]
                purchases.append(
                    (
                        pk,
                        product_id,
                        f"AA-{n:07d}-{i + 1}",
                        branches[rng.choice(company.LANGUAGE_BRANCHES[language])],
                        a.day((now - timedelta(days=rng.randint(20, 900))).date()),
                        a.dec(prices[sku] * rng.choice([1, 1, 1, 2])),
                        "COP",
                        f"L{rng.randint(2401, 2412)}-{rng.randint(1, 40):02d}",
                    )
                )
        with transaction.atomic():
            _insert(Customer._meta.db_table, CUSTOMER_COLUMNS, customers)
            _insert(Purchase._meta.db_table, PURCHASE_COLUMNS, purchases)
        progress(f"customers {stop:,}/{target:,}")
    _reset_sequence(Customer._meta.db_table)


def _reset_sequence(table: str) -> None:
    """After rows with explicit ids, PostgreSQL's id sequence must continue after them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {table}))",
                [table],
            )


# --- complaints -------------------------------------------------------------------------------

# Where a case ends up, by its age. Old cases are mostly closed; recent ones are in every state.
OLD = [
    (State.CLOSED, 70),
    (State.FOLLOWED_UP, 6),
    (State.RESOLVED, 5),
    (State.NOT_ESTABLISHED, 7),
    (State.EXTERNAL, 2),
    (State.INVESTIGATING, 2),
    (State.COMMUNICATED, 1),
    (State.DISPUTED, 1),
    (State.WAITING, 1),
    (State.ACCEPTED, 1),
]
RECENT = [
    (State.RECEIVED, 8),
    (State.ACKNOWLEDGED, 10),
    (State.ASSESSED, 8),
    (State.ASSIGNED, 10),
    (State.INVESTIGATING, 14),
    (State.SOLUTION_PROPOSED, 6),
    (State.APPROVED, 4),
    (State.COMMUNICATED, 6),
    (State.ACCEPTED, 4),
    (State.DISPUTED, 3),
    (State.WAITING, 5),
    (State.RESOLVED, 8),
    (State.FOLLOWED_UP, 4),
    (State.CLOSED, 6),
    (State.NOT_ESTABLISHED, 4),
]
MIDDLE = [
    (State.CLOSED, 45),
    (State.FOLLOWED_UP, 10),
    (State.RESOLVED, 10),
    (State.INVESTIGATING, 8),
    (State.ASSIGNED, 4),
    (State.COMMUNICATED, 4),
    (State.ACCEPTED, 3),
    (State.DISPUTED, 3),
    (State.EXTERNAL, 2),
    (State.WAITING, 4),
    (State.NOT_ESTABLISHED, 7),
]

SOLUTION_PATH = [
    (Action.ACKNOWLEDGE, State.ACKNOWLEDGED),
    (Action.ASSESS, State.ASSESSED),
    (Action.ASSIGN, State.ASSIGNED),
    (Action.START_INVESTIGATION, State.INVESTIGATING),
    (Action.PROPOSE, State.SOLUTION_PROPOSED),
    (Action.APPROVE, State.APPROVED),
    (Action.COMMUNICATE, State.COMMUNICATED),
    (Action.ACCEPT, State.ACCEPTED),
    (Action.RESOLVE, State.RESOLVED),
    (Action.FOLLOW_UP, State.FOLLOWED_UP),
    (Action.CLOSE, State.CLOSED),
]
DIRECT_PATH = [
    (Action.ACKNOWLEDGE, State.ACKNOWLEDGED),
    (Action.ASSESS, State.ASSESSED),
    (Action.ASSIGN, State.ASSIGNED),
    (Action.RESOLVE, State.RESOLVED),
    (Action.FOLLOW_UP, State.FOLLOWED_UP),
    (Action.CLOSE, State.CLOSED),
]
CHANNELS = [
    "web",
    "web",
    "email",
    "email",
    "phone",
    "phone",
    "in_person",
    "letter",
    "hotline",
    "service_center",
    "social",
]
ANSWERS = {
    "es": "Estimado/a {name}: hemos recibido su mensaje y lo registramos con el número {code}. "
    "Le responderemos a más tardar el {due}.",
    "en": "Dear {name}, we have received your message and registered it under the tracking number "
    "{code}. We will answer by {due} at the latest.",
    "zh-hans": "尊敬的{name}：我们已收到您的来信，受理编号为 {code}。我们将在 {due} 之前答复您。",
    "et": "Lugupeetud {name}, oleme teie kirja kätte saanud ja registreerinud viitenumbriga {code}. "
    "Vastame hiljemalt {due}.",
}


# One case in CHASED has the customer writing again while it is investigated: it was not
# resolved at the first contact.
CHASED = 4
CHASE = "Buenos días, ¿hay alguna novedad sobre mi caso? Sigo esperando una respuesta."


def _demo_code(pk: int) -> str:
    """A unique, random-looking code for a demo row: an odd multiplier and a xor permute the
    id over 45 bits, so two ids never share a code."""
    value = ((pk * 0x1E3779B97F) ^ 0x0A5A5A5A5A5) & ((1 << tracking.RANDOM_BITS) - 1)
    symbols = []
    for _ in range(tracking.RANDOM_SYMBOLS):
        symbols.append(tracking.ALPHABET[value & 31])
        value >>= 5
    payload = "".join(symbols)
    return tracking.format_code(payload + tracking.check_symbol(payload))


@dataclass
class Adapter:
    """Turns Python values into what the database driver stores for Django's field types."""

    vendor: str

    def dt(self, value: datetime | None) -> Any:
        if value is None or self.vendor != "sqlite":
            return value
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")

    def day(self, value: date | None) -> Any:
        return value.isoformat() if value is not None and self.vendor == "sqlite" else value

    def tm(self, value: clock_time | None) -> Any:
        return value.isoformat() if value is not None and self.vendor == "sqlite" else value

    def dec(self, value: Decimal | int | None) -> Any:
        if value is None:
            return None
        return str(value) if self.vendor == "sqlite" else Decimal(value)


@dataclass
class Batch:
    complaints: list[tuple[Any, ...]] = field(default_factory=list)
    messages: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)


COMPLAINT_COLUMNS = [
    "id",
    "is_open",
    "tracking_code",
    "kind",
    "channel",
    "state",
    "customer_id",
    "contact_name",
    "contact_email",
    "contact_phone",
    "language",
    "subject",
    "description",
    "product_id",
    "purchase_id",
    "branch_id",
    "employee_name",
    "remedy_requested",
    "amount_claimed",
    "currency",
    "occurred_on",
    "received_at",
    "category_id",
    "severity",
    "confidential",
    "validity",
    "validity_reason",
    "department_id",
    "assignee_id",
    "ack_due_at",
    "due_at",
    "acknowledged_at",
    "paused_at",
    "resume_state",
    "solution",
    "solution_value",
    "solution_proposed_by_id",
    "solution_approved_by_id",
    "dispute_rounds",
    "accepted_by_name",
    "accepted_at",
    "accepted_ip",
    "resolution_summary",
    "resolved_at",
    "satisfaction",
    "closed_at",
    "event_count",
    "audit_head",
    "updated_at",
]
MESSAGE_COLUMNS = [
    "complaint_id",
    "author_id",
    "from_customer",
    "visibility",
    "channel",
    "body",
    "created_at",
    "delivered_at",
]
EVENT_COLUMNS = list(audit.EVENT_COLUMNS)


def _label(user: User) -> str:
    return f"{user.get_full_name() or user.username} ({user.role})"


class ComplaintFactory:
    def __init__(
        self,
        co: Company,
        customers: Sequence[tuple[Any, ...]],
        purchases: dict[int, list[tuple[int, int, int | None]]],
        now: datetime,
        adapter: Adapter,
        *,
        first_id: int = 1,
        last_id: int = 1,
    ) -> None:
        self.co = co
        self.customers = customers
        self.purchases = purchases
        self.now = now
        self.first_id = first_id
        self.last_id = last_id
        self.a = adapter
        self.products = {pid: (name, price) for pid, name, price in co.products}
        self.front = [u for u in co.users.values() if u.role == "agent"]
        self.supervisors = [u for u in co.users.values() if u.role == "supervisor"]
        self.manager = co.users["elena"]

    def build(self, pk: int, batch: Batch) -> None:
        rng = random.Random(pk * 7919)
        now = self.now
        # Complaints arrive over the last year in id order, more of them lately (the company
        # grows); writing them in arrival order keeps every "newest first" index append-only.
        position = (pk - self.first_id + 0.5) / max(1, self.last_id - self.first_id + 1)
        age = 365 * (1 - position) ** 1.3
        received = now - timedelta(days=age, seconds=rng.randint(0, 3_600))
        received = received.replace(microsecond=rng.randint(0, 999_999))
        customer = self.customers[rng.randrange(len(self.customers))]
        cust_id, name, email, phone, language = customer
        purchase = rng.choice(self.purchases.get(cust_id, [(None, None, None)]))
        purchase_id, product_id, branch_id = purchase
        category_code = rng.choices(
            [c[0] for c in company.CATEGORIES], weights=[14, 8, 18, 8, 12, 8, 14, 6, 12]
        )[0]
        cat_id, cat_name, dept_id = self.co.categories[category_code]
        if category_code == "sugerencias":
            kind = rng.choice([Kind.SUGGESTION, Kind.SUGGESTION, Kind.COMPLIMENT])
        else:
            kind = rng.choices([Kind.COMPLAINT, Kind.CLAIM, Kind.PETITION], weights=[45, 45, 10])[0]
        texts = company.TEXTS[category_code][language]
        subject, description, remedy = texts[rng.randrange(len(texts))]
        product_name = self.products.get(product_id, ("", 0))[0] if product_id else "vehículo"
        description = description.format(product=product_name)
        subject = subject.format(product=product_name)
        channel = (
            "suggestion_box"
            if kind == Kind.SUGGESTION and rng.random() < 0.3
            else rng.choice(CHANNELS)
        )
        weights = RECENT if age < 20 else MIDDLE if age < 60 else OLD
        final = rng.choices([s for s, _w in weights], weights=[w for _s, w in weights])[0]
        if pk > self.last_id - 3 * len(DEMO_STATES):
            # The first cases cover every state, so even a small demo shows the whole lifecycle.
            final = DEMO_STATES[pk % len(DEMO_STATES)]
            if kind in (Kind.PETITION, Kind.SUGGESTION, Kind.COMPLIMENT):
                kind = Kind.CLAIM
                texts = company.TEXTS["taller"][language]
                subject, description, remedy = texts[0]
                description = description.format(product=product_name)
                cat_id, cat_name, dept_id = self.co.categories["taller"]
                category_code = "taller"
        direct = kind in (Kind.PETITION, Kind.SUGGESTION, Kind.COMPLIMENT)
        path = _path_for(final, direct)
        severity = rng.choices(["low", "medium", "high", "critical"], weights=[20, 55, 20, 5])[0]
        confidential = (
            category_code == "contrato"
            and rng.random() < 0.4
            or severity == "critical"
            and rng.random() < 0.3
        )
        front = rng.choice(self.front)
        handlers = self.co.members.get(dept_id) or self.front
        handler = rng.choice(handlers)
        supervisor = rng.choice(self.supervisors)
        solution_text, solution_value = company.SOLUTIONS[category_code]
        solution_value = Decimal(solution_value)
        amount_claimed = (
            Decimal(rng.choice([0, 150_000, 400_000, 1_000_000, 2_500_000]))
            if kind == Kind.CLAIM
            else None
        )

        row: dict[str, Any] = {
            "id": pk,
            "tracking_code": _demo_code(pk),
            "kind": kind,
            "channel": channel,
            "state": State.RECEIVED,
            "customer_id": cust_id,
            "contact_name": name,
            "contact_email": email,
            "contact_phone": phone,
            "language": language,
            "subject": subject,
            "description": description,
            "product_id": product_id,
            "purchase_id": purchase_id,
            "branch_id": branch_id,
            "employee_name": "",
            "remedy_requested": remedy,
            "amount_claimed": amount_claimed,
            "currency": "COP",
            "occurred_on": (received - timedelta(days=rng.randint(0, 10))).date(),
            "received_at": received,
            "category_id": None,
            "severity": "medium",
            "confidential": False,
            "validity": "pending",
            "validity_reason": "",
            "department_id": None,
            "assignee_id": None,
            "ack_due_at": received + timedelta(hours=24),
            "due_at": received + timedelta(days=15),
            "acknowledged_at": None,
            "paused_at": None,
            "resume_state": "",
            "solution": "",
            "solution_value": None,
            "solution_proposed_by_id": None,
            "solution_approved_by_id": None,
            "dispute_rounds": 0,
            "accepted_by_name": "",
            "accepted_at": None,
            "accepted_ip": None,
            "resolution_summary": "",
            "resolved_at": None,
            "satisfaction": None,
            "closed_at": None,
        }
        events: list[tuple[datetime, User | None, str, str, str, dict[str, Any], str]] = []
        messages: list[tuple[int | None, bool, str, str, datetime, datetime | None]] = []
        messages.append((None, True, "customer", channel, description, received))
        events.append(
            (
                received,
                front if channel in ("phone", "in_person", "letter") else None,
                Action.REGISTER,
                "",
                State.RECEIVED,
                {"channel": channel, "kind": kind, "subject": subject},
                "",
            )
        )
        at = received
        state = State.RECEIVED
        # Open cases stop in the past, leaving some of them overdue; finished ones move on.
        horizon = now - timedelta(minutes=5)
        for action, target in path:
            gap = (
                timedelta(minutes=rng.randint(5, 600))
                if action == Action.ACKNOWLEDGE
                else timedelta(hours=rng.randint(2, 96))
            )
            at = min(at + gap, horizon)
            changes: dict[str, Any] = {}
            reason = ""
            actor = handler
            if action == Action.ACKNOWLEDGE:
                actor = front
                row["acknowledged_at"] = at
                changes["acknowledged_at"] = at.isoformat()
                due = timezone.localtime(row["due_at"]).strftime("%Y-%m-%d")
                messages.append(
                    (
                        front.pk,
                        False,
                        "customer",
                        "email",
                        ANSWERS[language].format(name=name, code=row["tracking_code"], due=due),
                        at,
                    )
                )
            elif action == Action.ASSESS:
                actor = front
                established = target == State.ASSESSED
                row["validity"] = "established" if established else "not_established"
                reason = (
                    "Los hechos descritos tienen fundamento."
                    if established
                    else "No hay relación con un producto o servicio de la empresa."
                )
                row["validity_reason"] = reason
                row.update(
                    category_id=cat_id,
                    severity=severity,
                    confidential=confidential,
                    department_id=dept_id,
                )
                changes.update(
                    validity=row["validity"],
                    validity_reason=reason,
                    category=cat_name,
                    department=self.co.department_names[dept_id],
                    severity=severity,
                    confidential=confidential,
                )
                if not established:
                    messages.append(
                        (
                            front.pk,
                            False,
                            "customer",
                            "email",
                            "Tras revisar su caso no encontramos una falla atribuible a la "
                            "empresa; le explicamos los detalles y quedamos atentos.",
                            at,
                        )
                    )
            elif action == Action.ASSIGN:
                actor = front
                row["assignee_id"] = handler.pk
                changes["assignee"] = str(handler)
            elif action == Action.START_INVESTIGATION:
                messages.append(
                    (
                        handler.pk,
                        False,
                        "customer",
                        "email",
                        "Hemos empezado a trabajar en su caso.",
                        at,
                    )
                )
                if pk % CHASED == 0:  # some customers write again before the answer
                    messages.append(
                        (
                            None,
                            True,
                            "customer",
                            channel,
                            CHASE,
                            min(at + timedelta(hours=20), horizon),
                        )
                    )
            elif action == Action.PROPOSE:
                row.update(
                    solution=solution_text,
                    solution_value=solution_value,
                    solution_proposed_by_id=handler.pk,
                )
                changes.update(
                    solution=solution_text,
                    solution_value=str(solution_value),
                    solution_proposed_by=str(handler),
                )
            elif action == Action.APPROVE:
                approver = (
                    handler
                    if solution_value <= 500_000
                    else (supervisor if solution_value <= 2_000_000 else self.manager)
                )
                actor = approver
                row["solution_approved_by_id"] = approver.pk
                changes["solution_approved_by"] = str(approver)
            elif action == Action.COMMUNICATE:
                messages.append((handler.pk, False, "customer", "email", solution_text, at))
            elif action == Action.ACCEPT:
                actor = None
                row.update(accepted_by_name=name, accepted_at=at)
                changes.update(accepted_by_name=name, accepted_at=at.isoformat())
            elif action == Action.DISPUTE:
                actor = None
                row["dispute_rounds"] = 1
                row["solution_approved_by_id"] = None
                reason = "La solución no cubre lo que pedí."
                changes.update(dispute_rounds=1, solution_approved_by=None)
            elif action == Action.REFER_EXTERNAL:
                changes["external_body"] = company.EXTERNAL_BODY
                messages.append(
                    (
                        handler.pk,
                        False,
                        "customer",
                        "email",
                        f"Puede acudir a {company.EXTERNAL_BODY}.",
                        at,
                    )
                )
            elif action == Action.RESOLVE:
                summary = (
                    "Caso resuelto con el cliente." if not direct else "Respondido al cliente."
                )
                row.update(resolution_summary=summary, resolved_at=at)
                changes.update(resolution_summary=summary, resolved_at=at.isoformat())
                if direct:
                    messages.append(
                        (
                            handler.pk,
                            False,
                            "customer",
                            "email",
                            "Gracias por escribirnos; ya lo compartimos con el equipo.",
                            at,
                        )
                    )
            elif action == Action.FOLLOW_UP:
                actor = front
                score = rng.choices([1, 2, 3, 4, 5], weights=[5, 8, 15, 35, 37])[0]
                row["satisfaction"] = score
                changes["satisfaction"] = score
            elif action == Action.CLOSE:
                actor = front
                row["closed_at"] = at
                changes["closed_at"] = at.isoformat()
                if state == State.RESOLVED:
                    reason = "El cliente no respondió a la llamada de seguimiento."
            elif action == Action.WAIT:
                row["paused_at"] = at
                row["resume_state"] = state
                changes["paused_at"] = at.isoformat()
                messages.append(
                    (
                        handler.pk,
                        False,
                        "customer",
                        "email",
                        "¿Nos puede enviar una foto de la factura?",
                        at,
                    )
                )
            events.append((at, actor, action, state, target, changes, reason))
            state = target
        row["state"] = state
        row["is_open"] = state in OPEN_STATES

        prev = audit.GENESIS
        code = row["tracking_code"]
        for seq, (ev_at, actor, action, from_state, to_state, changes, reason) in enumerate(
            events, 1
        ):
            actor_label = (
                _label(actor)
                if actor
                else (
                    "customer"
                    if action in (Action.REGISTER, Action.ACCEPT, Action.DISPUTE)
                    else "system"
                )
            )
            changes_json = audit.canonical_json(changes)
            digest = audit.event_digest(
                prev_hash=prev,
                tracking_code=code,
                seq=seq,
                at=ev_at,
                actor_id=actor.pk if actor else None,
                actor_label=actor_label,
                action=action,
                from_state=from_state,
                to_state=to_state,
                changes=changes_json,
                reason=reason,
            )
            batch.events.append(
                (
                    pk,
                    seq,
                    self.a.dt(ev_at),
                    actor.pk if actor else None,
                    actor_label,
                    action,
                    from_state,
                    to_state,
                    changes_json,
                    reason,
                    prev,
                    digest,
                )
            )
            prev = digest
        row["event_count"] = len(events)
        row["audit_head"] = prev
        row["updated_at"] = at
        for author_id, from_customer, visibility, ch, body, m_at in messages:
            batch.messages.append(
                (
                    pk,
                    author_id,
                    from_customer,
                    visibility,
                    ch,
                    body,
                    self.a.dt(m_at),
                    None if from_customer else self.a.dt(m_at),
                )
            )
        a = self.a
        for key in (
            "received_at",
            "ack_due_at",
            "due_at",
            "acknowledged_at",
            "paused_at",
            "accepted_at",
            "resolved_at",
            "closed_at",
            "updated_at",
        ):
            row[key] = a.dt(row[key])
        row["occurred_on"] = a.day(row["occurred_on"])
        row["amount_claimed"] = a.dec(row["amount_claimed"])
        row["solution_value"] = a.dec(row["solution_value"])
        batch.complaints.append(tuple(row[c] for c in COMPLAINT_COLUMNS))


# Every state a case reaches by its own steps; a merged case only ever comes from joining two
# real cases (complaints.merging), which the bulk loader does not imitate.
DEMO_STATES = [s for s in State.values if s != State.MERGED]


def _path_for(final: str, direct: bool) -> list[tuple[str, str]]:
    if final == State.RECEIVED:
        return []
    if final == State.NOT_ESTABLISHED:
        return [(Action.ACKNOWLEDGE, State.ACKNOWLEDGED), (Action.ASSESS, State.NOT_ESTABLISHED)]
    if final == State.WAITING:
        return [*SOLUTION_PATH[:4], (Action.WAIT, State.WAITING)]
    if direct:
        states = [target for _a, target in DIRECT_PATH]
        if final in states:
            return DIRECT_PATH[: states.index(final) + 1]
        return DIRECT_PATH[:3]  # a suggestion in a solution state waits, assigned
    if final == State.DISPUTED:
        return [*SOLUTION_PATH[:7], (Action.DISPUTE, State.DISPUTED)]
    if final == State.EXTERNAL:
        return [
            *SOLUTION_PATH[:7],
            (Action.DISPUTE, State.DISPUTED),
            (Action.REFER_EXTERNAL, State.EXTERNAL),
        ]
    states = [target for _a, target in SOLUTION_PATH]
    return SOLUTION_PATH[: states.index(final) + 1]


def _insert(table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    rows = list(rows)
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows
            )


_FACTORY: ComplaintFactory | None = None
# Shared by the forked writers: the database takes one writer at a time, and waiting on a lock
# wakes the next writer at once where SQLite's busy handler would sleep in steps.
_WRITE_LOCK: Any = None
_WRITES = 0


def _build_and_write(bounds: tuple[int, int]) -> int:
    """Build one batch and write it in one transaction. Runs in forked worker processes, each
    with its own database connection: while one writes, the other builds rows and hashes."""
    global _WRITES
    assert _FACTORY is not None
    batch = Batch()
    for pk in range(*bounds):
        _FACTORY.build(pk, batch)
    bulk_sqlite = connection.vendor == "sqlite" and not connection.in_atomic_block
    with _WRITE_LOCK or contextlib.nullcontext():
        if bulk_sqlite and _WRITES == 0:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size=-1000000")  # 1 GB while bulk loading
        with transaction.atomic():
            _insert(Complaint._meta.db_table, COMPLAINT_COLUMNS, batch.complaints)
            _insert(Message._meta.db_table, MESSAGE_COLUMNS, batch.messages)
            _insert(ComplaintEvent._meta.db_table, EVENT_COLUMNS, batch.events)
        _WRITES += 1
        if bulk_sqlite and _WRITES % 8 == 0:
            # With writers taking turns the write-ahead log never gets a quiet moment to
            # restart and grows without bound (30 GB for a million complaints): fold it back.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return bounds[1] - bounds[0]


def load_complaints(
    target: int, *, now: datetime, progress: Progress, batch_size: int = 5000
) -> int:
    """Bring the number of complaints up to `target`; returns how many were added."""
    existing = Complaint.objects.count()
    missing = target - existing
    if missing <= 0:
        return 0
    co = ensure_company()
    from resuelve.resolution.demo import ensure_demo_hr

    ensure_demo_hr()  # an HR login, who reads the accountability records
    ensure_customers(max(80, target // 5), now=now, progress=progress)
    customers = list(
        Customer.objects.filter(external_ref__startswith="demo-")
        .order_by("id")
        .values_list("id", "name", "email", "phone", "language")
    )
    purchases: dict[int, list[tuple[int, int, int | None]]] = {}
    for pid, cid, product_id, branch_id in Purchase.objects.values_list(
        "id", "customer_id", "product_id", "branch_id"
    ).iterator(chunk_size=20_000):
        purchases.setdefault(cid, []).append((pid, product_id, branch_id))
    global _FACTORY
    start_id = (Complaint.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    end_id = start_id + missing
    _FACTORY = ComplaintFactory(
        co,
        customers,
        purchases,
        now,
        Adapter(connection.vendor),
        first_id=start_id,
        last_id=end_id - 1,
    )
    ranges = [
        (first, min(end_id, first + batch_size)) for first in range(start_id, end_id, batch_size)
    ]
    started = time.monotonic()
    made = 0
    pool = None
    if missing > 4 * batch_size and (os.cpu_count() or 1) > 1:
        # Children must open their own connections: close ours before forking.
        connection.close()
        global _WRITE_LOCK
        context = multiprocessing.get_context("fork")
        _WRITE_LOCK = context.Lock()
        pool = context.Pool(processes=os.cpu_count() or 2)
        done: Iterable[int] = pool.imap_unordered(_build_and_write, ranges)
    else:
        done = map(_build_and_write, ranges)
    try:
        for count in done:
            made += count
            rate = made / max(0.001, time.monotonic() - started)
            progress(f"complaints {existing + made:,}/{target:,} ({rate:,.0f}/s)")
    finally:
        if pool is not None:
            pool.close()
            pool.join()
        _FACTORY = None
        _WRITE_LOCK = None
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _reset_sequence(Complaint._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Sampled statistics for the big history tables (seconds instead of minutes), exact
            # ones for the complaints, whose queue plans depend on them.
            cursor.execute("PRAGMA analysis_limit=2000")
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA analysis_limit=0")
            cursor.execute(f"ANALYZE {Complaint._meta.db_table}")
        else:
            cursor.execute("ANALYZE")
    return made


def ensure_programmes(*, now: datetime, progress: Progress) -> None:
    """What the company does after complaints, on the demo's cases: rewards for valuable
    contributions, satisfaction surveys and the revisit programme. Idempotent."""
    from resuelve.analytics.refresh import analytics_refresh
    from resuelve.conduct.demo import ensure_demo_conduct
    from resuelve.earlywarning.demo import ensure_demo_incident
    from resuelve.earlywarning.jobs import earlywarning_scan
    from resuelve.followup.demo import ensure_demo_surveys
    from resuelve.guidance.demo import ensure_demo_guidance
    from resuelve.people.demo import ensure_demo_people
    from resuelve.remedies.demo import ensure_demo_compensation, ensure_demo_rewards
    from resuelve.resolution.demo import ensure_demo_causes, ensure_demo_improvements
    from resuelve.revisits.demo import ensure_demo_revisits
    from resuelve.social.demo import ensure_demo_social
    from resuelve.themes.models import ThemeRun
    from resuelve.themes.services import themes_build
    from resuelve.watchers.demo import ensure_demo_watchers

    if not Complaint.objects.exists():
        return
    progress("conduct rules")
    ensure_demo_conduct(now)
    progress("playbooks and reply templates")
    ensure_demo_guidance(now)
    progress("rewards")
    ensure_demo_rewards(now)
    progress("satisfaction surveys")
    ensure_demo_surveys(now)
    progress("watchers")
    ensure_demo_watchers(now)
    progress("revisit programme")
    ensure_demo_revisits(now)
    progress("social networks")
    ensure_demo_social(now)
    progress("root causes found")
    ensure_demo_causes(now)
    progress("improvement actions")
    ensure_demo_improvements(now)
    progress("compensation delivered")
    ensure_demo_compensation(now)
    progress("dashboard figures")
    analytics_refresh(now=now)
    progress("people and contests")
    ensure_demo_people(now)
    progress("early warnings")
    ensure_demo_incident(now)
    earlywarning_scan(now=now)
    progress("themes of suggestions and complaints")
    if not ThemeRun.objects.exists():
        themes_build(now=now)
