"""Rewards for valuable complaints and suggestions, and thanks to staff (REQUIREMENTS A4)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from resuelve.accounts.models import Department, User
from resuelve.complaints.lifecycle import Action, IllegalStep, Kind, NotAllowed, State
from resuelve.complaints.models import Complaint, ComplaintEvent, Message
from resuelve.customers.models import Contact, Customer
from resuelve.notifications import tasks
from resuelve.notifications.models import Outbox
from resuelve.remedies import reward_selectors, reward_services
from resuelve.remedies.models import (
    LedgerEntry,
    LedgerKind,
    Proposal,
    RemedyItem,
    RewardFund,
    StaffRecognition,
)
from resuelve.remedies.selectors import ledger_entries, ledger_grand_total, ledger_totals
from resuelve.testing.fixtures import Clock, MakeComplaint, chain_problems

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def fund(manager: User, clock: Clock) -> RewardFund:
    """A fund of 500,000 COP."""
    fund = reward_services.reward_fund_create(name="Ideas", currency="COP", actor=manager)
    reward_services.reward_fund_deposit(fund=fund, actor=manager, amount="500000", note="Q1")
    return fund


@pytest.fixture
def suggestion(make_complaint: MakeComplaint, customer: Customer) -> Complaint:
    """A suggestion from a known customer who writes in English, under investigation."""
    return make_complaint(
        state=State.INVESTIGATING, kind=Kind.SUGGESTION, customer=customer, language="en"
    )


def grant(case: Complaint, actor: User, amount: str = "100000", **kwargs: object) -> LedgerEntry:
    kwargs.setdefault("currency", "COP")
    kwargs.setdefault("reason", "The idea cut waiting times at the workshop.")
    return reward_services.reward_grant(
        complaint=case,
        actor=actor,
        amount=Decimal(amount),
        **kwargs,  # type: ignore[arg-type]
    )


def test_it_grants_a_reward_within_the_balance(
    suggestion: Complaint, fund: RewardFund, manager: User, customer: Customer
) -> None:
    entry = grant(suggestion, manager, "120000")
    assert entry.kind == LedgerKind.REWARD
    assert entry.item is None and entry.type == ""
    assert entry.fund == fund and entry.customer == customer and entry.approver == manager
    assert entry.amount == Decimal("120000.00") and entry.currency == "COP"
    assert reward_selectors.fund_balance(fund) == Decimal("380000.00")
    (balance,) = reward_selectors.fund_balances()
    assert (balance.deposited, balance.rewarded, balance.balance, balance.rewards) == (
        Decimal("500000.00"),
        Decimal("120000.00"),
        Decimal("380000.00"),
        1,
    )


def test_it_pays_the_whole_balance_but_refuses_more(
    suggestion: Complaint, make_complaint: MakeComplaint, fund: RewardFund, manager: User
) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        grant(suggestion, manager, "500000.01")
    assert "has 500,000.00 COP left" in refused.value.message_dict["amount"][0]
    assert not LedgerEntry.objects.filter(kind=LedgerKind.REWARD).exists()
    assert not Message.objects.filter(complaint=suggestion, body__contains="reward").exists()

    grant(suggestion, manager, "500000")
    assert reward_selectors.fund_balance(fund) == Decimal("0.00")
    other = make_complaint(state=State.ACKNOWLEDGED, kind=Kind.COMPLAINT)
    with pytest.raises(ValidationError):
        grant(other, manager, "1")


@pytest.mark.parametrize(
    ("persona", "amount", "allowed"),
    [
        ("agent", "1000", False),
        ("handler", "1000", False),
        ("auditor", "1000", False),
        ("supervisor", "2000000", True),
        ("supervisor", "2000001", False),
        ("manager", "5000000", True),
        ("admin", "5000000", True),
    ],
)
def test_it_lets_only_the_allowed_roles_grant(
    personas: dict[str, User],
    make_complaint: MakeComplaint,
    manager: User,
    persona: str,
    amount: str,
    allowed: bool,
) -> None:
    fund = reward_services.reward_fund_create(name="Big", currency="COP", actor=manager)
    reward_services.reward_fund_deposit(fund=fund, actor=manager, amount="9000000")
    # A case of quality, the supervisor's and the handler's department.
    case = make_complaint(state=State.INVESTIGATING, kind=Kind.CLAIM)
    actor = personas[persona]
    if allowed:
        assert grant(case, actor, amount).approver == actor
    else:
        with pytest.raises(NotAllowed):
            grant(case, actor, amount)
        assert not LedgerEntry.objects.filter(kind=LedgerKind.REWARD).exists()


def test_it_refuses_cases_out_of_scope_done_or_already_rewarded(
    make_complaint: MakeComplaint,
    fund: RewardFund,
    manager: User,
    supervisor: User,
    workshop: Department,
    suggestion: Complaint,
) -> None:
    elsewhere = make_complaint(state=State.INVESTIGATING, department=workshop, assignee=None)
    with pytest.raises(NotAllowed):
        grant(elsewhere, supervisor, "1000")  # not the supervisor's department
    unfounded = make_complaint(state=State.NOT_ESTABLISHED)
    with pytest.raises(IllegalStep):
        grant(unfounded, manager, "1000")
    grant(suggestion, manager, "1000")
    with pytest.raises(IllegalStep):
        grant(suggestion, manager, "1000")
    assert reward_selectors.fund_balance(fund) == Decimal("499000.00")


def test_it_refuses_a_fund_in_another_currency_or_none(
    suggestion: Complaint, fund: RewardFund, manager: User
) -> None:
    with pytest.raises(ValidationError) as wrong:
        grant(suggestion, manager, "1000", currency="USD", fund=fund)
    assert "fund" in wrong.value.message_dict
    with pytest.raises(ValidationError) as none:
        grant(suggestion, manager, "1000", currency="USD")
    assert "fund" in none.value.message_dict


def test_the_ledger_rows_keep_their_shape(
    suggestion: Complaint, fund: RewardFund, clock: Clock
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            kind=LedgerKind.REWARD, complaint=suggestion, amount=1, currency="COP", at=clock()
        )  # a reward without a fund


def test_compensation_statistics_leave_rewards_out(
    suggestion: Complaint, fund: RewardFund, manager: User, supervisor: User, clock: Clock
) -> None:
    proposal = Proposal.objects.create(
        complaint=suggestion, number=1, proposed_by=manager, created_at=clock()
    )
    item = RemedyItem.objects.create(
        proposal=proposal, type="refund", description="x", amount=Decimal("1000")
    )
    LedgerEntry.objects.create(
        item=item,
        complaint=suggestion,
        type="refund",
        amount=Decimal("1000"),
        currency="COP",
        department=suggestion.department,
        at=clock(),
    )
    before = (
        ledger_grand_total(user=manager, start=None, end=None),
        ledger_totals(by="department", user=manager),
        ledger_totals(by="month", user=supervisor),
        ledger_totals(by="cause", user=manager),
    )
    assert before[0]["count"] == 1
    grant(suggestion, manager, "250000")
    after = (
        ledger_grand_total(user=manager, start=None, end=None),
        ledger_totals(by="department", user=manager),
        ledger_totals(by="month", user=supervisor),
        ledger_totals(by="cause", user=manager),
    )
    assert after == before
    assert [e.type for e in ledger_entries(user=manager)] == ["refund"]
    # Asked for, they are there.
    assert ledger_entries(user=manager, kind=LedgerKind.REWARD).count() == 1
    assert ledger_entries(user=manager, kind=None).count() == 2


def test_the_ledger_page_counts_no_rewards(
    client: Client, suggestion: Complaint, fund: RewardFund, manager: User
) -> None:
    grant(suggestion, manager, "250000")
    client.force_login(manager)
    page = client.get(reverse("remedies:ledger"), **EN)
    assert "0 entries, 0.00 in total." in page.content.decode()
    csv = client.get(reverse("remedies:ledger") + "?format=csv", **EN).content.decode()
    assert suggestion.tracking_code not in csv


def test_the_audit_chain_verifies_after_a_reward(
    suggestion: Complaint, fund: RewardFund, manager: User, handler: User
) -> None:
    events = suggestion.event_count
    grant(suggestion, manager, "1000")
    reward_services.staff_recognition_record(
        user=handler, by=manager, complaint=suggestion, reason="Answered within the day."
    )
    assert chain_problems(suggestion) == []
    reward, thanks = ComplaintEvent.objects.filter(complaint=suggestion, seq__gt=events).order_by(
        "seq"
    )
    assert reward.action == Action.NOTE and reward.changes["reward"] == "1000.00"
    assert reward.changes["fund"] == "Ideas" and reward.actor == manager
    assert thanks.changes == {"recognition": "Hugo Test"}


def _thanks_mail(case: Complaint) -> list[mail.EmailMessage]:
    """The e-mails sent for the case's reward thank-you, through the outbox sender."""
    event = ComplaintEvent.objects.filter(complaint=case, changes__has_key="reward").get()
    rows = list(Outbox.objects.filter(message_id=event.changes["message"]))
    for row in rows:
        tasks.send(row.pk)
    ids = {f"<{case.tracking_code}.{event.changes['message']}@resuelve>"}
    return [m for m in mail.outbox if m.extra_headers.get("Message-ID") in ids]


