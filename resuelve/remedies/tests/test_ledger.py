from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.test import Client

from resuelve.accounts.models import Department, User
from resuelve.complaints.lifecycle import State
from resuelve.customers.models import Product, Supplier
from resuelve.remedies.models import LedgerEntry, Proposal, RemedyItem
from resuelve.remedies.selectors import ledger_entries, ledger_totals
from resuelve.testing.fixtures import MakeComplaint

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def book(
    make_complaint: MakeComplaint,
    handler: User,
    quality: Department,
    workshop: Department,
) -> dict[str, object]:
    """Five hand-made entries over two months, two departments, two products and causes."""
    acme = Supplier.objects.create(name="Acme")
    brakes = Product.objects.create(sku="B", name="Brakes", supplier=acme)
    tyres = Product.objects.create(sku="T", name="Tyres")
    case = make_complaint(state=State.INVESTIGATING)
    proposal = Proposal.objects.create(
        complaint=case, number=1, proposed_by=handler, created_at=datetime(2025, 1, 1, tzinfo=UTC)
    )

    def entry(amount: str, at: datetime, dept: Department, product: Product, cause: str) -> None:
        item = RemedyItem.objects.create(
            proposal=proposal, type="refund", description="x", amount=Decimal(amount)
        )
        LedgerEntry.objects.create(
            item=item,
            complaint=case,
            type="refund",
            amount=Decimal(amount),
            currency="COP",
            cause=cause,
            department=dept,
            product=product,
            supplier=product.supplier,
            at=at,
        )

    entry("100", datetime(2025, 1, 10, 15, tzinfo=UTC), quality, brakes, "Worn pads")
    entry("200", datetime(2025, 1, 20, 15, tzinfo=UTC), quality, tyres, "Late delivery")
    entry("300", datetime(2025, 2, 5, 15, tzinfo=UTC), workshop, brakes, "Worn pads")
    entry("400", datetime(2025, 2, 25, 15, tzinfo=UTC), workshop, tyres, "")
    entry("1000", datetime(2025, 4, 1, 15, tzinfo=UTC), quality, brakes, "Worn pads")
    return {"case": case}


def as_dict(by: str, user: User, **period: date) -> dict[str, tuple[int, Decimal]]:
    return {t.label: (t.count, t.amount) for t in ledger_totals(by=by, user=user, **period)}


JAN_FEB = {"start": date(2025, 1, 1), "end": date(2025, 2, 28)}


class TestTotals:
    def test_it_totals_by_each_dimension(self, book: object, manager: User) -> None:
        assert as_dict("cause", manager, **JAN_FEB) == {
            "Worn pads": (2, Decimal("400")),
            "": (1, Decimal("400")),
            "Late delivery": (1, Decimal("200")),
        }
        assert as_dict("product", manager, **JAN_FEB) == {
            "Tyres": (2, Decimal("600")),
            "Brakes": (2, Decimal("400")),
        }
        assert as_dict("supplier", manager, **JAN_FEB) == {
            "": (2, Decimal("600")),
            "Acme": (2, Decimal("400")),
        }
        assert as_dict("department", manager, **JAN_FEB) == {
            "Workshop": (2, Decimal("700")),
            "Quality": (2, Decimal("300")),
        }
        assert as_dict("month", manager) == {
            "2025-01": (2, Decimal("300")),
            "2025-02": (2, Decimal("700")),
            "2025-04": (1, Decimal("1000")),
        }

    def test_the_period_includes_both_days(self, book: object, manager: User) -> None:
        one_day = {"start": date(2025, 2, 25), "end": date(2025, 2, 25)}
        assert as_dict("department", manager, **one_day) == {"Workshop": (1, Decimal("400"))}

    def test_a_supervisor_sees_their_departments_only(
        self, book: object, supervisor: User, auditor: User, handler: User
    ) -> None:
        assert as_dict("department", supervisor) == {"Quality": (3, Decimal("1300"))}
        assert ledger_entries(user=auditor).count() == 5
        assert ledger_entries(user=handler).count() == 0

    def test_an_unknown_dimension_is_refused(self, manager: User) -> None:
        with pytest.raises(ValueError):
            ledger_totals(by="colour", user=manager)


class TestLedgerPage:
    @pytest.mark.parametrize(
        ("persona", "status"),
        [
            ("agent", 403),
            ("handler", 403),
            ("outsider", 403),
            ("supervisor", 200),
            ("manager", 200),
            ("admin", 200),
            ("auditor", 200),
        ],
    )
    def test_it_is_for_supervisors_and_above_and_auditors(
        self, client: Client, personas: dict[str, User], persona: str, status: int
    ) -> None:
        client.force_login(personas[persona])
        assert client.get("/staff/ledger/", **EN).status_code == status

    def test_it_shows_the_totals_and_the_nav_link(
        self, client: Client, book: object, manager: User, handler: User
    ) -> None:
        client.force_login(manager)
        html = client.get("/staff/ledger/?start=2025-01-01&end=2025-02-28", **EN).content.decode()
        assert "By Supplier" in html and "Acme" in html
        assert "Compensation ledger" in html
        client.force_login(handler)
        assert "Compensation ledger" not in client.get("/staff/", **EN).content.decode()

    def test_it_downloads_csv_entries_and_totals(
        self, client: Client, book: object, supervisor: User
    ) -> None:
        client.force_login(supervisor)
        rows = client.get("/staff/ledger/?format=csv", **EN).content.decode().splitlines()
        assert len(rows) == 1 + 3  # the header and the quality department's entries
        totals = client.get("/staff/ledger/?format=csv&by=cause", **EN).content.decode()
        assert "Worn pads,2,1100.00" in totals
