"""The Excel workbook base every app writes with: Thai print font, print setup, BE dates, literal text.

Measured against the workbook checklist (LibreOffice Calc and Excel, printed on A4):

- **Thai font** in every cell style: the PDFs' print font (TH Sarabun New when installed, else Laksaman, its
  metric twin drawn 1.5 times larger, so at two thirds of the size), never Calibri.
- **Print setup**: A4, landscape or portrait, margins of 1.5 cm (1 cm for header and footer), fit to one page
  wide (any height), the header row and the label columns repeated on every page, the page number in the footer.
- **Rows as high as their text**: Calc does not grow rows on open, so each row's height is estimated from the
  text and the column widths (a TH Sarabun 16 pt line takes about 20.8 pt).
- **Dates are dates** shown in the Buddhist era: ``[$-107041E]`` is Excel's ``[$-xxyyzzzz]`` locale code with
  xx = 01 Western digits, yy = 07 the Thai Buddhist calendar, zzzz = 041E Thai; an agency that writes Thai digits
  gets xx = 0D (Thai digits), ``[$-D07041E]``, so its workbook's dates read as its PDFs do.
- **Numbers are numbers** in the agency's digits: the Thai-digit prefix without the calendar before a number
  format (``[$-D00041E]0.00``) draws a score, a count or a budget in Thai digits and leaves the value a number
  a clerk can sum. The page number in the footer (``&P``) cannot follow: Excel and Calc print header/footer
  fields in Arabic digits.
- **Readable when fitted**: fitted to one page wide, a sheet prints at printable width ÷ the sum of its column
  widths; below about 75 % TH Sarabun 16 falls under 12 pt (workbooks.md item 2), so text columns are narrowed
  (rows grow instead) until the estimate reaches :data:`MIN_PRINT_SCALE`, where the number columns allow it.
- **Headings span the table**: the title (and a second heading line such as "ข้อมูล ณ วันที่ …", printed once rather
  than on every row) are merged across the table's columns, with rows as high as their wrapped text; a wrapped
  cell does not spill into its neighbours, so an unmerged title in a narrow column A printed a word or two.
- **Text stays text** (issue 11 item 3): a value typed by people that begins with ``=``, ``+``, ``-``, ``@``, tab or
  a line break is written as a string cell, never a formula: openpyxl would otherwise store any string that starts
  with ``=`` as a live formula. Only the totals this module writes itself are formulas, guarded by ``IFERROR``.
- **No empty pages**: a sheet with no rows says so in one line.
- **Ruled tables**: the header, every row and the totals have thin black borders, as the seeds' tables do; Calc
  and Excel print no grid lines of their own.

Workbooks are written in openpyxl's write-only mode, so an 8,000-row national table streams.

API: :class:`Sheet` (a table), :func:`workbook_bytes` / :func:`write_workbook` (sheets to a file),
:func:`text_cell` and :func:`cell` (one cell, text-safe, in the Thai font), :data:`XLSX_CONTENT_TYPE`.
"""

from __future__ import annotations

import functools
import io
import math
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable
from copy import copy
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from ita_tracker.thai import thai_digits as in_thai_digits

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------- the print font (shared with the PDFs)


@dataclass(frozen=True)
class PrintFont:
    """TH Sarabun New when the machine has it; otherwise Laksaman (Debian's fonts-tlwg-laksaman-ttf), which is
    TH Sarabun redrawn 1.5 times larger: at two thirds of the size it lays out the same."""

    family: str
    scale: float

    def pt(self, size: float) -> str:
        return f"{size * self.scale:.3f}pt"


@functools.cache
def print_font() -> PrintFont:
    if shutil.which("fc-list"):
        families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
        if "TH Sarabun New" in families:
            return PrintFont("TH Sarabun New", 1.0)
    return PrintFont("Laksaman", 2 / 3)


BODY_PT = 16  # TH Sarabun points: the size of official Thai documents
LINE_PT = 20.8  # one TH Sarabun 16 pt line
MAX_ROW_LINES = 19  # Excel refuses rows over 409 pt; a TH Sarabun 16 line takes 20.8 pt


