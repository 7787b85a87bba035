from __future__ import annotations

import pytest

from resuelve.accounts.models import User
from resuelve.accounts.roles import Role
from resuelve.complaints import tracking
from resuelve.complaints.lifecycle import NotAllowed, State
from resuelve.resolution import selectors, services
from resuelve.testing.fixtures import _persona

pytestmark = pytest.mark.django_db

MEASURE = "Written warning under rule 12 of the internal code"


@pytest.fixture
def hr(db: None) -> User:
    return _persona("hr", Role.HR, "Helena", [])


@pytest.fixture
def recorded(make_complaint, manager: User, handler: User, quality):
    case = make_complaint(state=State.INVESTIGATING)
    services.accountability_record(
        complaint=case,
        actor=manager,
        kind="delayed",
        department=quality,
        person=handler,
        measure=MEASURE,
    )
    return case


@pytest.mark.parametrize("who", ["manager", "admin", "hr"])
def test_managers_and_hr_see_accountability(client, recorded, personas, hr, who) -> None:
    user = hr if who == "hr" else personas[who]
    assert len(selectors.accountability_for_case(user=user, complaint=recorded)) == 1
    client.force_login(user)
    assert MEASURE in client.get("/staff/accountability/").content.decode()
    assert MEASURE in client.get(f"/staff/c/{recorded.tracking_code}/").content.decode()


@pytest.mark.parametrize("who", ["handler", "supervisor", "agent", "auditor", "outsider"])
def test_others_never_see_accountability(client, recorded, personas, who) -> None:
    user = personas[who]
    assert selectors.accountability_for_case(user=user, complaint=recorded) == []
    assert selectors.accountability_list(user=user) == []
    client.force_login(user)
    assert client.get("/staff/accountability/").status_code == 403
    case_page = client.get(f"/staff/c/{recorded.tracking_code}/")
    assert MEASURE not in case_page.content.decode()
    response = client.post(
        f"/staff/c/{recorded.tracking_code}/accountability/",
        {"acc-kind": "caused", "acc-department": recorded.department_id, "acc-measure": "x"},
    )
    assert response.status_code == 403


def test_the_portal_never_shows_accountability(client, recorded) -> None:
    key = tracking.access_key(recorded.tracking_code)
    page = client.get(f"/track/{recorded.tracking_code}/{key}/")
    assert page.status_code == 200
    assert MEASURE not in page.content.decode()


def test_the_case_history_does_not_carry_it(recorded) -> None:
    assert not any(MEASURE in str(e.changes) + e.reason for e in recorded.events.all())


@pytest.mark.parametrize("who", ["handler", "supervisor", "auditor"])
def test_only_managers_record_it(recorded, personas, quality, who) -> None:
    with pytest.raises(NotAllowed):
        services.accountability_record(
            complaint=recorded,
            actor=personas[who],
            kind="caused",
            department=quality,
            measure="Nope",
        )


def test_hr_may_not_record_it(recorded, hr, quality) -> None:
    with pytest.raises(NotAllowed):
        services.accountability_record(
            complaint=recorded, actor=hr, kind="caused", department=quality, measure="Nope"
        )


def test_the_page_filters_by_department_kind_and_month(client, recorded, manager, workshop) -> None:
    client.force_login(manager)
    assert MEASURE in client.get("/staff/accountability/", {"kind": "delayed"}).content.decode()
    assert MEASURE not in client.get("/staff/accountability/", {"kind": "caused"}).content.decode()
    page = client.get("/staff/accountability/", {"department": workshop.pk}).content.decode()
    assert MEASURE not in page
    assert MEASURE in client.get("/staff/accountability/", {"month": "2025-03"}).content.decode()
    assert (
        MEASURE not in client.get("/staff/accountability/", {"month": "2025-04"}).content.decode()
    )
