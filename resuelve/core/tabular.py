"""Reading spreadsheets people export: CSV (any common delimiter, UTF-8 with or without a
BOM) and XLSX (the first sheet, streamed). Shared by every importer. Pure: no database."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

Rows = Iterator[tuple[int, dict[str, Any]]]


def read_rows(path: Path) -> tuple[list[str], Rows]:
    """The header and the rows (numbered as a spreadsheet shows them: the header is row 1)
    of a CSV file (any common delimiter, UTF-8 with or without BOM) or an XLSX workbook's
    first sheet (streamed, not loaded whole). Blank rows are skipped. An empty file gives
    an empty header."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    return _read_csv(path)


def cell_text(row: dict[str, Any], column: str) -> str:
    """A cell as trimmed text ("" when the column is not asked for or the cell is empty);
    spreadsheets' whole floats (1.0) read as whole numbers."""
    if not column:
        return ""
    value = row.get(column)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_csv(path: Path) -> tuple[list[str], Rows]:
    handle = path.open(encoding="utf-8-sig", newline="")
    sample = handle.read(64 * 1024)
    handle.seek(0)
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(handle, dialect)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        handle.close()
        return [], iter(())

    def rows() -> Rows:
        with handle:
            for number, values in enumerate(reader, start=2):
                if not any(v.strip() for v in values):
                    continue
                yield number, dict(zip(header, values, strict=False))

    return header, rows()


def _read_xlsx(path: Path) -> tuple[list[str], Rows]:
    # openpyxl reads the workbook's parts (shared strings, which styles are dates, where
    # the first sheet is); the sheet's cells are read by _sheet_rows, a lean pass over the
    # XML giving the values openpyxl's read-only rows give, at several times their speed.
    # (openpyxl's load_workbook would also read a sheet without a <dimension> whole, once
    # more, to size it.)
    workbook, archive, strings, sheet_path = _open_workbook(path)
    found = _sheet_rows(workbook, archive, strings, sheet_path)
    try:
        _header_number, first = next(found)
    except StopIteration:
        archive.close()
        return [], iter(())
    header = ["" if v is None else str(v).strip() for v in first]

    def rows() -> Rows:
        try:
            for number, values in found:
                if all(v is None or str(v).strip() == "" for v in values):
                    continue
                yield number, dict(zip(header, values, strict=False))
        finally:
            archive.close()

    return header, rows()


def _open_workbook(path: Path) -> tuple[Any, Any, list[Any], str]:
    """openpyxl's workbook (styles, epoch), its zip archive, its shared strings and the
    path of its first worksheet, read the way load_workbook reads them (openpyxl 3.1)."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    reader = ExcelReader(str(path), read_only=True, data_only=True)
    try:
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        for _sheet, rel in reader.parser.find_sheets():
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type:
                return reader.wb, reader.archive, reader.shared_strings, rel.target
    except Exception:
        reader.archive.close()
        raise
    reader.archive.close()
    raise ValueError("the workbook has no worksheet")


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _TEXT = f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}v", f"{_MAIN}t"


def _sheet_rows(
    workbook: Any, archive: Any, strings: list[Any], sheet_path: str
) -> Iterator[tuple[int, list[Any]]]:
    """(row number, values by column) for each row the sheet stores, the values typed as
    openpyxl types them: shared and inline strings, numbers (int when whole in the file),
    booleans, and dates and times where the cell's style is a date format."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import column_index_from_string
    from openpyxl.utils.datetime import from_excel, from_ISO8601

    dates = workbook._date_formats
    durations = workbook._timedelta_formats
    epoch = workbook.epoch
    columns: dict[str, int] = {}
    number = 0
    with archive.open(sheet_path) as source:
        for _event, element in iterparse(source):
            if element.tag != _ROW:
                continue
            given = element.get("r")
            number = int(given) if given else number + 1
            values: list[Any] = []
            for cell in element.iter(_CELL):
                ref = cell.get("r")
                if ref:
                    letters = ref.rstrip("0123456789")
                    column = columns.get(letters)
                    if column is None:
                        column = columns[letters] = column_index_from_string(letters)
                else:
                    column = len(values) + 1
                kind = cell.get("t", "n")
                value: Any = None
                if kind == "inlineStr":
                    value = "".join(t.text or "" for t in cell.iter(_TEXT))
                else:
                    raw = cell.findtext(_VALUE)
                    if raw:
                        if kind == "n":
                            value = (
                                float(raw) if ("." in raw or "e" in raw or "E" in raw) else int(raw)
                            )
                            style = cell.get("s")
                            if style and int(style) in dates:
                                value = from_excel(value, epoch, timedelta=int(style) in durations)
                        elif kind == "s":
                            value = strings[int(raw)]
                        elif kind == "b":
                            value = bool(int(raw))
                        elif kind == "d":
                            value = from_ISO8601(raw)
                        else:
                            value = raw
                if column > len(values) + 1:
                    values.extend([None] * (column - 1 - len(values)))
                values.append(value)
            element.clear()
            yield number, values
