"""The generic export writers: CSV chunks and XLSX files, read back as a spreadsheet would."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

from django.utils import timezone
from openpyxl import load_workbook

from resuelve.core.export import Column, csv_stream, local_naive, neutralise, xlsx_file

COLUMNS = [Column("Code", 16), Column("Subject", 30), Column("Received"), Column("Amount")]
# 14:00 UTC is 09:00 in Bogotá (the default TIME_ZONE, no daylight saving time).
RECEIVED = datetime(2025, 3, 3, 14, 0, tzinfo=UTC)


def read_csv(chunks: list[bytes]) -> list[list[str]]:
    data = b"".join(chunks)
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_it_neutralises_formula_starts() -> None:
    for text in ["=1+1", "+57 300", "-2", "@SUM(A1)", "\tx", "\rx"]:
        assert neutralise(text) == "'" + text
    for text in ["", "Ana", "1=1", "RS-1", "'quoted"]:
        assert neutralise(text) == text


def test_it_writes_csv_with_bom_crlf_and_local_times() -> None:
    rows = [("RS-1", "Frenos: ¿por qué chirrían?", RECEIVED, Decimal("350000.50"))]
    data = b"".join(csv_stream(COLUMNS, rows))
    assert data.startswith(b"\xef\xbb\xbfCode,Subject,Received,Amount\r\n")
    assert data.endswith(b"\r\n")
    assert read_csv([data]) == [
        ["Code", "Subject", "Received", "Amount"],
        ["RS-1", "Frenos: ¿por qué chirrían?", "2025-03-03 09:00:00", "350000.50"],
    ]


def test_it_round_trips_chinese_and_quotes() -> None:
    rows = [("RS-1", '刹车有异响, "很吵"\nsecond line', date(2025, 3, 1), None)]
    assert read_csv(list(csv_stream(COLUMNS, rows)))[1] == [
        "RS-1",
        '刹车有异响, "很吵"\nsecond line',
        "2025-03-01",
        "",
    ]


def test_it_neutralises_formulas_in_csv_cells_but_not_numbers() -> None:
    rows = [('=HYPERLINK("http://evil")', "@cmd", None, Decimal("-5"))]
    assert read_csv(list(csv_stream(COLUMNS, rows)))[1] == [
        '\'=HYPERLINK("http://evil")',
        "'@cmd",
        "",
        "-5",
    ]


def test_it_streams_csv_in_chunks() -> None:
    rows = ((f"RS-{i:06d}", "x" * 100, RECEIVED, i) for i in range(5000))
    chunks = list(csv_stream(COLUMNS, rows, chunk_bytes=16 * 1024))
    assert len(chunks) > 10
    assert all(len(chunk) < 17 * 1024 for chunk in chunks)
    assert len(read_csv(chunks)) == 5001


def test_it_writes_csv_of_no_rows() -> None:
    assert read_csv(list(csv_stream(["A", "B"], []))) == [["A", "B"]]


def test_it_writes_xlsx_with_real_dates_numbers_and_inert_text() -> None:
    rows = [
        ("RS-1", "=cmd|' /C calc'!A0", RECEIVED, Decimal("350000.50")),
        ("RS-2", "刹车\x07有异响", None, 3),
    ]
    handle = xlsx_file(COLUMNS, rows, sheet_title="Complaints: all [2025]")
    try:
        workbook = load_workbook(handle)
    finally:
        handle.close()
    sheet = workbook.active
    assert sheet.title == "Complaints- all -2025-"
    assert [c.value for c in sheet[1]] == ["Code", "Subject", "Received", "Amount"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == 30
    code, subject, received, amount = sheet[2]
    assert subject.value == "'=cmd|' /C calc'!A0"
    assert subject.data_type == "s"
    assert received.is_date
    assert received.value == datetime(2025, 3, 3, 9, 0)
    assert amount.data_type == "n"
    assert amount.value == 350000.5
    assert sheet["B3"].value == "刹车有异响"  # XML cannot carry the bell character
    assert sheet["C3"].value is None
    assert sheet["D3"].value == 3


def test_it_turns_aware_times_into_local_wall_clock() -> None:
    assert local_naive(RECEIVED) == datetime(2025, 3, 3, 9, 0)
    with timezone.override("Asia/Shanghai"):
        assert local_naive(RECEIVED) == datetime(2025, 3, 3, 22, 0)
    assert local_naive(datetime(2025, 1, 1, 8, 0)) == datetime(2025, 1, 1, 8, 0)


def test_it_keeps_the_time_zone_of_the_call_when_read_later() -> None:
    with timezone.override("Asia/Shanghai"):
        chunks = csv_stream(COLUMNS, [("RS-1", "", RECEIVED, 1)])
    assert read_csv(list(chunks))[1][2] == "2025-03-03 22:00:00"
