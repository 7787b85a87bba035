from __future__ import annotations

import pytest

from resuelve.accounts.models import Department, User
from resuelve.complaints.lifecycle import State
from resuelve.complaints.models import Category
from resuelve.watchers.jobs import watchers_scan
from resuelve.watchers.models import Watch

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _form(**values: object) -> dict[str, object]:
    data: dict[str, object] = {"owner": "me", "mode": "instant", "on_new": "on", "active": "on"}
    data.update(values)
    return data


def test_it_adds_changes_and_removes_ones_own_watch(
    client, handler: User, category: Category
) -> None:
    client.force_login(handler)
    page = client.get("/staff/watchers/", **EN)
    assert page.status_code == 200 and "You watch nothing yet." in page.content.decode()
    assert 'name="owner"' in page.content.decode()  # hidden: only "me" for a handler

    response = client.post("/staff/watchers/", _form(category=category.pk), **EN)

    assert response.status_code == 302
    watch = Watch.objects.get()
    assert (watch.user, watch.category, watch.mode) == (handler, category, "instant")
    assert "Category: Product defect" in client.get("/staff/watchers/", **EN).content.decode()

    response = client.post(
        f"/staff/watchers/{watch.pk}/",
        _form(category=category.pk, mode="digest", on_resolved="on"),
        **EN,
    )
    assert response.status_code == 302
    watch.refresh_from_db()
    assert watch.mode == "digest" and watch.on_resolved and watch.on_new

    assert client.post(f"/staff/watchers/{watch.pk}/delete/", **EN).status_code == 302
    assert not Watch.objects.exists()


def test_it_refuses_a_watch_without_a_filter(client, handler: User) -> None:
    client.force_login(handler)
    response = client.post("/staff/watchers/", _form(), **EN)
    assert response.status_code == 400
    assert "Choose at least one of product" in response.content.decode()
    assert not Watch.objects.exists()


def test_a_supervisor_sets_a_watch_for_the_department(
    client, supervisor: User, handler: User, quality: Department, category: Category
) -> None:
    client.force_login(supervisor)
    page = client.get("/staff/watchers/", **EN).content.decode()
    assert "Department: Quality" in page

    client.post("/staff/watchers/", _form(owner=str(quality.pk), category=category.pk), **EN)

    watch = Watch.objects.get()
    assert watch.department == quality and watch.user is None and watch.created_by == supervisor
    # A member sees the department's watch but may not change it.
    client.force_login(handler)
    page = client.get("/staff/watchers/", **EN).content.decode()
    assert f'data-watch="{watch.pk}"' in page
    assert f"/staff/watchers/{watch.pk}/delete/" not in page
    assert client.get(f"/staff/watchers/{watch.pk}/", **EN).status_code == 404
    client.post(f"/staff/watchers/{watch.pk}/delete/", **EN)
    assert Watch.objects.filter(pk=watch.pk).exists()


def test_a_handler_cannot_post_a_department_watch(
    client, handler: User, quality: Department, category: Category
) -> None:
    client.force_login(handler)
    response = client.post(
        "/staff/watchers/", _form(owner=str(quality.pk), category=category.pk), **EN
    )
    assert response.status_code == 400  # not a choice for them
    assert not Watch.objects.exists()


def test_one_cannot_open_someone_elses_watch(
    client, handler: User, outsider: User, watch_for, category: Category
) -> None:
    watch = watch_for(handler, category=category)
    client.force_login(outsider)
    assert client.get(f"/staff/watchers/{watch.pk}/", **EN).status_code == 404
    assert client.post(f"/staff/watchers/{watch.pk}/delete/", **EN).status_code == 404


def test_the_case_page_shows_who_watches_to_supervisors_only(
    client, make_complaint, watch_for, supervisor: User, handler: User, category: Category
) -> None:
    watch_for(supervisor, category=category)
    case = make_complaint(state=State.ASSIGNED)
    watchers_scan()

    client.force_login(supervisor)
    page = client.get(f"/staff/c/{case.tracking_code}/", **EN).content.decode()
    assert "1 watch follows this case." in page and "Sara Test" in page
    client.force_login(handler)
    page = client.get(f"/staff/c/{case.tracking_code}/", **EN).content.decode()
    assert "1 watch follows this case." in page and "Sara Test</li>" not in page
