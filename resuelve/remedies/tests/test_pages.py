from __future__ import annotations

import pytest
from django.test import Client

from resuelve.accounts.models import User
from resuelve.complaints import tracking
from resuelve.complaints.lifecycle import State
from resuelve.complaints.models import Complaint
from resuelve.remedies import services
from resuelve.remedies.models import Proposal, ProposalStatus
from resuelve.testing.fixtures import MakeComplaint

from .conftest import plan

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def portal(case: Complaint) -> str:
    return f"/track/{case.tracking_code}/{tracking.access_key(case.tracking_code)}/"


def item_rows(*rows: tuple[str, str, str], total: int = 4) -> dict[str, str]:
    data = {
        "item-TOTAL_FORMS": str(total),
        "item-INITIAL_FORMS": "0",
        "item-MIN_NUM_FORMS": "0",
        "item-MAX_NUM_FORMS": "20",
    }
    for index, (kind, description, amount) in enumerate(rows):
        data[f"item-{index}-type"] = kind
        data[f"item-{index}-description"] = description
        data[f"item-{index}-amount"] = amount
    return data


class TestCasePage:
    def test_it_shows_the_plan_form_with_four_item_rows(
        self, client: Client, make_complaint: MakeComplaint, handler: User
    ) -> None:
        case = make_complaint(state=State.INVESTIGATING)
        page = signed_in(client, handler).get(f"/staff/c/{case.tracking_code}/", **EN)
        html = page.content.decode()
        assert page.status_code == 200
        assert 'id="plans"' in html
        assert html.count("data-item-row") == 4 + 1  # four rows and the script's hook
        assert 'for="id_item-3-description"' in html
        assert "remedies/remedies.css" in html

    def test_it_drafts_and_submits_a_plan_without_javascript_and_warns_on_the_value_rule(
        self, client: Client, make_complaint: MakeComplaint, handler: User
    ) -> None:
        case = make_complaint(state=State.INVESTIGATING)
        response = signed_in(client, handler).post(
            f"/staff/c/{case.tracking_code}/plans/propose/",
            {
                "plan-purchase_value": "350000",
                "plan-customer_cost": "30000",
                "submit": "1",
                **item_rows(("refund", "Refund the pads", "300000"), ("apology", "Sorry", "")),
            },
            follow=True,
            **EN,
        )
        html = response.content.decode()
        proposal = Proposal.objects.get()
        assert proposal.status == ProposalStatus.APPROVED  # 300,000 is within a handler's limit
        assert proposal.items.count() == 2
        assert "Value rule" in html
        assert "80,000.00" in html or "80000" in html  # the shortfall
        case.refresh_from_db()
        assert case.state == State.APPROVED

    def test_it_ties_a_services_error_to_its_row(
        self, client: Client, make_complaint: MakeComplaint, handler: User
    ) -> None:
        case = make_complaint(state=State.INVESTIGATING)
        response = signed_in(client, handler).post(
            f"/staff/c/{case.tracking_code}/plans/propose/",
            {
                "plan-customer_cost": "0",
                **item_rows(("", "", ""), ("apology", "Sorry", "10")),
            },
            **EN,
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert 'id="id_item-1-amount_error"' in html
        assert 'aria-describedby="id_item-1-amount_error"' in html
        assert "has no amount" in html
        assert not Proposal.objects.exists()

    def test_an_approver_decides_side_by_side(
        self, client: Client, make_complaint: MakeComplaint, handler: User, supervisor: User
    ) -> None:
        case = make_complaint(state=State.INVESTIGATING)
        plan(case, handler, "600000")
        plan(case, handler, "700000")
        services.proposal_submit(complaint=case, actor=handler)
        as_handler = signed_in(client, handler).get(f"/staff/c/{case.tracking_code}/", **EN)
        assert "Record the decision" not in as_handler.content.decode()
        page = signed_in(client, supervisor).get(f"/staff/c/{case.tracking_code}/", **EN)
        html = page.content.decode()
        assert "Plan #1" in html and "Plan #2" in html
        assert "Record the decision" in html
        client.post(
            f"/staff/c/{case.tracking_code}/plans/decide/",
            {"decide-chosen": ["1", "2"], "decide-comment": "Let them choose."},
        )
        assert set(Proposal.objects.values_list("status", flat=True)) == {ProposalStatus.APPROVED}

    def test_a_refused_decision_is_a_message_and_changes_nothing(
        self, client: Client, make_complaint: MakeComplaint, handler: User
    ) -> None:
        case = make_complaint(state=State.INVESTIGATING)
        plan(case, handler, "600000", submit=True)
        response = signed_in(client, handler).post(
            f"/staff/c/{case.tracking_code}/plans/decide/", {"decide-chosen": ["1"]}, follow=True
        )
        assert response.status_code == 200
        assert Proposal.objects.get().status == ProposalStatus.PENDING

    def test_items_are_marked_delivered_from_the_page(
        self, client: Client, make_complaint: MakeComplaint, handler: User
    ) -> None:
        case = make_complaint(state=State.INVESTIGATING)
        proposal = plan(case, handler, "100000", submit=True)
        services.proposals_offer(complaint=case, actor=handler)
        services.proposal_accept(complaint=case, actor=None, name="Ana")
        signed_in(client, handler)
        page = client.get(f"/staff/c/{case.tracking_code}/", **EN).content.decode()
        assert "Mark delivered" in page
        item = proposal.items.get()
        client.post(
            f"/staff/c/{case.tracking_code}/plans/fulfil/",
            {"fulfil-item": str(item.pk), "fulfil-note": "Bank transfer"},
        )
        item.refresh_from_db()
        assert item.fulfilled_at is not None and item.fulfilment_note == "Bank transfer"


class TestPortal:
    def test_nothing_is_shown_before_approval(
        self, client: Client, make_complaint: MakeComplaint, handler: User
    ) -> None:
        case = make_complaint(state=State.INVESTIGATING)
        plan(case, handler, "600000", submit=True)
        html = client.get(portal(case), **EN).content.decode()
        assert "Refund 600000" not in html
        assert 'name="proposal"' not in html
        assert "Accept the solution" not in html

    def test_the_customer_chooses_among_two_offered_plans(
        self, client: Client, make_complaint: MakeComplaint, handler: User
    ) -> None:
        case = make_complaint(state=State.INVESTIGATING)
        plan(case, handler, "100000")
        plan(case, handler, "0", "50000")
        services.proposal_submit(complaint=case, actor=handler)
        services.proposals_offer(complaint=case, actor=handler)
        html = client.get(portal(case), **EN).content.decode()
        assert html.count('name="proposal"') == 2
        assert "Option 2" in html
        missing = client.post(
            f"{portal(case)}accept/", {"name": "Ana Pérez", "confirm": "on"}, **EN
        )
        assert missing.status_code == 400
        assert "Choose one of the options" in missing.content.decode()
        client.post(
            f"{portal(case)}accept/",
            {"name": "Ana Pérez", "confirm": "on", "proposal": "2"},
            REMOTE_ADDR="203.0.113.9",
        )
        case.refresh_from_db()
        assert case.state == State.ACCEPTED
        assert case.accepted_ip == "203.0.113.9"
        assert list(Proposal.objects.order_by("number").values_list("status", flat=True)) == [
            ProposalStatus.DECLINED,
            ProposalStatus.CHOSEN,
        ]

    def test_the_customer_disputes_the_options(
        self, client: Client, make_complaint: MakeComplaint, handler: User
    ) -> None:
        case = make_complaint(state=State.INVESTIGATING)
        plan(case, handler, "100000", submit=True)
        services.proposals_offer(complaint=case, actor=handler)
        client.post(f"{portal(case)}dispute/", {"reason": "Not enough."})
        case.refresh_from_db()
        assert case.state == State.DISPUTED
        assert Proposal.objects.get().status == ProposalStatus.DECLINED

    def test_a_single_solution_case_is_accepted_as_before(
        self, client: Client, make_complaint: MakeComplaint
    ) -> None:
        case = make_complaint(state=State.COMMUNICATED)
        client.post(f"{portal(case)}accept/", {"name": "Ana Pérez", "confirm": "on"})
        case.refresh_from_db()
        assert case.state == State.ACCEPTED
