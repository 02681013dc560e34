"""What every document shares: the print font, the Thai-digit setting, PDF through WeasyPrint (with the
text-layer fix) from a print template, and a workbook through openpyxl from the same gathered rows."""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ita_tracker.thai import digit_style


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


def print_css_context() -> dict:
    font = print_font()
    return {
        "font_family": font.family,
        "pt29": font.pt(29),
        "pt20": font.pt(20),
        "pt16": font.pt(16),
        "pt14": font.pt(14),
        "pt12": font.pt(12),
        "line16": font.pt(16 * 1.3),
    }


# ---------------------------------------------------------------- Excel


@dataclass
class Sheet:
    """One table of a workbook. ``columns``: (header, kind, width) with kind text|number|int|date|percent."""

    title: str
    columns: list[tuple[str, str, int]]
    rows: Iterable[list] = field(default_factory=list)
    heading: str = ""
    totals: dict[int, str] = field(default_factory=dict)  # column index -> "SUM" | "AVERAGE"


THIN = Side(style="thin", color="999999")
HEADER_FILL = PatternFill("solid", fgColor="DDE4F0")
NUMBER_FORMATS = {
    "number": "0.00",
    "int": "0",
    "percent": "0",
    # Thai Buddhist calendar (LCID 041E, calendar 07): Excel shows "3 พ.ค. 2564" and the cell stays a date.
    "date": "[$-107041E]d mmm yyyy",
}


def workbook_bytes(sheets: list[Sheet]) -> bytes:
    """Cell styles gathered in one place (as Kausal Watch's spreadsheets): bold, filled, frozen headers,
    numbers as numbers, widths that fit Thai text, totals as formulas a clerk can follow.

    Written in openpyxl's write-only mode, so the national table (8,000 rows) streams instead of holding
    every cell object in memory.
    """
    book = Workbook(write_only=True)
    header_font, bold = Font(bold=True), Font(bold=True)
    header_alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
    wrap, top = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
    for spec in sheets:
        ws = book.create_sheet(title=spec.title[:31])
        for col, (_header, _kind, width) in enumerate(spec.columns, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
        header_row = 3 if spec.heading else 1
        # A write-only sheet streams its XML: views and page setup must be set before the first row.
        ws.freeze_panes = f"A{header_row + 1}"
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = "9"  # A4
        if spec.heading:
            title = WriteOnlyCell(ws, value=spec.heading)
            title.font = Font(bold=True, size=14)
            ws.append([title])
            ws.append([])
        headers = []
        for header, _kind, _width in spec.columns:
            cell = WriteOnlyCell(ws, value=header)
            cell.font, cell.fill, cell.alignment, cell.border = header_font, HEADER_FILL, header_alignment, border
            headers.append(cell)
        ws.append(headers)
        formats = [NUMBER_FORMATS.get(kind) for _h, kind, _w in spec.columns]
        alignments = [wrap if kind == "text" else top for _h, kind, _w in spec.columns]
        count = 0
        for values in spec.rows:  # a list, or a generator streaming a large table
            count += 1
            row = []
            for value, number_format, alignment in zip(values, formats, alignments, strict=True):
                cell = WriteOnlyCell(ws, value=value)
                cell.alignment = alignment
                if number_format and value is not None:
                    cell.number_format = number_format
                row.append(cell)
            ws.append(row)
        if spec.totals and count:
            first, last = header_row + 1, header_row + count
            row = [WriteOnlyCell(ws, value="รวม / เฉลี่ย")] + [WriteOnlyCell(ws) for _ in spec.columns[1:]]
            row[0].font = bold
            for col, function in spec.totals.items():
                letter = get_column_letter(col + 1)
                row[col] = WriteOnlyCell(ws, value=f"={function}({letter}{first}:{letter}{last})")
                row[col].font = bold
                row[col].number_format = NUMBER_FORMATS.get(spec.columns[col][1]) or "0.00"
            ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- the document


class Document:
    """Subclasses set ``template`` (the print template) and ``slug``, implement ``gather()`` (all queries,
    once) and ``sheets()``; ``context()`` adds what the template needs."""

    template: str = ""
    slug: str = "document"

    def __init__(self) -> None:
        self._gathered = False

    @property
    def agency(self):
        raise NotImplementedError

    def gather(self) -> None:
        raise NotImplementedError

    def ensure(self) -> None:
        if not self._gathered:
            self.gather()
            self._gathered = True

    def context(self) -> dict:
        return {}

    def sheets(self) -> list[Sheet]:
        raise NotImplementedError

    @property
    def digits(self) -> str:
        return "thai" if self.agency is None or self.agency.use_thai_digits else "arabic"

    def filename(self, extension: str) -> str:
        return f"{self.slug}.{extension}"

    def render_html(self) -> str:
        self.ensure()
        # Documents are Thai whatever the language of the screen that asked for them.
        with translation.override("th"), digit_style(self.digits):
            return render_to_string(self.template, {**print_css_context(), **self.context(), "document": self})

    def render_pdf(self) -> bytes:
        from reports import pdftext

        return pdftext.render_pdf(self.render_html())

    def render_xlsx(self) -> bytes:
        self.ensure()
        with translation.override("th"):
            return workbook_bytes(self.sheets())
