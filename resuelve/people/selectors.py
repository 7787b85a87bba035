"""Reads for the competence profiles and the contests: who may see and edit whom, what a
profile shows, and a contest's leaderboard computed from the case facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, QuerySet

from resuelve.accounts import roles
from resuelve.accounts.models import User
from resuelve.accounts.roles import Role
from resuelve.analytics.models import CaseFact
from resuelve.people.models import (
    CompetenceNote,
    Contest,
    ContestWinner,
    HiringCheck,
    HiringRequirement,
    HiringStandard,
    Metric,
    TrainingRecord,
)
from resuelve.remedies import authority
from resuelve.remedies.models import StaffRecognition
from resuelve.routing.models import AgentProfile

# A training expiring within this many days is shown as expiring.
EXPIRING_DAYS = 60
# Who reads and edits everyone's profile; who reads everyone's without editing.
EDIT_EVERYONE = frozenset({Role.MANAGER, Role.ADMIN})
READ_EVERYONE = frozenset({Role.MANAGER, Role.ADMIN, Role.HR, Role.AUDITOR})
# Human resources keeps training records and hiring checks, not skills.
RECORD_KEEPERS = frozenset({Role.MANAGER, Role.ADMIN, Role.HR})
# Who creates and closes contests: managers and administrators any, supervisors their
# departments' (the same people who may pay a prize from a reward fund).
CONTEST_RUNNERS = authority.REWARD_GRANTERS
# The staff a profile is kept for.
STAFF_ROLES = [r.value for r in Role]


def _shares_department(viewer: User, person: User) -> bool:
    return bool(set(viewer.department_ids()) & set(person.department_ids()))


def may_see_profile(viewer: User, person: User) -> bool:
    """The person reads their own; supervisors their departments' staff; managers,
    administrators, human resources and auditors everyone's."""
    if not viewer.is_active:
        return False
    if viewer.pk == person.pk or viewer.is_superuser or viewer.role in READ_EVERYONE:
        return True
    return viewer.role == Role.SUPERVISOR and _shares_department(viewer, person)


def may_edit_competence(viewer: User, person: User) -> bool:
    """Skills, languages and notes: supervisors of the person's departments (not their own
    profile), managers and administrators."""
    if not viewer.is_active:
        return False
    if viewer.is_superuser or viewer.role in EDIT_EVERYONE:
        return True
    return (
        viewer.role == Role.SUPERVISOR
        and viewer.pk != person.pk
        and _shares_department(viewer, person)
    )


def may_keep_records(viewer: User, person: User) -> bool:
    """Training records and hiring checks: those who edit competence, and human resources."""
    if not viewer.is_active:
        return False
    return may_edit_competence(viewer, person) or viewer.role in RECORD_KEEPERS


def people_visible_to(viewer: User) -> QuerySet[User]:
    people = User.objects.filter(is_active=True, role__in=STAFF_ROLES)
    if not viewer.is_active:
        return people.none()
    if viewer.is_superuser or viewer.role in READ_EVERYONE:
        return people
    if viewer.role == Role.SUPERVISOR:
        return people.filter(
            Q(pk=viewer.pk) | Q(departments__in=viewer.department_ids())
        ).distinct()
    return people.filter(pk=viewer.pk)


# --- the profile ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Training:
    record: TrainingRecord
    status: str  # "valid", "expiring", "expired" or "permanent"

    @property
    def expired(self) -> bool:
        return self.status == "expired"

    @property
    def expiring(self) -> bool:
        return self.status == "expiring"


def training_status(expires_on: date | None, today: date) -> str:
    if expires_on is None:
        return "permanent"
    if expires_on < today:
        return "expired"
    if expires_on <= today + timedelta(days=EXPIRING_DAYS):
        return "expiring"
    return "valid"


@dataclass(frozen=True)
class ChecklistItem:
    requirement: HiringRequirement
    check: HiringCheck | None

    @property
    def met(self) -> bool:
        return self.check is not None and self.check.met


