"""The results, plan and O23/O24 PDFs of the seed agency-years as a reader sees them (review of issue 14):
the day the data is as of, no column empty on every row, rows not left as a stub at a page foot, headers
and periods not broken inside a word, titles that keep their year, a plan's own lead. Read with pdftotext."""

import io
import re
import shutil
import subprocess

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from measures.models import MeasurePlan
from reports.documents import AntiCorruptionPlanDocument, AntiCorruptionReportDocument, PlanDocument, ResultsDocument

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
