"""What every document shares: the print font, the Thai-digit setting, PDF through WeasyPrint (with the
text-layer fix) from a print template, and a workbook from the same gathered rows through the foundation's
workbook base (``ita_tracker.xlsx``: Thai font, print setup, BE dates, text never a formula)."""

from __future__ import annotations

import base64
import functools
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from ita_tracker.thai import digit_style, format_number
from ita_tracker.xlsx import Sheet, print_font, workbook_bytes

__all__ = ["Document", "print_css_context", "print_font"]


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
            return workbook_bytes(self.sheets(), thai_digits=self.digits == "thai")


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
