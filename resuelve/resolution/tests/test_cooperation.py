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


def test_it_emails_the_asked_department_in_each_members_language(
    make_complaint, handler: User, outsider: User, workshop: Department
) -> None:
    from resuelve.notifications.models import Outbox

    colleague = User.objects.create_user(
        username="taller2", email="taller2@resuelve.test", role=Role.HANDLER, language="es"
    )
    colleague.departments.set([workshop])
    outsider.language = "en"
    outsider.save(update_fields=["language"])
    case = make_complaint(state=State.INVESTIGATING)

    request = services.cooperation_request(
        complaint=case, actor=handler, department=workshop, kind="input", note="Which batch?"
    )

    rows = {
        row.recipient: row
        for row in Outbox.objects.filter(complaint=case, recipient__endswith="@resuelve.test")
    }
    assert set(rows) == {outsider.email, colleague.email}
    english, spanish = rows[outsider.email], rows[colleague.email]
    assert case.tracking_code in english.subject and str(workshop) in english.subject
    assert f"/staff/c/{case.tracking_code}/" in english.body
    assert "/staff/cooperation/" in english.body and "Which batch?" in english.body
    assert english.headers["Content-Language"] == "en"
    assert spanish.headers["Content-Language"] == "es"
    assert handler.email not in rows  # not the one asking
    assert request.status == CooperationStatus.PENDING


def test_it_emails_the_head_when_the_department_has_no_one_to_answer(
    make_complaint, handler: User, supervisor: User, auditor: User
) -> None:
    from resuelve.notifications.models import Outbox

    empty = Department.objects.create(code="compras", name="Compras", head=supervisor)
    case = make_complaint(state=State.INVESTIGATING)

    services.cooperation_request(
        complaint=case, actor=handler, department=empty, kind="input", note="Who supplied it?"
    )

    assert list(
        Outbox.objects.filter(complaint=case, recipient__endswith="@resuelve.test").values_list(
            "recipient", flat=True
        )
    ) == [supervisor.email]


def test_a_transfer_and_a_refused_request_send_no_input_email(
    make_complaint, handler: User, supervisor: User, workshop: Department
) -> None:
    from resuelve.notifications.models import Outbox

    case = make_complaint(state=State.INVESTIGATING)
    with pytest.raises(ValidationError):
        services.cooperation_request(
            complaint=case, actor=handler, department=workshop, kind="input", note=""
        )
    services.cooperation_request(
        complaint=case, actor=supervisor, department=workshop, kind="transfer", note="Theirs."
    )
    assert not Outbox.objects.filter(complaint=case, subject__contains="input").exists()