@functools.cache
def thai_font(size: float = BODY_PT, *, bold: bool = False) -> Font:
    font = print_font()
    return Font(name=font.family, size=round(size * font.scale, 1), bold=bold)


# ---------------------------------------------------------------- cells

NUMBER_FORMATS = {
    "number": "0.00",
    "money": "#,##0.00",  # baht, with thousands separators
    "int": "0",
    "percent": "0",
    # Thai Buddhist calendar (LCID 041E, calendar 07, Western digits 01): Excel shows "3 พ.ค. 2564" and the cell
    # stays a date.
    "date": "[$-107041E]d mmm yyyy",
}
# The locale prefix of an agency that writes Thai digits, before a number format: Excel's ``[$-xxyyzzzz]`` with
# xx = 0D (Thai digits), yy = 00 (no calendar: a number has none) and zzzz = 041E (Thai); Excel 365 also writes it
# ``[$-th-TH,D00]``, which older Excel and Calc do not read. It changes only the digits the cell is drawn with:
# the value stays a number, so a clerk's SUM still adds it. Not the dates' ``[$-D07041E]``: LibreOffice Calc
# (7.4, checked by converting to PDF) drops a number format whose prefix names a calendar and shows the cell as
# General ("12345.68" for ``0``), while it draws ``[$-D00041E]0.00`` as "๑๒๓๔๕.๖๘"; Calc itself writes that prefix
# when it saves a Thai-digit number (``[NatNum1][$-41E]``) to XLSX.
THAI_DIGITS_PREFIX = "[$-D00041E]"
# Dates in Thai digits (numeral shape 0D) and the Thai Buddhist calendar (07): "๓ พ.ค. ๒๕๖๔".
THAI_DIGIT_DATE = "[$-D07041E]d mmm yyyy"


def number_format(kind: str, *, thai_digits: bool = False) -> str | None:
    """The number format of a ``kind`` of column (``None``: none, the cell shows as it is); for an agency that
    writes Thai digits the same format drawn in Thai digits (``๘๕.๕๐``, ``๑๒,๕๐๐.๐๐``), with the decimal places
    and separators of the Arabic one. ``"General"`` is a number in a column of another kind (a step number in a
    text column)."""
    if kind == "date":
        return THAI_DIGIT_DATE if thai_digits else NUMBER_FORMATS["date"]
    code = NUMBER_FORMATS.get(kind) or ("General" if kind == "General" else None)
    if code is None:
        return None
    if thai_digits:
        return THAI_DIGITS_PREFIX + code
    return None if code == "General" else code


# Every cell of the table (header, rows, totals) ruled in thin black, as the seeds' tables are: Calc and Excel
# print no grid lines unless asked, so a table without borders came out as loose columns of text.
THIN = Side(style="thin", color="000000")
BORDER = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE4F0")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _style(ws, number_format: str | None, font: Font, alignment: Alignment, *, border: bool = False):
    """The style of a cell, built once per workbook and copied: assigning openpyxl style objects to each of the
    200,000 cells of a national table hashes them every time (a 20-fold slowdown)."""
    styles = ws.parent.__dict__.setdefault("_ita_styles", {})
    key = (number_format, id(font), id(alignment), border)
    if key not in styles:
        prototype = WriteOnlyCell(ws)
        prototype.font, prototype.alignment = font, alignment
        if number_format:
            prototype.number_format = number_format
        if border:
            prototype.border = BORDER
        styles[key] = prototype._style
        styles[("keep", id(font), id(alignment))] = (font, alignment)  # ids stay unique while cached
    return copy(styles[key])


def _number_format(ws, kind: str) -> str | None:
    return number_format(kind, thai_digits=getattr(ws, "_ita_thai_digits", False))


