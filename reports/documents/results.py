from __future__ import annotations

from datetime import date

from django.utils import timezone

from ita_tracker.thai import format_date, format_period, local_digits
from ita_tracker.xlsx import Sheet
from measures.models import MeasurePlan, Status
from measures.selectors import plan_state_as_of
from reports.documents.base import (
    Document,
    header_words,
    official_total,
    total_note,
    two_lines,
    unbroken_share,
)
from reports.texts import DocumentText, Texts, texts_for


def data_date(states, asked: date) -> date:
    """The day the data is as of: the latest progress report among ``states`` (the workbook's "ข้อมูล ณ วันที่"
    column), not the day asked for. Asked for the fiscal-year end, บางปู 2564's report printed "ณ วันที่ ๓๐
    กันยายน ๒๕๖๔" over reports of April and August, a date after the memo that sent it. The state on that day
    is the state on the day asked for: no report falls between them. With no report at all, the day asked
    for, never a day still to come."""
    reported = [s.update.reported_on for s in states if s.update]
    return max(reported) if reported else min(asked, timezone.localdate())


RESULTS_DEFAULTS = {
    # Each measure's first line: numbered by default; seed 003 gives the titles alone ("{title}"). One measure's
    # line may be worded on its own ("measure_<n>_title"): seed 001 numbers its first four measures (๑.–๔.)
    # and prints the other six unnumbered, a choice of the agency's that no rule of ours would reproduce.
    "measure_title": "{number}. {title}",
    "title": "การดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน\nประจำปีงบประมาณ พ.ศ. {year}",
    "subtitle": "{agency} {location}",
    "lead": "ตามที่{agency} ได้กำหนด{plan_title}{assessment_phrase} โดยได้ดำเนินการขับเคลื่อนมาตรการดังกล่าว "
    "ผลการดำเนินการ ณ วันที่ {as_of} มีดังต่อไปนี้",
}


# The columns' keys: an agency may word each header itself (DocumentText "header_<key>").
RESULTS_COLUMNS = ("measure", "steps", "period", "owner", "summary", "outcome")
# "status" is worded by "header_status", which the memo's progress table shares (reports.wording).

# Widths (per cent) of the short columns; the text columns share the rest by weight. Both results seeds are
# A4 landscape tables at the 16-pt body size whose text columns are about equally wide, the measure's a
# little narrower and the summary's a little wider: seed 001's (3 columns) wrap as ours do at 30, 36.7 and
# 33.3 % (its measure ๙, line for line: "๓. การรายงานผลการประเมินความเสี่ยงการทุจริตและ / ประพฤติมิชอบ…"),
# seed 003's four text columns at 4 to 4.5 cm beside a narrow period and owner column. Widths fitted to
# each column's text gave seed 001's measure column a sixth of the width and its report 5 pages for 8.
# A report made before anything is reported (bangpu's progress columns, satengnok's whole year) keeps its
# empty summary and outcome columns narrow: at a third each they squeezed the measures into a sixth of the
# page and doubled the pages.
# A column with nothing on any row is not printed (ResultsDocument.columns); the short ones are never narrower
# than their header's pieces, a period or an owner's name in two lines (``minimums``).
NARROW_COLUMNS = {"period": 11.0, "owner": 9.0, "status": 11.0}
TEXT_WEIGHTS = {"measure": 0.9, "steps": 1.0, "summary": 1.1, "outcome": 1.0}


def results_widths(shown: dict[str, int], minimums: dict[str, float]) -> dict[str, str]:
    """Widths of the columns ``shown``, in per cent: the short columns at their width (or their minimum), the
    text columns sharing the rest by weight."""
    fixed = {key: max(NARROW_COLUMNS[key], minimums.get(key, 0)) for key in shown if key in NARROW_COLUMNS}
    weights = {key: TEXT_WEIGHTS.get(key, 1.0) for key in shown if key not in fixed}
    unit = (100 - sum(fixed.values())) / sum(weights.values()) if weights else 0
    return {key: f"{fixed[key] if key in fixed else weights[key] * unit:.1f}%" for key in shown}


# A row that fits on a page is kept whole, as seed 001 keeps its measures (its measure ๕, about 15 lines,
# moves to a new page rather than split); a taller one runs over where it falls (satengnok's measures of up
# to 40 lines, moved to a new page first, left half of every other page blank). A landscape page holds
# about 20 lines of the 16-pt table under its header. Lines are estimated from the text: about 5.5 letters
# (code points, marks included) a centimetre of column at 16 pt, over the 24.7 cm of a landscape A4 line;
# the estimate runs a little high (seed 001's measure ๕ counts 19 for the 15 or 16 it takes).
LONG_ROW_LINES = 20
LETTERS_PER_CM = 5.5
TABLE_CM = 24.7


