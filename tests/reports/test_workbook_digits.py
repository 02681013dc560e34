"""A Thai-digit agency's workbook shows its numbers in Thai digits as its PDFs do, and they stay numbers.

Scores, counts, budgets and step numbers carry Excel's Thai-numeral locale prefix (``[$-D00041E]``: numeral shape
0D, no calendar, Thai; with the dates' calendar 07 LibreOffice drops the whole format) before the format their
column had, so a clerk still sums them; the text the documents build themselves ("ขั้นตอนที่ ๑–๕", "๑. …",
"คะแนน ปี ๒๕๖๒") is in Thai digits too. An agency that writes
Arabic digits gets the workbook it had: no locale prefix on a number, Arabic digits in the text."""

import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from assessments.models import Assessment
from ita_tracker.xlsx import Sheet, workbook_bytes
from measures.models import MeasurePlan
from reports.documents import AnalysisDocument, MemoDocument, PlanDocument
from reports.models import Memo

THAI = "[$-D00041E]"
ARABIC_DIGIT = re.compile(r"[0-9]")
THAI_DIGIT = re.compile(r"[๐-๙]")


def _numbers(book) -> list:
    """Every cell below the header row that holds a number (or one of the totals' formulas)."""
    cells = []
    for sheet in book.worksheets:
        header = int(sheet.print_title_rows.split(":")[0].lstrip("$"))
        for row in sheet.iter_rows(min_row=header + 1):
            for cell in row:
                formula = isinstance(cell.value, str) and cell.value.startswith("=")
                if formula or (isinstance(cell.value, int | float) and not isinstance(cell.value, bool)):
                    cells.append(cell)
    return cells


# ---------------------------------------------------------------- the workbook base


def _table(thai_digits: bool):
    sheet = Sheet(
        title="ตาราง",
        heading="ตารางปี 2567",
        columns=[
            ("ลำดับ", "int", 6),
            ("รายการ", "text", 20),
            ("คะแนน", "number", 10),
            ("งบประมาณ (บาท)", "money", 14),
            ("ร้อยละ", "percent", 10),
            ("หมายเหตุ", "text", 20),
        ],
        rows=[[1, "ก", Decimal("85.50"), Decimal("12500.00"), 40, 3], [2, "ข", Decimal("90.25"), None, 100, "ข้อ 2"]],
        totals={2: "AVERAGE", 3: "SUM"},
    )
    return load_workbook(io.BytesIO(workbook_bytes([sheet], thai_digits=thai_digits)))["ตาราง"]


def test_numbers_of_a_thai_digit_workbook_keep_their_format_behind_the_thai_numeral_prefix():
    sheet = _table(thai_digits=True)
    assert [sheet.cell(4, c).number_format for c in (1, 3, 4, 5)] == [
        THAI + "0",
        THAI + "0.00",  # the decimal places the column had
        THAI + "#,##0.00",  # and its thousands separators
        THAI + "0",
    ]
    # Still numbers a clerk sums, not text in Thai digits.
    assert [sheet.cell(4, c).value for c in (1, 3, 4, 5)] == [1, 85.5, 12500, 40]
    # A number in a text column is drawn in Thai digits too; text stays as it was given.
    assert sheet["F4"].value == 3 and sheet["F4"].number_format == THAI + "General"
    assert sheet["F5"].value == "ข้อ 2" and sheet["F5"].data_type == "s"
    # The guarded totals row: formulas, in the column's format with Thai digits.
    assert sheet["C6"].value.startswith("=IFERROR(AVERAGE(") and sheet["C6"].number_format == THAI + "0.00"
    assert sheet["D6"].value.startswith("=IFERROR(SUM(") and sheet["D6"].number_format == THAI + "#,##0.00"
    assert sheet["A1"].value == "ตารางปี ๒๕๖๗"


def test_numbers_of_an_arabic_digit_workbook_have_no_locale_prefix():
    sheet = _table(thai_digits=False)
    assert [sheet.cell(4, c).number_format for c in (1, 3, 4, 5)] == ["0", "0.00", "#,##0.00", "0"]
    assert sheet["F4"].value == 3 and sheet["F4"].number_format == "General"
    assert sheet["C6"].number_format == "0.00" and sheet["D6"].number_format == "#,##0.00"
    assert sheet["A1"].value == "ตารางปี 2567"


def test_the_footer_keeps_excels_page_fields_and_puts_only_our_text_in_thai_digits():
    from ita_tracker.xlsx import footer_text

    # &P and &N are filled in by Excel and Calc in Arabic digits; no code makes them Thai, so they stay fields.
    assert footer_text("หน้า &P / &N", thai_digits=True) == "หน้า &P / &N"
    assert footer_text("&14ปี 2567 หน้า &P", thai_digits=True) == "&14ปี ๒๕๖๗ หน้า &P"  # a font size stays a size
    assert footer_text("ปี 2567 หน้า &P", thai_digits=False) == "ปี 2567 หน้า &P"
    assert _table(thai_digits=True).oddFooter.center.text == "หน้า &P / &N"


# ---------------------------------------------------------------- the documents of the demo agencies


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def _plan_books(code: str, year: int) -> dict:
    """The plan's workbook as the agency writes it and with the other digits chosen."""
    plan = MeasurePlan.objects.select_related("agency").get(agency__code=code, fiscal_year=year)
    books = {}
    for thai in (plan.agency.use_thai_digits, not plan.agency.use_thai_digits):
        plan.agency.use_thai_digits = thai
        plan.agency.save(update_fields=["use_thai_digits"])
        plan = MeasurePlan.objects.select_related("agency").get(pk=plan.pk)
        books[thai] = load_workbook(io.BytesIO(PlanDocument(plan).render_xlsx()))
    return books