def cell(ws, value: Any, *, kind: str = "text", font: Font | None = None, border: bool = False) -> WriteOnlyCell:
    """One cell: strings always as text (never a formula, whatever they begin with), numbers and dates with
    their format, in the Thai font; ``border``: ruled on four sides, as a cell of a table."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)  # Excel has no time zones; the value was already local
    result = WriteOnlyCell(ws, value=value)
    number_format = None
    if isinstance(value, str):
        result.data_type = "s"  # openpyxl makes "=..." a formula; a person's text must stay literal
    elif isinstance(value, date):
        number_format = _number_format(ws, "date")
    elif value is not None and kind in NUMBER_FORMATS:
        number_format = _number_format(ws, kind)
    elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number_format = _number_format(ws, "General")  # a number in a text column: its digits follow too
    result._style = _style(ws, number_format, font or thai_font(), WRAP_TOP if kind == "text" else TOP, border=border)
    return result


def text_cell(ws, value: Any, *, font: Font | None = None, border: bool = False) -> WriteOnlyCell:
    """A cell that is always text (``None`` stays empty)."""
    return cell(ws, None if value is None else str(value), kind="text", font=font, border=border)


def _visible_length(text: str) -> int:
    """Characters that take width: Thai vowel and tone marks above and below sit on their consonant."""
    return sum(1 for ch in text if unicodedata.category(ch) not in ("Mn", "Me", "Cf"))


# Thai characters (marks above and below not counted) a line of TH Sarabun 16 pt, or Laksaman at two thirds,
# holds per width unit of the column (the default font's digit width): measured in LibreOffice Calc 7.4, a
# 39-unit column printed 43 of them a line ("มีแนวทางปฏิบัติเกี่ยวกับการใช้ทรัพย์สินของราชการที่ถูกต้อง"), 1.1 a unit;
# 0.9 leaves room for lines broken at a word's end. At 0.7 rows came out 1.5–2 times as tall as their text
# (บางปู's ten-row results printed on two pages).
CHARS_PER_WIDTH = 0.9


def lines_needed(value: Any, width: float) -> int:
    """Lines a wrapped cell takes in a column ``width`` characters wide (:data:`CHARS_PER_WIDTH`)."""
    if value is None or not isinstance(value, str) or not value:
        return 1
    per_line = max(int(width * CHARS_PER_WIDTH), 1)
    return sum(max(math.ceil(_visible_length(part) / per_line), 1) for part in value.splitlines() or [""])


def lines_of_row(values: Iterable[Any], widths: list[float]) -> int:
    return max((lines_needed(v, w) for v, w in zip(values, widths, strict=False)), default=1)


def row_height(values: Iterable[Any], widths: list[float], lines: int | None = None) -> float:
    lines = lines_of_row(values, widths) if lines is None else lines
    return round(min(lines, MAX_ROW_LINES) * LINE_PT + 4, 1)


# ---------------------------------------------------------------- sheets

A4_PT = (595.3, 841.9)  # portrait width, landscape width
MARGIN_IN = 0.6  # left and right, as set in _print_setup
MIN_PRINT_SCALE = 0.75  # Laksaman 10.7 (TH Sarabun 16) at 75 % prints as TH Sarabun 12
MIN_TEXT_WIDTH = 12  # a text column narrowed to fit stays wide enough for a word or two
TOTAL_LABELS = {"SUM": "รวม", "AVERAGE": "เฉลี่ย"}


def column_points(width: float) -> float:
    """Printed width of a column ``width`` characters wide: Excel draws ``7 × width + 5`` pixels (the default
    font's digit is 7 px) at 96 px an inch."""
    return (width * 7 + 5) * 0.75


def print_scale(widths: Iterable[float], *, landscape: bool = True) -> float:
    """The scale a sheet prints at when fitted to one page wide: printable width ÷ the columns' width (at most
    100 %: a narrow sheet is not enlarged)."""
    printable = A4_PT[1 if landscape else 0] - 2 * MARGIN_IN * 72
    return min(1.0, printable / sum(column_points(w) for w in widths))


@dataclass
class Sheet:
    """One table of a workbook. ``columns``: (header, kind, width) with kind text|number|money|int|date|percent.

    ``heading`` is printed above the table and ``subheading`` on the line below it (what holds for every row,
    e.g. the date the data is as of); ``totals`` maps a column index to ``"SUM"`` or ``"AVERAGE"`` (a guarded
    formula row, labelled รวม or เฉลี่ย as it is); ``label_columns`` are repeated at the left of every printed
    page; ``keep_columns`` are part of the document's form (a seed's status columns) and stay even when empty.
    A column whose blank cell means "not done" (a step, a decision) must stay too: ``keep_columns``, or
    ``drop_empty_columns=False`` for a table of such columns; left out, it would hide that nothing is done."""

    title: str
    columns: list[tuple[str, str, int]]
    rows: Iterable[list] = field(default_factory=list)
    heading: str = ""
    subheading: str = ""
    totals: dict[int, str] = field(default_factory=dict)
    label_columns: int = 1
    landscape: bool = True
    empty_text: str = "ไม่มีข้อมูล"  # "" for a file that must import again as it is
    # Leave out a column with nothing in any row (a clerk prints what is there): only for rows given as a
    # list (a streamed national table keeps its columns), and never for a file that must import again.
    drop_empty_columns: bool = True
    keep_columns: frozenset[int] = frozenset()


def _without_empty_columns(spec: Sheet) -> Sheet:
    if not spec.drop_empty_columns or not spec.empty_text or not isinstance(spec.rows, list | tuple) or not spec.rows:
        return spec
    keep = [
        index
        for index in range(len(spec.columns))
        if index < spec.label_columns
        or index in spec.keep_columns
        or any(row[index] not in (None, "") for row in spec.rows)
    ]
    if len(keep) == len(spec.columns):
        return spec
    where = {old: new for new, old in enumerate(keep)}
    return replace(
        spec,
        columns=[spec.columns[i] for i in keep],
        rows=[[row[i] for i in keep] for row in spec.rows],
        totals={where[i]: function for i, function in spec.totals.items() if i in where},
        drop_empty_columns=False,
        keep_columns=frozenset(where[i] for i in spec.keep_columns if i in where),
    )


def _text_widths(spec: Sheet, target: float, widths: list[float]) -> list[float]:
    """The widths with the text columns scaled in proportion so that the sheet prints at ``target`` when fitted
    to one page wide: narrowed, none below :data:`MIN_TEXT_WIDTH`, or widened (each by at most three times its
    width above that floor).
    Number and date columns keep their width: a narrowed one prints ###."""
    printable = A4_PT[1 if spec.landscape else 0] - 2 * MARGIN_IN * 72
    budget = (printable / target / 0.75 - 5 * len(widths)) / 7  # characters, all columns together
    text = [i for i, (_h, kind, _w) in enumerate(spec.columns) if kind == "text"]
    floor = {i: min(widths[i], MIN_TEXT_WIDTH) for i in text}
    room = budget - sum(w for i, w in enumerate(widths) if i not in floor) - sum(floor.values())
    extra = sum(widths[i] - floor[i] for i in text)
    if not text or extra <= 0:
        return widths
    factor = min(max(room, 0) / extra, 3.0)
    return [math.floor(floor[i] + (w - floor[i]) * factor) if i in floor else w for i, w in enumerate(widths)]


def _fitted(spec: Sheet) -> Sheet:
    """Text column widths that use the printed page. Fitted to one page wide, a sheet wider than the page is
    shrunk and one narrower is not enlarged, so: a sheet that would print below :data:`MIN_PRINT_SCALE` has its
    text columns narrowed until it does not; one narrower than the page has them widened to fill it (columns
    left out for being empty leave their room to the others), and widened further, down to
    :data:`MIN_PRINT_SCALE`, when a row's text needs more lines than a row can hold (Calc and Excel print no more
    of it). The documents size their columns to fit; this keeps any sheet readable."""
    widths = [width for _h, _k, width in spec.columns]
    scale = print_scale(widths, landscape=spec.landscape)
    if scale < MIN_PRINT_SCALE:
        widths = _text_widths(spec, MIN_PRINT_SCALE, widths)
    elif scale >= 0.98:
        widths = _text_widths(spec, 1.0, widths)
    if isinstance(spec.rows, list | tuple) and any(lines_of_row(row, widths) > MAX_ROW_LINES for row in spec.rows):
        widths = _text_widths(spec, MIN_PRINT_SCALE, widths)
    return replace(spec, columns=[(h, k, w) for (h, k, _w), w in zip(spec.columns, widths, strict=True)])


def _print_setup(ws, spec: Sheet, header_row: int) -> None:
    """Must run before the first row: a write-only sheet streams its XML."""
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    if spec.label_columns:
        ws.print_title_cols = f"A:{get_column_letter(spec.label_columns)}"
    ws.page_setup.orientation = "landscape" if spec.landscape else "portrait"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages high as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=MARGIN_IN, right=MARGIN_IN, top=0.6, bottom=0.7, header=0.4, footer=0.4)
    ws.print_options.horizontalCentered = True
    # &P and &N are fields Excel and Calc fill in when printing, always in Arabic digits: no header/footer code
    # draws them in Thai digits (the number formats' [$-D00041E] does not reach them), so they stay fields rather
    # than a page count fixed when the file is written. Our own text around them follows the agency's digits.
    footer = footer_text("หน้า &P / &N", thai_digits=getattr(ws, "_ita_thai_digits", False))
    ws.oddFooter.center.text = footer
    ws.oddFooter.center.font = print_font().family
    ws.evenFooter.center.text = footer