def test_it_thanks_the_customer_in_their_language(
    make_complaint: MakeComplaint, fund: RewardFund, manager: User
) -> None:
    # The case was written in English; the customer's own language is Spanish.
    luisa = Customer.objects.create(name="Luisa", email="luisa@example.com", language="es")
    case = make_complaint(
        state=State.INVESTIGATING, kind=Kind.SUGGESTION, customer=luisa, language="en"
    )
    carla = Customer.objects.create(name="Carla", email="carla@example.com", language="en")
    other = make_complaint(state=State.INVESTIGATING, kind=Kind.COMPLAINT, customer=carla)
    grant(case, manager, "30000")
    grant(other, manager, "40000")

    (spanish,) = _thanks_mail(case)
    assert spanish.extra_headers["Content-Language"] == "es"
    assert f"Su número de radicado: {case.tracking_code}" in spanish.body
    (english,) = _thanks_mail(other)
    assert spanish.to == ["luisa@example.com"]
    assert english.extra_headers["Content-Language"] == "en"
    assert "we would like to thank you with a reward of 40,000 COP" in english.body
    assert english.subject == f"[{other.tracking_code}] Thank you for your contribution"
    assert Contact.objects.filter(customer=carla, complaint=other, kind="message").count() == 1
    thanks = Message.objects.get(complaint=other, body__contains="reward")
    assert thanks.visibility == "customer" and thanks.author == manager


