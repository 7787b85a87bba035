"""`resuelve import-complaints`: earlier complaints from CSV and XLSX as closed cases."""

from __future__ import annotations

import csv
from datetime import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from resuelve.complaints.lifecycle import State
from resuelve.complaints.models import Category, Complaint, ComplaintEvent, Message
from resuelve.intake.models import IntakeKey

HEADER = ["Radicado", "Fecha", "Asunto", "Texto", "Categoría", "Tipo", "Idioma"]
ROWS = [
    [
        "A-1",
        "2024-03-05",
        "Frenos",
        "Los frenos chillan desde el mantenimiento.",
        "Taller",
        "queja",
        "es",
    ],
    [
        "A-2",
        "05/04/2024",
        "Late car",
        "My car was delivered two weeks late.",
        "Entrega y transporte",
        "claim",
        "en",
    ],
    [
        "A-3",
        "2024-05-06 10:30",
        "交车延迟",
        "说好5号交车，晚了两个星期。",
        "Entrega y transporte",
        "投诉",
        "zh-hans",
    ],
    [
        "A-4",
        "2024-06-07",
        "Vale varuosa",
        "Tellisin piduriklotsid, kuid sain teise mudeli osad.",
        "Repuestos",
        "",
        "et",
    ],
    ["A-5", "2024-06-08", "Vacío", "", "Taller", "queja", "es"],
    ["A-6", "2024-06-09", "Tipo raro", "Texto cualquiera.", "Taller", "rumor", "es"],
    ["A-7", "31/31/2024", "Fecha mala", "Texto cualquiera.", "Taller", "queja", "es"],
    ["A-8", "2024-06-10", "Sin categoría", "Texto cualquiera.", "", "queja", "es"],
]
OPTIONS = [
    "--text-column=Texto",
    "--category-column=Categoría",
    "--subject-column=Asunto",
    "--date-column=Fecha",
    "--kind-column=Tipo",
    "--language-column=Idioma",
]


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ";") -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:  # with a BOM, as Excel
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        values: list[object] = list(row)
        if row[1] == "2024-03-05":
            values[1] = datetime(2024, 3, 5, 9, 15)  # a real date cell
        sheet.append(values)
    workbook.save(path)
    return path


def run(path: Path, *extra: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_complaints", str(path), *OPTIONS, *extra, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def verify_audit() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


@pytest.fixture
def workshop_category(db: None) -> Category:
    return Category.objects.create(code="taller", name="Taller")


class TestImportComplaints:
    @pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
    def test_it_imports_closed_cases_with_an_intact_audit_trail(
        self, tmp_path: Path, workshop_category: Category, writer: object
    ) -> None:
        suffix = ".csv" if writer is write_csv else ".xlsx"
        path = writer(tmp_path / f"history{suffix}", ROWS)  # type: ignore[operator]

        printed, progress = run(path)

        assert Complaint.objects.count() == 4
        assert "8 rows read" in printed and "4 imported" in printed and "4 rejected" in printed
        assert "Row 6 rejected: the text is empty." in printed
        assert "Row 7 rejected: unknown kind “rumor”." in printed
        assert "Row 8 rejected: cannot read the date “31/31/2024”." in printed
        assert "Row 9 rejected: the category is empty." in printed
        assert "rows/s" in progress
        assert "New categories: Entrega y transporte, Repuestos." in printed

        chinese = Complaint.objects.get(subject="交车延迟")
        assert chinese.state == State.CLOSED and not chinese.is_open
        assert chinese.kind == "complaint" and chinese.language == "zh-hans"
        assert chinese.category.code == "entrega-y-transporte"
        assert chinese.received_at.date().isoformat() == "2024-05-06"
        estonian = Complaint.objects.get(subject="Vale varuosa")
        assert estonian.kind == "complaint" and estonian.category.code == "repuestos"
        assert Complaint.objects.get(subject="Frenos").category == workshop_category
        assert Complaint.objects.get(subject="Late car").received_at.month == 4  # day first
        assert Message.objects.filter(from_customer=True).count() == 4
        assert list(
            ComplaintEvent.objects.filter(complaint=chinese)
            .order_by("seq")
            .values_list("action", "to_state")
        ) == [("register", "received"), ("close", "closed")]
        assert "Audit trail intact: 4 complaints, 8 events" in verify_audit()

    def test_it_imports_nothing_twice(self, tmp_path: Path, workshop_category: Category) -> None:
        path = write_csv(tmp_path / "history.csv", ROWS, delimiter=",")
        run(path)
        printed, _progress = run(path)
        assert "0 imported, 4 already imported" in printed
        assert Complaint.objects.count() == 4
        assert IntakeKey.objects.filter(source="import").count() == 4

    def test_it_keys_rows_by_their_content_without_an_id_column(
        self, tmp_path: Path, workshop_category: Category
    ) -> None:
        rows = [["", *row[1:]] for row in ROWS[:2]]
        path = write_csv(tmp_path / "history.csv", [*rows, rows[0]], delimiter="\t")
        printed, _progress = run(path, "--id-column=Radicado", "--channel=email")
        assert "2 imported, 1 already imported" in printed
        keys = IntakeKey.objects.values_list("key", flat=True)
        assert all(key.startswith("sha256:") for key in keys)
        assert set(Complaint.objects.values_list("channel", flat=True)) == {"email"}
        printed, _progress = run(path, "--id-column=Radicado")
        assert "0 imported, 3 already imported" in printed

    def test_it_imports_many_rows_in_batches(
        self, tmp_path: Path, workshop_category: Category
    ) -> None:
        rows = [
            [
                f"B-{i}",
                "2024-01-02",
                f"Caso {i}",
                f"El taller demoró el caso {i}.",
                "Taller",
                "queja",
                "es",
            ]
            for i in range(1200)
        ]
        path = write_csv(tmp_path / "many.csv", rows)
        printed, _progress = run(path, "--batch-size=500")
        assert "1200 imported" in printed
        assert "Audit trail intact: 1,200 complaints, 2,400 events" in verify_audit()

    def test_it_refuses_a_column_the_file_does_not_have(
        self, tmp_path: Path, workshop_category: Category
    ) -> None:
        path = write_csv(tmp_path / "history.csv", ROWS)
        with pytest.raises(CommandError, match="Column\\(s\\) not in the file: Severidad"):
            run(path, "--severity-column=Severidad")