def footer_text(text: str, *, thai_digits: bool = False) -> str:
    """Header/footer text in the agency's digits, its ``&``-codes (``&P``, ``&N``, ``&14`` a font size, ...)
    untouched: they are Excel's, and a size in Thai digits would not be read."""
    if not thai_digits:
        return text
    return "".join(part if part.startswith("&") else in_thai_digits(part) for part in _FOOTER_CODES.split(text))


_FOOTER_CODES = re.compile(r'(&(?:\d+|"[^"]*"|[A-Za-z&+\-]))')


HEADING_ALIGNMENT = Alignment(wrap_text=True, vertical="center")


def _spanning_line(ws, row: int, text: str, widths: list[float], font: Font, size: float) -> list:
    """A line of text merged across the table's columns (a wrapped cell never spills into the next one), its
    row as high as the text wraps across that width."""
    if len(widths) > 1:
        ws.merged_cells.add(f"A{row}:{get_column_letter(len(widths))}{row}")
    lines = lines_needed(text, sum(widths) * BODY_PT / size)
    ws.row_dimensions[row].height = round(min(lines, 18) * LINE_PT * size / BODY_PT + 6, 1)
    c = text_cell(ws, text, font=font)
    c.alignment = HEADING_ALIGNMENT
    return [c]


def _write_sheet(book: Workbook, spec: Sheet, *, thai_digits: bool = False) -> None:
    spec = _fitted(_without_empty_columns(spec))
    ws = book.create_sheet(title=spec.title[:31])
    ws._ita_thai_digits = thai_digits
    widths = [width for _h, _k, width in spec.columns]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    header_row = 3 if spec.heading or spec.subheading else 1
    _print_setup(ws, spec, header_row)
    if header_row == 3:
        # The heading lines in the agency's digits, as its dates (the table's text is kept as typed).
        heading, subheading = (in_thai_digits(t) if thai_digits and t else t for t in (spec.heading, spec.subheading))
        title = BODY_PT + 2
        ws.append(_spanning_line(ws, 1, heading, widths, thai_font(title, bold=True), title))
        ws.append(_spanning_line(ws, 2, subheading, widths, thai_font(), BODY_PT) if subheading else [])
    headers = []
    for header, _kind, _width in spec.columns:
        c = text_cell(ws, header, font=thai_font(bold=True))
        c.fill, c.alignment, c.border = HEADER_FILL, HEADER_ALIGNMENT, BORDER
        headers.append(c)
    ws.row_dimensions[header_row].height = row_height([h for h, _k, _w in spec.columns], widths)
    ws.append(headers)
    line = header_row
    kinds = [kind for _h, kind, _w in spec.columns]
    count = 0
    for values in spec.rows:  # a list, or a generator streaming a large table
        count += 1
        lines = lines_of_row(values, widths)  # once: a national table has 8,000 rows
        # A file that must import again (no empty_text) keeps one row per record, however long.
        long = lines > MAX_ROW_LINES and spec.empty_text
        for part in _continued(values, kinds, widths) if long else [values]:
            line += 1
            ws.row_dimensions[line].height = row_height(part, widths, None if long else lines)
            ws.append([cell(ws, v, kind=k, border=True) for v, k in zip(part, kinds, strict=True)])
    if not count:
        if spec.empty_text:
            ws.append(_spanning_line(ws, header_row + 1, spec.empty_text, widths, thai_font(), BODY_PT))
        return
    if spec.totals:
        _write_totals(ws, spec, header_row + 1, line)


