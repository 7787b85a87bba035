"""Rewards for valuable complaints and suggestions, and thanks to staff (REQUIREMENTS A4).

A reward is a ledger row of kind "reward", paid from a reward fund: never more than the fund
holds (its deposits less its rewards, read with the fund's row locked so two rewards at once
cannot overdraw it). Granting one writes the row, one event in the case's hash chain
(complaints.services._append_event, through remedies.services._record) and, for a known
customer, a thank-you on the case in their language, e-mailed through the outbox only when
they consent to e-mail. An anonymous contribution is rewarded with no one to contact: the
reward stays in the ledger until someone claims it with the case's tracking code.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from resuelve.accounts.models import Department, User
from resuelve.accounts.roles import AUTHORITY_LIMITS
from resuelve.complaints import lifecycle
from resuelve.complaints.lifecycle import Action, IllegalStep, NotAllowed, State
from resuelve.complaints.models import Channel, Complaint, Message, Visibility
from resuelve.complaints.selectors import can_view
from resuelve.customers.models import ContactChannel, ContactKind, Customer
from resuelve.customers.services import contact_record
from resuelve.notifications.services import Email, outbox_email, private_url
from resuelve.remedies import authority
from resuelve.remedies.models import (
    LedgerEntry,
    LedgerKind,
    RewardFund,
    RewardFundDeposit,
    StaffRecognition,
)
from resuelve.remedies.reward_selectors import fund_balance
from resuelve.remedies.services import MAX_AMOUNT, _lock, _record


def _amount(value: Decimal | str | int, field: str = "amount") -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Enter an amount.")}) from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise ValidationError({field: _("The amount must be more than zero.")})
    return amount.quantize(Decimal("0.01"))


def money(value: Decimal, places: int = 2) -> str:
    """An amount as the active language writes it, grouped (500,000.00; 500.000,00...)."""
    return formats.number_format(value, places, force_grouping=True)


def _check_staff(actor: User) -> None:
    if not actor.is_active:
        raise NotAllowed(_("This account is disabled."))
    if actor.read_only:
        raise NotAllowed(_("Your role is read-only."))


# --- the fund ---------------------------------------------------------------------------------


def reward_fund_create(
    *, name: str, currency: str, actor: User, now: datetime | None = None
) -> RewardFund:
    """Open a reward fund; managers and administrators keep the funds."""
    _check_staff(actor)
    if actor.role not in authority.FUND_KEEPERS and not actor.is_superuser:
        raise NotAllowed(_("Only managers and administrators keep the reward funds."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the fund.")})
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ValidationError({"currency": _("Enter a three-letter currency code.")})
    if RewardFund.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("There is already a fund with this name.")})
    return RewardFund.objects.create(
        name=name[:120], currency=currency, created_at=now or timezone.now()
    )


def reward_fund_deposit(
    *,
    fund: RewardFund,
    actor: User,
    amount: Decimal | str,
    note: str = "",
    now: datetime | None = None,
) -> RewardFundDeposit:
    """Put money into a fund (managers and administrators): what rewards are paid from."""
    _check_staff(actor)
    if actor.role not in authority.FUND_KEEPERS and not actor.is_superuser:
        raise NotAllowed(_("Only managers and administrators keep the reward funds."))
    clean = _amount(amount)
    with transaction.atomic():
        locked = RewardFund.objects.select_for_update().get(pk=fund.pk)
        if not locked.active:
            raise IllegalStep(_("This reward fund is closed."))
        return RewardFundDeposit.objects.create(
            fund=locked, amount=clean, at=now or timezone.now(), by=actor, note=note.strip()[:300]
        )


# --- rewarding a contribution -----------------------------------------------------------------


def _check_may_grant(actor: User, amount: Decimal) -> None:
    _check_staff(actor)
    if actor.role not in authority.REWARD_GRANTERS:
        raise NotAllowed(
            _(
                "Rewards are granted by supervisors, managers and administrators; your role "
                "(%(mine)s) may not grant them."
            )
            % {"mine": lifecycle.role_label(actor.role)}
        )
    if not authority.may_grant_reward(actor.role, amount):
        limit = AUTHORITY_LIMITS.get(actor.role) or Decimal("0")
        raise NotAllowed(
            _("A reward of %(amount)s is above your limit of %(limit)s; ask a manager to grant it.")
            % {"amount": money(amount), "limit": money(limit)}
        )


def _fund_for(fund: RewardFund | None, currency: str) -> RewardFund:
    """The fund to pay from, locked: the one given, or the first active fund in `currency`."""
    funds = RewardFund.objects.select_for_update()
    if fund is not None:
        locked = funds.filter(pk=fund.pk).first()
        if locked is None or not locked.active:
            raise ValidationError({"fund": _("This reward fund is closed.")})
        if locked.currency != currency:
            raise ValidationError(
                {
                    "fund": _("The fund %(fund)s pays in %(fund_currency)s, not %(currency)s.")
                    % {"fund": locked.name, "fund_currency": locked.currency, "currency": currency}
                }
            )
        return locked
    locked = funds.filter(active=True, currency=currency).order_by("name", "pk").first()
    if locked is None:
        raise ValidationError(
            {"fund": _("There is no open reward fund in %(currency)s.") % {"currency": currency}}
        )
    return locked


def _balance(fund: RewardFund) -> Decimal:
    return fund_balance(fund)


def _check_covers(fund: RewardFund, amount: Decimal) -> None:
    balance = _balance(fund)
    if amount > balance:
        raise ValidationError(
            {
                "amount": _(
                    "The fund %(fund)s has %(balance)s %(currency)s left: a reward of "
                    "%(amount)s is more than that."
                )
                % {
                    "fund": fund.name,
                    "balance": money(balance),
                    "currency": fund.currency,
                    "amount": money(amount),
                }
            }
        )


def thanks_text(*, code: str, amount: Decimal, currency: str) -> str:
    """The thank-you for a rewarded contribution, in the active language."""
    return _(
        "Thank you for writing to us about case %(code)s. What you told us helps us do "
        "better, and we would like to thank you with a reward of %(amount)s %(currency)s. "
        "Reply to this message to tell us how you would like to receive it."
    ) % {"code": code, "amount": money(amount, 0), "currency": currency}


def _thank(
    case: Complaint,
    customer: Customer | None,
    *,
    actor: User,
    entry: LedgerEntry,
    at: datetime,
) -> Message | None:
    """The thank-you on the case (the customer reads it with the case's private link) and by
    e-mail, rendered in the customer's language. A known customer is e-mailed only with their
    consent to e-mail; a case with a contact e-mail and no customer record is thanked there,
    like every message on the case; an anonymous contribution is thanked by no one."""
    if customer is None and not case.contact_email:
        return None
    language = (customer.language if customer is not None else "") or case.language
    with translation.override(language):
        body = thanks_text(code=case.tracking_code, amount=entry.amount, currency=entry.currency)
        subject = _("[%(code)s] Thank you for your contribution") % {"code": case.tracking_code}
    emailed = customer.may_contact(ContactChannel.EMAIL) if customer is not None else True
    message = Message.objects.create(
        complaint=case,
        author=actor,
        visibility=Visibility.CUSTOMER,
        channel=Channel.EMAIL if emailed else "",
        body=body,
        created_at=at,
    )
    if not emailed:
        return message
    with translation.override(language):
        text = render_to_string(
            "notifications/email/customer_message.txt",
            {
                "case": case,
                "message": message,
                "link": private_url(case),
                "company": settings.RESUELVE_COMPANY_NAME,
            },
        )
    headers = {"Content-Language": language, "Auto-Submitted": "no"}
    if settings.RESUELVE_INTAKE_ADDRESS:
        headers["Reply-To"] = settings.RESUELVE_INTAKE_ADDRESS
    address = customer.email if customer is not None else case.contact_email
    outbox_email(
        case,
        message,
        Email(recipient=address, subject=subject[:300], body=text, headers=headers),
    )
    if customer is not None:
        contact_record(
            customer=customer,
            channel=ContactChannel.EMAIL,
            kind=ContactKind.MESSAGE,
            summary=subject,
            by=actor,
            complaint=case,
            at=at,
        )
    return message


def reward_grant(
    *,
    complaint: Complaint,
    actor: User,
    amount: Decimal | str,
    currency: str,
    reason: str,
    fund: RewardFund | None = None,
    recipient_customer: Customer | None = None,
    now: datetime | None = None,
) -> LedgerEntry:
    """Reward a valuable complaint, claim, request or suggestion from a reward fund (A4).

    Rules: supervisors (within their authority limit), managers and administrators grant,
    on cases they may write; any kind of case, but not one found not established or merged
    into another; one reward per case; never more than the fund's balance; the fund pays in
    the reward's currency. The reward goes to `recipient_customer`, by default the case's
    customer, who is thanked in their language (see _thank); an anonymous contribution is
    rewarded with no one to contact."""
    clean = _amount(amount)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what made this contribution valuable.")})
    currency = (currency or "").strip().upper()
    _check_may_grant(actor, clean)
    with transaction.atomic():
        case = _lock(complaint, actor)
        if case.state in authority.NOT_REWARDED:
            raise IllegalStep(
                _("A case that is %(state)s is not rewarded.")
                % {"state": State(case.state).label.lower()}
            )
        if LedgerEntry.objects.filter(complaint=case, kind=LedgerKind.REWARD).exists():
            raise IllegalStep(_("This contribution is already rewarded."))
        paying = _fund_for(fund, currency)
        _check_covers(paying, clean)
        at = now or timezone.now()
        recipient = recipient_customer or case.customer
        product = case.product
        entry = LedgerEntry.objects.create(
            kind=LedgerKind.REWARD,
            fund=paying,
            complaint=case,
            customer=recipient,
            type="",
            amount=clean,
            currency=paying.currency,
            approver=actor,
            reason=reason,
            department_id=case.department_id,
            product=product,
            supplier_id=product.supplier_id if product is not None else None,
            at=at,
        )
        message = _thank(case, recipient, actor=actor, entry=entry, at=at)
        _record(
            case,
            actor=actor,
            action=Action.NOTE,
            changes={
                "reward": clean,
                "currency": paying.currency,
                "fund": paying.name,
                "recipient": recipient.name if recipient is not None else case.contact_name,
                **({"message": message.pk} if message is not None else {}),
            },
            reason=reason,
            at=at,
        )
    complaint.refresh_from_db()
    return entry


# --- rewarding staff -------------------------------------------------------------------------


def staff_reward_pay(
    *,
    recipient: User,
    actor: User,
    amount: Decimal | str,
    currency: str,
    reason: str,
    fund: RewardFund | None = None,
    complaint: Complaint | None = None,
    department: Department | None = None,
    now: datetime | None = None,
) -> LedgerEntry:
    """Pay a member of staff a reward from a reward fund (A4: employees are rewarded for
    handling complaints well), e.g. a contest's prize: a ledger row of kind "staff_reward".

    The same rules as a contribution's reward: supervisors (within their authority limit),
    managers and administrators pay; never more than the fund's balance, read with the fund
    locked; the fund pays in the reward's currency. The recipient is an active member of
    staff who handles complaints. Joins the caller's transaction when there is one."""
    clean = _amount(amount)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the reward is for.")})
    currency = (currency or "").strip().upper()
    _check_may_grant(actor, clean)
    if not recipient.is_active or recipient.role not in authority.RECOGNISABLE:
        raise ValidationError({"recipient": _("Choose a colleague who handles complaints.")})
    with transaction.atomic():
        paying = _fund_for(fund, currency)
        _check_covers(paying, clean)
        return LedgerEntry.objects.create(
            kind=LedgerKind.STAFF_REWARD,
            fund=paying,
            recipient=recipient,
            complaint=complaint,
            type="",
            amount=clean,
            currency=paying.currency,
            approver=actor,
            reason=reason,
            department=department,
            at=now or timezone.now(),
        )


# --- thanking staff ---------------------------------------------------------------------------


def staff_recognition_record(
    *,
    user: User,
    by: User,
    reason: str,
    complaint: Complaint | None = None,
    now: datetime | None = None,
) -> StaffRecognition:
    """Thank an employee for handling complaints well (A4). Any member of staff who writes
    may thank a colleague who handles complaints, not themselves; on a case they may see,
    the thanks is also an event of the case's chain."""
    _check_staff(by)
    if by.role not in authority.RECOGNISERS and not by.is_superuser:
        raise NotAllowed(_("Your role may not record recognitions."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what your colleague did well.")})
    if user.pk == by.pk:
        raise ValidationError({"user": _("Recognise a colleague, not yourself.")})
    if not user.is_active or user.role not in authority.RECOGNISABLE:
        raise ValidationError({"user": _("Choose a colleague who handles complaints.")})
    at = now or timezone.now()
    with transaction.atomic():
        case = None
        if complaint is not None:
            case = Complaint.objects.select_for_update().get(pk=complaint.pk)
            if not can_view(by, case):
                raise NotAllowed(_("This case is outside your departments or confidential."))
        recognition = StaffRecognition.objects.create(
            user=user, by=by, complaint=case, reason=reason, at=at
        )
        if case is not None:
            _record(
                case,
                actor=by,
                action=Action.NOTE,
                changes={"recognition": user.get_full_name() or user.username},
                reason=reason,
                at=at,
            )
    return recognition
