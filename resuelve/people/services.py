"""Writes for competence profiles, training, hiring checks and contests (REQUIREMENTS H6, A4).

Each function checks who may do it, changes its rows in one transaction and raises a
translated NotAllowed / IllegalStep / ValidationError the pages show as they are."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from resuelve.accounts.models import Department, User
from resuelve.complaints.lifecycle import IllegalStep, NotAllowed
from resuelve.complaints.models import Category
from resuelve.people import selectors
from resuelve.people.models import (
    CompetenceNote,
    Contest,
    ContestStatus,
    ContestWinner,
    HiringCheck,
    HiringRequirement,
    Metric,
    TrainingRecord,
)
from resuelve.remedies.models import RewardFund, StaffRecognition
from resuelve.remedies.reward_services import staff_reward_pay
from resuelve.routing.models import AgentProfile
from resuelve.routing.selectors import forget_routing


def competence_update(
    *,
    person: User,
    actor: User,
    skills: Iterable[Category],
    languages: list[str],
    takes_assignments: bool,
    capacity: int,
    notes: str = "",
    now: datetime | None = None,
) -> AgentProfile:
    """Set a person's skills, languages and assignment settings on the routing profile that
    automatic assignment reads (one place for them), and the notes on their competence.
    Supervisors edit their departments' staff, managers and administrators everyone."""
    if not selectors.may_edit_competence(actor, person):
        raise NotAllowed(_("You may not edit this person's competences."))
    served = {code for code, _name in settings.LANGUAGES}
    if any(code not in served for code in languages):
        raise ValidationError({"languages": _("Choose languages the company serves.")})
    if capacity < 0:
        raise ValidationError({"capacity": _("Capacity cannot be negative.")})
    at = now or timezone.now()
    with transaction.atomic():
        profile, _created = AgentProfile.objects.select_for_update().get_or_create(
            user=person,
            defaults={"takes_assignments": takes_assignments, "capacity": capacity},
        )
        profile.takes_assignments = takes_assignments
        profile.capacity = capacity
        profile.languages = sorted(set(languages))
        profile.save()
        profile.skills.set(list(skills))
        CompetenceNote.objects.update_or_create(
            user=person,
            defaults={"notes": (notes or "").strip(), "updated_at": at, "updated_by": actor},
        )
        # Assignment keeps the profiles for a few seconds; it must read these at once.
        transaction.on_commit(forget_routing)
    return profile


def training_record_add(
    *,
    person: User,
    actor: User,
    title: str,
    completed_on: date,
    provider: str = "",
    expires_on: date | None = None,
    notes: str = "",
    now: datetime | None = None,
) -> TrainingRecord:
    """Record a course a person completed. Supervisors (their departments), managers,
    administrators and human resources keep training records."""
    if not selectors.may_keep_records(actor, person):
        raise NotAllowed(_("You may not keep this person's training records."))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Name the course.")})
    record = TrainingRecord(
        user=person,
        title=title[:200],
        provider=(provider or "").strip()[:200],
        completed_on=completed_on,
        expires_on=expires_on,
        notes=(notes or "").strip(),
        recorded_by=actor,
        recorded_at=now or timezone.now(),
    )
    record.clean()
    record.save()
    return record


def training_record_delete(*, record: TrainingRecord, actor: User) -> None:
    if not selectors.may_keep_records(actor, record.user):
        raise NotAllowed(_("You may not keep this person's training records."))
    record.delete()


def hiring_check_set(
    *,
    person: User,
    requirement: HiringRequirement,
    actor: User,
    met: bool,
    evidence: str = "",
    now: datetime | None = None,
) -> HiringCheck:
    """Tick (or untick) one requirement of the hiring standard of the person's role, with
    the evidence; a requirement of another role's standard is refused."""
    if not selectors.may_keep_records(actor, person):
        raise NotAllowed(_("You may not keep this person's hiring checks."))
    if requirement.standard.role != person.role:
        raise IllegalStep(_("This requirement belongs to another role's standard."))
    evidence = (evidence or "").strip()
    if met and not evidence:
        raise ValidationError({"evidence": _("Say what shows the requirement is met.")})
    check, _created = HiringCheck.objects.update_or_create(
        user=person,
        requirement=requirement,
        defaults={
            "met": met,
            "evidence": evidence[:300],
            "checked_by": actor,
            "checked_at": now or timezone.now(),
        },
    )
    return check


# --- contests ---------------------------------------------------------------------------------


