"""Reproducible random samples of customers for satisfaction studies and invitations (seed
001). The candidates are the ids of the customers matching the filters, in id order; the
members are `random.Random(seed).sample(candidates, size)`. The filters, the moment of the
draw and the seed are stored, so drawing again on the same data gives the same people in
the same order."""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from resuelve.customers.models import (
    CONSENT_FIELDS,
    ContactChannel,
    Customer,
    CustomerSample,
    Purchase,
    SampleMember,
    Tier,
)
from resuelve.customers.reach import zone
from resuelve.customers.selectors import may_draw_samples

if TYPE_CHECKING:
    from resuelve.accounts.models import User

MAX_SIZE = 10_000
# The filter keys a sample understands; anything else is refused, not silently ignored.
FILTER_KEYS = frozenset(
    {
        "tiers",
        "products",
        "regions",
        "language",
        "members_only",
        "contacted_before",
        "contacted_after",
        "consent_channel",
        "exclude_contacted_days",
    }
)


def _day_start(day: str) -> datetime:
    """Midnight of an ISO date in the company's time zone."""
    return datetime.combine(date.fromisoformat(day), time.min, tzinfo=zone(settings.TIME_ZONE))


def normalize_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """The filters in one canonical, JSON-ready shape (sorted lists, ISO dates, no empty
    values), validated; what is stored with the sample and what a redraw reads."""
    unknown = set(filters) - FILTER_KEYS
    if unknown:
        raise ValidationError(_("Unknown sample filters: %(keys)s") % {"keys": sorted(unknown)})
    out: dict[str, Any] = {}
    tiers = sorted({str(t) for t in filters.get("tiers") or []})
    if any(t not in Tier.values for t in tiers):
        raise ValidationError({"tiers": _("Unknown membership tier.")})
    if tiers:
        out["tiers"] = tiers
    products = filters.get("products") or []
    if products:
        # Product ids (numbers) and SKUs (text) may be mixed: ids first, then SKUs.
        ids = {int(p) for p in products if isinstance(p, int) or str(p).strip().isdigit()}
        skus = {str(p).strip() for p in products if not isinstance(p, int)} - {str(i) for i in ids}
        out["products"] = [*sorted(ids), *sorted(s for s in skus if s)]
    regions = sorted({int(r) for r in filters.get("regions") or []})
    if regions:
        out["regions"] = regions
    language = filters.get("language") or ""
    if language:
        if language not in {code for code, _name in settings.LANGUAGES}:
            raise ValidationError({"language": _("Unknown language.")})
        out["language"] = language
    if filters.get("members_only"):
        out["members_only"] = True
    for key in ("contacted_before", "contacted_after"):
        value = filters.get(key)
        if value:
            value = value.isoformat() if isinstance(value, date) else str(value)
            try:
                date.fromisoformat(value)
            except ValueError as exc:
                raise ValidationError({key: _("Enter a valid date.")}) from exc
            out[key] = value
    channel = filters.get("consent_channel") or ""
    if channel:
        if channel not in ContactChannel.values:
            raise ValidationError({"consent_channel": _("Unknown channel.")})
        out["consent_channel"] = channel
    days = filters.get("exclude_contacted_days")
    if days:
        days = int(days)
        if days < 0:
            raise ValidationError(
                {"exclude_contacted_days": _("Enter zero or a positive number of days.")}
            )
        out["exclude_contacted_days"] = days
    return out


def _reachable_q(channel: str) -> Q:
    """Customers who consent to `channel` and have an address for it (Customer.may_contact)."""
    q = Q(**{CONSENT_FIELDS[channel]: True})  # type: ignore[index]
    if channel == ContactChannel.EMAIL:
        return q & ~Q(email="")
    if channel == ContactChannel.LETTER:
        return q & ~Q(address="")
    return q & (~Q(phone_digits="") | ~Q(phone=""))


