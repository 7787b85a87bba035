"""Every change to remedy campaigns.

A campaign is drafted, approved by a supervisor or manager other than its creator, started
(which fixes its members: who is contacted, on which channel, and who is skipped and why),
sent by the worker, answered and finished. Each step moves the status through a conditional
update, so a double click or a second worker changes nothing; each member is contacted once,
claimed with `filter(pk=..., status="pending").update(...)` in the transaction that writes
its message and its contact log row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from resuelve.campaigns import access, channels, selectors
from resuelve.campaigns.models import (
    Campaign,
    CampaignComplaint,
    CampaignMember,
    CampaignRemedy,
    CampaignStatus,
    MemberStatus,
)
from resuelve.customers import reach
from resuelve.customers.models import ContactChannel, ContactKind, Customer, Product, Purchase
from resuelve.customers.services import contact_record
from resuelve.notifications.models import Outbox, Transport
from resuelve.notifications.services import _schedule
from resuelve.remedies.models import LedgerEntry, LedgerKind, RemedyType

if TYPE_CHECKING:
    from resuelve.accounts.models import User
    from resuelve.complaints.models import Complaint

_TRANSPORTS = {
    ContactChannel.EMAIL: Transport.EMAIL,
    ContactChannel.SMS: Transport.SMS,
    ContactChannel.MESSAGING: Transport.MESSAGING,
}
BATCH = 500


class StepRefused(Exception):
    """The campaign (or member) is not in the state the step needs."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def _language(customer: Customer) -> str:
    return customer.language if customer.language in _languages() else settings.LANGUAGE_CODE


# --- drafting and approving -------------------------------------------------------------------


@transaction.atomic
def _alert(alert_id: int | None) -> Any:
    """The alert a campaign comes from, when the id names one (a stale link names none)."""
    from resuelve.earlywarning.models import Alert

    return Alert.objects.filter(pk=alert_id).first() if alert_id else None


def campaign_create(
    *,
    actor: User,
    title: str,
    product: Product,
    remedy_texts: dict[str, str],
    remedy_kind: str,
    unit_cost: Decimal,
    currency: str,
    batch: str = "",
    alert_id: int | None = None,
    now: datetime | None = None,
) -> Campaign:
    """Draft a campaign. The remedy must be written in the company language (the text every
    other language falls back to); texts in other languages are optional."""
    if not access.may_run(actor):
        raise PermissionDenied(_("You may not run remedy campaigns."))
    texts = {
        lang: text.strip()
        for lang, text in remedy_texts.items()
        if lang in _languages() and (text or "").strip()
    }
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the campaign a title.")
    if not texts.get(settings.LANGUAGE_CODE):
        errors[f"remedy_{settings.LANGUAGE_CODE}"] = _(
            "Write the remedy in the company language: customers without a text in their "
            "own language read this one."
        )
    if remedy_kind not in RemedyType.values:
        errors["remedy_kind"] = _("Choose the kind of remedy.")
    if unit_cost is None or unit_cost < 0:
        errors["unit_cost"] = _("The cost cannot be negative.")
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        errors["currency"] = _("Give a three-letter currency code, e.g. COP.")
    if errors:
        raise ValidationError(errors)
    return Campaign.objects.create(
        title=title.strip()[:200],
        product=product,
        batch=batch.strip()[:60],
        remedy_texts=texts,
        remedy_kind=remedy_kind,
        unit_cost=unit_cost,
        currency=currency,
        created_by=actor,
        created_at=now or timezone.now(),
        alert=_alert(alert_id),
    )


def campaign_approve(*, campaign: Campaign, actor: User, now: datetime | None = None) -> Campaign:
    """Approve a draft: a supervisor's or manager's decision, and never the creator's own
    (four eyes on a message that goes to every buyer)."""
    if not access.may_approve(actor):
        raise PermissionDenied(_("Only a supervisor or a manager approves a campaign."))
    if campaign.created_by_id == actor.pk:
        raise PermissionDenied(_("Someone other than its creator must approve the campaign."))
    now = now or timezone.now()
    done = Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.DRAFT).update(
        status=CampaignStatus.APPROVED, approved_by=actor, approved_at=now
    )
    if not done:
        raise StepRefused(_("Only a draft campaign can be approved."))
    campaign.refresh_from_db()
    return campaign


# --- starting ---------------------------------------------------------------------------------


