"""Demo people data (H6, A4): training records, hiring standards for agents, handlers and
supervisors with some requirements ticked, a staff-recognition fund, one contest closed with
its winner recognised and paid, and one contest open. Through the services, so the ledger
and the recognitions are real. Idempotent: a second run changes nothing.

Run it after the dashboard figures are computed (analytics_refresh): the contests read the
case facts."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from resuelve.accounts.models import Department, User
from resuelve.accounts.roles import Role
from resuelve.analytics.models import CaseFact
from resuelve.people import selectors, services
from resuelve.people.models import (
    Contest,
    HiringCheck,
    HiringRequirement,
    HiringStandard,
    Metric,
    TrainingRecord,
)
from resuelve.remedies import reward_services
from resuelve.remedies.models import RewardFund

FUND_NAME = "Fondo de reconocimiento al personal"
CLOSED_NAME = "Concurso de respuesta a tiempo"
OPEN_NAME = "Concurso de satisfacción del cliente"

STANDARDS = {
    Role.AGENT: [
        "Bachillerato completo y experiencia de un año en atención al público",
        "Entrevista de actitud de servicio aprobada",
        "Curso de inducción en gestión de quejas completado",
        "Prueba de redacción de respuestas aprobada",
    ],
    Role.HANDLER: [
        "Formación técnica en el área del departamento",
        "Dos años de experiencia en posventa o calidad",
        "Curso de gestión de quejas y técnicas de comunicación",
        "Conoce los estándares de producto y las medidas de compensación publicadas",
    ],
    Role.SUPERVISOR: [
        "Cinco años de experiencia, dos de ellos dirigiendo equipos",
        "Formación en análisis de causas y mejora de procesos",
        "Evaluación de liderazgo aprobada",
    ],
}

# username -> (course, provider, completed days ago, valid for days or None)
TRAINING = [
    ("ana", "Gestión de quejas y reclamos", "Academia Autoandes", 320, 365),
    ("ana", "Comunicación empática con el cliente", "SENA", 90, None),
    ("wei", "Gestión de quejas y reclamos", "Academia Autoandes", 400, 365),
    ("kadri", "Gestión de quejas y reclamos", "Academia Autoandes", 40, 365),
    ("carlos", "Diagnóstico de frenos y suspensión", "Bosch Service", 200, 730),
    ("carlos", "Primeros auxilios", "Cruz Roja", 700, 720),
    ("lucia", "Análisis de causa raíz (8D)", "ICONTEC", 150, None),
    ("sofia", "Liderazgo de equipos de servicio", "Academia Autoandes", 60, None),
]

# username -> how many of their role's requirements are met, in order
CHECKS = {"ana": 4, "wei": 3, "kadri": 2, "carlos": 4, "mart": 2, "lucia": 3, "sofia": 3}


def _users() -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(is_active=True)}


def _standards() -> None:
    for role, texts in STANDARDS.items():
        standard, created = HiringStandard.objects.get_or_create(
            role=role,
            defaults={"introduction": "Requisitos de contratación del puesto (H6)."},
        )
        if created:
            for position, text in enumerate(texts):
                HiringRequirement.objects.create(standard=standard, position=position, text=text)


def _training(users: dict[str, User], keeper: User, today: date, now: datetime) -> None:
    if TrainingRecord.objects.exists():
        return
    for username, title, provider, ago, valid in TRAINING:
        person = users.get(username)
        if person is None:
            continue
        completed = today - timedelta(days=ago)
        services.training_record_add(
            person=person,
            actor=keeper,
            title=title,
            provider=provider,
            completed_on=completed,
            expires_on=completed + timedelta(days=valid) if valid else None,
            now=now,
        )


def _checks(users: dict[str, User], keeper: User, now: datetime) -> None:
    if HiringCheck.objects.exists():
        return
    for username, met in CHECKS.items():
        person = users.get(username)
        standard = HiringStandard.objects.filter(role=getattr(person, "role", "")).first()
        if person is None or standard is None:
            continue
        for requirement in list(standard.requirements.all())[:met]:
            services.hiring_check_set(
                person=person,
                requirement=requirement,
                actor=keeper,
                met=True,
                evidence="Verificado en la hoja de vida y el certificado.",
                now=now,
            )


def _fund(manager: User, now: datetime) -> RewardFund:
    fund = RewardFund.objects.filter(name=FUND_NAME).first()
    if fund is None:
        fund = reward_services.reward_fund_create(
            name=FUND_NAME, currency="COP", actor=manager, now=now - timedelta(days=60)
        )
        reward_services.reward_fund_deposit(
            fund=fund,
            actor=manager,
            amount=Decimal("1500000"),
            note="Premios de concursos del semestre",
            now=now - timedelta(days=60),
        )
    return fund


def _busiest_month(today: date) -> tuple[date, date]:
    """The last full month before today with handled cases (the facts' latest one)."""
    first_of_month = today.replace(day=1)
    row = (
        CaseFact.objects.filter(assignee_id__isnull=False, month__lt=first_of_month)
        .values("month")
        .annotate(n=Count("complaint_id"))
        .order_by("-month")
        .first()
    )
    start = row["month"] if row else (first_of_month - timedelta(days=1)).replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return start, end


def _contests(users: dict[str, User], manager: User, today: date, now: datetime) -> None:
    if not Contest.objects.filter(name=CLOSED_NAME).exists():
        fund = _fund(manager, now)
        start, end = _busiest_month(today)
        contest = services.contest_create(
            actor=manager,
            name=CLOSED_NAME,
            starts_on=start,
            ends_on=end,
            metric=Metric.ON_TIME,
            min_volume=3,
            prize_amount=Decimal("150000"),
            currency="COP",
            fund=fund,
            now=now - timedelta(days=2),
        )
        if not selectors.leaderboard(contest=contest):
            # A small demo: let anyone with a case compete.
            Contest.objects.filter(pk=contest.pk).update(min_volume=1)
            contest.refresh_from_db()
        services.contest_close(contest=contest, actor=manager, now=now - timedelta(days=1))
    supervisor = users.get("sofia")
    department = Department.objects.filter(code="atencion").first()
    if supervisor is not None and department is not None:
        if not Contest.objects.filter(name=OPEN_NAME).exists():
            services.contest_create(
                actor=supervisor,
                name=OPEN_NAME,
                department=department,
                starts_on=today.replace(day=1),
                ends_on=(today.replace(day=1) + timedelta(days=32)).replace(day=1)
                - timedelta(days=1),
                metric=Metric.CSAT,
                min_volume=3,
                prize_amount=Decimal("100000"),
                currency="COP",
                now=now,
            )


def ensure_demo_people(now: datetime | None = None) -> None:
    """Create the demo's people data once (see the module's docstring)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    users = _users()
    manager = users.get("elena")
    keeper = users.get("marta") or manager
    if manager is None or keeper is None:
        return
    _standards()
    _training(users, keeper, today, now)
    _checks(users, keeper, now)
    _contests(users, manager, today, now)
