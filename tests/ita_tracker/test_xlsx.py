"""The workbook base: text typed by people never becomes a formula, and the print setup a clerk needs."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from ita_tracker.xlsx import Sheet, print_font, workbook_bytes

DANGEROUS = ['=HYPERLINK("http://evil.example","คลิก")', "+1+2", "-3+4", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


def _sheet_xml(data: bytes, number: int = 1) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(f"xl/worksheets/sheet{number}.xml").decode()


def test_text_beginning_with_a_formula_character_stays_literal_text():
    data = workbook_bytes([Sheet(title="t", columns=[("ข้อความ", "text", 30)], rows=[[v] for v in DANGEROUS])])
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [sheet.cell(row=2 + i, column=1) for i in range(len(DANGEROUS))]
    # (XML may turn a lone carriage return into a line feed, depending on how it is escaped; the text is text.)
    assert [c.value.replace("\r", "\n") for c in cells] == [v.replace("\r", "\n") for v in DANGEROUS]
    assert all(c.data_type == "s" for c in cells)
    assert "<f>" not in _sheet_xml(data)  # no formula anywhere in the file


def test_print_setup_font_dates_and_row_heights():
    long_text = "มาตรการเสริมสร้างความโปร่งใสในการจัดซื้อจัดจ้าง " * 6
    data = workbook_bytes(
        [
            Sheet(
                title="แผน",
                heading="แผนมาตรการ",
                columns=[("ลำดับ", "int", 6), ("มาตรการ", "text", 30), ("วันที่", "date", 14), ("คะแนน", "number", 9)],
                rows=[[1, long_text, date(2024, 5, 3), Decimal("93.60")], [2, "สั้น", None, None]],
                totals={3: "AVERAGE"},
            )
        ]
    )
    sheet = load_workbook(io.BytesIO(data))["แผน"]
    assert int(sheet.page_setup.paperSize) == 9 and sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$3:$3" and sheet.print_title_cols == "$A:$A"
    assert "&P" in sheet.oddFooter.center.text
    assert sheet.page_margins.left == pytest.approx(0.6)
    assert sheet["B4"].font.name == print_font().family and sheet["A3"].font.name == print_font().family
    assert sheet["C4"].number_format == "[$-107041E]d mmm yyyy" and sheet["C4"].value.year == 2024
    assert sheet.row_dimensions[4].height > 3 * sheet.row_dimensions[5].height  # the long text's row is high
    assert sheet["D6"].value == '=IFERROR(AVERAGE(D4:D5),"")'


def test_an_empty_sheet_says_so():
    sheet = load_workbook(io.BytesIO(workbook_bytes([Sheet(title="ว่าง", columns=[("ก", "text", 10)])]))).active
    assert sheet["A2"].value == "ไม่มีข้อมูล"


@pytest.mark.django_db
def test_a_measure_name_typed_as_a_formula_is_text_in_the_plan_workbook(coordinator_a, agency_a):
    from measures.models import Measure, MeasurePlan
    from reports.documents import PlanDocument

    plan = MeasurePlan.objects.create(agency=agency_a, fiscal_year=2568, title="แผน")
    Measure.objects.create(
        plan=plan, number=1, title=DANGEROUS[0], description="=1+1", starts=date(2024, 10, 1), ends=date(2025, 9, 30)
    )
    data = PlanDocument(plan).render_xlsx()
    book = load_workbook(io.BytesIO(data))
    values = {c.value: c.data_type for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert values[DANGEROUS[0]] == "s"
    assert all(t != "f" or v.startswith("=IFERROR(") for v, t in values.items())


@pytest.mark.django_db
def test_an_agency_name_typed_as_a_formula_is_text_in_the_score_export(agency_a):
    from assessments import transfer

    agency_a.name = "=cmd|' /C calc'!A0"
    agency_a.save()
    out = io.BytesIO()
    header = transfer.export_header(list(range(1, 11)), ["IIT", "EIT", "OIT"])
    rows = iter([header, [agency_a.name, "x", "ปัตตานี", 2567] + [None] * (len(header) - 4)])
    transfer.write_xlsx(rows, out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert sheet["A2"].value == agency_a.name and sheet["A2"].data_type == "s"
    assert sheet["A1"].value == "agency"  # the header stays in row 1, so an export imports again