def test_it_sends_no_email_when_consent_is_withdrawn(
    suggestion: Complaint, fund: RewardFund, manager: User, customer: Customer
) -> None:
    Customer.objects.filter(pk=customer.pk).update(consent_email=False)
    sent_before = Outbox.objects.filter(recipient=customer.email).count()
    entry = grant(suggestion, manager, "1000")
    assert entry.customer == customer
    assert Outbox.objects.filter(recipient=customer.email).count() == sent_before
    assert not Contact.objects.filter(customer=customer, kind="message").exists()
    # Still thanked on the case, where the customer reads it with the private link.
    assert Message.objects.filter(complaint=suggestion, body__contains="reward").count() == 1


def test_an_anonymous_suggestion_is_rewarded_with_no_one_to_contact(
    make_complaint: MakeComplaint, fund: RewardFund, manager: User
) -> None:
    case = make_complaint(
        state=State.ACKNOWLEDGED, kind=Kind.SUGGESTION, contact_name="", contact_email=""
    )
    assert case.customer_id is None
    outbox = Outbox.objects.count()
    entry = grant(case, manager, "5000")
    assert entry.customer is None
    assert Outbox.objects.count() == outbox
    assert not Message.objects.filter(complaint=case, body__contains="reward").exists()
    assert chain_problems(case) == []


def test_it_records_staff_recognition(
    suggestion: Complaint,
    manager: User,
    handler: User,
    agent: User,
    auditor: User,
    clock: Clock,
) -> None:
    when = datetime(2025, 6, 1, 12, tzinfo=UTC)
    thanks = reward_services.staff_recognition_record(
        user=handler,
        by=manager,
        complaint=suggestion,
        reason="Kept the customer informed.",
        now=when,
    )
    assert (thanks.user, thanks.by, thanks.complaint, thanks.at) == (
        handler,
        manager,
        suggestion,
        when,
    )
    general = reward_services.staff_recognition_record(user=agent, by=handler, reason="Calm.")
    assert general.complaint is None
    with pytest.raises(ValidationError):
        reward_services.staff_recognition_record(user=handler, by=handler, reason="Me!")
    with pytest.raises(NotAllowed):
        reward_services.staff_recognition_record(user=handler, by=auditor, reason="Good.")
    with pytest.raises(ValidationError):
        reward_services.staff_recognition_record(user=auditor, by=manager, reason="Good.")
    with pytest.raises(ValidationError):
        reward_services.staff_recognition_record(user=agent, by=manager, reason="  ")
    assert StaffRecognition.objects.count() == 2


