"""POST /complaints/{code}/actions/merge and GET /complaints/{code}/duplicates: the same
selector and service as the case page, refusals in the caller's language."""

from __future__ import annotations

from typing import Any

import pytest

from resuelve.accounts.models import Department, User
from resuelve.complaints.lifecycle import Action, State
from resuelve.complaints.models import Complaint, ComplaintEvent, Message
from resuelve.testing.fixtures import MakeComplaint, chain_problems

pytestmark = pytest.mark.django_db
S = State


def _merge(api: Any, duplicate: Complaint, body: dict[str, Any], **headers: Any) -> Any:
    return api.post(f"/complaints/{duplicate.tracking_code}/actions/merge", body, **headers)


def _row(case: Complaint) -> tuple[str, int, int]:
    stored = Complaint.objects.get(pk=case.pk)
    return stored.state, stored.event_count, Message.objects.filter(complaint=case).count()


def test_it_lists_likely_duplicates(api_as: Any, make_complaint: MakeComplaint, manager: User):
    case = make_complaint(state=S.ACKNOWLEDGED)
    other = make_complaint(state=S.INVESTIGATING)
    make_complaint(state=S.CLOSED)
    make_complaint(state=S.ACKNOWLEDGED, contact_email="someone@example.com")
    response = api_as(manager).get(f"/complaints/{case.tracking_code}/duplicates")
    assert response.status_code == 200, response.content
    (item,) = response.json()["items"]
    assert item["tracking_code"] == other.tracking_code
    assert item["status"] == S.INVESTIGATING
    assert item["reasons"] == ["same_customer"]
    assert item["reason_labels"] == ["same customer"]
    assert item["score"] == 1.0
    assert item["department"] == "quality"


def test_it_lists_only_duplicates_the_caller_may_see(
    api_as: Any,
    make_complaint: MakeComplaint,
    handler: User,
    outsider: User,
    workshop: Department,
):
    case = make_complaint(state=S.ASSIGNED)
    elsewhere = make_complaint(state=S.ASSIGNED, department=workshop, assignee=outsider)
    response = api_as(handler).get(f"/complaints/{case.tracking_code}/duplicates")
    assert response.json() == {"items": []}
    hidden = api_as(outsider).get(f"/complaints/{case.tracking_code}/duplicates")
    assert hidden.status_code == 404
    assert api_as(outsider).get(f"/complaints/{elsewhere.tracking_code}/duplicates").json() == {
        "items": []
    }


def test_it_merges_a_duplicate_through_the_api(
    api_as: Any, make_complaint: MakeComplaint, manager: User
):
    into = make_complaint(state=S.INVESTIGATING)
    duplicate = make_complaint(state=S.ACKNOWLEDGED)
    messages = Message.objects.filter(complaint=duplicate).count()
    own = Message.objects.filter(complaint=into).count()
    response = _merge(
        api_as(manager), duplicate, {"into": into.tracking_code, "reason": "Same squeak."}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["tracking_code"] == duplicate.tracking_code
    assert body["status"] == S.MERGED
    assert body["allowed_actions"] == []
    assert Message.objects.filter(complaint=into).count() == own + messages
    absorb = ComplaintEvent.objects.filter(complaint=into).order_by("-seq").first()
    assert (absorb.action, absorb.changes["duplicate"]) == (Action.ABSORB, duplicate.tracking_code)
    assert chain_problems(duplicate) == [] and chain_problems(into) == []
    offered = api_as(manager).get(f"/complaints/{into.tracking_code}").json()["allowed_actions"]
    assert "merge" in offered


@pytest.mark.parametrize(
    ("into_state", "status", "message"),
    [
        (S.CLOSED, 409, "can only join an open case"),
        (S.MERGED, 409, "was itself merged"),
    ],
)
def test_it_refuses_to_merge_into_a_case_that_is_not_open(
    api_as: Any, make_complaint: MakeComplaint, manager: User, into_state, status, message
):
    into = make_complaint(state=into_state)
    duplicate = make_complaint(state=S.ACKNOWLEDGED)
    before = _row(duplicate), _row(into)
    response = _merge(api_as(manager), duplicate, {"into": into.tracking_code})
    assert response.status_code == status
    assert message in response.json()["detail"]
    assert (_row(duplicate), _row(into)) == before


def test_it_refuses_to_merge_a_case_into_itself(
    api_as: Any, make_complaint: MakeComplaint, manager: User
):
    case = make_complaint(state=S.ACKNOWLEDGED)
    before = _row(case)
    response = _merge(api_as(manager), case, {"into": case.tracking_code})
    assert response.status_code == 409
    assert "into itself" in response.json()["detail"]
    assert _row(case) == before


def test_it_refuses_merges_by_an_auditor_or_into_a_case_the_caller_cannot_see(
    api_as: Any,
    make_complaint: MakeComplaint,
    auditor: User,
    handler: User,
    outsider: User,
    workshop: Department,
):
    into = make_complaint(state=S.ASSIGNED)
    elsewhere = make_complaint(state=S.ASSIGNED, department=workshop, assignee=outsider)
    before = _row(into), _row(elsewhere)
    read_only = _merge(api_as(auditor), into, {"into": elsewhere.tracking_code})
    assert read_only.status_code == 403
    assert "read-only" in read_only.json()["detail"]
    hidden = _merge(api_as(handler), into, {"into": elsewhere.tracking_code})
    assert hidden.status_code == 422
    assert hidden.json()["errors"] == {
        "into": ["No case with this tracking code is visible to you."]
    }
    outside = _merge(api_as(outsider), elsewhere, {"into": into.tracking_code})
    assert outside.status_code == 422
    assert (_row(into), _row(elsewhere)) == before


def test_it_validates_the_merge_body_in_the_callers_language(
    api_as: Any, make_complaint: MakeComplaint, manager: User
):
    case = make_complaint(state=S.ACKNOWLEDGED)
    missing = _merge(api_as(manager), case, {}, HTTP_ACCEPT_LANGUAGE="es")
    assert missing.status_code == 422
    assert missing.json()["errors"] == {"into": ["Este campo es obligatorio."]}
    unknown = _merge(api_as(manager), case, {"into": "RS-x", "color": "red"})
    assert unknown.json()["errors"]["color"] == ["Unknown field."]
