"""The daily revisit list (I1, I2, I4; F3), built by the periodic worker.

`revisit_build_daily(now=)` adds every revisit due today: complaint follow-ups of cases
resolved in the last days (within three days of the resolution), member revisits on each
member's slot of their tier's period, birthdays, membership anniversaries, renewal reminders,
public holidays of the customer's country and running promotions. It reads with
values_list queries (no query per customer) and writes with bulk inserts that ignore the
unique (customer, reason, period_key) conflicts, so running it twice, or on two workers at
once, adds nothing twice. A customer who withdrew consent on every revisit channel (or has no
address for the ones left) gets no revisit; the form offers only the consented channels.

`revisit_sweep(now=)` puts callbacks that were not made back on the list, and expires the
occasion revisits whose last day has passed; a complaint follow-up past its day stays on the
list, counted as overdue in the coverage report.
"""

from __future__ import annotations

import calendar
import logging
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db.models import DateField, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from resuelve.complaints.lifecycle import State
from resuelve.complaints.models import Complaint
from resuelve.complaints.selectors import TRUE
from resuelve.customers.models import Customer, Purchase, Tier
from resuelve.revisits import builder
from resuelve.revisits.models import (
    OPEN_STATUSES,
    Occasion,
    Promotion,
    Revisit,
    RevisitSchedule,
    Status,
)

log = logging.getLogger(__name__)

# Cases resolved this many days back are looked at (a worker that was down catches up).
LOOKBACK_DAYS = 7
BATCH = 5000
# A callback not made this long after its time goes back on the list.
CALLBACK_GRACE = timedelta(hours=2)

_CONSENT = ("consent_phone", "consent_sms", "consent_messaging", "consent_email")
_CUSTOMER_FIELDS = (
    "id",
    "tier",
    "member_since",
    "birthday",
    "renewal_on",
    "country",
    "email",
    "phone_digits",
    "preferred_channel",
    *_CONSENT,
)


def company_country() -> str:
    """Whose holidays a customer without a country gets: settings.RESUELVE_COUNTRY, else
    the country of the deadline policy in force (RESUELVE_DEADLINE_POLICY), else none."""
    country = str(getattr(settings, "RESUELVE_COUNTRY", "") or "")
    if country:
        return country.upper()
    code = getattr(settings, "RESUELVE_DEADLINE_POLICY", "")
    if code:
        from resuelve.deadlines.models import DeadlinePolicy

        found = DeadlinePolicy.objects.filter(code=code).values_list("country", flat=True).first()
        return (found or "").upper()
    return ""


def _reachable(row: tuple[Any, ...]) -> bool:
    consents = dict(zip(("phone", "sms", "messaging", "email"), row[9:13], strict=True))
    return bool(builder.usable_channels(consents, email=row[6], phone=row[7]))


class _Writer:
    """Collects new revisits and writes them in batches, ignoring unique conflicts."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.pending: list[Revisit] = []
        self.offered = 0

    def add(self, customer_id: int, due: builder.Due, **extra: Any) -> None:
        self.pending.append(
            Revisit(
                customer_id=customer_id,
                reason=due.reason,
                period_key=due.key,
                due_on=due.due_on,
                latest_on=due.latest_on,
                created_at=self.now,
                **extra,
            )
        )
        self.offered += 1
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            Revisit.objects.bulk_create(self.pending, batch_size=BATCH, ignore_conflicts=True)
            self.pending = []


def _existing(reason: str, keys: set[str]) -> set[tuple[int, str]]:
    if not keys:
        return set()
    return set(
        Revisit.objects.filter(reason=reason, period_key__in=sorted(keys)).values_list(
            "customer_id", "period_key"
        )
    )


def revisit_build_daily(now: datetime | None = None) -> dict[str, int]:
    """Add today's revisits (idempotent); returns how many were added by reason."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    before = dict.fromkeys(Occasion.values, 0)
    for reason in Occasion.values:
        before[reason] = Revisit.objects.filter(reason=reason).count()
    writer = _Writer(now)
    _complaint_followups(writer, now, today)
    schedules = {s.tier: s for s in RevisitSchedule.objects.filter(active=True)}
    if schedules:
        _member_revisits(writer, today, schedules)
    _promotions(writer, today)
    writer.flush()
    added = {
        reason: Revisit.objects.filter(reason=reason).count() - count
        for reason, count in before.items()
    }
    log.info("revisit list for %s: %s", today, added)
    return added


