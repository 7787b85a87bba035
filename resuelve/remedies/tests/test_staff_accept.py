"""Staff record the customer's choice among several plans on offer (the customer called):
the plans panel's own acceptance form and `POST .../actions/accept-plan`."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import Action, State
from resuelve.complaints.models import Complaint
from resuelve.remedies import services
from resuelve.remedies.models import Proposal, ProposalStatus
from resuelve.testing.fixtures import MakeComplaint

from .conftest import plan

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def two_on_offer(make_complaint: MakeComplaint, handler: User) -> Complaint:
    """A case with two plans approved (within the handler's limit) and sent."""
    case = make_complaint(state=State.INVESTIGATING)
    plan(case, handler, "100000")
    plan(case, handler, "0", "50000")
    services.proposal_submit(complaint=case, actor=handler)
    services.proposals_offer(complaint=case, actor=handler)
    return case


def statuses() -> list[str]:
    return list(Proposal.objects.order_by("number").values_list("status", flat=True))


class TestThePanel:
    def test_it_offers_the_choice_only_with_several_plans_on_offer(
        self, client: Client, make_complaint: MakeComplaint, handler: User, two_on_offer: Complaint
    ) -> None:
        client.force_login(handler)
        html = client.get(f"/staff/c/{two_on_offer.tracking_code}/", **EN).content.decode()
        assert "data-plan-accept" in html
        assert html.count('name="accept-plan"') == 2
        single = make_complaint(state=State.INVESTIGATING)
        plan(single, handler, "100000", submit=True)
        services.proposals_offer(complaint=single, actor=handler)
        html = client.get(f"/staff/c/{single.tracking_code}/", **EN).content.decode()
        assert "data-plan-accept" not in html

    def test_it_is_not_offered_to_a_reader(
        self, client: Client, auditor: User, two_on_offer: Complaint
    ) -> None:
        client.force_login(auditor)
        html = client.get(f"/staff/c/{two_on_offer.tracking_code}/", **EN).content.decode()
        assert "data-plan-accept" not in html

    def test_it_records_the_chosen_plan(
        self, client: Client, handler: User, two_on_offer: Complaint
    ) -> None:
        client.force_login(handler)
        response = client.post(
            f"/staff/c/{two_on_offer.tracking_code}/plans/accept/",
            {"accept-plan": "2", "accept-name": "Valentina Torres"},
            REMOTE_ADDR="203.0.113.7",
        )
        assert response.status_code == 302
        assert response["Location"].endswith("#plans")
        two_on_offer.refresh_from_db()
        assert two_on_offer.state == State.ACCEPTED
        assert two_on_offer.accepted_by_name == "Valentina Torres"
        assert statuses() == [ProposalStatus.DECLINED, ProposalStatus.CHOSEN]
        assert services.accepted_proposal(two_on_offer).number == 2  # type: ignore[union-attr]
        last = two_on_offer.events.order_by("-seq").first()  # type: ignore[attr-defined]
        assert last.action == Action.ACCEPT and last.changes == {"chosen": "#2"}

    def test_it_refuses_without_a_plan_or_a_name_and_changes_nothing(
        self, client: Client, handler: User, two_on_offer: Complaint
    ) -> None:
        client.force_login(handler)
        url = f"/staff/c/{two_on_offer.tracking_code}/plans/accept/"
        response = client.post(url, {"accept-name": "Valentina Torres"}, **EN)
        assert response.status_code == 400
        html = response.content.decode()
        assert 'aria-invalid="true"' in html
        assert 'aria-describedby="id_accept-plan_error"' in html
        response = client.post(url, {"accept-plan": "7", "accept-name": "V"}, **EN)
        assert response.status_code == 400
        response = client.post(url, {"accept-plan": "1", "accept-name": ""}, **EN)
        assert response.status_code == 400
        two_on_offer.refresh_from_db()
        assert two_on_offer.state == State.COMMUNICATED
        assert statuses() == [ProposalStatus.OFFERED, ProposalStatus.OFFERED]

    def test_a_reader_or_an_outsider_may_not_record_it(
        self, client: Client, auditor: User, outsider: User, two_on_offer: Complaint
    ) -> None:
        url = f"/staff/c/{two_on_offer.tracking_code}/plans/accept/"
        for user in (auditor, outsider):
            client.force_login(user)
            response = client.post(url, {"accept-plan": "1", "accept-name": "V"})
            assert response.status_code in {302, 403, 404}
        two_on_offer.refresh_from_db()
        assert two_on_offer.state == State.COMMUNICATED
        assert statuses() == [ProposalStatus.OFFERED, ProposalStatus.OFFERED]


class TestTheApi:
    def test_it_records_the_chosen_plan(
        self, api_as: Any, handler: User, two_on_offer: Complaint
    ) -> None:
        url = f"/complaints/{two_on_offer.tracking_code}/actions/accept-plan"
        response = api_as(handler).post(url, {"plan": 1, "name": "Valentina Torres"})
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["state"] == State.ACCEPTED
        assert [p["status"] for p in body["proposals"]] == ["chosen", "declined"]
        again = api_as(handler).post(url, {"plan": 2, "name": "Valentina Torres"})
        assert again.status_code == 409

    def test_it_refuses_a_plan_not_on_offer_under_plan(
        self, api_as: Any, handler: User, two_on_offer: Complaint
    ) -> None:
        url = f"/complaints/{two_on_offer.tracking_code}/actions/accept-plan"
        response = api_as(handler).post(url, {"plan": 9, "name": "Valentina Torres"})
        assert response.status_code == 422
        assert "plan" in str(response.json())
        assert api_as(handler).post(url, {"name": "V"}).status_code == 422
        assert api_as(handler).post(url, {"plan": 1, "name": ""}).status_code == 422
        two_on_offer.refresh_from_db()
        assert two_on_offer.state == State.COMMUNICATED

    def test_it_refuses_readers(self, api_as: Any, auditor: User, two_on_offer: Complaint) -> None:
        url = f"/complaints/{two_on_offer.tracking_code}/actions/accept-plan"
        response = api_as(auditor).post(url, {"plan": 1, "name": "V"})
        assert response.status_code == 403
        assert statuses() == [ProposalStatus.OFFERED, ProposalStatus.OFFERED]