def estimated_lines(paragraphs, width: str) -> int:
    per_line = max(1, int((float(width.rstrip("%")) / 100 * TABLE_CM - 0.2) * LETTERS_PER_CM))
    return sum(-(-len(p) // per_line) for p in paragraphs if p.strip())


def measure_title(texts: Texts, measure) -> str:
    """A measure's first line in the report: the agency's wording of that measure's line where it has one
    ("measure_5_title"), else its wording of every measure's ("measure_title")."""
    own = f"measure_{measure.number}_title"
    return texts.get(own if texts.has(own) else "measure_title", number=measure.number, title=measure.title)


class ResultsDocument(Document):
    """The results report (seeds 001 and 003): each measure, what was done, and its outcome, as of a day
    (the end of the fiscal year by default), computed from the progress history and dated by its latest
    report (``data_date``). Only columns that hold
    something are printed: seed 001 has no period or owner column, seed 003 has the steps column."""

    template = "reports/pdf/results.html"
    split_rows = True

    def __init__(self, plan: MeasurePlan, as_of: date | None = None):
        super().__init__()
        self.plan = plan
        self.as_of = as_of or plan.period[1]

    @property
    def agency(self):
        return self.plan.agency

    @property
    def slug(self) -> str:
        return f"results-{self.plan.agency.code}-{self.plan.fiscal_year}"

    def gather(self) -> None:
        self.plan = MeasurePlan.objects.select_related("agency", "assessment__edition").get(pk=self.plan.pk)
        self.states = plan_state_as_of(self.plan, self.as_of)
        self.as_of = data_date(self.states, self.as_of)
        self.stored_texts = texts_for(self.plan.agency, self.plan.fiscal_year, DocumentText.Document.RESULTS)

    def texts(self) -> Texts:
        plan, a = self.plan, self.plan.assessment
        official = official_total(a)
        phrase = ""
        if a is not None and official.total is not None:
            note = f" {total_note(official, 'arabic')}" if official.differs else ""
            phrase = (
                f" ตามผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ ประจำปีงบประมาณ พ.ศ. "
                f"{a.edition.fiscal_year} ซึ่งได้ {official.total:.2f} คะแนน{note}"
            )
        values = {
            "agency": plan.agency.name,
            "location": plan.agency.full_location,
            "year": plan.fiscal_year,
            "plan_title": plan.title,
            "assessment_phrase": phrase,
            "as_of": format_date(self.as_of, "long", digits="arabic"),
        }
        defaults = dict(RESULTS_DEFAULTS)
        if plan.introduction.strip():
            defaults["lead"] = plan.introduction  # the agency's own lead paragraph (seeds 001 and 003)
        return Texts(self.stored_texts, defaults, values)

    def name(self) -> str:
        """The report's name as a memo lists it under สิ่งที่ส่งมาด้วย, in the words its first page prints:
        the cover's lines above the agency's name (seed 003: "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและ
        ความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๗"), else its title, called a report
        (รายงานผล…) when the title does not say so itself."""
        self.ensure()
        texts = self.texts()
        lines = texts["cover"].splitlines()
        if lines:
            agency = self.plan.agency.name
            lines = lines[: next((i for i, line in enumerate(lines) if agency in line and i), len(lines))]
            return " ".join(" ".join(lines).split())
        title = " ".join(texts["title"].split())
        return title if title.startswith("รายงาน") else f"รายงานผล{title}"

    def columns(self) -> list[dict]:
        """Seed 003's columns, less those that would be blank or say nothing (seed 001 has three): a column
        with nothing on any row is left out and the others widen (บางปู's and สะเตงนอก's summaries are
        empty: two columns of "-"). A status column stands in when the summary is absent or a measure is not
        done, so that what became of each measure is read in a column, not in a small "(…)"."""
        start, end = self.plan.period
        measures = [s.measure for s in self.states]
        texts = self.texts()
        headers = {
            "measure": "มาตรการ/กิจกรรม",
            "steps": "ขั้นตอนและวิธีการปฏิบัติ",
            "period": "ระยะเวลา",
            "owner": "ผู้รับผิดชอบ",
            "status": "ผลการดำเนินการ",
            "summary": "สรุปผลการดำเนินงานตามมาตรการ/กิจกรรม",
            "outcome": "ผลลัพธ์/ความสำเร็จของการดำเนินการ",
        }
        # The agency's own headers where it wrote them (seed 003: "สรุปผลการดำเนินการตามมาตรการหรือกิจกรรม").
        headers = {key: texts.get(f"header_{key}") or header for key, header in headers.items()}
        periods = [self.period_text(m) for m in measures]
        chars = {
            "measure": sum(len(m.title) + len(m.description) for m in measures),
            "steps": sum(len(step.title) + 3 for m in measures for step in m.steps.all()),
            # A period equal to the whole fiscal year for every measure says nothing the title does not.
            "period": sum(len(p) for p in periods) if any((m.starts, m.ends) != (start, end) for m in measures) else 0,
            "owner": sum(len(m.responsible_label) for m in measures),
            "status": sum(len(self.status_text(s)) for s in self.states),
            "summary": sum(len(s.summary) for s in self.states),
            "outcome": sum(len(s.outcome) for s in self.states),
        }
        if chars["summary"] and all(s.status == Status.DONE for s in self.states):
            chars["status"] = 0  # seed 001: every measure done, and the summary says what was done
        shown = {key: count for key, count in chars.items() if count or key == "measure"}
        # No column so narrow that its header or a short word of its cells breaks inside a word, nor a period.
        words = {
            "owner": [two_lines(w) for m in measures for w in m.responsible_label.split()],
            "period": periods,
            "status": [piece for s in self.states for word in header_words(s.status_label) for piece in word],
        }
        minimums = {
            key: max(
                {"measure": 16, "steps": 16, "summary": 16, "outcome": 16}.get(key, 6),
                unbroken_share(headers[key], words.get(key, []), size_pt=16),
            )
            for key in shown
        }
        widths = results_widths(shown, minimums)
        return [{"key": key, "header": headers[key], "width": widths[key]} for key in shown]

    def period_text(self, measure) -> str:
        start, end = self.plan.period
        if (measure.starts, measure.ends) == (start, end):
            return f"ตลอดปีงบประมาณ พ.ศ. {self.plan.fiscal_year}"
        return format_period(measure.starts, measure.ends)

    @staticmethod
    def status_text(state) -> str:
        if state.status == Status.IN_PROGRESS:
            return f"{state.status_label} ร้อยละ {state.percent}"
        return str(state.status_label)

    def row_is_long(self, state, columns: list[dict]) -> bool:
        m = state.measure
        paragraphs = {
            "measure": [m.title, *m.description.splitlines()],
            "steps": [step.title for step in m.steps.all()],
            "owner": [m.responsible_label],
            "summary": state.summary.splitlines(),
            "outcome": state.outcome.splitlines(),
        }
        lines = [estimated_lines(paragraphs.get(c["key"], []), c["width"]) for c in columns]
        return max(lines, default=0) > LONG_ROW_LINES

    def context(self) -> dict:
        texts = self.texts()
        columns = self.columns()
        return {
            "plan": self.plan,
            "states": self.states,
            # Each measure with its first line as the agency words it ("measure_title", or that measure's own),
            # and whether its row is long enough to run over a page.
            "rows": [(s, measure_title(texts, s.measure), self.row_is_long(s, columns)) for s in self.states],
            "as_of": self.as_of,
            "texts": texts,
            "columns": columns,
            "done": Status.DONE,
            # A measure run over the whole fiscal year says so, as seed 003 prints "ตลอดปีงบประมาณ พ.ศ. ๒๕๖๗".
            "year_start": self.plan.period[0],
            "year_end": self.plan.period[1],
        }

    def sheets(self) -> list[Sheet]:
        as_of = max((s.update.reported_on for s in self.states if s.update), default=None)
        return [
            Sheet(
                title="ผลการดำเนินการ",
                heading=f"รายงานผลการดำเนินการตามมาตรการ ปีงบประมาณ พ.ศ. {self.plan.fiscal_year} "
                f"{self.plan.agency.name}",
                # Said once, not on every row; the latest report of any measure is what the table shows.
                subheading=f"ข้อมูล ณ วันที่ {format_date(as_of, digits='arabic')}" if as_of else "",
                # The seeds' columns and the status; the period as its two BE dates only (not again as text),
                # no percentage (no seed has one): widths that print at 75 % or more fitted to one page wide.
                columns=[
                    ("ลำดับ", "int", 6),
                    ("มาตรการ/กิจกรรม", "text", 24),
                    ("รายละเอียดมาตรการ", "text", 22),
                    ("ขั้นตอนและวิธีการปฏิบัติ", "text", 27),
                    ("วันเริ่ม", "date", 13),
                    ("วันสิ้นสุด", "date", 13),
                    ("ผู้รับผิดชอบ", "text", 14),
                    ("สถานะ", "text", 14),
                    ("สรุปผลการดำเนินงาน", "text", 22),
                    ("ผลลัพธ์/ความสำเร็จ", "text", 22),
                ],
                rows=[
                    [
                        s.measure.number,
                        s.measure.title,
                        s.measure.description,
                        "\n".join(f"{local_digits(step.order)}. {step.title}" for step in s.measure.steps.all()),
                        s.measure.starts,
                        s.measure.ends,
                        s.measure.responsible_label,
                        str(s.status_label),
                        s.summary,
                        s.outcome,
                    ]
                    for s in self.states
                ],
            )
        ]
