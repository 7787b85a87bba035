"""The dashboard and its drill-down as pages: who may open them, the filters, and a figure's
link leading to as many complaints as it shows."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client

from resuelve.accounts.models import User

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PERIOD = "?start=2025-01&end=2025-03"


def test_only_supervisors_managers_and_auditors_open_the_dashboard(
    client: Client,
    cases,
    handler: User,
    agent: User,
    supervisor: User,
    auditor: User,
) -> None:
    for user, status in ((handler, 404), (agent, 404), (supervisor, 200), (auditor, 200)):
        client.force_login(user)
        assert client.get(f"/staff/analytics/{PERIOD}", **EN).status_code == status, user.username


def test_the_dashboard_shows_the_figures_and_each_link_lists_as_many_complaints(
    client: Client,
    cases,
    supervisor: User,
) -> None:
    client.force_login(supervisor)
    html = client.get(f"/staff/analytics/{PERIOD}", **EN).content.decode()
    assert "Complaints dashboard" in html and "Figures as of" in html
    received = re.search(
        r'data-kpi="1">.*?<a class="an-kpi-value" href="([^"]+)">(\d+)</a>', html, re.S
    )
    assert received is not None and received.group(2) == "5"
    links = set(re.findall(r'href="(/staff/analytics/cases/\?[^"]+)"', html))
    assert len(links) > 10
    for link in links:
        page = client.get(unescape(link), **EN)
        assert page.status_code == 200, link
        total = int(re.search(r'data-total="(\d+)"', page.content.decode()).group(1))
        shown = page.content.decode().count("data-case=")
        assert shown == min(total, 50)
    drill = client.get(unescape(received.group(1)), **EN).content.decode()
    assert 'data-total="5"' in drill
    codes = set(re.findall(r'data-case="([^"]+)"', drill))
    assert codes == {c.tracking_code for k, c in cases.items() if k != "F"}


def test_bad_filters_are_explained(client: Client, cases, manager: User) -> None:
    client.force_login(manager)
    response = client.get("/staff/analytics/?start=2025-05&end=2025-01", **EN)
    assert response.status_code == 400
    assert "The period starts after it ends." in response.content.decode()
    assert client.get("/staff/analytics/cases/?dim=nonsense", **EN).status_code == 404


def test_the_complaints_behind_a_figure_download_as_csv(
    client: Client, cases, supervisor: User
) -> None:
    import csv
    import io

    from django.core.cache import cache

    cache.clear()  # the export rate limit
    client.force_login(supervisor)
    response = client.get(f"/staff/analytics/cases/export.csv{PERIOD}&metric=late", **EN)
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "Tracking code"
    assert {row[0] for row in rows[1:]} == {cases["A"].tracking_code, cases["D"].tracking_code}
    assert client.get(f"/staff/analytics/cases/export.pdf{PERIOD}", **EN).status_code == 404


def test_the_kept_figures_give_way_to_new_ones_after_a_refresh(
    client: Client, cases, supervisor: User, make_complaint, clock
) -> None:
    from resuelve.analytics.refresh import analytics_refresh
    from resuelve.analytics.tests.conftest import at
    from resuelve.complaints.lifecycle import State

    client.force_login(supervisor)

    def received() -> str:
        html = client.get(f"/staff/analytics/{PERIOD}", **EN).content.decode()
        found = re.search(
            r'data-kpi="1">.*?<a class="an-kpi-value" href="[^"]+">(\d+)</a>', html, re.S
        )
        return found.group(1)

    assert received() == "5"
    make_complaint(state=State.ACKNOWLEDGED, received_at=at("2025-02-11"))
    assert received() == "5"  # the figures are those of the last refresh
    clock.advance(minutes=5)
    analytics_refresh(now=clock())
    assert received() == "6"