@dataclass
class Profile:
    person: User
    agent_profile: AgentProfile | None
    skills: list[str]
    languages: list[str]
    authority_limit: Decimal | None
    notes: str
    trainings: list[Training]
    standard: HiringStandard | None
    checklist: list[ChecklistItem]
    recognitions: list[StaffRecognition]
    wins: list[ContestWinner]
    departments: list[str] = field(default_factory=list)

    @property
    def role_label(self) -> str:
        return str(Role(self.person.role).label) if self.person.role in Role.values else ""

    @property
    def unlimited(self) -> bool:
        return self.authority_limit is None

    @property
    def checklist_met(self) -> int:
        return sum(1 for item in self.checklist if item.met)

    @property
    def expired_trainings(self) -> int:
        return sum(1 for t in self.trainings if t.expired)


def profile_of(*, person: User, today: date) -> Profile:
    agent_profile = AgentProfile.objects.filter(user=person).prefetch_related("skills").first()
    language_names = dict(_languages())
    note = CompetenceNote.objects.filter(user=person).first()
    standard = HiringStandard.objects.filter(role=person.role).first()
    checklist: list[ChecklistItem] = []
    if standard is not None:
        checks = {
            c.requirement_id: c
            for c in HiringCheck.objects.filter(
                user=person, requirement__standard=standard
            ).select_related("checked_by")
        }
        checklist = [
            ChecklistItem(requirement=r, check=checks.get(r.pk))
            for r in standard.requirements.all()
        ]
    return Profile(
        person=person,
        agent_profile=agent_profile,
        skills=[c.name for c in agent_profile.skills.all()] if agent_profile else [],
        languages=[str(language_names.get(code, code)) for code in (agent_profile.languages or [])]
        if agent_profile
        else [],
        authority_limit=roles.AUTHORITY_LIMITS.get(person.role, Decimal("0")),
        notes=note.notes if note else "",
        trainings=[
            Training(record=r, status=training_status(r.expires_on, today))
            for r in TrainingRecord.objects.filter(user=person).select_related("recorded_by")
        ],
        standard=standard,
        checklist=checklist,
        recognitions=list(
            StaffRecognition.objects.filter(user=person)
            .select_related("by", "complaint")
            .order_by("-at", "-id")[:50]
        ),
        wins=list(
            ContestWinner.objects.filter(user=person)
            .select_related("contest", "ledger_entry")
            .order_by("-contest__ends_on", "-id")
        ),
        departments=[d.name for d in person.departments.all()],
    )


def _languages() -> list[tuple[str, str]]:
    from django.conf import settings

    return list(settings.LANGUAGES)


def trainings_expiring(*, viewer: User, today: date) -> list[TrainingRecord]:
    """Training of the people `viewer` may see that has expired or expires soon."""
    return list(
        TrainingRecord.objects.filter(
            user__in=people_visible_to(viewer),
            expires_on__isnull=False,
            expires_on__lte=today + timedelta(days=EXPIRING_DAYS),
        )
        .select_related("user")
        .order_by("expires_on", "id")
    )


# --- contests ---------------------------------------------------------------------------------


def contests_visible_to(viewer: User) -> QuerySet[Contest]:
    """Every member of staff sees the contests open to everyone and their departments'."""
    contests = Contest.objects.select_related("department", "fund", "created_by")
    if not viewer.is_active:
        return contests.none()
    if viewer.is_superuser or viewer.sees_all_departments:
        return contests
    return contests.filter(
        Q(department__isnull=True) | Q(department_id__in=viewer.department_ids())
    )


def may_create_contest(viewer: User) -> bool:
    return viewer.is_active and (viewer.is_superuser or viewer.role in CONTEST_RUNNERS)


