"""`resuelve import-purchases`: real CSV and XLSX files with good and bad rows."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from resuelve.customers.models import Branch, Customer, Product, Purchase, Region

pytestmark = pytest.mark.django_db

HEADER = [
    "external_ref",
    "customer",
    "product",
    "product_name",
    "order_number",
    "branch",
    "purchased_on",
    "amount",
    "currency",
    "batch",
]


@pytest.fixture
def shop(db: None) -> dict[str, Any]:
    region = Region.objects.create(name="Andina")
    return {
        "ana": Customer.objects.create(name="Ana", external_ref="C-1"),
        "luis": Customer.objects.create(name="Luis", external_ref="C-2"),
        "pads": Product.objects.create(sku="BRK-1", name="Brake pads"),
        "branch": Branch.objects.create(name="Bogotá Norte", region=region),
    }


def write_csv(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def run(*args: str, **options: Any) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("import_purchases", *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def rejects(path: Path) -> dict[str, tuple[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    return {row[0]: (row[1], row[2]) for row in rows}


ROWS = [
    ["P-1", "C-1", "BRK-1", "", "PO-1001", "bogota norte", "2025-01-10", "350000", "", "L-7"],
    ["P-2", "C-1", "TYR-4", "All-season tyres", "", "", "14/02/2025", "1.200.000,50", "usd", ""],
    ["P-3", "C-2", "BRK-1", "", "PO-1003", "", "2025-03-01", "1,234.5", "EUR", ""],
    ["P-4", "C-99", "BRK-1", "", "", "", "2025-03-01", "10", "", ""],
    ["P-5", "C-1", "NOPE", "", "", "", "2025-03-01", "10", "", ""],
    ["P-6", "C-1", "BRK-1", "", "", "Cali Sur", "2025-03-01", "10", "", ""],
    ["P-7", "C-1", "BRK-1", "", "", "", "2025-03-01", "-5", "pesos", ""],
    ["P-8", "C-1", "BRK-1", "", "", "", "01-03-25", "diez", "", ""],
    ["P-9", "C-1", "BRK-1", "", "", "", "2025-03-01", "10.555", "", ""],
    ["P-1", "C-2", "BRK-1", "", "", "", "2025-03-01", "10", "", ""],
    ["", "", "", "", "", "", "", "", "", "x"],
]


def test_it_imports_good_rows_and_reports_bad_ones(tmp_path: Path, shop: dict[str, Any]) -> None:
    out = run(str(write_csv(tmp_path / "purchases.csv", [HEADER, *ROWS])))
    assert "3 created, 0 updated, 0 unchanged, 8 rejected" in out
    assert "New products (SKU): TYR-4." in out

    first = Purchase.objects.get(external_ref="P-1")
    assert first.customer == shop["ana"] and first.product == shop["pads"]
    assert first.branch == shop["branch"] and first.order_number == "PO-1001"
    assert first.purchased_on == date(2025, 1, 10) and first.amount == Decimal("350000.00")
    assert first.currency == "COP" and first.batch == "L-7"
    second = Purchase.objects.get(external_ref="P-2")
    assert second.product.name == "All-season tyres" and second.product.sku == "TYR-4"
    assert second.order_number == "P-2"  # blank: the reference
    assert second.amount == Decimal("1200000.50") and second.currency == "USD"
    assert second.purchased_on == date(2025, 2, 14)
    assert Purchase.objects.get(external_ref="P-3").amount == Decimal("1234.50")

    found = rejects(tmp_path / "purchases.rejects.csv")
    assert list(found) == ["5", "6", "7", "8", "9", "10", "11", "12"]
    assert found["5"] == (
        "P-4",
        "customer: No customer with the external reference “C-99”; import the customers first.",
    )
    assert found["6"][1].startswith("product: No product with the SKU “NOPE”; give its name")
    assert found["7"][1] == "branch: No branch called “Cali Sur”."
    assert "amount: The amount cannot be negative." in found["8"][1]
    assert "currency: “pesos” is not a three-letter currency code" in found["8"][1]
    assert "purchased_on: Cannot read the date “01-03-25”" in found["9"][1]
    assert "amount: Cannot read the amount “diez”." in found["9"][1]
    assert "at most 12 digits before the point and 2 after it" in found["10"][1]
    assert "already on row 2" in found["11"][1]
    required = found["12"][1]
    for name in ("external_ref", "customer", "product", "purchased_on", "amount"):
        assert f"{name}: This field is required." in required
    assert not Product.objects.filter(sku="NOPE").exists()


def test_a_second_run_changes_nothing_and_a_changed_row_updates(
    tmp_path: Path, shop: dict[str, Any]
) -> None:
    source = write_csv(tmp_path / "purchases.csv", [HEADER, *ROWS[:3]])
    run(str(source))
    before = list(Purchase.objects.order_by("pk").values())
    assert "0 created, 0 updated, 3 unchanged, 0 rejected" in run(str(source))
    assert list(Purchase.objects.order_by("pk").values()) == before

    changed = [HEADER, ["P-1", "C-2", "TYR-4", "", "", "", "2025-01-11", "360000", "", ""]]
    out = run(str(write_csv(tmp_path / "changed.csv", changed)))
    assert "0 created, 1 updated, 0 unchanged, 0 rejected" in out
    first = Purchase.objects.get(external_ref="P-1")
    assert first.customer == shop["luis"] and first.product.sku == "TYR-4"
    assert first.amount == Decimal("360000.00") and first.purchased_on == date(2025, 1, 11)
    assert first.pk == before[0]["id"]
    assert first.branch == shop["branch"] and first.batch == "L-7"  # blank: kept
    assert first.order_number == "PO-1001"


def test_it_reads_xlsx_with_a_mapping(tmp_path: Path, shop: dict[str, Any]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Pedido", "Cliente", "Ref", "Fecha", "Valor"])
    sheet.append(["A-1", "C-1", "BRK-1", date(2025, 4, 1), 99999.5])
    sheet.append(["A-2", "C-1", "BRK-1", date(2025, 4, 2), 12])
    sheet.append(["A-3", "C-2", "BRK-1", "mañana", 1])
    workbook.save(tmp_path / "ventas.xlsx")
    out = run(
        str(tmp_path / "ventas.xlsx"),
        column=[
            "external_ref=Pedido",
            "customer=Cliente",
            "product=Ref",
            "purchased_on=Fecha",
            "amount=Valor",
        ],
    )
    assert "2 created, 0 updated, 0 unchanged, 1 rejected" in out
    assert Purchase.objects.get(external_ref="A-1").amount == Decimal("99999.50")
    assert Purchase.objects.get(external_ref="A-2").purchased_on == date(2025, 4, 2)
    assert rejects(tmp_path / "ventas.rejects.csv")["4"][1].startswith(
        "Fecha: Cannot read the date “mañana”"
    )


def test_a_dry_run_writes_nothing(tmp_path: Path, shop: dict[str, Any]) -> None:
    out = run(str(write_csv(tmp_path / "p.csv", [HEADER, *ROWS])), dry_run=True)
    assert "3 would be created, 0 updated, 0 unchanged, 8 rejected" in out
    assert Purchase.objects.count() == 0
    assert not Product.objects.filter(sku="TYR-4").exists()


def test_a_file_without_the_required_columns_is_refused(
    tmp_path: Path, shop: dict[str, Any]
) -> None:
    source = write_csv(tmp_path / "p.csv", [["external_ref", "customer"], ["P-1", "C-1"]])
    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command("import_purchases", str(source), stdout=StringIO(), stderr=StringIO())
    assert "no column for product, purchased_on, amount" in str(error.value)