def _complaint_followups(writer: _Writer, now: datetime, today: date) -> None:
    rows = (
        Complaint.objects.filter(
            resolved_at__gte=now - timedelta(days=LOOKBACK_DAYS),
            state__in=[State.RESOLVED, State.FOLLOWED_UP, State.CLOSED],
            customer__isnull=False,
        )
        .order_by()
        .values_list("id", "resolved_at", *(f"customer__{f}" for f in _CUSTOMER_FIELDS))
    )
    found = [(row[0], row[1], row[2:]) for row in rows]
    keys = {f"c{complaint_id}" for complaint_id, _at, _c in found}
    done = _existing(Occasion.COMPLAINT_FOLLOWUP, keys)
    for complaint_id, resolved_at, customer in found:
        due = builder.complaint_due(complaint_id, timezone.localdate(resolved_at))
        if (customer[0], due.key) in done or not _reachable(customer):
            continue
        writer.add(customer[0], due, complaint_id=complaint_id, priority="high")


def _reachable_q() -> Q:
    """In SQL, what builder.usable_channels says: some revisit channel is consented and the
    customer has an address for it."""
    phone = ~Q(phone="") & (
        Q(consent_phone__in=TRUE) | Q(consent_sms__in=TRUE) | Q(consent_messaging__in=TRUE)
    )
    return phone | (~Q(email="") & Q(consent_email__in=TRUE))


def _insert_select(
    customers: QuerySet[Customer], due: builder.Due, now: datetime, **extra: int
) -> int:
    """INSERT INTO revisit ... SELECT from the customers, ignoring the ones that already have
    this revisit: the whole member list is written by the database, no row passes through
    Python. Returns the rows added."""
    constants: dict[str, Any] = {
        "reason": (due.reason, models.CharField()),
        "period_key": (due.key, models.CharField()),
        "due_on": (due.due_on, models.DateField()),
        "latest_on": (due.latest_on, models.DateField()),
        "status": (Status.PENDING, models.CharField()),
        "priority": ("", models.CharField()),
        "attempts": (0, models.IntegerField()),
        "channel": ("", models.CharField()),
        "outcome": ("", models.CharField()),
        "suggestions": ("", models.CharField()),
        "created_at": (now, models.DateTimeField()),
        **{name: (value, models.IntegerField()) for name, value in extra.items()},
    }
    select = (
        customers.order_by()
        .annotate(
            **{
                f"v_{name}": Value(value, output_field=field)
                for name, (value, field) in constants.items()
            }
        )
        .values_list("id", *(f"v_{name}" for name in constants))
    )
    sql, params = select.query.sql_with_params()
    meta = Revisit._meta
    columns = ["customer_id", *(meta.get_field(name).column for name in constants)]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({quoted}) {sql} "
            "ON CONFLICT DO NOTHING",
            params,
        )
        return max(cursor.rowcount, 0)


def _member_revisits(writer: _Writer, today: date, schedules: dict[str, RevisitSchedule]) -> None:
    reachable = _reachable_q()
    for tier, schedule in schedules.items():
        period = builder.period_of(
            today, starts_on=schedule.starts_on, every_days=schedule.every_days
        )
        if period is None:
            continue
        # builder.member_due in SQL: the customer's slot (id mod period) has come.
        members = (
            Customer.objects.filter(reachable, tier=tier)
            .filter(Q(member_since__isnull=True) | Q(member_since__lte=today))
            .annotate(slot=F("id") % schedule.every_days)
            .filter(slot__lte=(today - period.starts_on).days)
        )
        due = builder.Due(Occasion.MEMBER, period.key(schedule.every_days), today, period.ends_on)
        _insert_select(members, due, writer.now)
    _occasions(writer, today, schedules, reachable)


def _on_day(field: str, on: date) -> Q:
    """`field`'s month and day are `on`'s (29 February counts on 28 February in common years).
    SQLite extracts a month only through a Python function called for every row; its dates
    are ISO text, so the day is matched by their end instead."""
    days = [(on.month, on.day)]
    if on.month == 2 and on.day == 28 and not calendar.isleap(on.year):
        days.append((2, 29))
    q = Q()
    for month, day in days:
        if connection.vendor == "sqlite":
            q |= Q(**{f"{field}__endswith": f"-{month:02d}-{day:02d}"})
        else:
            q |= Q(**{f"{field}__month": month, f"{field}__day": day})
    return q


