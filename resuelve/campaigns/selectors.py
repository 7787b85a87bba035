"""Reads about campaigns: who they target, what they would reach, and how they went."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from resuelve.campaigns import channels
from resuelve.campaigns.models import (
    REACHED,
    Campaign,
    CampaignComplaint,
    CampaignMember,
    CampaignRemedy,
    MemberStatus,
)
from resuelve.complaints.models import Complaint
from resuelve.customers.models import Customer, Product, Purchase


def buyers(*, product: Product, batch: str = "") -> QuerySet[Purchase]:
    """Every purchase of the product (of the batch, when one is given)."""
    qs = Purchase.objects.filter(product=product)
    if batch:
        qs = qs.filter(batch=batch)
    return qs


def complainants(*, product: Product) -> QuerySet[Complaint]:
    """Complaints about the product: filed under it, or about a purchase of it."""
    return Complaint.objects.filter(customer__isnull=False).filter(
        Q(product=product) | Q(purchase__product=product)
    )


def campaign_targets(*, product: Product, batch: str = "") -> QuerySet[Customer]:
    """Customers who bought the product (the batch, when given) and have not complained
    about it. (Customers carry no anonymised or erased marker in this product; when one is
    added, exclude it here.)"""
    complained = complainants(product=product).values("customer_id")
    return (
        Customer.objects.filter(pk__in=buyers(product=product, batch=batch).values("customer_id"))
        .exclude(pk__in=complained)
        .order_by("pk")
    )


@dataclass
class Preview:
    buyers: int
    complained: int
    reachable: int
    skipped_consent: int
    skipped_no_channel: int


def campaign_preview(*, campaign: Campaign) -> Preview:
    """What starting the campaign now would do: how many customers it reaches, and how
    many it skips for consent, for missing contact details, or as complainants."""
    bought = Customer.objects.filter(
        pk__in=buyers(product=campaign.product, batch=campaign.batch).values("customer_id")
    )
    total = bought.count()
    reachable = consent = no_channel = 0
    for customer in campaign_targets(product=campaign.product, batch=campaign.batch).iterator():
        if channels.route_for(customer) is not None:
            reachable += 1
        elif channels.reachable_at_all(customer):
            consent += 1
        else:
            no_channel += 1
    return Preview(
        buyers=total,
        complained=total - reachable - consent - no_channel,
        reachable=reachable,
        skipped_consent=consent,
        skipped_no_channel=no_channel,
    )


def campaign_list() -> QuerySet[Campaign]:
    return (
        Campaign.objects.select_related("product", "created_by", "approved_by")
        .annotate(n_members=Count("members"))
        .order_by("-created_at", "-id")
    )


def campaign_members(*, campaign: Campaign, status: str = "") -> QuerySet[CampaignMember]:
    qs = CampaignMember.objects.filter(campaign=campaign).select_related(
        "customer", "purchase", "remedy"
    )
    if status in MemberStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("id")


@dataclass
class Stats:
    by_status: dict[str, int]
    targeted: int
    reached: int
    accepted: int
    declined: int
    cost: list[tuple[str, Decimal]]

    @property
    def reach(self) -> float | None:
        """Contacted over targeted (the customers not skipped)."""
        return self.reached / self.targeted if self.targeted else None

    @property
    def uptake(self) -> float | None:
        """Accepted over contacted."""
        return self.accepted / self.reached if self.reached else None


def campaign_stats(*, campaign: Campaign) -> Stats:
    counts = dict(
        CampaignMember.objects.filter(campaign=campaign)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    by_status = {status: counts.get(status, 0) for status in MemberStatus.values}
    reached = sum(by_status[s] for s in REACHED)
    targeted = reached + by_status[MemberStatus.PENDING]
    cost = [
        (row["currency"], row["total"])
        for row in CampaignRemedy.objects.filter(member__campaign=campaign)
        .order_by("currency")
        .values("currency")
        .annotate(total=Sum("amount"))
    ]
    return Stats(
        by_status=by_status,
        targeted=targeted,
        reached=reached,
        accepted=by_status[MemberStatus.ACCEPTED],
        declined=by_status[MemberStatus.DECLINED],
        cost=cost,
    )


def campaign_later_complaints(*, campaign: Campaign) -> QuerySet[CampaignComplaint]:
    return (
        CampaignComplaint.objects.filter(campaign=campaign)
        .select_related("complaint", "member__customer")
        .order_by("-linked_at", "-id")
    )