def sample_population(*, filters: dict[str, Any], now: datetime) -> QuerySet[Customer]:
    """The customers matching normalized `filters` at the moment `now`.

    "Contacted before" a day includes customers never contacted (they have not been since);
    "contacted after" a day needs a contact on or after it; customers contacted within the
    last `exclude_contacted_days` days (counted back from `now`) are left out."""
    qs = Customer.objects.all()
    if filters.get("tiers"):
        qs = qs.filter(tier__in=filters["tiers"])
    if filters.get("members_only"):
        qs = qs.exclude(tier=Tier.NONE)
    if filters.get("language"):
        qs = qs.filter(language=filters["language"])
    if filters.get("regions"):
        qs = qs.filter(region_id__in=filters["regions"])
    products = filters.get("products") or []
    if products:
        ids = [p for p in products if isinstance(p, int)]
        # A number may also be an all-digit SKU.
        skus = [p for p in products if isinstance(p, str)] + [str(i) for i in ids]
        bought = Purchase.objects.filter(Q(product_id__in=ids) | Q(product__sku__in=skus))
        qs = qs.filter(pk__in=bought.values("customer_id"))
    if filters.get("contacted_before"):
        qs = qs.filter(
            Q(last_contact_at__lt=_day_start(filters["contacted_before"]))
            | Q(last_contact_at__isnull=True)
        )
    if filters.get("contacted_after"):
        qs = qs.filter(last_contact_at__gte=_day_start(filters["contacted_after"]))
    if filters.get("consent_channel"):
        qs = qs.filter(_reachable_q(filters["consent_channel"]))
    days = filters.get("exclude_contacted_days") or 0
    if days:
        qs = qs.exclude(last_contact_at__gte=now - timedelta(days=days))
    return qs


def pick(candidates: Iterable[int], *, size: int, seed: int) -> list[int]:
    """The reproducible part: the same candidates (in any order), size and seed give the
    same members in the same order."""
    ordered = sorted(candidates)
    return random.Random(seed).sample(ordered, min(size, len(ordered)))


def sample_candidates(*, filters: dict[str, Any], now: datetime) -> list[int]:
    return list(
        sample_population(filters=filters, now=now).order_by("pk").values_list("pk", flat=True)
    )


def sample_redraw(sample: CustomerSample) -> list[int]:
    """Draw again from a stored sample's filters, seed and moment: the customer ids in order.
    On unchanged data this is exactly the stored member list."""
    candidates = sample_candidates(filters=sample.filters, now=sample.created_at)
    return pick(candidates, size=sample.size, seed=sample.seed)


def new_seed() -> int:
    # Fits a signed 64-bit column on every database.
    return secrets.randbits(62)


@transaction.atomic
def sample_draw(
    *,
    name: str,
    purpose: str = "",
    filters: dict[str, Any],
    size: int,
    exclude_contacted_days: int = 0,
    seed: int | None = None,
    by: User | None,
    now: datetime,
) -> CustomerSample:
    """Draw and store a random sample of `size` customers matching `filters`, leaving out
    those contacted within `exclude_contacted_days` days. Only supervisors, managers and
    administrators draw samples (`by=None` is the system, e.g. a scheduled study)."""
    if by is not None and not may_draw_samples(by):
        raise PermissionDenied(_("Your role does not draw customer samples."))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the sample a name.")})
    if not 1 <= size <= MAX_SIZE:
        raise ValidationError(
            {"size": _("Ask for 1 to %(max)s customers.") % {"max": f"{MAX_SIZE:,}"}}
        )
    if exclude_contacted_days:
        filters = {**filters, "exclude_contacted_days": exclude_contacted_days}
    normalized = normalize_filters(filters)
    if seed is None:
        seed = new_seed()
    candidates = sample_candidates(filters=normalized, now=now)
    chosen = pick(candidates, size=size, seed=seed)
    sample = CustomerSample.objects.create(
        name=name[:200],
        purpose=purpose[:300],
        filters=normalized,
        seed=seed,
        size=size,
        population=len(candidates),
        created_by=by,
        created_at=now,
    )
    SampleMember.objects.bulk_create(
        [
            SampleMember(sample=sample, customer_id=customer_id, position=position)
            for position, customer_id in enumerate(chosen, start=1)
        ],
        batch_size=1000,
    )
    return sample
