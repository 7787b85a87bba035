from __future__ import annotations

from datetime import date

import pytest

from resuelve.complaints.lifecycle import State
from resuelve.resolution import services
from resuelve.resolution.models import RootCause
from resuelve.resolution.terms import investigation_open
from resuelve.testing.fixtures import chain_problems

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_as(client):
    from resuelve.api.tests.conftest import Api

    return lambda user: Api(client, user)


def test_it_records_and_reads_the_investigation(api_as, make_complaint, handler, supervisor):
    case = make_complaint(state=State.INVESTIGATING)
    investigation_open(case)
    api = api_as(handler)
    path = f"/complaints/{case.tracking_code}"
    assert api.get(f"{path}/investigation").status_code == 200

    response = api.post(
        f"{path}/actions/record-investigation",
        {
            "cause": "transporte",
            "responsible_department": "quality",
            "responsible_people": ["supervisor"],
            "findings": "Damaged in the truck.",
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["cause"]["code"] == "transporte"
    assert body["responsible_people"] == ["supervisor"]
    assert body["due_at"] is not None
    assert api.get(f"{path}/investigation").json()["findings"] == "Damaged in the truck."
    assert chain_problems(case) == []


def test_it_refuses_what_the_page_refuses(api_as, make_complaint, outsider, auditor, manager):
    case = make_complaint(state=State.INVESTIGATING)
    path = f"/complaints/{case.tracking_code}"
    body = {"cause": "otra", "findings": "x"}
    assert api_as(outsider).post(f"{path}/actions/record-investigation", body).status_code == 404
    assert api_as(auditor).post(f"{path}/actions/record-investigation", body).status_code == 403
    early = make_complaint(state=State.ASSESSED)
    response = api_as(manager).post(
        f"/complaints/{early.tracking_code}/actions/record-investigation", body
    )
    assert response.status_code == 409
    assert (
        api_as(manager)
        .post(f"{path}/actions/record-investigation", {"cause": "nope", "findings": "x"})
        .status_code
        == 422
    )
    # A case whose investigation never started has none to show.
    assert (
        api_as(manager).get(f"/complaints/{early.tracking_code}/investigation").status_code == 404
    )


def test_it_lists_improvement_actions_for_auditors_only(
    api_as, clock, supervisor, auditor, handler
):
    action = services.improvement_action_save(
        actor=supervisor,
        title="Inspect shipments",
        kind="corrective",
        cause=RootCause.objects.get(code="proveedor"),
        owner=supervisor,
        due_on=date(2025, 4, 1),
        status="done",
    )
    rows = api_as(auditor).get("/improvement-actions").json()
    assert [r["id"] for r in rows] == [action.pk]
    detail = api_as(auditor).get(f"/improvement-actions/{action.pk}").json()
    assert detail["effectiveness"]["verdict"] == "not_yet"
    assert api_as(handler).get("/improvement-actions").status_code == 403
    assert api_as(auditor).get("/improvement-actions/999999").status_code == 404
