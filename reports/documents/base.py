"""What every document shares: the print font, the Thai-digit setting, PDF through WeasyPrint (with the
text-layer fix) from a print template, and a workbook from the same gathered rows through the foundation's
workbook base (``ita_tracker.xlsx``: Thai font, print setup, BE dates, text never a formula)."""

from __future__ import annotations

import base64
import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from ita_tracker.thai import break_points, digit_style, format_number
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


def fitted_widths(chars: dict[str, int], minimums: dict[str, float], *, strict: bool = False) -> dict[str, str]:
    """Column widths (per cent) fitted to what the columns hold: a share growing with the column's text,
    never below a readable minimum. Equal widths left satengnok's plan at 8 pages, page 1 mostly blank.
    ``strict``: the minimums hold after the widths are brought back to 100 (a column sized so that its
    header does not break inside a word, ``unbroken_share``), as far as they fit together."""
    weights = {key: max(count, 1) ** 0.7 for key, count in chars.items()}
    total = sum(weights.values())
    widths = {key: max(minimums.get(key, 8), 100 * weight / total) for key, weight in weights.items()}
    if strict and sum(minimums.get(key, 8) for key in widths) < 100:
        held: set = set()  # columns held at their minimum; the others share what is left, in proportion
        while True:
            free = sum(weight for key, weight in weights.items() if key not in held)
            room = 100 - sum(minimums.get(key, 8) for key in held)
            widths = {key: minimums.get(key, 8) if key in held else room * w / free for key, w in weights.items()}
            short = {key for key in weights if key not in held and widths[key] < minimums.get(key, 8)}
            if not short:  # never all held: the minimums leave room, so some column gets more than its own
                break
            held |= short
    scale = 100 / sum(widths.values())
    return {key: f"{width * scale:.1f}%" for key, width in widths.items()}


# Width of the tables' 14-pt text: a letter is about 5.3 pt (5.6 in the bold header), a mark above or below
# takes none (measured with pdftotext -bbox on the results report); a cell adds 3 pt of padding each side,
# and a little for the borders and rounding.
LETTER_PT = 5.6
CELL_PADDING_PT = 11
TABLE_PT = {"landscape": 700, "portrait": 453}  # A4 less the 3 cm and 2 cm margins
# A word longer than this breaks wherever it must (a header such as "สรุปผลการดำเนินงานตามมาตรการ/"):
# a column wide enough to hold it would starve the others.
UNBROKEN_LETTERS = 18


# Characters narrower than a letter: a full stop or comma about 0.4 of one, a space half.
NARROW = {".": 0.4, ",": 0.4, " ": 0.5}
# A digit is wider than a letter: Laksaman's Thai digits advance 0.675 em against about 0.59 for a consonant
# (its Arabic ones 0.544). Counted as Thai (a document's digits are made Thai after it is measured), so that
# "ต.ค. ๖๕ – มี.ค. ๖๖" fits its column: counted at 1, seed 003's period ran over into the owner's.
DIGIT = 1.15


def letters(text: str) -> float:
    """Letters that take width: Thai vowels and tone marks above or below a letter take none."""
    return sum(
        DIGIT if ch.isdecimal() else NARROW.get(ch, 1)
        for ch in str(text)
        if not unicodedata.category(ch).startswith("M")
    )


# Words the line breaker would cut in two (ผู้|รับผิดชอบ, ดำเนิน|การ) that a header keeps whole.
WHOLE_WORDS = ("ผู้รับผิดชอบ", "ดำเนินการ", "ดำเนินงาน", "งบประมาณ", "กิจกรรม", "ระยะเวลา", "ความสำเร็จ", "ติดตาม")


def header_words(header: str) -> list[list[str]]:
    """A header's words, each cut where a line may break but never inside one of ``WHOLE_WORDS``: left to
    the line breaker "ผู้รับผิดชอบ" came out "ผู้ / รับผิดชอบ", "ระยะเวลาดำเนินการ" "ระยะเวลาดำเนิน / การ"."""
    out = []
    for word in str(header).split():
        inside = {i for w in WHOLE_WORDS for m in re.finditer(w, word) for i in range(m.start() + 1, m.end())}
        cuts = [0, *(i for i in break_points(word) if i not in inside), len(word)]
        out.append([word[a:b] for a, b in itertools.pairwise(cuts)])
    return out


def two_lines(word: str) -> str:
    """The longer half of ``word`` cut where a line may break so that it takes two lines at most: an
    owner's "สำนักปลัดเทศบาล" may print "สำนักปลัด / เทศบาล", not "สำนัก / ปลัด / เทศบาล"."""
    cuts = break_points(word)
    if not cuts:
        return word
    return min((max(word[:i], word[i:], key=letters) for i in cuts), key=letters)


def unbroken_share(header: str, words=(), orientation: str = "landscape", size_pt: float = 14) -> float:
    """The share (per cent) of the table's width a column needs so that neither its header's pieces
    (``header_words``) nor ``words`` (those of up to ``UNBROKEN_LETTERS`` letters) break inside: for a
    fitted width's minimum. ``size_pt``: the table's text size (the results report's is the 16-pt body's)."""
    words = [piece for pieces in header_words(header) for piece in pieces] + list(words)
    widest = max((letters(w) for w in words if letters(w) <= UNBROKEN_LETTERS), default=0)
    return 100 * (widest * LETTER_PT * size_pt / 14 + CELL_PADDING_PT) / TABLE_PT[orientation]


# ---------------------------------------------------------------- the document


class Document:
    """Subclasses set ``template`` (the print template) and ``slug``, implement ``gather()`` (all queries,
    once) and ``sheets()``; ``context()`` adds what the template needs."""

    template: str = ""
    slug: str = "document"
    # Tables whose rows may run over a page: laid out again until no row leaves a stub (reports.pdfrows).
    split_rows: bool = False

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
        from reports import pdfrows, pdftext

        html = self.render_html()
        return pdfrows.render_pdf(html) if self.split_rows else pdftext.render_pdf(html)

    def render_xlsx(self) -> bytes:
        self.ensure()
        # The text the sheets build (step numbers, "ขั้นตอนที่ ๔–๕", a computed total) in the agency's digits
        # through ``local_digits``, as the PDF's; the numbers and dates through their number formats.
        with translation.override("th"), digit_style(self.digits):
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