def _latest_purchases(campaign: Campaign) -> dict[int, Purchase]:
    latest: dict[int, Purchase] = {}
    for purchase in selectors.buyers(product=campaign.product, batch=campaign.batch).order_by(
        "customer_id", "purchased_on", "id"
    ):
        latest[purchase.customer_id] = purchase
    return latest


def _member(campaign: Campaign, customer: Customer, purchase: Purchase | None) -> CampaignMember:
    member = CampaignMember(
        campaign=campaign, customer=customer, purchase=purchase, language=_language(customer)
    )
    route = channels.route_for(customer)
    if route is not None:
        member.channel, member.recipient = route.channel, route.recipient[:500]
    elif channels.reachable_at_all(customer):
        member.status = MemberStatus.SKIPPED_CONSENT
        member.reason = "no consented channel"
    else:
        member.status = MemberStatus.SKIPPED_NO_CHANNEL
        member.reason = "no contact details"
    return member


def campaign_start(*, campaign: Campaign, actor: User, now: datetime | None = None) -> Campaign:
    """Start an approved campaign: every buyer of the product (or batch) becomes a member,
    to be contacted on their consented channel, or skipped, with the reason: they already
    complained about the product, consent to no channel we have an address for, or left no
    contact details at all."""
    if not access.may_run(actor):
        raise PermissionDenied(_("You may not run remedy campaigns."))
    now = now or timezone.now()
    with transaction.atomic():
        done = Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.APPROVED).update(
            status=CampaignStatus.RUNNING, started_by=actor, started_at=now
        )
        if not done:
            raise StepRefused(_("Only an approved campaign can be started."))
        latest = _latest_purchases(campaign)
        complained = set(
            selectors.complainants(product=campaign.product).values_list("customer_id", flat=True)
        )
        members = []
        customers = Customer.objects.filter(pk__in=list(latest)).order_by("pk")
        for customer in customers.iterator():
            if customer.pk in complained:
                members.append(
                    CampaignMember(
                        campaign=campaign,
                        customer=customer,
                        purchase=latest[customer.pk],
                        language=_language(customer),
                        status=MemberStatus.SKIPPED_COMPLAINED,
                        reason="already complained about the product",
                    )
                )
            else:
                members.append(_member(campaign, customer, latest[customer.pk]))
        CampaignMember.objects.bulk_create(members, batch_size=BATCH)
    campaign.refresh_from_db()
    return campaign


def campaign_finish(*, campaign: Campaign, actor: User, now: datetime | None = None) -> Campaign:
    """Stop contacting: members not yet contacted stay as they are, answers still count."""
    if not access.may_run(actor):
        raise PermissionDenied(_("You may not run remedy campaigns."))
    done = Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.RUNNING).update(
        status=CampaignStatus.FINISHED, finished_at=now or timezone.now()
    )
    if not done:
        raise StepRefused(_("Only a running campaign can be finished."))
    campaign.refresh_from_db()
    return campaign


# --- sending ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rendered:
    subject: str
    body: str


def render_message(member: CampaignMember) -> _Rendered:
    """The outreach in the member's language, with the remedy in that language (or the
    company language's text when there is none)."""
    campaign = member.campaign
    with translation.override(member.language or settings.LANGUAGE_CODE):
        context = {
            "name": member.customer.name,
            "product": campaign.product.name,
            "batch": campaign.batch,
            "remedy": campaign.remedy_text(member.language),
            "company": settings.RESUELVE_COMPANY_NAME,
        }
        if member.channel == ContactChannel.EMAIL:
            subject = _("About your %(product)s: what we offer you") % {
                "product": campaign.product.name
            }
            body = render_to_string("campaigns/messages/outreach_email.txt", context)
        else:
            subject = ""
            body = render_to_string("campaigns/messages/outreach_text.txt", context).strip()
    return _Rendered(subject=subject[:300], body=body)


def _summary(campaign: Campaign) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Remedy campaign: %(title)s") % {"title": campaign.title}


def _reroute(member: CampaignMember, customer: Customer) -> bool:
    """Consent may have been withdrawn since the campaign started: choose another consented
    channel, or record the member as skipped. False when the member cannot be contacted."""
    route = channels.route_for(customer)
    if route is None:
        CampaignMember.objects.filter(pk=member.pk, status=MemberStatus.PENDING).update(
            status=MemberStatus.SKIPPED_CONSENT, reason="consent withdrawn"
        )
        member.status = MemberStatus.SKIPPED_CONSENT
        return False
    member.channel, member.recipient = route.channel, route.recipient[:500]
    CampaignMember.objects.filter(pk=member.pk, status=MemberStatus.PENDING).update(
        channel=member.channel, recipient=member.recipient
    )
    return True