def _prize(value: Decimal | str | None) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({"prize_amount": _("Enter an amount.")}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({"prize_amount": _("The amount must be more than zero.")})
    return amount.quantize(Decimal("0.01"))


def contest_create(
    *,
    actor: User,
    name: str,
    starts_on: date,
    ends_on: date,
    metric: str,
    min_volume: int,
    department: Department | None = None,
    prize_amount: Decimal | str | None = None,
    currency: str = "COP",
    fund: RewardFund | None = None,
    now: datetime | None = None,
) -> Contest:
    """Open a contest. Managers and administrators run contests for everyone or one
    department; supervisors only for one of their own departments."""
    if not selectors.may_create_contest(actor):
        raise NotAllowed(_("Contests are run by supervisors, managers and administrators."))
    if actor.role == "supervisor" and not actor.is_superuser:
        if department is None or department.pk not in actor.department_ids():
            raise ValidationError(
                {"department": _("Choose one of your departments for the contest.")}
            )
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the contest.")})
    if metric not in Metric.values:
        raise ValidationError({"metric": _("Choose a measure.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The contest ends before it starts.")})
    if min_volume < 1:
        raise ValidationError({"min_volume": _("Count at least one case.")})
    prize = _prize(prize_amount)
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ValidationError({"currency": _("Enter a three-letter currency code.")})
    if fund is not None and fund.currency != currency:
        raise ValidationError(
            {
                "fund": _("The fund %(fund)s pays in %(fund_currency)s, not %(currency)s.")
                % {"fund": fund.name, "fund_currency": fund.currency, "currency": currency}
            }
        )
    return Contest.objects.create(
        name=name[:160],
        department=department,
        starts_on=starts_on,
        ends_on=ends_on,
        metric=metric,
        min_volume=min_volume,
        prize_amount=prize,
        currency=currency,
        fund=fund if prize is not None else None,
        created_by=actor,
        created_at=now or timezone.now(),
    )


def win_reason(contest: Contest, standing: selectors.Standing) -> str:
    """Why the winner is recognised, in the active language."""
    return _("Won %(contest)s: %(metric)s %(value)s over %(n)s cases") % {
        "contest": contest.name,
        "metric": Metric(contest.metric).label,
        "value": selectors.metric_value_text(contest.metric, standing.value),
        "n": standing.volume,
    }


def contest_close(
    *, contest: Contest, actor: User, now: datetime | None = None
) -> list[ContestWinner]:
    """Close a contest and reward its winner(s), everyone sharing the first rank: each is
    recognised (a StaffRecognition with the result) and, when the contest has a prize, paid
    it from the reward fund through the ledger, under the closer's authority and the fund's
    balance (remedies.reward_services.staff_reward_pay). Everything or nothing: a prize the
    closer may not pay, or the fund cannot cover, leaves the contest open. Closing a closed
    contest does nothing more. Managers and administrators close any contest, supervisors
    their departments'."""
    if not selectors.may_close_contest(actor, contest):
        raise NotAllowed(
            _("Contests are closed by managers, administrators and their department's supervisors.")
        )
    at = now or timezone.now()
    with transaction.atomic():
        locked = Contest.objects.select_for_update().get(pk=contest.pk)
        if locked.status != ContestStatus.OPEN:
            return []
        standings = [s for s in selectors.leaderboard(contest=locked) if s.rank == 1]
        winners: list[ContestWinner] = []
        for standing in standings:
            reason = win_reason(locked, standing)
            entry = None
            if locked.prize_amount:
                entry = staff_reward_pay(
                    recipient=standing.user,
                    actor=actor,
                    amount=locked.prize_amount,
                    currency=locked.currency,
                    reason=reason,
                    fund=locked.fund,
                    department=locked.department,
                    now=at,
                )
            # Recorded directly: a contest's winner may be the closer themselves, whom
            # staff_recognition_record (a colleague's thanks) refuses.
            recognition = StaffRecognition.objects.create(
                user=standing.user, by=actor, complaint=None, reason=reason, at=at
            )
            winners.append(
                ContestWinner.objects.create(
                    contest=locked,
                    user=standing.user,
                    value=standing.value,
                    volume=standing.volume,
                    recognition=recognition,
                    ledger_entry=entry,
                )
            )
        locked.status = ContestStatus.CLOSED
        locked.closed_by = actor
        locked.closed_at = at
        locked.save(update_fields=["status", "closed_by", "closed_at"])
    contest.refresh_from_db()
    return winners
