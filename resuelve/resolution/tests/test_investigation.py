from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import IllegalStep, NotAllowed, State
from resuelve.complaints.models import Attachment, ComplaintEvent, Visibility
from resuelve.deadlines.models import DeadlinePolicy
from resuelve.resolution import services
from resuelve.resolution.models import DepartmentTerm, InvestigationChange, RootCause
from resuelve.resolution.terms import investigation_open, lesson_missing
from resuelve.testing.fixtures import chain_problems

pytestmark = pytest.mark.django_db


@pytest.fixture
def defect() -> RootCause:
    return RootCause.objects.get(code="defecto-producto")


def _pdf(name: str = "informe.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 evidence", content_type="application/pdf")


def test_it_seeds_the_default_taxonomy() -> None:
    names = list(RootCause.objects.values_list("name", flat=True))
    assert names[0] == "Defecto del producto"
    assert "Proceso interno" in names and len(names) == 9


def test_it_records_the_investigation_with_cause_and_evidence(
    make_complaint, handler: User, supervisor: User, quality, defect: RootCause
) -> None:
    case = make_complaint(state=State.INVESTIGATING)

    investigation = services.investigation_record(
        complaint=case,
        actor=handler,
        cause=defect,
        responsible_department=quality,
        responsible_people=[supervisor],
        findings="The pads of batch 42 were glazed.",
        evidence=[_pdf()],
    )

    assert investigation.cause == defect
    assert list(investigation.responsible_people.all()) == [supervisor]
    attachment = Attachment.objects.get(complaint=case)
    assert attachment.original_name == "informe.pdf"
    assert attachment.message.visibility == Visibility.INTERNAL
    event = ComplaintEvent.objects.filter(complaint=case).order_by("-seq").first()
    assert event.action == "note"
    assert event.changes["investigation"]["cause"] == "defecto-producto"
    assert event.changes["investigation"]["evidence"] == ["informe.pdf"]
    change = InvestigationChange.objects.get(investigation=investigation)
    assert change.actor == handler
    assert chain_problems(case) == []
    call_command("verify_audit")


def test_it_records_nothing_when_nothing_changed(
    make_complaint, handler: User, quality, defect: RootCause
) -> None:
    case = make_complaint(state=State.INVESTIGATING)
    kwargs = dict(
        complaint=case, actor=handler, cause=defect, responsible_department=quality, findings="x"
    )
    services.investigation_record(**kwargs)
    count = ComplaintEvent.objects.filter(complaint=case).count()
    services.investigation_record(**kwargs)
    assert ComplaintEvent.objects.filter(complaint=case).count() == count


@pytest.mark.parametrize("who", ["outsider", "auditor"])
def test_it_refuses_outsiders_and_read_only_roles(
    make_complaint, personas, quality, defect: RootCause, who: str
) -> None:
    case = make_complaint(state=State.INVESTIGATING)
    with pytest.raises(NotAllowed):
        services.investigation_record(
            complaint=case,
            actor=personas[who],
            cause=defect,
            responsible_department=quality,
            findings="Not mine to say.",
        )


def test_it_refuses_before_assignment(make_complaint, manager: User, quality, defect) -> None:
    case = make_complaint(state=State.ASSESSED)
    with pytest.raises(IllegalStep):
        services.investigation_record(
            complaint=case,
            actor=manager,
            cause=defect,
            responsible_department=quality,
            findings="Too early.",
        )


def test_it_requires_a_cause_and_findings(make_complaint, handler: User, quality) -> None:
    case = make_complaint(state=State.INVESTIGATING)
    with pytest.raises(ValidationError) as exc:
        services.investigation_record(
            complaint=case, actor=handler, cause=None, responsible_department=quality, findings=""
        )
    assert set(exc.value.message_dict) == {"cause", "findings"}


def test_it_counts_the_term_in_business_days_of_the_policy(make_complaint, clock, quality) -> None:
    DepartmentTerm.objects.create(department=quality, investigation_days=3)
    case = make_complaint(state=State.ASSIGNED)  # its investigation is opened below
    case.deadline_policy = DeadlinePolicy(code="co-test", name="Colombia", country="CO")
    # Friday 2025-03-21 in Bogotá; the Monday after (24 March) is San José, a holiday.
    clock.set(datetime(2025, 3, 21, 15, 0, tzinfo=UTC))

    investigation = investigation_open(case)

    # Tuesday 25, Wednesday 26, Thursday 27: the term ends Thursday at the close of day.
    assert investigation.due_at == datetime(2025, 3, 28, 4, 59, 59, tzinfo=UTC)


