"""The themes page and the idea list as their users see them: who may open and act, rising
themes first, examples within the reader's scope and never confidential, promotion."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from resuelve.accounts.models import User
from resuelve.resolution.models import ImprovementAction, ImprovementKind, RootCause
from resuelve.themes.models import IdeaStatus, ProductIdea, Theme, ThemeRun
from resuelve.themes.services import themes_build
from resuelve.themes.tests.conftest import BUILT_AT, CONFIDENTIAL
from resuelve.themes.tests.texts import DELIVERY, TEXTS

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
TOPIC = {row[2]: row[0] for row in TEXTS}


@pytest.fixture
def run(corpus) -> ThemeRun:
    return themes_build(now=BUILT_AT)


@pytest.fixture
def cause(db: None) -> RootCause:
    return RootCause.objects.create(code="process", name="Process")


def _page(client: Client, user: User, url: str = "/staff/themes/") -> str:
    client.force_login(user)
    response = client.get(url, **EN)
    assert response.status_code == 200
    return response.content.decode()


def _delivery_theme(run: ThemeRun) -> Theme:
    return max(
        (t for t in run.themes.all() if t.growth is not None),
        key=lambda t: t.growth or 0,
    )


def test_only_supervisors_managers_admins_and_auditors_open_the_themes(
    client: Client, run: ThemeRun, personas: dict[str, User]
) -> None:
    expected = {"agent": 404, "handler": 404, "outsider": 404, "supervisor": 200,
                "manager": 200, "admin": 200, "auditor": 200}  # fmt: skip
    for name, status in expected.items():
        client.force_login(personas[name])
        for url in ("/staff/themes/", "/staff/themes/ideas/"):
            assert client.get(url, **EN).status_code == status, (name, url)


def test_the_auditor_reads_but_may_not_promote(
    client: Client, run: ThemeRun, auditor: User, cause: RootCause
) -> None:
    html = _page(client, auditor)
    assert "Promote to improvement action" not in html and "Add to product ideas" not in html
    theme = run.themes.first()
    assert client.get(f"/staff/themes/{theme.pk}/action/", **EN).status_code == 404
    response = client.post(f"/staff/themes/{theme.pk}/idea/", {"title": "X"}, **EN)
    assert response.status_code == 404 and not ProductIdea.objects.exists()


def test_rising_themes_come_first_with_their_months(
    client: Client, run: ThemeRun, manager: User
) -> None:
    html = _page(client, manager)
    order = [int(pk) for pk in re.findall(r'data-theme="(\d+)"', html)]
    rising = re.findall(r'data-theme="\d+" data-rising="(\d)"', html)
    assert len(order) == run.themes.count() and rising[0] == "1"
    assert rising == sorted(rising, reverse=True)  # every rising theme before the others
    first = Theme.objects.get(pk=order[0])
    assert first == _delivery_theme(run)
    assert "2025-03: " in html
    for language, words in first.terms_by_language:  # named in each of its languages
        assert f'<span lang="{language}">{" ".join(words)}</span>' in html


def test_examples_never_show_confidential_text_even_to_the_admin(
    client: Client, run: ThemeRun, admin: User
) -> None:
    html = _page(client, admin)
    shown = re.findall(r'data-example="([^"]+)"', html)
    assert len(shown) >= 3 * run.themes.count()
    for subject in CONFIDENTIAL:
        assert subject not in html


def test_a_supervisor_sees_examples_only_from_their_departments(
    client: Client, run: ThemeRun, supervisor: User, corpus
) -> None:
    html = _page(client, supervisor)
    shown = set(re.findall(r'data-example="([^"]+)"', html))
    by_code = {case.tracking_code: subject for subject, case in corpus.items()}
    assert shown and all(TOPIC[by_code[code]] == "brakes" for code in shown)
    assert "No example you may open." in html  # the delivery and staff themes
    assert html.count('data-theme="') == run.themes.count()  # themes are all listed


def test_promoting_a_theme_creates_a_preventive_action_linked_to_its_cases(
    client: Client, run: ThemeRun, supervisor: User, manager: User, cause: RootCause
) -> None:
    theme = _delivery_theme(run)
    client.force_login(manager)
    form = client.get(f"/staff/themes/{theme.pk}/action/", **EN).content.decode()
    assert "Prevent: " in form and 'name="csrfmiddlewaretoken"' in form
    response = client.post(
        f"/staff/themes/{theme.pk}/action/",
        {"title": "Fix the courier", "cause": cause.pk, "owner": supervisor.pk,
         "due_on": "2025-04-30", "description": ""},
        **EN,
    )  # fmt: skip
    action = ImprovementAction.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{action.pk}/")
    assert action.kind == ImprovementKind.PREVENTIVE and action.owner == supervisor
    assert action.due_on == date(2025, 4, 30) and theme.label in action.description
    linked = set(action.complaints.values_list("pk", flat=True))
    members = set(theme.members.values_list("complaint_id", flat=True))
    assert linked and linked <= members


def test_a_promotion_without_cause_is_explained(
    client: Client, run: ThemeRun, manager: User
) -> None:
    theme = run.themes.first()
    client.force_login(manager)
    response = client.post(
        f"/staff/themes/{theme.pk}/action/",
        {"title": "T", "owner": manager.pk, "due_on": "2025-04-30"},
        **EN,
    )
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert not ImprovementAction.objects.exists()


def test_adding_a_theme_to_the_ideas_and_deciding_on_it(
    client: Client, run: ThemeRun, supervisor: User, manager: User
) -> None:
    theme = _delivery_theme(run)
    client.force_login(supervisor)
    response = client.post(
        f"/staff/themes/{theme.pk}/idea/",
        {"title": "Track orders by SMS", "description": "Customers ask where the order is."},
        **EN,
    )
    assert response.status_code == 302 and response["Location"] == "/staff/themes/ideas/"
    idea = ProductIdea.objects.get()
    assert idea.theme == theme and idea.theme_label == theme.label
    assert idea.status == IdeaStatus.NEW and idea.created_by == supervisor
    html = _page(client, supervisor, "/staff/themes/ideas/")
    assert "Track orders by SMS" in html and theme.label in html
    # A supervisor proposes; only a manager decides.
    client.post(f"/staff/themes/ideas/{idea.pk}/status/", {"status": "accepted"}, **EN)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.NEW
    client.force_login(manager)
    client.post(f"/staff/themes/ideas/{idea.pk}/status/", {"status": "under_review"}, **EN)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.UNDER_REVIEW and idea.status_changed_by == manager
    listed = _page(client, manager, "/staff/themes/ideas/?status=under_review")
    assert 'data-status="under_review"' in listed
    assert "Track orders" not in _page(client, manager, "/staff/themes/ideas/?status=rejected")


def test_an_idea_may_be_added_without_a_theme(client: Client, manager: User) -> None:
    client.force_login(manager)
    response = client.post("/staff/themes/ideas/", {"title": "Loyalty card"}, **EN)
    assert response.status_code == 302
    assert ProductIdea.objects.get().theme is None
    empty = client.post("/staff/themes/ideas/", {"title": " "}, **EN)
    assert empty.status_code == 400 and ProductIdea.objects.count() == 1


def test_forms_refuse_a_post_without_the_csrf_token(run: ThemeRun, manager: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    theme = run.themes.first()
    response = client.post(f"/staff/themes/{theme.pk}/idea/", {"title": "X"}, **EN)
    assert response.status_code == 403 and not ProductIdea.objects.exists()


def test_the_page_says_when_no_themes_were_built(client: Client, manager: User) -> None:
    html = _page(client, manager)
    assert "No themes yet" in html


def test_the_delivery_theme_is_about_deliveries(run: ThemeRun, corpus) -> None:
    theme = _delivery_theme(run)
    subjects = {e["subject"] for e in theme.examples}
    assert subjects and all(TOPIC[s] == DELIVERY for s in subjects)