@pytest.mark.django_db
def test_a_thai_digit_agencys_plan_shows_step_numbers_budgets_and_its_own_text_in_thai_digits(demo):
    """สะเตงนอก's plan (seed 004), written a row per method, in both digit styles."""
    books = _plan_books("satengnok", 2567)
    thai, arabic = books[True], books[False]

    numbers = _numbers(thai)
    assert len(numbers) >= 50
    assert all(c.number_format.startswith(THAI) for c in numbers), {c.number_format for c in numbers}
    budgets = [c for c in numbers if c.number_format == THAI + "#,##0.00"]
    assert budgets and all(isinstance(c.value, int | float) for c in budgets if not str(c.value).startswith("="))

    arabic_numbers = _numbers(arabic)
    assert len(arabic_numbers) == len(numbers)
    assert not [c for c in arabic_numbers if "[$-" in c.number_format]
    assert {c.number_format for c in arabic_numbers} >= {"0", "#,##0.00"}

    # The steps' numbers and the keys of a method's periods are our text: in the agency's digits. The sheet
    # has a row per method (as the PDF), so no owner is keyed by step any more.
    assert thai["มาตรการ"]["E4"].value == arabic["มาตรการ"]["E4"].value == "สำนักปลัดเทศบาล งานธุรการ"
    steps = thai["มาตรการ"]["D4"].value.splitlines()
    assert steps[0].startswith("๑. ") and arabic["มาตรการ"]["D4"].value.startswith("1. ")
    keyed = [c.value for c in thai["มาตรการ"]["H"] if isinstance(c.value, str) and c.value.startswith("ขั้นตอนที่ ")]
    assert keyed and keyed[0].startswith("ขั้นตอนที่ ๑–๒: ")
    assert [c.value for c in arabic["มาตรการ"]["H"] if c.value == keyed[0]] == []


@pytest.mark.django_db
def test_a_thai_digit_agencys_analysis_shows_scores_and_headers_in_thai_digits(demo):
    """บางกอก's analysis (seed 002: Thai digits) against สะเตงนอก's (seed 004: Arabic digits)."""
    bangkao = Assessment.objects.get(agency__code="bangkao", edition__fiscal_year=2565)
    satengnok = Assessment.objects.get(agency__code="satengnok", edition__fiscal_year=2567)
    assert bangkao.agency.use_thai_digits and not satengnok.agency.use_thai_digits
    thai = load_workbook(io.BytesIO(AnalysisDocument(bangkao).render_xlsx()))
    arabic = load_workbook(io.BytesIO(AnalysisDocument(satengnok).render_xlsx()))

    numbers = _numbers(thai)
    scores = [c for c in numbers if c.number_format == THAI + "0.00"]
    assert len(scores) >= 20 and all(isinstance(c.value, int | float) for c in scores if c.data_type == "n")
    assert all(c.number_format.startswith(THAI) for c in numbers)
    assert not [c for c in _numbers(arabic) if "[$-" in c.number_format]

    headers = [c.value for c in thai["คะแนนรายตัวชี้วัด"][3]]
    assert "คะแนน ปี ๒๕๖๕" in headers and "คะแนน ปี ๒๕๖๔" in headers
    assert "คะแนน ปี 2567" in [c.value for c in arabic["คะแนนรายตัวชี้วัด"][3]]


@pytest.mark.django_db
def test_no_text_the_documents_build_is_left_in_arabic_digits_in_a_thai_digit_workbook(demo):
    """บางปู (seed 000) writes Thai digits: its analysis without indicator scores says its total in them, and its
    memo's tables carry no Arabic digit the system wrote (its measures' texts have none)."""
    bangpu = Assessment.objects.get(agency__code="bangpu", edition__fiscal_year=2563)
    line = load_workbook(io.BytesIO(AnalysisDocument(bangpu).render_xlsx()))["คะแนนรายตัวชี้วัด"]["A4"].value
    assert line.endswith(" ๘๑.๔๙)"), line
    memo = Memo.objects.filter(agency__code="bangpu").exclude(running_number=None).first()
    book = load_workbook(io.BytesIO(MemoDocument(memo).render_xlsx()))
    texts = [c.value for s in book.worksheets for row in s.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(THAI_DIGIT.search(t) for t in texts)
    assert not [t for t in texts if ARABIC_DIGIT.search(t) and not t.startswith("=")]
    assert all(c.number_format.startswith(THAI) for c in _numbers(book))


def test_a_memos_analysis_scores_frozen_as_text_are_numbers_again_in_the_agencys_digits():
    """A memo freezes its analysis table as text ("85.50"); its sheet writes the scores back as numbers."""
    from reports.kinds.sections.analysis_summary import SECTION

    data = {
        "rows": [
            {"number": 1, "indicator": "ก", "previous": "98.66", "score": "83.71", "change": "-14.95", "band": ""}
        ]
    }
    for thai, prefix in ((True, THAI), (False, "")):
        sheet = load_workbook(io.BytesIO(workbook_bytes([SECTION.sheet(data, "หัวเรื่อง")], thai_digits=thai))).active
        assert [c.value for c in sheet[4]][:5] == [1, "ก", 98.66, 83.71, -14.95]
        assert [c.number_format for c in sheet[4]][2:5] == [prefix + "0.00"] * 3
