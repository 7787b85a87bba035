"""The staff top bar: each role reaches its pages, grouped into menus."""

from __future__ import annotations

import pytest

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _bar(client, user, path="/staff/") -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    html = client.get(path, **EN).content.decode()
    return html[html.index('<nav aria-label="Main">') : html.index("</nav>")]


@pytest.mark.django_db
def test_it_gives_an_agent_the_desk_and_only_their_own_scorecard(client, agent) -> None:  # type: ignore[no-untyped-def]
    bar = _bar(client, agent)
    assert 'href="/staff/new/"' in bar
    reports = bar[bar.index("<summary>Reports</summary>") :]
    assert "My scorecard" in reports and "/staff/analytics/scorecards/" in reports
    assert "/staff/deadlines/compliance/" not in bar and '/staff/analytics/"' not in bar


@pytest.mark.django_db
def test_it_puts_a_supervisors_reports_in_one_menu(client, supervisor) -> None:  # type: ignore[no-untyped-def]
    bar = _bar(client, supervisor)
    reports = bar[bar.index("<summary>Reports</summary>") :]
    assert "/staff/deadlines/compliance/" in reports and "/staff/ledger/" in reports
    # Accountability records are for managers and human resources only.
    assert "/staff/accountability/" not in bar


@pytest.mark.django_db
def test_it_offers_a_read_only_auditor_no_new_complaint(client, auditor) -> None:  # type: ignore[no-untyped-def]
    bar = _bar(client, auditor)
    assert 'href="/staff/new/"' not in bar
    assert "/staff/deadlines/compliance/" in bar


@pytest.mark.django_db
def test_it_marks_the_page_the_user_is_on(client, supervisor) -> None:  # type: ignore[no-untyped-def]
    bar = _bar(client, supervisor, "/staff/deadlines/compliance/")
    assert 'href="/staff/deadlines/compliance/" aria-current="page"' in bar
    assert '<details class="menu current">' in bar
    assert 'href="/staff/" aria-current' not in bar