def test_deposits_are_for_fund_keepers(fund: RewardFund, supervisor: User, auditor: User) -> None:
    for actor in (supervisor, auditor):
        with pytest.raises(NotAllowed):
            reward_services.reward_fund_deposit(fund=fund, actor=actor, amount="1")
    with pytest.raises(NotAllowed):
        reward_services.reward_fund_create(name="Mine", currency="COP", actor=supervisor)
    assert reward_selectors.fund_balance(fund) == Decimal("500000.00")


# --- pages ------------------------------------------------------------------------------------


def test_the_rewards_page_shows_balances_to_managers_admins_and_auditors(
    client: Client,
    personas: dict[str, User],
    suggestion: Complaint,
    fund: RewardFund,
    manager: User,
    handler: User,
) -> None:
    grant(suggestion, manager, "100000")
    reward_services.staff_recognition_record(
        user=handler, by=manager, complaint=suggestion, reason="Answered within the day."
    )
    url = reverse("remedies:rewards")
    for name in ("agent", "handler", "supervisor", "outsider"):
        client.force_login(personas[name])
        assert client.get(url, **EN).status_code == 403
    for name, keeper in (("manager", True), ("admin", True), ("auditor", False)):
        client.force_login(personas[name])
        page = client.get(url, **EN)
        html = page.content.decode()
        assert page.status_code == 200
        assert 'data-balance="400000"' in html
        assert suggestion.tracking_code in html and "Answered within the day." in html
        assert ('action="/staff/rewards/deposit/"' in html) is keeper


def test_the_rewards_page_hides_confidential_cases_from_auditors(
    client: Client, make_complaint: MakeComplaint, fund: RewardFund, manager: User, auditor: User
) -> None:
    secret = make_complaint(state=State.INVESTIGATING, confidential=True)
    grant(secret, manager, "1000")
    client.force_login(auditor)
    html = client.get(reverse("remedies:rewards"), **EN).content.decode()
    assert secret.tracking_code not in html
    assert 'data-balance="499000"' in html  # still counted in the balance


def test_a_manager_deposits_and_an_auditor_may_not(
    client: Client, fund: RewardFund, manager: User, auditor: User
) -> None:
    url = reverse("remedies:deposit")
    client.force_login(auditor)
    assert client.post(url, {"deposit-fund": fund.pk, "deposit-amount": "10"}).status_code == 403
    client.force_login(manager)
    bad = client.post(url, {"deposit-fund": fund.pk, "deposit-amount": "-5"}, **EN)
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.content.decode()
    done = client.post(url, {"deposit-fund": fund.pk, "deposit-amount": "1000"}, **EN)
    assert done.status_code == 302
    assert reward_selectors.fund_balance(fund) == Decimal("501000.00")
    opened = client.post(
        reverse("remedies:fund_create"), {"fund-name": "Staff", "fund-currency": "usd"}, **EN
    )
    assert opened.status_code == 302
    assert RewardFund.objects.get(name="Staff").currency == "USD"


def test_the_case_page_offers_the_forms_only_to_those_who_may(
    client: Client,
    suggestion: Complaint,
    fund: RewardFund,
    manager: User,
    handler: User,
    auditor: User,
) -> None:
    url = reverse("complaints:case", kwargs={"code": suggestion.tracking_code})
    client.force_login(manager)
    html = client.get(url, **EN).content.decode()
    assert "Reward this contribution" in html and "Recognise a colleague" in html
    assert "Ideas: 500,000.00 COP available" in html
    client.force_login(handler)
    html = client.get(url, **EN).content.decode()
    assert "Reward this contribution" not in html and "Recognise a colleague" in html
    client.force_login(auditor)
    html = client.get(url, **EN).content.decode()
    assert "Reward this contribution" not in html and "Recognise a colleague" not in html


