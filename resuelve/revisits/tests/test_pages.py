"""The supervisor's list and the reports: who sees them, bulk classify and assign, automatic
assignment, the archive and the customer page's partial."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.admin.sites import site
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from resuelve.accounts.models import User
from resuelve.revisits import services
from resuelve.revisits.models import Revisit, Status
from resuelve.revisits.tests.conftest import MakeCustomer, member_revisit
from resuelve.testing.fixtures import Clock


def _client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_it_shows_the_list_and_reports_to_supervisors_only(
    clock: Clock,
    make_customer: MakeCustomer,
    supervisor: User,
    manager: User,
    agent: User,
    auditor: User,
    ana: User,
) -> None:
    member_revisit(make_customer(name="Rosa Díaz"))
    pages = ["revisits:coverage", "revisits:summary", "revisits:archive"]
    for name in ["revisits:list", *pages]:
        for user in (supervisor, manager):
            response = _client(user).get(reverse(name))
            assert response.status_code == 200, (name, user)
        assert _client(agent).get(reverse(name)).status_code == 403
        assert _client(ana).get(reverse(name)).status_code == 403
    for name in pages:
        assert _client(auditor).get(reverse(name)).status_code == 200
    assert _client(auditor).get(reverse("revisits:list")).status_code == 403
    assert "Rosa Díaz" in _client(supervisor).get(reverse("revisits:list")).content.decode()


def test_it_classifies_and_assigns_in_bulk(
    clock: Clock, make_customer: MakeCustomer, supervisor: User, ana: User, wei: User
) -> None:
    first = member_revisit(make_customer())
    second = member_revisit(make_customer())
    untouched = member_revisit(make_customer())
    client = _client(supervisor)
    url = reverse("revisits:list")

    client.post(url, {"ids": [first.pk, second.pk], "priority": "high", "classify": "1"})
    client.post(url, {"ids": [first.pk, second.pk], "specialist": ana.pk, "assign": "1"})

    rows = {r.pk: r for r in Revisit.objects.all()}
    assert {rows[first.pk].priority, rows[second.pk].priority} == {"high"}
    assert {rows[first.pk].assigned_to, rows[second.pk].assigned_to} == {ana}
    assert rows[first.pk].status == Status.ASSIGNED
    assert (rows[untouched.pk].assigned_to, rows[untouched.pk].priority) == (None, "")
    client.post(url, {"ids": [second.pk], "cancel": "1"})
    assert Revisit.objects.get(pk=second.pk).status == Status.CANCELLED
    # Only active specialists take revisits.
    response = client.post(
        url, {"ids": [untouched.pk], "specialist": supervisor.pk, "assign": "1"}, follow=True
    )
    assert Revisit.objects.get(pk=untouched.pk).assigned_to is None
    assert response.status_code == 200


def test_it_assigns_automatically_by_language_and_capacity(
    clock: Clock,
    make_customer: MakeCustomer,
    supervisor: User,
    ana: User,
    wei: User,
    kadri: User,
) -> None:
    spanish = [member_revisit(make_customer(language="es")) for _ in range(12)]
    chinese = [member_revisit(make_customer(language="zh-hans")) for _ in range(3)]
    estonian = [member_revisit(make_customer(language="et")) for _ in range(2)]

    response = _client(supervisor).post(reverse("revisits:list"), {"auto": "1"}, follow=True)

    by = {r.pk: r.assigned_to for r in Revisit.objects.select_related("assigned_to")}
    assert {by[r.pk] for r in chinese} == {wei}
    assert {by[r.pk] for r in estonian} == {kadri}
    assert [by[r.pk] for r in spanish].count(ana) == 10  # her capacity; nobody else speaks es
    assert [by[r.pk] for r in spanish].count(None) == 2
    assert "15 assigned automatically; 2 left for you to assign." in response.content.decode()
    # Run again: what is assigned stays, nobody's day overflows.
    assert services.revisit_auto_assign(now=clock()).assigned == 0


def test_it_searches_the_archive(
    clock: Clock, make_customer: MakeCustomer, supervisor: User, ana: User
) -> None:
    done = member_revisit(make_customer(name="Óscar Núñez"), ana)
    services.revisit_record(
        revisit=done,
        actor=ana,
        channel="email",
        outcome="satisfied",
        suggestions="Más horarios los sábados",
    )
    member_revisit(make_customer(name="Berta Ruiz"))
    client = _client(supervisor)

    by_name = client.get(reverse("revisits:archive"), {"q": "oscar nunez"}).content.decode()
    by_words = client.get(reverse("revisits:archive"), {"q": "sábados"}).content.decode()

    assert "Óscar Núñez" in by_name and "Berta Ruiz" not in by_name
    assert "Óscar Núñez" in by_words
    summary = client.get(reverse("revisits:summary")).content.decode()
    assert "Más horarios los sábados" in summary


def test_it_lists_a_customers_revisits_newest_first(
    clock: Clock, make_customer: MakeCustomer
) -> None:
    customer = make_customer()
    today = timezone.localdate(clock())
    member_revisit(customer, due_on=today - timedelta(days=40), period_key="a")
    member_revisit(customer, reason="birthday", due_on=today, period_key="b")
    html = Template('{% include "revisits/_customer.html" %}').render(
        Context({"customer": customer})
    )
    assert html.index("Birthday") < html.index("Member revisit")
    empty = Template('{% include "revisits/_customer.html" %}').render(
        Context({"customer": make_customer()})
    )
    assert "No revisits yet." in empty


def test_it_keeps_revisits_read_only_in_the_admin(admin: User) -> None:
    request = RequestFactory().get("/")
    request.user = admin
    model_admin = site._registry[Revisit]
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_add_permission(request)
    assert _client(admin).get(reverse("admin:revisits_callscript_add")).status_code == 200
