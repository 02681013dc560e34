"""Reading a .csv or .xlsx score file as a table, within bounds whatever the file claims.

A spreadsheet can say anything about itself: a 5 KB workbook may declare the dimension ``A1:XFD1048576``
(16,384 columns, a million rows) with one cell in its last row, and a reader that trusts it pads every
row to 16,384 cells (5 GB for one upload). So the reader here:

* forgets the declared dimension (``reset_dimensions``) and reads the header row only up to
  :data:`MAX_HEADER_COLUMNS` cells;
* reads data rows only as wide as the last column the header names (``max_col``), and keeps only the
  cells of the named columns (the caller says which);
* stops at the first run of :data:`EMPTY_RUN` blank rows (nothing people fill in has a gap that long), and
  refuses more than :data:`MAX_ROWS` rows;
* refuses a workbook whose parts unpack to more than their bounds (a zip bomb) before parsing them.

The rows are read as they stream (openpyxl's read-only mode), so memory follows the columns kept, not the
size the file claims.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

from assessments.transfer.values import blank

MAX_ROWS = 20_000  # a national file has about 8,300; more is a wrong file (or a zip bomb), not data
MAX_HEADER_COLUMNS = 1_000  # the header of a real file has at most ~120 columns (indicators and items)
EMPTY_RUN = 100  # this many blank rows in a row end the table
MAX_SHARED_STRINGS_BYTES = 20 * 1024 * 1024  # the text cells of a national file take about 1 MB
MAX_PART_BYTES = 20 * 1024 * 1024  # styles, workbook and other parts (the sheets are streamed)
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # everything, sheets included


class TableError(ValueError):
    """The file cannot be read as a table at all (wrong type, broken, empty, too big). The message is Thai."""


@dataclass
class Table:
    """A file's header (``header[i]`` is column ``i``, as text) and a way to read its data rows."""

    header: list[str]
    _read: Callable[[int], Iterable[Sequence[Any]]]  # the raw rows after the header, at most this wide
    _close: Callable[[], None] = lambda: None

    def rows(self, positions: Sequence[int]) -> Iterator[list[Any]]:
        """The data rows, each as the cells at ``positions`` (in that order). Row ``i`` is spreadsheet row
        ``i + 2``: blank rows inside the data are kept (as rows of ``None``) so that messages name the row
        people see in Excel; trailing blank rows are not. Raises :class:`TableError` past :data:`MAX_ROWS`."""
        width = max(positions, default=-1) + 1
        pending_blank = 0
        count = 0
        for raw in self._read(width):
            values = [raw[p] if p < len(raw) else None for p in positions]
            if all(blank(value) for value in values):
                pending_blank += 1
                if pending_blank >= EMPTY_RUN:
                    return
                continue
            count += pending_blank + 1
            if count > MAX_ROWS:
                raise TableError(_("ไฟล์มีข้อมูลเกิน %(max)s แถว กรุณาแบ่งเป็นหลายไฟล์") % {"max": f"{MAX_ROWS:,}"})
            for _blank_row in range(pending_blank):
                yield [None] * len(positions)
            pending_blank = 0
            yield values

    def close(self) -> None:
        self._close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def open_table(file_obj: IO, filename: str) -> Table:
    """The table of a .csv or .xlsx file. CSV is read as UTF-8 with or without a BOM (Excel's "CSV UTF-8"),
    then as Windows Thai (cp874: Excel's plain "CSV" on a Thai Windows). Close it (or use ``with``)."""
    name = (filename or "").lower()
    if name.endswith(".csv"):
        table = _csv_table(file_obj)
    elif name.endswith(".xlsx"):
        table = _xlsx_table(file_obj)
    elif name.endswith(".xls"):
        raise TableError(_("ไม่รองรับไฟล์ .xls รุ่นเก่า กรุณาบันทึกเป็น .xlsx หรือ .csv (UTF-8) แล้วนำเข้าอีกครั้ง"))
    else:
        raise TableError(_("รองรับเฉพาะไฟล์ .csv และ .xlsx"))
    if not table.header or all(blank(cell) for cell in table.header):
        table.close()
        raise TableError(_("ไฟล์ว่างเปล่า: แถวแรกต้องเป็นชื่อคอลัมน์"))
    return table