def _continued(values: list, kinds: list[str], widths: list[float]) -> list[list]:
    """A row whose text needs more lines than a row can hold, as that row and continuation rows below it that
    carry the rest of the long texts (the other cells only on the first): Calc and Excel print no more of a
    cell than its row's height, which stops at 409 pt, so the rest of a long text was lost on paper."""
    columns = [
        _text_chunks(v, w) if k == "text" and lines_needed(v, w) > MAX_ROW_LINES else [v]
        for v, k, w in zip(values, kinds, widths, strict=True)
    ]
    return [[c[i] if i < len(c) else None for c in columns] for i in range(max(len(c) for c in columns))]


def _text_chunks(text: str, width: float) -> list[str]:
    """``text`` in pieces of at most :data:`MAX_ROW_LINES` lines each, broken between paragraphs, else between
    words, else (a run with no space) between characters."""
    per_line = max(int(width * 0.7), 1)
    pieces = []
    for paragraph in text.splitlines():
        if lines_needed(paragraph, width) <= MAX_ROW_LINES:
            pieces.append(paragraph)
            continue
        words = []
        for word in paragraph.split(" "):
            words += [word[i : i + per_line] for i in range(0, len(word), per_line)] or [""]
        piece = ""
        for word in words:
            candidate = f"{piece} {word}" if piece else word
            if piece and lines_needed(candidate, width) > MAX_ROW_LINES:
                pieces.append(piece)
                candidate = word
            piece = candidate
        pieces.append(piece)
    chunks = [""]
    for piece in pieces:
        candidate = f"{chunks[-1]}\n{piece}" if chunks[-1] else piece
        if chunks[-1] and lines_needed(candidate, width) > MAX_ROW_LINES:
            chunks.append(piece)
        else:
            chunks[-1] = candidate
    return chunks