def test_a_manager_rewards_and_thanks_from_the_case_page(
    client: Client, suggestion: Complaint, fund: RewardFund, manager: User, handler: User
) -> None:
    client.force_login(manager)
    reward_url = reverse("remedies:reward", kwargs={"code": suggestion.tracking_code})
    too_much = client.post(
        reward_url,
        {"reward-fund": fund.pk, "reward-amount": "900000", "reward-reason": "Great idea"},
        **EN,
    )
    assert too_much.status_code == 400
    assert "has 500,000.00 COP left" in too_much.content.decode()
    done = client.post(
        reward_url,
        {"reward-fund": fund.pk, "reward-amount": "75000", "reward-reason": "Great idea"},
        **EN,
    )
    assert done.status_code == 302 and done["Location"].endswith("#rewards")
    assert reward_selectors.fund_balance(fund) == Decimal("425000.00")
    thanked = client.post(
        reverse("remedies:recognise", kwargs={"code": suggestion.tracking_code}),
        {"recognise-user": handler.pk, "recognise-reason": "Followed it up"},
        **EN,
    )
    assert thanked.status_code == 302
    page = client.get(done["Location"].split("#")[0], **EN).content.decode()
    assert "Rewarded: 75,000.00 COP" in page and "Followed it up" in page
    assert "Reward this contribution" not in page  # one reward per contribution


def test_a_case_without_a_customer_record_is_thanked_at_its_contact_address(
    make_complaint: MakeComplaint, fund: RewardFund, manager: User
) -> None:
    case = make_complaint(state=State.ACKNOWLEDGED, kind=Kind.SUGGESTION, language="en")
    assert case.customer_id is None and case.contact_email == "ana@example.com"
    entry = grant(case, manager, "7000")
    assert entry.customer is None
    (sent,) = _thanks_mail(case)
    assert sent.to == ["ana@example.com"]
    assert "a reward of 7,000 COP" in sent.body


def test_the_demo_rewards_are_made_once(
    make_complaint: MakeComplaint, manager: User, handler: User, clock: Clock
) -> None:
    from resuelve.remedies.demo import ensure_demo_rewards

    cases = [
        make_complaint(state=State.INVESTIGATING, kind=Kind.SUGGESTION, assignee=handler)
        for _ in range(2)
    ]
    done = make_complaint(state=State.RESOLVED, kind=Kind.CLAIM)
    assert ensure_demo_rewards(clock(), manager_username="manager") == 3
    assert ensure_demo_rewards(clock(), manager_username="manager") == 0
    (balance,) = reward_selectors.fund_balances()
    assert (balance.deposited, balance.rewarded, balance.rewards) == (
        Decimal("2000000.00"),
        Decimal("250000.00"),
        3,
    )
    assert {e.complaint_id for e in reward_selectors.reward_entries()} == {
        cases[0].pk,
        cases[1].pk,
        done.pk,
    }
    (thanks,) = StaffRecognition.objects.all()
    assert (thanks.user, thanks.by, thanks.complaint) == (handler, manager, cases[0])
    assert all(chain_problems(c) == [] for c in [*cases, done])


def test_a_handler_posting_a_reward_is_refused_by_the_service(
    client: Client, suggestion: Complaint, fund: RewardFund, handler: User
) -> None:
    client.force_login(handler)
    response = client.post(
        reverse("remedies:reward", kwargs={"code": suggestion.tracking_code}),
        {"reward-fund": fund.pk, "reward-amount": "1000", "reward-reason": "Nice"},
        follow=True,
        **EN,
    )
    assert "may not grant them" in response.content.decode()
    assert not reward_selectors.reward_entries().exists()


# --- API --------------------------------------------------------------------------------------


def test_the_api_rewards_a_case_and_shows_the_balance(
    api_as: Any,
    suggestion: Complaint,
    fund: RewardFund,
    manager: User,
    handler: User,
    auditor: User,
) -> None:
    base = f"/complaints/{suggestion.tracking_code}/actions/reward"
    body = {"amount": "60000", "currency": "cop", "reason": "Good idea"}
    assert api_as(handler).post(base, body).status_code == 403
    short = api_as(manager).post(base, {**body, "amount": "600000"})
    assert short.status_code == 422 and "amount" in short.json()["errors"]
    done = api_as(manager).post(base, body)
    assert done.status_code == 200, done.content
    assert done.json()["fund"]["balance"] == "440000.00"
    assert done.json()["recipient"] == "Carla Client"
    assert api_as(manager).post(base, body).status_code == 409  # one reward per case
    assert api_as(handler).get("/rewards/funds").status_code == 403
    (listed,) = api_as(auditor).get("/rewards/funds").json()
    assert (listed["name"], listed["balance"], listed["rewards"]) == ("Ideas", "440000.00", 1)
