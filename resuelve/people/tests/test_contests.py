"""Contests between staff (REQUIREMENTS H6, A4): the leaderboard from the case facts, and
closing a contest, which recognises the winners and pays their prize through the ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from resuelve.accounts.models import Department, User
from resuelve.complaints.lifecycle import NotAllowed
from resuelve.people import selectors, services
from resuelve.people.models import Contest, ContestStatus, Metric
from resuelve.people.tests.conftest import MakeFact
from resuelve.remedies import reward_services
from resuelve.remedies.models import LedgerEntry, LedgerKind, RewardFund, StaffRecognition
from resuelve.testing.fixtures import Clock, _persona

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
FEB = {"starts_on": date(2025, 2, 1), "ends_on": date(2025, 2, 28)}


@pytest.fixture
def board(make_fact: MakeFact, team: dict[str, User], workshop: Department) -> dict[str, User]:
    """February's answers by the quality team:
    Bea 4 of 4 on time (100 %), Hugo 3 of 3 (100 %, fewer cases), Dora 3 of 4 (75 %),
    Ciro 2 of 2 (below a minimum of 3). Outside the contest: Hugo late in March, Dora late in
    another department, a case nobody handled, and an open case of Ciro's not yet due."""
    for name, results in [
        ("bea", [True] * 4),
        ("hugo", [True] * 3),
        ("dora", [True, True, True, False]),
        ("ciro", [True, True, None]),
    ]:
        for day, on_time in enumerate(results, start=3):
            make_fact(team[name], received_on=date(2025, 2, day), on_time=on_time)
    make_fact(team["hugo"], received_on=date(2025, 3, 1), on_time=False)
    make_fact(team["dora"], department_id=workshop.pk, on_time=False)
    make_fact(team["dora"], department_id=workshop.pk, on_time=False)
    make_fact(None, on_time=True)
    return team


def contest(actor: User, quality: Department | None = None, **kwargs: object) -> Contest:
    values: dict[str, object] = {
        "name": "February answers",
        "metric": Metric.ON_TIME,
        "min_volume": 3,
        "department": quality,
        **FEB,
    }
    values.update(kwargs)
    return services.contest_create(actor=actor, **values)  # type: ignore[arg-type]


def ranking(c: Contest) -> list[tuple[int, str, Decimal, int]]:
    return [(s.rank, s.user.username, s.value, s.volume) for s in selectors.leaderboard(contest=c)]


def test_the_leaderboard_ranks_by_the_measure_then_volume_and_leaves_out_small_volumes(
    board: dict[str, User], manager: User, quality: Department
) -> None:
    c = contest(manager, quality)
    assert ranking(c) == [
        (1, "bea", Decimal("100.00"), 4),
        (2, "handler", Decimal("100.00"), 3),
        (3, "dora", Decimal("75.00"), 4),
    ]
    # Without a department the other department's cases count too: Dora falls to 50 %.
    assert ranking(contest(manager))[-1] == (3, "dora", Decimal("50.00"), 6)
    # A minimum of 2 lets Ciro in, his open case not counted.
    assert (1, "ciro", Decimal("100.00"), 2) not in ranking(c)
    assert ("ciro", 2) in [(u, n) for _r, u, _v, n in ranking(contest(manager, min_volume=2))]


def test_equal_value_and_volume_share_the_rank_listed_by_name(
    board: dict[str, User], make_fact: MakeFact, quality: Department, manager: User
) -> None:
    eva = _persona("eva", "handler", "Abel", [quality])  # "Abel Test" sorts before "Bea Test"
    for day in range(3, 7):
        make_fact(eva, received_on=date(2025, 2, day), on_time=True)
    assert [r[:2] for r in ranking(contest(manager, quality))] == [
        (1, "eva"),
        (1, "bea"),
        (3, "handler"),
        (4, "dora"),
    ]


