from __future__ import annotations

from typing import Any

import pytest

from resuelve.accounts.models import Department, User
from resuelve.complaints.lifecycle import Action, State
from resuelve.complaints.models import Category, Complaint
from resuelve.testing.fixtures import MakeComplaint

pytestmark = pytest.mark.django_db


def test_every_lifecycle_step_has_an_endpoint() -> None:
    from resuelve.api.complaints import STEPS
    from resuelve.complaints.lifecycle import STEPS as LIFECYCLE

    assert {action for action, _body, _call in STEPS.values()} == set(LIFECYCLE)


def test_a_case_walks_its_whole_life_through_the_api(
    api_as: Any, agent: User, manager: User, category: Category, quality: Department
) -> None:
    filed = api_as(agent).post(
        "/complaints",
        {"subject": "Squeak", "description": "It squeaks.", "customer": {"email": "a@b.co"}},
    )
    code = filed.json()["tracking_code"]
    api = api_as(manager)
    walk: list[tuple[str, dict[str, Any], str]] = [
        (
            "assess",
            {"established": True, "reason": "Seen.", "category": "product-defect"},
            State.ASSESSED,
        ),
        ("wait", {"question": "A photo, please?"}, State.WAITING),
        ("resume", {"note": "Got it."}, State.ASSESSED),
        ("assign", {"department": "quality", "assignee": "manager"}, State.ASSIGNED),
        ("investigate", {}, State.INVESTIGATING),
        ("propose", {"solution": "New pads.", "value": "1000.00"}, State.SOLUTION_PROPOSED),
        ("reject", {"reason": "Too little."}, State.INVESTIGATING),
        ("propose", {"solution": "New pads and discs.", "value": 5000}, State.SOLUTION_PROPOSED),
        ("approve", {"comment": "Fine."}, State.APPROVED),
        ("communicate", {}, State.COMMUNICATED),
        ("dispute", {"reason": "I want money."}, State.DISPUTED),
        ("refer-external", {"body": "SIC"}, State.EXTERNAL),
        ("resolve", {"summary": "Decided by SIC."}, State.RESOLVED),
        ("follow-up", {"satisfaction": 4}, State.FOLLOWED_UP),
        ("close", {}, State.CLOSED),
        ("reopen", {"reason": "It squeaks again."}, State.INVESTIGATING),
        ("propose", {"solution": "Refund.", "value": 0}, State.SOLUTION_PROPOSED),
        ("approve", {}, State.APPROVED),
        ("communicate", {"message": "Here it is."}, State.COMMUNICATED),
        ("accept", {"name": "Ana"}, State.ACCEPTED),
        ("resolve", {"summary": "Refunded."}, State.RESOLVED),
    ]
    for path, body, expected in walk:
        response = api.post(f"/complaints/{code}/actions/{path}", body)
        assert response.status_code == 200, (path, response.content)
        assert response.json()["status"] == expected, path
    case = Complaint.objects.get(tracking_code=code)
    assert case.state == State.RESOLVED and case.accepted_by_name == "Ana"
    assert case.events.count() == len(walk) + 2


def test_acknowledge_through_the_api(
    api_as: Any, agent: User, make_complaint: MakeComplaint
) -> None:
    case = make_complaint(state=State.RECEIVED)
    response = api_as(agent).post(f"/complaints/{case.tracking_code}/actions/acknowledge")
    assert response.status_code == 200
    assert response.json()["status"] == State.ACKNOWLEDGED


def test_a_step_the_state_does_not_allow_is_409_translated(
    api_as: Any, handler: User, make_complaint: MakeComplaint
) -> None:
    case = make_complaint(state=State.INVESTIGATING)
    response = api_as(handler).post(
        f"/complaints/{case.tracking_code}/actions/close", HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 409
    assert "no admite" in response.json()["detail"]


def test_a_step_the_role_may_not_take_is_403(
    api_as: Any, handler: User, make_complaint: MakeComplaint
) -> None:
    case = make_complaint(state=State.ASSIGNED)
    response = api_as(handler).post(
        f"/complaints/{case.tracking_code}/actions/assign", {"department": "quality"}
    )
    assert response.status_code == 403
    assert Complaint.objects.get(pk=case.pk).state == State.ASSIGNED


def test_approval_above_the_authority_limit_is_403(
    api_as: Any, handler: User, make_complaint: MakeComplaint
) -> None:
    from decimal import Decimal

    case = make_complaint(state=State.SOLUTION_PROPOSED, value=Decimal("9000000"))
    response = api_as(handler).post(f"/complaints/{case.tracking_code}/actions/approve")
    assert response.status_code == 403


def test_service_validation_is_422_field_by_field(
    api_as: Any, handler: User, make_complaint: MakeComplaint
) -> None:
    case = make_complaint(state=State.SOLUTION_PROPOSED)
    api = api_as(handler)
    response = api.post(f"/complaints/{case.tracking_code}/actions/reject", {"reason": "  "})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"reason"}
    response = api.post(f"/complaints/{case.tracking_code}/actions/reject", {})
    assert response.json()["errors"] == {"reason": ["This field is required."]}
    response = api.post(
        f"/complaints/{case.tracking_code}/actions/reject", {"reason": "x", "extra": 1}
    )
    assert response.json()["errors"] == {"extra": ["Unknown field."]}


def test_unknown_references_are_422(
    api_as: Any, manager: User, make_complaint: MakeComplaint
) -> None:
    case = make_complaint(state=State.ASSESSED)
    api = api_as(manager)
    response = api.post(
        f"/complaints/{case.tracking_code}/actions/assign",
        {"department": "nowhere", "assignee": "nobody"},
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"department"}
    response = api.post(
        f"/complaints/{case.tracking_code}/actions/assign",
        {"department": "quality", "assignee": "nobody"},
    )
    assert set(response.json()["errors"]) == {"assignee"}


def test_actions_offered_match_the_endpoints(
    api_as: Any, manager: User, make_complaint: MakeComplaint
) -> None:
    case = make_complaint(state=State.COMMUNICATED)
    body = api_as(manager).get(f"/complaints/{case.tracking_code}").json()
    assert set(body["allowed_actions"]) == {"accept", "dispute"}
    assert Action.ACCEPT == "accept"


def test_the_resolution_names_of_the_steps_take_the_same_steps(
    api_as: Any, manager: User, make_complaint: MakeComplaint
) -> None:
    api = api_as(manager)
    case = make_complaint(state=State.SOLUTION_PROPOSED)
    path = f"/complaints/{case.tracking_code}/actions"
    response = api.post(f"{path}/reject-proposal", {"reason": "Too little."})
    assert response.status_code == 200 and response.json()["status"] == State.INVESTIGATING
    api.post(f"{path}/propose", {"solution": "New pads and discs.", "value": 5000})
    api.post(f"{path}/approve", {})
    api.post(f"{path}/communicate", {})
    response = api.post(f"{path}/record-dispute", {"reason": "I want money."})
    assert response.json()["status"] == State.DISPUTED
    api.post(f"{path}/propose", {"solution": "Refund.", "value": 7000})
    api.post(f"{path}/approve", {})
    api.post(f"{path}/communicate", {})
    response = api.post(f"{path}/record-acceptance", {"name": "Ana"})
    assert response.status_code == 200 and response.json()["status"] == State.ACCEPTED
