"""What every document shares: the print font, the Thai-digit setting, PDF through WeasyPrint (with the
text-layer fix) from a print template, and a workbook through openpyxl from the same gathered rows."""

from __future__ import annotations

import base64
import functools
import io
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ita_tracker.thai import digit_style, format_number


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


# Line pitch of TH Sarabun New at each official size (memo-format.md: about 20.8 pt for the 16-pt body).
# These are absolute: Laksaman is drawn 1.5 times larger, so its size shrinks to two thirds, but its lines
# must stay as far apart as TH Sarabun's or pages break elsewhere than on the official form.
LINE_PITCH = 1.3

GARUDA_PRINT = settings.BASE_DIR / "static" / "img" / "garuda" / "garuda-print.png"


@functools.cache
def garuda_data_uri() -> str:
    """The Garuda of the memo form (static/img/garuda/README.md), inlined so the PDF needs no URL; a 600-dpi
    bitmap, which costs nothing to draw (WeasyPrint would parse the SVG's 100 KB path on every memo)."""
    return "data:image/png;base64," + base64.b64encode(GARUDA_PRINT.read_bytes()).decode()


def print_css_context() -> dict:
    font = print_font()
    return {
        "font_family": font.family,
        "pt29": font.pt(29),
        "pt20": font.pt(20),
        "pt16": font.pt(16),
        "pt14": font.pt(14),
        "pt12": font.pt(12),
        "line29": f"{29 * LINE_PITCH:.1f}pt",
        "line20": f"{20 * LINE_PITCH:.1f}pt",
        "line16": f"{16 * LINE_PITCH:.1f}pt",
        "line14": f"{14 * LINE_PITCH:.1f}pt",
        "line12": f"{12 * LINE_PITCH:.1f}pt",
        "garuda_url": garuda_data_uri(),
    }


def fitted_widths(chars: dict[str, int], minimums: dict[str, float]) -> dict[str, str]:
    """Column widths (per cent) fitted to what the columns hold: a share growing with the column's text,
    never below a readable minimum. Equal widths left satengnok's plan at 8 pages, page 1 mostly blank."""
    weights = {key: max(count, 1) ** 0.7 for key, count in chars.items()}
    total = sum(weights.values())
    widths = {key: max(minimums.get(key, 8), 100 * weight / total) for key, weight in weights.items()}
    scale = 100 / sum(widths.values())
    return {key: f"{width * scale:.1f}%" for key, width in widths.items()}


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


# ---------------------------------------------------------------- published totals


ROUNDING = Decimal("0.02")


@dataclass(frozen=True)
class OfficialTotal:
    """The total a document prints: the one NACC published when there is one (it is the official figure),
    else the one computed from the indicator scores. ``computed`` is set only when it differs from the
    published one by more than rounding explains, so the document can say so beside it. The level is the
    published one only: a level the published result does not give is not invented from the computation."""

    total: Decimal | None
    level: str
    published: bool
    computed: Decimal | None = None

    @property
    def differs(self) -> bool:
        return self.computed is not None


def official_total(assessment) -> OfficialTotal:
    if assessment is None:
        return OfficialTotal(None, "", False)
    published, computed = assessment.published_total, assessment.total
    if published is None:
        return OfficialTotal(computed, assessment.level, False)
    differs = computed is not None and abs(computed - published) > ROUNDING
    return OfficialTotal(published, assessment.published_level, True, computed if differs else None)


def total_note(official: OfficialTotal, digits: str = "thai") -> str:
    """ "คะแนนที่คำนวณจากผลรายตัวชี้วัดได้ ๙๐.๓๕ ต่างจากที่ ป.ป.ช. ประกาศ", or "" when they agree."""
    if not official.differs:
        return ""
    figure = format_number(official.computed, 2, digits=digits)
    return f"คะแนนที่คำนวณจากผลรายตัวชี้วัดได้ {figure} ต่างจากที่ ป.ป.ช. ประกาศ"