def parse_table(file_obj: IO, filename: str) -> tuple[list[str], list[list[Any]]]:
    """The header and every data row, each row as wide as the header (for tools and tests; the import
    reads through :func:`open_table` and keeps only the columns it knows)."""
    with open_table(file_obj, filename) as table:
        return table.header, list(table.rows(range(len(table.header))))


def _header_text(cells: Iterable[Any]) -> list[str]:
    return ["" if cell is None else str(cell) for cell in cells]


# ---------------------------------------------------------------------------------------------------
# CSV


def _csv_table(file_obj: IO) -> Table:
    raw = file_obj.read()
    if isinstance(raw, str):
        text = raw.lstrip("\ufeff")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("cp874")
            except UnicodeDecodeError:
                raise TableError(_("อ่านไฟล์ CSV ไม่ได้ กรุณาบันทึกเป็น CSV UTF-8")) from None
    del raw
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
    except csv.Error as exc:
        raise TableError(_("อ่านไฟล์ CSV ไม่ได้: %(error)s") % {"error": exc}) from None

    def read(width: int) -> Iterator[list[Any]]:
        try:
            for row in reader:
                yield row[:width]
        except csv.Error as exc:
            raise TableError(_("อ่านไฟล์ CSV ไม่ได้: %(error)s") % {"error": exc}) from None

    return Table(header=_header_text(header[:MAX_HEADER_COLUMNS]), _read=read)


# ---------------------------------------------------------------------------------------------------
# XLSX


def _unreadable() -> TableError:
    return TableError(_("อ่านไฟล์ Excel ไม่ได้ ไฟล์อาจเสียหรือไม่ใช่ไฟล์ .xlsx"))


def _check_unpacked_sizes(file_obj: IO) -> None:
    """Refuse a workbook whose parts would unpack beyond the bounds, before any part is parsed: the sizes
    are in the zip directory, so this reads a few hundred bytes."""
    try:
        with zipfile.ZipFile(file_obj) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _unreadable() from None
    finally:
        file_obj.seek(0)
    too_big = TableError(_("ไฟล์ Excel นี้เมื่อแตกไฟล์แล้วมีขนาดใหญ่ผิดปกติ กรุณาบันทึกเฉพาะตารางคะแนนเป็นไฟล์ใหม่ หรือใช้ไฟล์ .csv"))
    if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise too_big
    for part in parts:
        name = part.filename.lower()
        if name.startswith("xl/worksheets/"):
            continue  # streamed row by row, and cut at MAX_ROWS
        limit = MAX_SHARED_STRINGS_BYTES if name.endswith("sharedstrings.xml") else MAX_PART_BYTES
        if part.file_size > limit:
            raise too_big


def _xlsx_table(file_obj: IO) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not hasattr(file_obj, "seek"):
        file_obj = io.BytesIO(file_obj.read())
    _check_unpacked_sizes(file_obj)
    try:
        workbook = load_workbook(file_obj, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise _unreadable() from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # never trust the declared A1:XFD1048576
        first = sheet.iter_rows(min_row=1, max_row=1, max_col=MAX_HEADER_COLUMNS, values_only=True)
        header = _header_text(next(first, ()))
    except Exception:  # a damaged sheet fails in openpyxl's parser in many ways; all mean the same to people
        workbook.close()
        raise _unreadable() from None

    def read(width: int) -> Iterator[Sequence[Any]]:
        if width <= 0:
            return
        try:
            yield from sheet.iter_rows(min_row=2, max_col=width, values_only=True)
        except TableError:
            raise
        except Exception:
            raise _unreadable() from None

    return Table(header=header, _read=read, _close=workbook.close)