def _write_totals(ws, spec: Sheet, first: int, last: int) -> None:
    bold = thai_font(bold=True)
    # Named for what the row holds: a sum is รวม, an average เฉลี่ย (never a published total called an average).
    label = " / ".join(dict.fromkeys(TOTAL_LABELS[function] for function in spec.totals.values()))
    row = [text_cell(ws, label, font=bold, border=True)] + [cell(ws, None, border=True) for _ in spec.columns[1:]]
    for col, function in spec.totals.items():
        letter = get_column_letter(col + 1)
        # IFERROR: an average over a column with no numbers prints empty, never #DIV/0!.
        row[col] = WriteOnlyCell(ws, value=f'=IFERROR({function}({letter}{first}:{letter}{last}),"")')
        row[col].font, row[col].border = bold, BORDER
        row[col].number_format = _number_format(ws, spec.columns[col][1]) or _number_format(ws, "number")
    ws.row_dimensions[last + 1].height = row_height([label], [w for _h, _k, w in spec.columns])
    ws.append(row)


def write_workbook(sheets: list[Sheet], path_or_fh: str | IO[bytes], *, thai_digits: bool = False) -> None:
    """``thai_digits``: the agency writes Thai digits, so its dates, numbers and totals are shown in them through
    their number formats (``[$-D07041E]`` for dates, ``[$-D00041E]`` for numbers): the cells stay dates and
    numbers, so they still sort and sum."""
    book = Workbook(write_only=True)
    for spec in sheets:
        _write_sheet(book, spec, thai_digits=thai_digits)
    book.save(path_or_fh)


def workbook_bytes(sheets: list[Sheet], *, thai_digits: bool = False) -> bytes:
    buffer = io.BytesIO()
    write_workbook(sheets, buffer, thai_digits=thai_digits)
    return buffer.getvalue()
