from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from resuelve.accounts.models import Department, User
from resuelve.accounts.roles import Role
from resuelve.complaints.lifecycle import NotAllowed, State
from resuelve.complaints.models import Message, Visibility
from resuelve.resolution import selectors, services
from resuelve.resolution.models import CooperationStatus
from resuelve.testing.fixtures import chain_problems

pytestmark = pytest.mark.django_db


def test_input_gives_the_asked_department_sight_of_the_case(
    make_complaint, handler: User, outsider: User, workshop: Department, quality
) -> None:
    case = make_complaint(state=State.INVESTIGATING)
    due = case.due_at
    assert selectors.cooperating_department_ids(case) == []
    assert not selectors.cooperates_on(outsider, case)

    request = services.cooperation_request(
        complaint=case,
        actor=handler,
        department=workshop,
        kind="input",
        note="Did the workshop fit these pads?",
    )

    assert selectors.cooperating_department_ids(case) == [workshop.pk]
    assert selectors.cooperates_on(outsider, case)
    assert [r.pk for r in selectors.cooperation_pending_for(outsider)] == [request.pk]
    case.refresh_from_db()
    assert (case.department, case.assignee, case.due_at) == (quality, handler, due)
    assert chain_problems(case) == []


def test_the_asked_department_answers_with_an_internal_note(
    make_complaint, handler: User, outsider: User, agent: User, workshop: Department
) -> None:
    case = make_complaint(state=State.INVESTIGATING)
    request = services.cooperation_request(
        complaint=case, actor=handler, department=workshop, kind="input", note="Which batch?"
    )
    with pytest.raises(NotAllowed):
        services.cooperation_answer(request=request, actor=agent, answer="Not mine.")

    message = services.cooperation_answer(request=request, actor=outsider, answer="Batch 42.")

    assert message.visibility == Visibility.INTERNAL and "Batch 42." in message.body
    request.refresh_from_db()
    assert request.status == CooperationStatus.ANSWERED
    assert selectors.cooperating_department_ids(case) == []  # the department's view ends
    assert chain_problems(case) == []
    with pytest.raises(NotAllowed):
        services.cooperation_answer(request=request, actor=outsider, answer="Again.")


def test_transfer_moves_the_case_and_keeps_the_customers_deadline(
    make_complaint, supervisor: User, workshop: Department, quality
) -> None:
    case = make_complaint(state=State.INVESTIGATING)
    due = case.due_at

    request = services.cooperation_request(
        complaint=case,
        actor=supervisor,
        department=workshop,
        kind="transfer",
        note="The fault is in the fitting, not the part.",
    )

    case.refresh_from_db()
    assert case.department == workshop and case.assignee is None
    assert case.due_at == due
    assert (request.from_department, request.requested_by) == (quality, supervisor)
    assert request.status == CooperationStatus.DONE
    assert (
        case.events.order_by("-seq").first().reason == "The fault is in the fitting, not the part."
    )
    assert chain_problems(case) == []


def test_it_refuses_outsiders_and_empty_notes(
    make_complaint, handler: User, outsider: User, workshop: Department, service_desk
) -> None:
    case = make_complaint(state=State.INVESTIGATING)
    with pytest.raises(NotAllowed):
        services.cooperation_request(
            complaint=case, actor=outsider, department=service_desk, kind="input", note="Hi"
        )
    with pytest.raises(ValidationError):
        services.cooperation_request(
            complaint=case, actor=handler, department=workshop, kind="input", note=" "
        )
    assert not Message.objects.filter(complaint=case, visibility=Visibility.INTERNAL).exists()


def test_the_cooperation_page_lists_pending_requests_for_the_department(
    client, make_complaint, handler: User, outsider: User, workshop: Department
) -> None:
    case = make_complaint(state=State.INVESTIGATING)
    request = services.cooperation_request(
        complaint=case, actor=handler, department=workshop, kind="input", note="Which batch?"
    )
    client.force_login(handler)
    assert case.tracking_code not in client.get("/staff/cooperation/").content.decode()
    client.force_login(outsider)
    page = client.get("/staff/cooperation/").content.decode()
    assert case.tracking_code in page and "Which batch?" in page

    response = client.post(f"/staff/cooperation/{request.pk}/answer/", {"answer": "Batch 42."})

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == CooperationStatus.ANSWERED and request.answered_by == outsider


def test_hr_is_read_only_and_not_confidential() -> None:
    from resuelve.accounts import roles

    assert Role.HR in roles.READ_ONLY and Role.HR in roles.ALL_DEPARTMENTS
    assert Role.HR not in roles.SEES_CONFIDENTIAL