def test_it_counts_calendar_days_without_a_policy(make_complaint, clock) -> None:
    case = make_complaint(state=State.INVESTIGATING)
    case.deadline_policy = None
    investigation = investigation_open(case)
    # START is Monday 3 March 09:00 in Bogotá: five calendar days end Saturday 8 at midnight.
    assert investigation.due_at == datetime(2025, 3, 9, 4, 59, 59, tzinfo=UTC)


def test_the_supervisor_moves_the_term_before_it_passes(
    make_complaint, clock, supervisor: User, handler: User
) -> None:
    case = make_complaint(state=State.INVESTIGATING)
    investigation = investigation_open(case)
    later = investigation.due_at + timedelta(days=2)

    with pytest.raises(NotAllowed):
        services.investigation_set_due(
            complaint=case, actor=handler, due_at=later, reason="More time."
        )
    services.investigation_set_due(
        complaint=case, actor=supervisor, due_at=later, reason="The supplier answers Monday."
    )
    investigation.refresh_from_db()
    assert investigation.due_at == later
    assert investigation.changes.last().reason == "The supplier answers Monday."
    assert chain_problems(case) == []

    clock.set(later + timedelta(minutes=1))
    with pytest.raises(NotAllowed):
        services.investigation_set_due(
            complaint=case, actor=supervisor, due_at=later + timedelta(days=5), reason="Late."
        )


def test_it_requires_a_lesson_to_close_when_configured(
    make_complaint, handler: User, quality, defect: RootCause
) -> None:
    case = make_complaint(state=State.RESOLVED)
    assert not lesson_missing(case)
    with override_settings(RESUELVE_LESSON_REQUIRED_TO_CLOSE=True):
        assert lesson_missing(case)
        services.investigation_record(
            complaint=case,
            actor=handler,
            cause=defect,
            responsible_department=quality,
            findings="Glazed pads.",
            lesson="Check the batch before fitting.",
        )
        assert not lesson_missing(case)


def test_starting_the_investigation_gives_the_department_its_term(
    make_complaint, clock, handler: User, quality
) -> None:
    from resuelve.complaints import services as complaint_services

    DepartmentTerm.objects.create(department=quality, investigation_days=2)
    case = make_complaint(state=State.ASSIGNED)
    complaint_services.complaint_start_investigation(complaint=case, actor=handler)
    investigation = case.investigation
    assert investigation.due_at == investigation_open(case).due_at  # opened once, kept
    assert investigation.due_at > clock() and investigation.due_at < case.due_at
    event = ComplaintEvent.objects.filter(complaint=case).order_by("-seq").first()
    assert event.changes["investigation_due_at"] == investigation.due_at.isoformat()


def test_a_case_without_its_lesson_is_not_closed_when_the_company_requires_it(
    make_complaint, handler: User, manager: User, quality, defect: RootCause
) -> None:
    from resuelve.complaints import services as complaint_services

    case = make_complaint(state=State.FOLLOWED_UP)
    with override_settings(RESUELVE_LESSON_REQUIRED_TO_CLOSE=True):
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            complaint_services.complaint_close(complaint=case, actor=manager)
        assert "lesson learned" in str(refused.value)
        case.refresh_from_db()
        assert case.state == State.FOLLOWED_UP
        services.investigation_record(
            complaint=case,
            actor=handler,
            cause=defect,
            responsible_department=quality,
            findings="Glazed pads.",
            lesson="Check the batch before fitting.",
        )
        complaint_services.complaint_close(complaint=case, actor=manager)
    assert case.state == State.CLOSED


def test_the_history_names_what_changed_in_words_not_field_names() -> None:
    from django.utils import translation

    from resuelve.resolution.templatetags.resolution_tags import change_labels

    with translation.override("en"):
        assert change_labels({"cause": "proveedor", "evidence": ["a.pdf"], "due_at": []}) == (
            "Root cause, Evidence, Investigate by"
        )