def member_send(*, member: CampaignMember, now: datetime | None = None) -> bool:
    """Send one pending member's message, once: False when it is not due, is held by the
    customer's quiet hours (then deferred to their end), needs a person (a call or a letter),
    or was sent by another worker."""
    now = now or timezone.now()
    if member.status != MemberStatus.PENDING or member.campaign.status != CampaignStatus.RUNNING:
        return False
    if member.send_after is not None and member.send_after > now:
        return False
    customer = member.customer
    customer.refresh_from_db()
    if not customer.may_contact(member.channel) and not _reroute(member, customer):
        return False
    if member.channel not in channels.AUTOMATIC:
        return False
    until = reach.next_reachable(
        now,
        zone_name=customer.time_zone,
        quiet_from=customer.quiet_from,
        quiet_until=customer.quiet_until,
    )
    if until > now:
        CampaignMember.objects.filter(pk=member.pk, status=MemberStatus.PENDING).update(
            send_after=until
        )
        member.send_after = until
        return False
    with transaction.atomic():
        claimed = CampaignMember.objects.filter(
            pk=member.pk,
            status=MemberStatus.PENDING,
            channel=member.channel,
            campaign__status=CampaignStatus.RUNNING,
        ).update(status=MemberStatus.SENT, sent_at=now)
        if not claimed:
            return False
        member.status, member.sent_at = MemberStatus.SENT, now
        rendered = render_message(member)
        is_email = member.channel == ContactChannel.EMAIL
        row = Outbox.objects.create(
            transport=_TRANSPORTS[member.channel],  # type: ignore[index]
            recipient=member.recipient,
            subject=rendered.subject,
            body=rendered.body,
            headers={"Content-Language": member.language, "Auto-Submitted": "auto-generated"}
            if is_email
            else {},
            created_at=now,
        )
        _schedule(row.pk)
        contact_record(
            customer=customer,
            channel=member.channel,
            kind=ContactKind.MESSAGE,
            summary=_summary(member.campaign),
            at=now,
        )
    return True


def campaign_send_due(*, now: datetime | None = None) -> dict[str, int]:
    """The worker's pass: send every pending member of a running campaign whose time has
    come. Safe to run twice or in two workers at once (each member is claimed)."""
    now = now or timezone.now()
    due = (
        CampaignMember.objects.filter(
            status=MemberStatus.PENDING,
            campaign__status=CampaignStatus.RUNNING,
            channel__in=channels.AUTOMATIC,
        )
        .filter(Q(send_after__isnull=True) | Q(send_after__lte=now))
        .select_related("campaign__product", "customer")
        .order_by("send_after", "id")[:BATCH]
    )
    sent = deferred = 0
    for member in due:
        if member_send(member=member, now=now):
            sent += 1
        elif member.status == MemberStatus.PENDING and member.send_after:
            deferred += member.send_after > now
    return {"sent": sent, "deferred": deferred}


def member_contacted(*, member: CampaignMember, actor: User, now: datetime | None = None) -> bool:
    """Staff record that they called the customer or posted the letter (the channels the
    worker cannot use). Not during the customer's quiet hours for a call."""
    if not access.may_run(actor):
        raise PermissionDenied(_("You may not run remedy campaigns."))
    now = now or timezone.now()
    if member.campaign.status != CampaignStatus.RUNNING:
        raise StepRefused(_("The campaign is not running."))
    if member.channel in channels.AUTOMATIC:
        raise StepRefused(_("This customer's message is sent automatically."))
    customer = member.customer
    customer.refresh_from_db()
    if not customer.may_contact(member.channel):
        raise StepRefused(_("The customer no longer consents to this channel."))
    if member.channel == ContactChannel.PHONE and reach.is_quiet(
        now,
        zone_name=customer.time_zone,
        quiet_from=customer.quiet_from,
        quiet_until=customer.quiet_until,
    ):
        raise StepRefused(_("The customer is resting now: do not call them in their quiet hours."))
    with transaction.atomic():
        claimed = CampaignMember.objects.filter(pk=member.pk, status=MemberStatus.PENDING).update(
            status=MemberStatus.SENT, sent_at=now, sent_by=actor
        )
        if not claimed:
            return False
        member.status, member.sent_at = MemberStatus.SENT, now
        contact_record(
            customer=customer,
            channel=member.channel,
            kind=ContactKind.MESSAGE,
            summary=_summary(member.campaign),
            by=actor,
            at=now,
        )
    return True


