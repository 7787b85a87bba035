"""The campaign sender, run by the periodic worker (resuelve.core.periodic): it sends what is
due and links the complaints that arrived since about a running campaign's product."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Min, Q

from resuelve.campaigns import services
from resuelve.campaigns.models import Campaign, CampaignComplaint, CampaignStatus
from resuelve.complaints.models import Complaint


def campaigns_link_new(now: datetime | None = None) -> int:
    """Link every complaint about a running campaign's product received since it started and
    not linked yet (registration stays as fast as it is: the worker does this)."""
    running = Campaign.objects.filter(status=CampaignStatus.RUNNING, started_at__isnull=False)
    since = running.aggregate(first=Min("started_at"))["first"]
    if since is None:
        return 0
    products = list(running.values_list("product_id", flat=True))
    cases = (
        Complaint.objects.filter(received_at__gte=since)
        .filter(Q(product_id__in=products) | Q(purchase__product_id__in=products))
        .exclude(pk__in=CampaignComplaint.objects.values("complaint_id"))
        .order_by("pk")
    )
    linked = 0
    for case in cases.iterator(chunk_size=500):
        linked += services.campaign_link_complaint(complaint=case, now=now) is not None
    return linked


def campaigns_send_due(now: datetime | None = None) -> dict[str, int]:
    sent = services.campaign_send_due(now=now)
    return {**sent, "linked": campaigns_link_new(now=now)}
