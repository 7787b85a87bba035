"""H5's third bullet: a department asked for input sees the whole case and answers inside it,
with no side e-mails. resuelve.resolution already does this; these tests prove it end to end
through the pages."""

from __future__ import annotations

import pytest

from resuelve.accounts.models import Department, User
from resuelve.complaints import services as complaint_services
from resuelve.complaints.lifecycle import State
from resuelve.complaints.models import Message, Visibility
from resuelve.notifications.models import Outbox
from resuelve.resolution import services as resolution_services
from resuelve.resolution.models import CooperationStatus

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_asked_department_sees_the_whole_case_and_answers_inside_it(
    client, make_complaint, handler: User, outsider: User, workshop: Department
) -> None:
    case = make_complaint(state=State.INVESTIGATING)
    complaint_services.complaint_add_message(
        complaint=case,
        actor=handler,
        body="Internal: the pads were fitted on Monday.",
        to_customer=False,
    )
    client.force_login(outsider)
    assert client.get(f"/staff/c/{case.tracking_code}/", **EN).status_code == 404

    before = set(Outbox.objects.values_list("pk", flat=True))
    request = resolution_services.cooperation_request(
        complaint=case, actor=handler, department=workshop, kind="input", note="Which batch?"
    )
    asked_mail = set(Outbox.objects.values_list("pk", flat=True))
    assert list(
        Outbox.objects.filter(pk__in=asked_mail - before).values_list("recipient", flat=True)
    ) == [outsider.email]  # the question: to the asked department's staff only

    page = client.get(f"/staff/c/{case.tracking_code}/", **EN).content.decode()
    assert case.description in page  # the whole case: what happened,
    assert "Internal: the pads were fitted on Monday." in page  # the internal notes,
    assert "Which batch?" in page  # and the question

    response = client.post(
        f"/staff/cooperation/{request.pk}/answer/", {"answer": "Batch 42, fitted by Omar."}, **EN
    )
    assert response.status_code == 302

    request.refresh_from_db()
    assert request.status == CooperationStatus.ANSWERED
    answer = Message.objects.get(complaint=case, body__contains="Batch 42, fitted by Omar.")
    assert answer.visibility == Visibility.INTERNAL and answer.author == outsider
    client.force_login(handler)
    assert (
        "Batch 42, fitted by Omar."
        in client.get(f"/staff/c/{case.tracking_code}/", **EN).content.decode()
    )
    # No side e-mails: the answer went to no one (it is in the case), the customer included.
    assert not Outbox.objects.exclude(pk__in=asked_mail).exists()


def test_the_asked_departments_view_ends_with_the_answer(
    client, make_complaint, handler: User, outsider: User, workshop: Department
) -> None:
    case = make_complaint(state=State.INVESTIGATING)
    request = resolution_services.cooperation_request(
        complaint=case, actor=handler, department=workshop, kind="input", note="Which batch?"
    )
    resolution_services.cooperation_answer(request=request, actor=outsider, answer="42.")
    client.force_login(outsider)
    assert client.get(f"/staff/c/{case.tracking_code}/", **EN).status_code == 404