# --- answers ----------------------------------------------------------------------------------


def campaign_record_response(
    *,
    member: CampaignMember,
    actor: User,
    accepted: bool,
    note: str = "",
    now: datetime | None = None,
) -> CampaignMember:
    """Record the customer's answer to a message they received. An accepted remedy is
    granted at the campaign's unit cost: one cost row per member, however often the answer
    is recorded."""
    if not access.may_run(actor):
        raise PermissionDenied(_("You may not run remedy campaigns."))
    now = now or timezone.now()
    status = MemberStatus.ACCEPTED if accepted else MemberStatus.DECLINED
    campaign = member.campaign
    with transaction.atomic():
        changes: dict[str, Any] = {"status": status, "responded_at": now, "responded_by": actor}
        if note.strip():
            changes["reason"] = note.strip()[:300]
        done = CampaignMember.objects.filter(pk=member.pk, status=MemberStatus.SENT).update(
            **changes
        )
        if not done:
            raise StepRefused(
                _("Only a customer who was contacted and has not answered can answer.")
            )
        if accepted:
            product = campaign.product
            entry = LedgerEntry.objects.create(
                kind=LedgerKind.CAMPAIGN,
                customer_id=member.customer_id,
                type=campaign.remedy_kind,
                amount=campaign.unit_cost,
                currency=campaign.currency,
                approver=campaign.approved_by,
                cause=campaign.title[:200],
                product=product,
                supplier_id=product.supplier_id if product else None,
                at=now,
            )
            CampaignRemedy.objects.create(
                member=member,
                amount=campaign.unit_cost,
                currency=campaign.currency,
                delivered_at=now,
                delivered_by=actor,
                ledger_entry=entry,
            )
    member.refresh_from_db()
    return member


# --- complaints that arrive later -------------------------------------------------------------


def _product_of(complaint: Complaint) -> int | None:
    if complaint.product_id is not None:
        return complaint.product_id
    if complaint.purchase_id is not None:
        return complaint.purchase.product_id
    return None


def campaign_for_complaint(complaint: Complaint) -> Campaign | None:
    """The running campaign a new complaint belongs to: one about the same product (and the
    same batch when the campaign is for a batch: the complaint's purchase is of that batch,
    or the complainant is one of the campaign's customers), started before it arrived. The
    campaign that targeted the complainant first, then the latest started."""
    product_id = _product_of(complaint)
    if product_id is None:
        return None
    candidates = Campaign.objects.filter(
        product_id=product_id,
        status=CampaignStatus.RUNNING,
        started_at__lte=complaint.received_at,
    ).order_by("-started_at", "-id")
    batch = complaint.purchase.batch if complaint.purchase_id is not None else ""
    member_of: set[int] = set()
    if complaint.customer_id is not None:
        member_of = set(
            CampaignMember.objects.filter(
                campaign__in=candidates, customer_id=complaint.customer_id
            ).values_list("campaign_id", flat=True)
        )
    matching = [c for c in candidates if not c.batch or c.batch == batch or c.pk in member_of]
    for campaign in matching:
        if campaign.pk in member_of:
            return campaign
    return matching[0] if matching else None


def campaign_link_complaint(
    *, complaint: Complaint, now: datetime | None = None
) -> CampaignComplaint | None:
    """Link a complaint to its campaign (see campaign_for_complaint); once: a complaint
    already linked keeps its link. None when no campaign matches."""
    existing = CampaignComplaint.objects.filter(complaint=complaint).first()
    if existing is not None:
        return existing
    campaign = campaign_for_complaint(complaint)
    if campaign is None:
        return None
    member = (
        CampaignMember.objects.filter(campaign=campaign, customer_id=complaint.customer_id).first()
        if complaint.customer_id is not None
        else None
    )
    try:
        with transaction.atomic():
            return CampaignComplaint.objects.create(
                campaign=campaign,
                complaint=complaint,
                member=member,
                linked_at=now or timezone.now(),
            )
    except IntegrityError:  # linked by another process at the same moment
        return CampaignComplaint.objects.get(complaint=complaint)
