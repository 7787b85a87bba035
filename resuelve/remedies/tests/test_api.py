from __future__ import annotations

from typing import Any

import pytest

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import State
from resuelve.remedies import services
from resuelve.remedies.models import LedgerEntry, Proposal, ProposalStatus
from resuelve.testing.fixtures import MakeComplaint

pytestmark = pytest.mark.django_db

PLAN = {
    "items": [
        {"type": "refund", "description": "Refund the pads", "amount": "600000"},
        {"type": "goodwill", "description": "Free check-up", "amount": "20000"},
    ],
    "customer_cost": "30000",
    "purchase_value": "700000",
}


def test_a_plan_is_proposed_decided_delivered_and_in_the_ledger(
    api_as: Any,
    make_complaint: MakeComplaint,
    handler: User,
    supervisor: User,
) -> None:
    case = make_complaint(state=State.INVESTIGATING)
    base = f"/complaints/{case.tracking_code}"
    proposed = api_as(handler).post(f"{base}/actions/propose-plan", PLAN)
    assert proposed.status_code == 200, proposed.content
    plan = proposed.json()["proposals"][0]
    assert plan["status"] == "pending_approval"
    assert plan["approver_needed"] == "supervisor"
    assert plan["total_value"] == "620000.00"
    assert plan["value_rule_met"] is False and plan["shortfall"] == "110000.00"
    refused = api_as(handler).post(f"{base}/actions/decide", {"chosen": [1]})
    assert refused.status_code == 403
    assert "Supervisor" in refused.json()["detail"]
    decided = api_as(supervisor).post(f"{base}/actions/decide", {"chosen": [1], "comment": "OK"})
    assert decided.json()["state"] == State.APPROVED
    services.proposals_offer(complaint=case, actor=handler)
    services.proposal_accept(complaint=case, actor=None, name="Ana")
    listed = api_as(handler).get(f"{base}/proposals").json()
    item = listed["proposals"][0]["items"][0]["id"]
    delivered = api_as(handler).post(f"{base}/actions/fulfil", {"item": item, "note": "Paid"})
    assert delivered.status_code == 200
    assert delivered.json()["proposals"][0]["items"][0]["fulfilled_by"] == "handler"
    again = api_as(handler).post(f"{base}/actions/fulfil", {"item": item})
    assert again.status_code == 409
    assert LedgerEntry.objects.count() == 1

    ledger = api_as(supervisor).get("/ledger").json()
    assert [e["amount"] for e in ledger["items"]] == ["600000.00"]
    totals = api_as(supervisor).get("/ledger/totals", {"by": "department"}).json()
    assert totals == {
        "by": "department",
        "totals": [
            {"key": str(case.department_id), "label": "Quality", "count": 1, "amount": "600000.00"}
        ],
    }


def test_the_endpoints_refuse_like_the_rest_of_the_api(
    api_as: Any,
    make_complaint: MakeComplaint,
    handler: User,
    outsider: User,
    auditor: User,
) -> None:
    case = make_complaint(state=State.INVESTIGATING)
    base = f"/complaints/{case.tracking_code}"
    assert api_as(outsider).post(f"{base}/actions/propose-plan", PLAN).status_code == 404
    assert api_as(outsider).get(f"{base}/proposals").status_code == 404
    assert api_as(auditor).post(f"{base}/actions/propose-plan", PLAN).status_code == 403
    bad = api_as(handler).post(
        f"{base}/actions/propose-plan",
        {"items": [{"type": "apology", "description": "Sorry", "amount": "5"}]},
    )
    assert bad.status_code == 422
    assert "items.0.amount" in bad.json()["errors"]
    empty = api_as(handler).post(f"{base}/actions/propose-plan", {"items": []})
    assert empty.status_code == 422
    nothing = api_as(handler).post(f"{base}/actions/decide", {"chosen": []})
    assert nothing.status_code == 409
    assert not Proposal.objects.exists()
    assert api_as(handler).get("/ledger").status_code == 403
    assert api_as(auditor).get("/ledger").status_code == 200
    assert api_as(auditor).get("/ledger/totals", {"by": "colour"}).status_code == 422
    assert api_as(auditor).get("/ledger", {"cursor": "!!"}).status_code == 422


def test_drafts_side_by_side_and_the_ledger_pages(
    api_as: Any,
    make_complaint: MakeComplaint,
    handler: User,
    manager: User,
) -> None:
    case = make_complaint(state=State.INVESTIGATING)
    base = f"/complaints/{case.tracking_code}"
    api_as(handler).post(f"{base}/actions/propose-plan", {**PLAN, "submit": False})
    small = {"items": [{"type": "credit", "description": "Voucher", "amount": "100000"}]}
    both = api_as(handler).post(f"{base}/actions/propose-plan", small).json()
    assert [p["status"] for p in both["proposals"]] == ["pending_approval"] * 2
    api_as(manager).post(f"{base}/actions/decide", {"chosen": [1, 2]})
    assert set(Proposal.objects.values_list("status", flat=True)) == {ProposalStatus.APPROVED}
    services.proposals_offer(complaint=case, actor=handler)
    services.proposal_accept(complaint=case, actor=None, name="Ana", number=1)
    for item in Proposal.objects.get(number=1).items.all():
        services.remedy_fulfil(item=item, actor=handler)
    first = api_as(manager).get("/ledger", {"limit": 1}).json()
    assert len(first["items"]) == 1 and first["next"]
    second = api_as(manager).get("/ledger", {"limit": 1, "cursor": first["next"]}).json()
    assert second["next"] is None
    assert {first["items"][0]["id"], second["items"][0]["id"]} == set(
        LedgerEntry.objects.values_list("id", flat=True)
    )