def _occasions(
    writer: _Writer, today: date, schedules: dict[str, RevisitSchedule], reachable: Q
) -> None:
    """Birthdays, anniversaries, renewals and holidays: the few customers whose dates match
    are read (values_list, one query) and builder.occasions_on decides."""
    home = company_country()
    greeting = [t for t, s in schedules.items() if s.holidays]
    countries = (
        set(
            Customer.objects.filter(tier__in=greeting)
            .order_by()
            .values_list("country", flat=True)
            .distinct()
        )
        if greeting
        else set()
    )
    holiday = {
        (c or "").upper()
        for c in countries
        if today in builder.holiday_days((c or home).upper(), [today.year])
    }
    notice = max(s.renewal_notice_days for s in schedules.values())
    match = _on_day("birthday", today) | _on_day("member_since", today)
    if notice:
        match |= Q(renewal_on__range=(today, today + timedelta(days=notice)))
    if holiday:
        match |= Q(country__in=sorted(holiday), tier__in=greeting)
    rows = (
        Customer.objects.filter(reachable, tier__in=list(schedules))
        .filter(match)
        .order_by()
        .values_list("id", "tier", "member_since", "birthday", "renewal_on", "country")
    )
    keys = {str(today.year), today.isoformat()}
    keys |= {(today + timedelta(days=n)).isoformat() for n in range(notice + 1)}
    done = {
        reason: _existing(reason, keys)
        for reason in (Occasion.BIRTHDAY, Occasion.ANNIVERSARY, Occasion.HOLIDAY, Occasion.RENEWAL)
    }
    for customer_id, tier, member_since, birthday, renewal_on, country in rows.iterator(
        chunk_size=BATCH
    ):
        schedule = schedules[tier]
        for occasion in builder.occasions_on(
            today,
            birthday=birthday,
            member_since=member_since,
            renewal_on=renewal_on,
            renewal_notice_days=schedule.renewal_notice_days,
            is_holiday=(country or "").upper() in holiday,
            birthdays=schedule.birthdays,
            anniversaries=schedule.anniversaries,
            holidays=schedule.holidays,
        ):
            if (customer_id, occasion.key) not in done[occasion.reason]:
                writer.add(customer_id, occasion)


def _promotions(writer: _Writer, today: date) -> None:
    running = list(Promotion.objects.filter(active=True, starts_on__lte=today, ends_on__gte=today))
    for promotion in running:
        tiers = [t for t in (promotion.tiers or Tier.values) if t != Tier.NONE]
        invited = Customer.objects.filter(_reachable_q(), tier__in=tiers)
        if promotion.product_id:
            invited = invited.filter(
                Exists(
                    Purchase.objects.filter(
                        customer_id=OuterRef("pk"), product_id=promotion.product_id
                    )
                )
            )
        due = builder.Due(Occasion.PROMOTION, f"p{promotion.pk}", today, promotion.ends_on)
        _insert_select(invited, due, writer.now, promotion_id=promotion.pk)


def revisit_sweep(now: datetime | None = None) -> dict[str, int]:
    """Callbacks not made go back on the list; occasions past their day expire."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    back = Revisit.objects.filter(
        status=Status.SCHEDULED, callback_at__lt=now - CALLBACK_GRACE
    ).update(
        status=Status.ASSIGNED,
        due_on=today,
        latest_on=Greatest(F("latest_on"), Value(today, output_field=DateField())),
    )
    expired = (
        Revisit.objects.filter(status__in=OPEN_STATUSES, latest_on__lt=today)
        .filter(~Q(reason=Occasion.COMPLAINT_FOLLOWUP))
        .exclude(status=Status.SCHEDULED)
        .update(status=Status.MISSED)
    )
    return {"callbacks_back": back, "expired": expired}


def revisit_daily(now: datetime | None = None) -> dict[str, Any]:
    """The periodic job: sweep, then build today's list."""
    swept = revisit_sweep(now=now)
    return {"swept": swept, "added": revisit_build_daily(now=now)}
