"""Competence profiles (REQUIREMENTS H6): who reads and edits whom, training expiry, the
hiring checklist, and skills and languages edited here being what automatic assignment reads."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from resuelve.accounts.models import Department, User
from resuelve.accounts.roles import Role
from resuelve.complaints.lifecycle import IllegalStep, Kind
from resuelve.complaints.models import Category, Channel
from resuelve.intake.services import Contact, intake_file
from resuelve.people import services
from resuelve.people.models import HiringCheck, HiringRequirement, HiringStandard, TrainingRecord
from resuelve.routing.models import AgentProfile, RoutingRule
from resuelve.testing.fixtures import Clock, _persona

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def hr(db: None) -> User:
    return _persona("hr", Role.HR, "Helga", [])


def page(client: Client, viewer: User, person: User) -> int:
    client.force_login(viewer)
    return client.get(reverse("people:profile", args=[person.username]), **EN).status_code


def test_it_shows_a_profile_to_the_person_their_supervisor_and_the_company_wide_roles(
    client: Client, personas: dict[str, User], hr: User
) -> None:
    handler, outsider = personas["handler"], personas["outsider"]
    assert page(client, handler, handler) == 200
    assert page(client, personas["supervisor"], handler) == 200
    for viewer in (personas["manager"], personas["admin"], personas["auditor"], hr):
        assert page(client, viewer, outsider) == 200
    # A colleague, another department's supervisor... see nothing.
    assert page(client, outsider, handler) == 404
    assert page(client, handler, personas["supervisor"]) == 404
    assert page(client, personas["supervisor"], outsider) == 404
    assert page(client, personas["agent"], handler) == 404


def test_the_list_shows_only_the_people_one_may_see(
    client: Client, personas: dict[str, User]
) -> None:
    client.force_login(personas["supervisor"])
    listed = client.get(reverse("people:list"), **EN).content.decode()
    assert 'data-person="handler"' in listed and 'data-person="supervisor"' in listed
    assert 'data-person="outsider"' not in listed
    client.force_login(personas["handler"])
    listed = client.get(reverse("people:list"), **EN).content.decode()
    assert 'data-person="handler"' in listed and 'data-person="supervisor"' not in listed


def post_competence(client: Client, viewer: User, person: User, **data: object) -> int:
    client.force_login(viewer)
    payload = {
        "competence-capacity": "10",
        "competence-takes_assignments": "on",
        **{f"competence-{k}": v for k, v in data.items()},
    }
    return client.post(
        reverse("people:competence", args=[person.username]), payload, **EN
    ).status_code


def test_supervisors_edit_their_departments_competences_and_others_may_not(
    client: Client, personas: dict[str, User], hr: User, category: Category
) -> None:
    handler = personas["handler"]
    assert (
        post_competence(
            client, personas["supervisor"], handler, languages=["es", "et"], skills=[category.pk]
        )
        == 302
    )
    profile = AgentProfile.objects.get(user=handler)
    assert profile.languages == ["es", "et"] and list(profile.skills.all()) == [category]
    assert (profile.capacity, profile.takes_assignments) == (10, True)
    shown = client.get(reverse("people:profile", args=[handler.username]), **EN).content.decode()
    assert "Product defect" in shown and "Estonian" in shown
    for viewer in (handler, personas["outsider"], personas["auditor"], hr):
        assert post_competence(client, viewer, handler, languages=["en"]) == 404
    assert post_competence(client, personas["supervisor"], personas["outsider"]) == 404
    assert AgentProfile.objects.get(user=handler).languages == ["es", "et"]
    # The person reads their profile without an edit form.
    client.force_login(handler)
    own = client.get(reverse("people:profile", args=[handler.username]), **EN).content.decode()
    assert "Save competences" not in own and "Estonian" in own


def test_it_shows_the_authority_of_the_role(client: Client, personas: dict[str, User]) -> None:
    client.force_login(personas["manager"])
    shown = client.get(reverse("people:profile", args=["handler"]), **EN).content.decode()
    assert "approves compensation up to 500,000 alone" in shown
    shown = client.get(reverse("people:profile", args=["manager"]), **EN).content.decode()
    assert "any amount" in shown


def test_it_marks_expired_and_expiring_training(
    client: Client, personas: dict[str, User], hr: User, clock: Clock
) -> None:
    handler = personas["handler"]  # today is 3 March 2025
    for title, expires in [
        ("First aid", date(2025, 2, 1)),
        ("Complaint handling", date(2025, 4, 1)),
        ("Conflict talk", date(2026, 1, 1)),
        ("Company mission", None),
    ]:
        services.training_record_add(
            person=handler,
            actor=hr,
            title=title,
            completed_on=date(2024, 1, 15),
            expires_on=expires,
        )
    client.force_login(personas["supervisor"])
    shown = client.get(reverse("people:profile", args=["handler"]), **EN).content.decode()
    assert 'data-training="First aid" data-status="expired"' in shown
    assert 'data-training="Complaint handling" data-status="expiring"' in shown
    assert 'data-training="Conflict talk" data-status="valid"' in shown
    assert 'data-training="Company mission" data-status="permanent"' in shown
    assert "Expired" in shown and "Expiring soon" in shown
    listed = client.get(reverse("people:list"), **EN).content.decode()
    assert listed.count('data-expiring="handler"') == 2


def test_hr_and_supervisors_record_training_and_others_may_not(
    client: Client, personas: dict[str, User], hr: User
) -> None:
    handler = personas["handler"]
    data = {"training-title": "Listening", "training-completed_on": "2025-01-10"}
    for viewer, expected in [
        (hr, 302),
        (personas["supervisor"], 302),
        (handler, 404),
        (personas["auditor"], 404),
        (personas["outsider"], 404),
    ]:
        client.force_login(viewer)
        url = reverse("people:training_add", args=[handler.username])
        assert client.post(url, data, **EN).status_code == expected
    assert TrainingRecord.objects.filter(user=handler).count() == 2
    client.force_login(hr)
    bad = client.post(
        reverse("people:training_add", args=[handler.username]),
        {**data, "training-expires_on": "2024-12-31"},
        **EN,
    )
    assert bad.status_code == 400 and "It expires before it was completed." in bad.content.decode()


@pytest.fixture
def standard() -> HiringStandard:
    standard = HiringStandard.objects.create(role=Role.HANDLER)
    for position, text in enumerate(["Two years of service work", "Passed the product test"]):
        HiringRequirement.objects.create(standard=standard, position=position, text=text)
    return standard


def test_hr_ticks_the_hiring_checklist_of_the_persons_role(
    client: Client, personas: dict[str, User], hr: User, standard: HiringStandard
) -> None:
    handler = personas["handler"]
    first, second = standard.requirements.all()
    client.force_login(hr)
    url = reverse("people:hiring_check", args=[handler.username, first.pk])
    response = client.post(
        url, {f"req{first.pk}-met": "on", f"req{first.pk}-evidence": "CV, references"}, **EN
    )
    assert response.status_code == 302
    check = HiringCheck.objects.get(user=handler, requirement=first)
    assert (check.met, check.evidence, check.checked_by) == (True, "CV, references", hr)
    # Ticking without evidence is refused and leaves the requirement unmet.
    url2 = reverse("people:hiring_check", args=[handler.username, second.pk])
    client.post(url2, {f"req{second.pk}-met": "on"}, **EN)
    assert not HiringCheck.objects.filter(requirement=second).exists()
    shown = client.get(reverse("people:profile", args=["handler"]), **EN).content.decode()
    assert "1 of 2 requirements met" in shown
    assert f'data-requirement="{first.pk}" data-met="yes"' in shown
    assert f'data-requirement="{second.pk}" data-met="no"' in shown
    # Unticking keeps who did it.
    client.force_login(personas["supervisor"])
    client.post(url, {f"req{first.pk}-evidence": "References not confirmed"}, **EN)
    check.refresh_from_db()
    assert (check.met, check.checked_by) == (False, personas["supervisor"])
    # The person cannot tick their own; another role's standard does not apply.
    client.force_login(handler)
    assert client.post(url, {f"req{first.pk}-met": "on"}, **EN).status_code == 404
    with pytest.raises(IllegalStep):
        services.hiring_check_set(
            person=personas["agent"], requirement=first, actor=hr, met=True, evidence="x"
        )


def test_routing_assigns_by_the_skills_and_languages_edited_on_the_profile(
    client: Client,
    personas: dict[str, User],
    quality: Department,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    handler = personas["handler"]
    second = _persona("handler2", "handler", "Helena", [quality])
    RoutingRule.objects.create(
        name="Brakes", position=10, text_contains="brakes", department=quality
    )

    def file(language: str) -> User | None:
        return intake_file(
            channel=Channel.WEB,
            kind=Kind.CLAIM,
            subject="The brakes squeal",
            description="Since the service.",
            language=language,
            contact=Contact(name="Valentina", email="valentina@example.com"),
        ).complaint.assignee

    # Nobody takes automatic assignments yet.
    assert file("et") is None
    with django_capture_on_commit_callbacks(execute=True):
        post_competence(client, personas["supervisor"], handler, languages=["es"])
        post_competence(client, personas["supervisor"], second, languages=["et", "en"])
    assert file("et") == second
    assert file("es") == handler


def test_a_training_record_is_removed_only_by_who_keeps_records(
    client: Client, personas: dict[str, User], hr: User
) -> None:
    handler = personas["handler"]
    record = services.training_record_add(
        person=handler, actor=hr, title="Listening", completed_on=date(2025, 1, 10)
    )
    url = reverse("people:training_delete", args=[handler.username, record.pk])
    client.force_login(handler)
    assert client.post(url).status_code == 404
    client.force_login(hr)
    assert client.post(url).status_code == 302
    assert not TrainingRecord.objects.exists()
