"""The results, plan and O23/O24 PDFs of the seed agency-years as a reader sees them (review of issue 14):
the day the data is as of, no column empty on every row, rows not left as a stub at a page foot, headers
and periods not broken inside a word (the memos' tables' headers too), titles that keep their year, a plan's
own lead. Read with pdftotext."""

import io
import itertools
import re
import shutil
import subprocess

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from agencies.models import Agency
from assessments.models import Assessment
from measures.models import MeasurePlan
from reports.documents import (
    AntiCorruptionPlanDocument,
    AntiCorruptionReportDocument,
    MemoDocument,
    PlanDocument,
    ResultsDocument,
)
from reports.models import ApprovalChain
from reports.services import memo_create, memo_defaults

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed"),
]


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def plan(code: str, year: int) -> MeasurePlan:
    return MeasurePlan.objects.get(agency__code=code, fiscal_year=year)


def pdf_pages(data: bytes, tmp_path, *, layout: bool = False) -> list[str]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout.split("\f")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def words(data: bytes, tmp_path) -> set[str]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return set(re.findall(r"<word [^>]*>([^<]*)</word>", out))


WORD_BOX = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def word_boxes(data: bytes, tmp_path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words with their boxes (x0, y0, x1, y1, text)."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [[(*map(float, box[:4]), box[4]) for box in WORD_BOX.findall(page)] for page in out.split("</page>")]


def header_lines(page: list, header: str) -> list[list[str]]:
    """The ways ``header`` is printed on a page, line by line: from a word that starts it, the words just
    below in the same column that go on with it (a table cell's lines are words of their own in pdftotext)."""
    found = []
    for first in (w for w in page if header.startswith(w[4])):
        lines, last = [first[4]], first
        while "".join(lines) != header:
            below = [
                w
                for w in page
                if 0 < w[1] - last[3] < 12
                and w[0] < last[2]
                and w[2] > last[0]
                and header.startswith("".join(lines) + w[4])
            ]
            if not below:
                break
            last = min(below, key=lambda w: w[1])
            lines.append(last[4])
        if "".join(lines) == header:
            found.append(lines)
    return found


# The memos' table headers, "|" between their words: a header's line may end there, and only there.
MEMO_HEADERS = {
    "progress_6": ["มาตรการ", "ขั้นตอน|หรือ|วิธีการ", "ผู้รับผิดชอบ", "ระยะเวลา|ดำเนินการ", "การกำกับ|ติดตาม",
                   "ยังไม่|ดำเนินการ", "อยู่|ระหว่าง|ดำเนินการ", "ดำเนินการ|เสร็จ|เรียบร้อย|แล้ว"],
    "results": ["มาตรการ/|กิจกรรม", "สถานะ", "สรุปผล|การดำเนินงาน|ตาม|มาตรการ/|กิจกรรม",
                "ผลลัพธ์/|ความสำเร็จ|ของ|การดำเนินการ"],
    "analysis": ["ลำดับ", "ตัวชี้วัด", "คะแนน|ปีก่อน", "เปลี่ยนแปลง", "มาตรการ|ที่|จะ|ใช้"],
}  # fmt: skip
STATUS_HEADERS = {"bangpu": "สถานการณ์|ดำเนินการ", "satengnok": "สถานะ|การดำเนินการ"}  # the agency's wording, or ours


def draft_memo(code: str, year: int, kind: str):
    agency = Agency.objects.get(code=code)
    plan = MeasurePlan.objects.get(agency=agency, fiscal_year=year) if kind != "analysis" else None
    assessment = Assessment.objects.filter(agency=agency).order_by("-pk").first() if kind == "analysis" else None
    fields = memo_defaults(kind=kind, agency=agency, plan=plan, assessment=assessment)
    fields |= {"kind": kind, "plan": plan, "assessment": assessment, "addressee": "นายก"}
    fields |= {"department": agency.departments.first(), "chain": ApprovalChain.objects.filter(agency=agency).first()}
    return memo_create(agency=agency, author=agency.memberships.first().user, fields=fields)


@pytest.mark.parametrize("code, year", [("bangpu", 2564), ("satengnok", 2567)])  # Thai digits, Arabic digits
def test_memo_table_headers_do_not_break_inside_a_word(demo, tmp_path, code, year):
    """Seed 000's memo printed "ระยะเวลาดำเนิน / การ" and "ยังไม่ดำเนิน / การ": a header's lines end only where
    one of its words does, in every kind of memo table (plan and progress, results, analysis)."""
    for kind, headers in MEMO_HEADERS.items():
        headers = [*headers, STATUS_HEADERS[code]] if kind == "progress_6" else headers
        pages = word_boxes(MemoDocument(draft_memo(code, year, kind)).render_pdf(), tmp_path)
        for words_of_header in headers:
            header = words_of_header.replace("|", "")
            word_ends = set(itertools.accumulate(len(word) for word in words_of_header.split("|")))
            printed = [lines for page in pages for lines in header_lines(page, header)]
            assert printed, (kind, header)  # found, on one line or on several
            for lines in printed:
                line_ends = itertools.accumulate(len(line) for line in lines)
                assert set(line_ends) <= word_ends, (kind, header, lines)


def test_results_and_o24_are_dated_by_their_latest_report(demo, tmp_path):
    text = squash("".join(pdf_pages(ResultsDocument(plan("bangpu", 2564)).render_pdf(), tmp_path)))
    # บางปู's last report is of 31 August 2564; the fiscal year ends on 30 September.
    assert "ณวันที่๓๑สิงหาคม๒๕๖๔" in text and "๓๐กันยายน" not in text
    satengnok = plan("satengnok", 2567)
    text = squash("".join(pdf_pages(ResultsDocument(satengnok).render_pdf(), tmp_path)))
    assert "ณวันที่31มีนาคม2567" in text and "30กันยายน" not in text
    o24 = AntiCorruptionReportDocument(satengnok)
    assert "ข้อมูลณวันที่31มีนาคม2567" in squash("".join(pdf_pages(o24.render_pdf(), tmp_path)))
    sheet = load_workbook(io.BytesIO(o24.render_xlsx())).worksheets[0]
    heading = f"{sheet['A1'].value} {sheet['A2'].value}"  # the title, then "ข้อมูล ณ วันที่ …" under it
    assert "31 มี.ค. 2567" in heading or "31 มีนาคม 2567" in heading  # the workbook says the same day


def test_results_leave_out_empty_columns_and_print_the_status_in_a_column(demo, tmp_path):
    text = squash("".join(pdf_pages(ResultsDocument(plan("bangpu", 2564)).render_pdf(), tmp_path)))
    assert "สรุปผลการดำเนินงาน" not in text and "ผลลัพธ์/ความสำเร็จ" not in text  # "-" on every row before
    assert "สถานการณ์ดำเนินการ" in text  # the agency's own status header (seed 000)
    # A status wraps in its column ("ดำเนินการเสร็จ / เรียบร้อยแล้ว") and pdftotext may read a neighbour's line
    # between the two: count its last word.
    assert text.count("เรียบร้อยแล้ว") == 9 and "(อยู่ระหว่าง" not in text
    # ช่อระกา: every measure done and described: seed 001's three columns, no status column.
    text = squash("".join(pdf_pages(ResultsDocument(plan("chorakha", 2566)).render_pdf(), tmp_path)))
    assert "สถานะ" not in text and "สรุปผลการดำเนินงาน" in text


def test_a_measure_starts_on_the_page_of_its_first_step(demo, tmp_path):
    chorakha = plan("chorakha", 2566)
    pages = [squash(page) for page in pdf_pages(ResultsDocument(chorakha).render_pdf(), tmp_path)]
    previous = 0
    for measure in chorakha.measures.order_by("number"):
        first_line = squash(measure.title)[:10]  # numbered "๑." to "๔." only, as seed 001 prints them
        step = squash(measure.updates.get().summary.splitlines()[0])[:20]
        # Its page: the first, from the previous measure's on, that prints its title (a few words of a title
        # may also stand in another measure's text earlier).
        starts = [n for n in range(previous, len(pages)) if first_line in pages[n]]
        assert starts and step in pages[starts[0]], measure.number
        previous = starts[0]


def test_headers_owners_and_periods_do_not_break_inside_a_word(demo, tmp_path):
    data = ResultsDocument(plan("nongsamet", 2567)).render_pdf()
    found = words(data, tmp_path)
    assert "ผู้รับผิดชอบ" in found and "ผู้" not in found  # was "ผู้ / รับผิดชอบ"
    assert any("ต.ค. ๖๕ – มี.ค. ๖๖" in line for line in "\n".join(pdf_pages(data, tmp_path, layout=True)).splitlines())
    # ... and inside its column: the period ran over the border into the owner's "ทุกกอง" (pdftotext read the
    # two as one word "๖๖ทุกกอง"); the cells' padding leaves at least 6 pt between them.
    boxes = [box for page in word_boxes(data, tmp_path) for box in page]
    owner = next(box for box in boxes if box[4].endswith("ทุกกอง"))
    assert owner[4] == "ทุกกอง"
    before = max((box for box in boxes if box[1] == owner[1] and box[2] <= owner[0]), key=lambda box: box[2])
    assert before[4] == "๖๖" and owner[0] - before[2] >= 6, (before, owner)
    found = words(PlanDocument(plan("bangpu", 2564)).render_pdf(), tmp_path)
    assert {"ผู้รับผิดชอบ", "ระยะเวลา", "ดำเนินการ"} <= found and "ระยะเวลาดำเนิน" not in found


def test_titles_keep_their_year_and_a_plan_has_a_plans_lead(demo, tmp_path):
    nongsamet = plan("nongsamet", 2567)
    pages = pdf_pages(PlanDocument(nongsamet).render_pdf(), tmp_path, layout=True)
    lines = [line.strip() for line in pages[0].splitlines() if line.strip()]
    assert any(line.endswith("ประจำปีงบประมาณ พ.ศ. ๒๕๖๗") for line in lines[:3])
    text = squash("".join(pages))
    assert squash(nongsamet.introduction)[:40] not in text  # the results report's past-tense lead
    assert "กำหนดมาตรการเพื่อขับเคลื่อน" in text and "ดังนี้" in text


def test_o23_o24_leave_out_an_empty_owner_and_number_as_the_workbook(demo, tmp_path):
    chorakha = plan("chorakha", 2566)
    for document in (AntiCorruptionPlanDocument(chorakha), AntiCorruptionReportDocument(chorakha)):
        assert "ผู้รับผิดชอบ" not in squash("".join(pdf_pages(document.render_pdf(), tmp_path)))
    text = squash("".join(pdf_pages(AntiCorruptionReportDocument(chorakha).render_pdf(), tmp_path)))
    assert "ผลการดำเนินการ" in text and "ผลลัพธ์" in text  # the report's two columns, each headed
    satengnok = AntiCorruptionReportDocument(plan("satengnok", 2567))
    sheet = load_workbook(io.BytesIO(satengnok.render_xlsx())).worksheets[0]
    header = [c.value for c in sheet[3]]
    numbers = [row[header.index("ลำดับ")] for row in sheet.iter_rows(min_row=4, values_only=True)]
    numbers = [n for n in numbers if isinstance(n, int)]
    text = "\n".join(pdf_pages(satengnok.render_pdf(), tmp_path, layout=True))
    printed = [int(m) for m in re.findall(r"^\s*(\d+)\s+\S", text, re.MULTILINE)]
    assert printed == numbers  # 7, 1, 2, … as the workbook, not 1, 1, 2, …
