"""Writing lists people download: CSV streamed in chunks and XLSX written to a temporary
file, both with flat memory whatever the number of rows. Pure of models: callers pass the
headers and an iterator of row tuples.

Both neutralise spreadsheet formula injection (OWASP "CSV injection"): a text cell that
starts with = + - @ tab or carriage return gets a leading apostrophe, so a customer's
subject such as `=HYPERLINK(...)` is shown as text, never evaluated."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_BYTES = 64 * 1024
BOM = "\ufeff"  # Excel reads a CSV without it in the machine's legacy code page


@dataclass(frozen=True)
class Column:
    """A column of an export: its header as the user reads it and its width in characters
    (XLSX only; CSV has no widths)."""

    header: str
    width: float = 14


def neutralise(text: str) -> str:
    """The text, made inert for a spreadsheet if it would start a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def local_naive(value: datetime, zone: tzinfo | None = None) -> datetime:
    """An aware datetime as the wall-clock time of `zone` (the current time zone by default),
    without tzinfo: spreadsheets have no time zones, and people read their own local time."""
    if timezone.is_aware(value):
        value = timezone.localtime(value, zone)
    return value.replace(tzinfo=None)


def _csv_cell(value: Any, zone: tzinfo) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, datetime):
        return local_naive(value, zone).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    return value  # int, float, Decimal: csv writes str(value), which keeps a Decimal exact


def csv_stream(
    columns: Sequence[Column | str],
    rows: Iterable[Sequence[Any]],
    *,
    chunk_bytes: int = CHUNK_BYTES,
) -> Iterator[bytes]:
    """The CSV as UTF-8 chunks of about `chunk_bytes`: a BOM first (so Excel reads accents
    and Chinese right), CRLF line ends, dates in local time, formulas neutralised."""
    # The time zone is read now: a streamed response is read after the view has returned.
    return _csv_chunks(columns, rows, chunk_bytes, timezone.get_current_timezone())


def _csv_chunks(
    columns: Sequence[Column | str], rows: Iterable[Sequence[Any]], chunk_bytes: int, zone: tzinfo
) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow([neutralise(_header(c)) for c in columns])
    for row in rows:
        writer.writerow([_csv_cell(v, zone) for v in row])
        if buffer.tell() >= chunk_bytes:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    tail = buffer.getvalue()
    if tail:
        yield tail.encode("utf-8")


def xlsx_file(
    columns: Sequence[Column | str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_title: str,
) -> IO[bytes]:
    """The workbook in an anonymous temporary file on disk, positioned at its start (closing
    it deletes it; hand it to a FileResponse). openpyxl's write-only mode keeps one row in
    memory at a time; a zip cannot be streamed while it is written, hence the file.

    The header row is bold and frozen; datetimes are real dates in local time, Decimal and
    numbers are numbers, text is neutralised and stripped of the control characters XML
    cannot carry."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))
    for index, column in enumerate(columns, start=1):
        width = column.width if isinstance(column, Column) else Column("").width
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=_xlsx_text(_header(column)))
        cell.font = bold
        header.append(cell)
    sheet.append(header)

    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row])

    handle = tempfile.TemporaryFile(suffix=".xlsx")  # the response closes it
    try:
        workbook.save(handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle


def _header(column: Column | str) -> str:
    return column.header if isinstance(column, Column) else str(column)


def _sheet_title(title: str) -> str:
    # Excel refuses these characters and titles over 31 characters.
    cleaned = "".join("-" if ch in "[]:*?/\\" else ch for ch in title).strip("'")
    return (cleaned or "Sheet")[:31]


def _xlsx_text(text: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", neutralise(text))


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, str):
        return _xlsx_text(value)
    if isinstance(value, datetime):
        return local_naive(value)
    if isinstance(value, Decimal):
        # openpyxl writes a Decimal as a number; a non-finite one Excel cannot show.
        return value if value.is_finite() else None
    return value