def may_close_contest(viewer: User, contest: Contest) -> bool:
    """Managers and administrators close any contest; supervisors their departments'."""
    if not viewer.is_active or viewer.read_only:
        return False
    if viewer.is_superuser or viewer.role in EDIT_EVERYONE:
        return True
    return (
        viewer.role == Role.SUPERVISOR
        and contest.department_id is not None
        and contest.department_id in viewer.department_ids()
    )


@dataclass(frozen=True)
class Standing:
    rank: int
    user: User
    value: Decimal
    volume: int

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.username


TWO = Decimal("0.01")


def _rate(part: int, whole: int) -> Decimal:
    return (Decimal(100) * part / whole).quantize(TWO, rounding=ROUND_HALF_UP)


def leaderboard(*, contest: Contest) -> list[Standing]:
    """Who leads: one aggregate over the facts of the cases received in the contest's period
    (in its department, if it has one), grouped by the case's handler. Only active staff
    who handle complaints compete, with at least the contest's minimum volume of cases
    counted for its measure (rated cases for CSAT, answered-or-due cases for on time,
    resolved cases for first contact and for resolved). Best value first; equal values go
    to the larger volume; equal value and volume share the rank, listed by name."""
    facts = CaseFact.objects.filter(
        received_on__gte=contest.starts_on,
        received_on__lte=contest.ends_on,
        assignee_id__isnull=False,
    )
    if contest.department_id is not None:
        facts = facts.filter(department_id=contest.department_id)
    resolved = Q(resolve_minutes__isnull=False)
    rows = facts.values("assignee_id").annotate(
        rated=Count("complaint_id", filter=Q(csat__isnull=False)),
        csat_avg=Avg("csat"),
        on_time_n=Count("complaint_id", filter=Q(on_time=True)),
        timed=Count("complaint_id", filter=Q(on_time__isnull=False)),
        resolved_n=Count("complaint_id", filter=resolved),
        first_n=Count("complaint_id", filter=resolved & Q(first_contact=True)),
    )
    scored: dict[int, tuple[Decimal, int]] = {}
    for row in rows:
        metric = contest.metric
        if metric == Metric.CSAT:
            volume = row["rated"]
            value = (
                Decimal(str(row["csat_avg"])).quantize(TWO, rounding=ROUND_HALF_UP)
                if volume
                else Decimal(0)
            )
        elif metric == Metric.ON_TIME:
            volume = row["timed"]
            value = _rate(row["on_time_n"], volume) if volume else Decimal(0)
        elif metric == Metric.FIRST_CONTACT:
            volume = row["resolved_n"]
            value = _rate(row["first_n"], volume) if volume else Decimal(0)
        else:
            volume = row["resolved_n"]
            value = Decimal(volume)
        if volume and volume >= contest.min_volume:
            scored[row["assignee_id"]] = (value, volume)
    people = {
        u.pk: u
        for u in User.objects.filter(pk__in=scored, is_active=True, role__in=authority.RECOGNISABLE)
    }
    ordered = sorted(
        ((scored[pk][0], scored[pk][1], user) for pk, user in people.items()),
        key=lambda t: (-t[0], -t[1], (t[2].get_full_name() or t[2].username).casefold()),
    )
    standings: list[Standing] = []
    for position, (value, volume, user) in enumerate(ordered, start=1):
        previous = standings[-1] if standings else None
        rank = (
            previous.rank
            if previous is not None and (previous.value, previous.volume) == (value, volume)
            else position
        )
        standings.append(Standing(rank=rank, user=user, value=value, volume=volume))
    return standings


def metric_value_text(metric: str, value: Decimal) -> str:
    """A leaderboard value as the page shows it: CSAT out of 5, rates in per cent."""
    from django.utils import formats

    if metric == Metric.RESOLVED:
        return formats.number_format(value, 0, force_grouping=True)
    if metric == Metric.CSAT:
        return formats.number_format(value, 2)
    return f"{formats.number_format(value, 1)} %"