def test_the_other_measures(
    make_fact: MakeFact, team: dict[str, User], manager: User, quality: Department
) -> None:
    for name, csat in [("bea", 5), ("bea", 4), ("hugo", 5), ("hugo", None), ("dora", 3)]:
        make_fact(team[name], csat=csat, resolve_minutes=60, first_contact=csat == 5)
    make_fact(team["dora"], resolve_minutes=None)
    assert ranking(contest(manager, quality, metric=Metric.CSAT, min_volume=1)) == [
        (1, "handler", Decimal("5.00"), 1),
        (2, "bea", Decimal("4.50"), 2),
        (3, "dora", Decimal("3.00"), 1),
    ]
    assert ranking(contest(manager, quality, metric=Metric.RESOLVED, min_volume=1)) == [
        (1, "bea", Decimal("2"), 2),
        (1, "handler", Decimal("2"), 2),
        (3, "dora", Decimal("1"), 1),
    ]
    assert ranking(contest(manager, quality, metric=Metric.FIRST_CONTACT, min_volume=2)) == [
        (1, "bea", Decimal("50.00"), 2),
        (1, "handler", Decimal("50.00"), 2),
    ]


def test_closing_recognises_the_winner_and_pays_the_prize_through_the_ledger(
    board: dict[str, User], manager: User, quality: Department, fund: RewardFund, clock: Clock
) -> None:
    c = contest(manager, quality, prize_amount="300000", currency="COP", fund=fund)
    with translation.override("en"):
        (winner,) = services.contest_close(contest=c, actor=manager)
    assert c.status == ContestStatus.CLOSED and c.closed_by == manager
    assert winner.user == board["bea"] and (winner.value, winner.volume) == (Decimal("100"), 4)
    entry = LedgerEntry.objects.get()
    assert entry == winner.ledger_entry
    assert (entry.kind, entry.recipient, entry.fund, entry.amount, entry.approver) == (
        LedgerKind.STAFF_REWARD,
        board["bea"],
        fund,
        Decimal("300000.00"),
        manager,
    )
    assert entry.complaint is None and entry.department == quality
    assert reward_services._balance(fund) == Decimal("4700000.00")
    thanks = StaffRecognition.objects.get()
    assert (thanks.user, thanks.by, thanks.complaint) == (board["bea"], manager, None)
    assert thanks.reason == "Won February answers: Highest on-time answer rate 100.0 % over 4 cases"
    # Closing again does nothing more.
    assert services.contest_close(contest=c, actor=manager) == []
    assert LedgerEntry.objects.count() == 1 and StaffRecognition.objects.count() == 1


def test_joint_winners_are_each_recognised_and_paid(
    board: dict[str, User], make_fact: MakeFact, quality: Department, manager: User,
    fund: RewardFund,
) -> None:  # fmt: skip
    eva = _persona("eva", "handler", "Eva", [quality])
    for day in range(3, 7):
        make_fact(eva, received_on=date(2025, 2, day), on_time=True)
    c = contest(manager, quality, prize_amount="100000")
    winners = services.contest_close(contest=c, actor=manager)
    assert {w.user.username for w in winners} == {"bea", "eva"}
    assert set(LedgerEntry.objects.values_list("recipient__username", flat=True)) == {"bea", "eva"}
    assert reward_services._balance(fund) == Decimal("4800000.00")


def test_a_contest_without_prize_only_recognises(
    board: dict[str, User], manager: User, quality: Department
) -> None:
    (winner,) = services.contest_close(contest=contest(manager, quality), actor=manager)
    assert winner.ledger_entry is None and not LedgerEntry.objects.exists()
    assert StaffRecognition.objects.get().user == board["bea"]


def test_handlers_and_other_departments_supervisors_cannot_close(
    board: dict[str, User], manager: User, supervisor: User, quality: Department, auditor: User
) -> None:
    c = contest(manager, quality)
    everyone = contest(manager)
    with pytest.raises(NotAllowed):
        services.contest_close(contest=c, actor=board["hugo"])
    with pytest.raises(NotAllowed):
        services.contest_close(contest=c, actor=auditor)
    with pytest.raises(NotAllowed):  # a supervisor closes only their departments' contests
        services.contest_close(contest=everyone, actor=supervisor)
    c.refresh_from_db()
    assert c.is_open and not StaffRecognition.objects.exists()
    assert len(services.contest_close(contest=c, actor=supervisor)) == 1


def test_a_prize_above_the_closers_authority_is_refused_and_the_contest_stays_open(
    board: dict[str, User], supervisor: User, quality: Department, fund: RewardFund
) -> None:
    c = contest(supervisor, quality, prize_amount="3000000")
    with translation.override("es"), pytest.raises(NotAllowed) as refused:
        services.contest_close(contest=c, actor=supervisor)
    assert "supera su límite de 2" in refused.value.message  # in the closer's language
    c.refresh_from_db()
    assert c.is_open
    assert not LedgerEntry.objects.exists() and not StaffRecognition.objects.exists()
    assert reward_services._balance(fund) == Decimal("5000000.00")


def test_a_prize_the_fund_cannot_cover_is_refused(
    board: dict[str, User], manager: User, quality: Department, fund: RewardFund
) -> None:
    c = contest(manager, quality, prize_amount="6000000")
    with pytest.raises(ValidationError) as refused:
        services.contest_close(contest=c, actor=manager)
    assert "amount" in refused.value.message_dict
    c.refresh_from_db()
    assert c.is_open and not StaffRecognition.objects.exists()


def test_supervisors_run_contests_only_for_their_departments(
    supervisor: User, workshop: Department, quality: Department, handler: User
) -> None:
    with pytest.raises(ValidationError):
        contest(supervisor)
    with pytest.raises(ValidationError):
        contest(supervisor, workshop)
    with pytest.raises(NotAllowed):
        contest(handler, quality)
    assert contest(supervisor, quality).created_by == supervisor


# --- pages ------------------------------------------------------------------------------------


def test_a_manager_opens_a_contest_and_reads_its_leaderboard(
    client: Client, board: dict[str, User], manager: User, quality: Department, fund: RewardFund
) -> None:
    client.force_login(manager)
    response = client.post(
        reverse("people:contests"),
        {
            "contest-name": "February answers",
            "contest-department": quality.pk,
            "contest-starts_on": "2025-02-01",
            "contest-ends_on": "2025-02-28",
            "contest-metric": "on_time",
            "contest-min_volume": "3",
            "contest-prize_amount": "250000",
            "contest-currency": "cop",
            "contest-fund": fund.pk,
        },
        **EN,
    )
    c = Contest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "people:contest", args=[c.pk]
    )
    assert (c.prize_amount, c.currency, c.fund, c.created_by) == (
        Decimal("250000"), "COP", fund, manager,
    )  # fmt: skip
    shown = client.get(reverse("people:contest", args=[c.pk]), **EN).content.decode()
    assert shown.index('data-rank="1" data-person="bea"') < shown.index(
        'data-rank="2" data-person="handler"'
    )
    assert 'data-person="ciro"' not in shown
    assert "Close and reward the winners" in shown and "250,000.00 COP" in shown
    listed = client.get(reverse("people:contests"), **EN).content.decode()
    assert 'data-contest="February answers"' in listed


def test_closing_from_the_page_needs_the_csrf_token_and_the_right_role(
    board: dict[str, User], manager: User, quality: Department, fund: RewardFund
) -> None:
    c = contest(manager, quality, prize_amount="100000")
    url = reverse("people:contest_close", args=[c.pk])
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(manager)
    assert strict.post(url, **EN).status_code == 403
    handler_client = Client()
    handler_client.force_login(board["hugo"])
    shown = handler_client.get(reverse("people:contest", args=[c.pk]), **EN).content.decode()
    assert "Close and reward the winners" not in shown
    handler_client.post(url, **EN)
    c.refresh_from_db()
    assert c.is_open
    manager_client = Client()
    manager_client.force_login(manager)
    response = manager_client.post(url, follow=True, **EN)
    c.refresh_from_db()
    assert not c.is_open
    assert "winners: Bea Test" in response.content.decode()
    assert 'data-winner="bea"' in response.content.decode()
    client = Client()
    client.force_login(board["bea"])
    profile = client.get(reverse("people:profile", args=["bea"]), **EN).content.decode()
    assert 'data-win="February answers"' in profile and "prize 100,000 COP" in profile


def test_a_departments_contest_is_hidden_from_other_departments(
    client: Client, manager: User, quality: Department, outsider: User, agent: User
) -> None:
    c = contest(manager, quality)
    client.force_login(outsider)
    assert client.get(reverse("people:contest", args=[c.pk])).status_code == 404
    assert client.post(reverse("people:contests"), {"contest-name": "x"}).status_code == 404
    everyone = contest(manager, name="Everyone")
    assert client.get(reverse("people:contest", args=[everyone.pk])).status_code == 200
