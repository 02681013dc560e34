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


def _scale(sheet) -> float:
    widths = [sheet.column_dimensions[chr(ord("A") + i)].width for i in range(sheet.max_column)]
    return min(1.0, (842 - 1.2 * 72) / sum((w * 7 + 5) * 0.75 for w in widths))


def test_a_wide_sheet_has_its_text_columns_narrowed_to_print_at_75_percent_and_a_narrow_one_fills_the_page():
    wide = Sheet(
        title="กว้าง",
        heading="ตารางกว้าง",
        columns=[("ลำดับ", "int", 7), ("วันที่", "date", 13)] + [(f"ข้อ {i}", "text", 50) for i in range(6)],
        rows=[[1, date(2024, 5, 3)] + ["ข้อความ"] * 6],
    )
    narrow = Sheet(title="แคบ", columns=[("ลำดับ", "int", 7), ("มาตรการ", "text", 40)], rows=[[1, "ก"]])
    book = load_workbook(io.BytesIO(workbook_bytes([wide, narrow])))
    wide_sheet, narrow_sheet = book["กว้าง"], book["แคบ"]
    assert 0.75 <= _scale(wide_sheet) < 0.8  # 300 characters of text fitted at 75 %, not 40 %
    assert wide_sheet.column_dimensions["A"].width == 7 and wide_sheet.column_dimensions["B"].width == 13
    # 47 characters on a page that holds about 140: the text column takes the room (12 + 3 × 28 at most).
    assert _scale(narrow_sheet) == 1.0 and narrow_sheet.column_dimensions["B"].width == 96
    assert narrow_sheet.column_dimensions["A"].width == 7


def test_the_heading_spans_the_table_and_totals_say_what_they_are():
    data = workbook_bytes(
        [
            Sheet(
                title="งบ",
                heading="แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. 2567 เทศบาลเมืองสะเตงนอก " * 3,
                subheading="ข้อมูล ณ วันที่ 31 มีนาคม 2567",
                columns=[("ลำดับ", "int", 7), ("โครงการ", "text", 40), ("งบประมาณ", "money", 14)],
                rows=[[1, "ก", Decimal("100")], [2, "ข", Decimal("50")]],
                totals={2: "SUM"},
            ),
            Sheet(
                title="คะแนน",
                columns=[("ข้อ", "text", 8), ("คะแนน", "number", 9)],
                rows=[["a", 1]],
                totals={1: "AVERAGE"},
            ),
        ]
    )
    book = load_workbook(io.BytesIO(data))
    sheet = book["งบ"]
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:C1", "A2:C2"}
    assert sheet["A1"].alignment.wrap_text and sheet.row_dimensions[1].height > 2 * 20.8  # the long title wraps
    assert sheet["A2"].value == "ข้อมูล ณ วันที่ 31 มีนาคม 2567" and sheet.print_title_rows == "$3:$3"
    assert sheet["A6"].value == "รวม" and sheet["C6"].value == '=IFERROR(SUM(C4:C5),"")'
    assert book["คะแนน"]["A3"].value == "เฉลี่ย"


def test_a_seed_column_kept_though_empty_and_dates_in_thai_digits_on_request():
    sheet_spec = Sheet(
        title="ผล",
        columns=[("ลำดับ", "int", 7), ("ยังไม่ดำเนินการ", "text", 12), ("อื่น", "text", 12), ("วันที่", "date", 13)],
        rows=[[1, "", "", date(2024, 5, 3)]],
        keep_columns=frozenset({1}),
    )
    sheet = load_workbook(io.BytesIO(workbook_bytes([sheet_spec], thai_digits=True))).active
    assert [c.value for c in sheet[1]] == ["ลำดับ", "ยังไม่ดำเนินการ", "วันที่"]  # "อื่น", empty, left out
    assert sheet["C2"].number_format == "[$-D07041E]d mmm yyyy"  # numeral shape 0D: ๓ พ.ค. ๒๕๖๗


def test_a_text_longer_than_a_row_can_hold_continues_in_the_rows_below():
    steps = "\n".join(f"{n}. จัดทำคู่มือการปฏิบัติงานและเผยแพร่ให้ประชาชนทราบทางเว็บไซต์และเพจของเทศบาล" for n in range(1, 40))
    data = workbook_bytes(
        [
            Sheet(
                title="แผน",
                columns=[("ลำดับ", "int", 6), ("ขั้นตอน", "text", 30), ("งบประมาณ", "money", 14)],
                rows=[[1, steps, Decimal("100")], [2, "สั้น", Decimal("50")]],
                totals={2: "SUM"},
            )
        ]
    )
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    numbers = [r[0] for r in rows]
    assert numbers[0] == 1 and numbers[-2:] == [2, "รวม"] and set(numbers[1:-2]) == {None}  # continuation rows
    assert "\n".join(r[1] for r in rows[:-2]) == steps  # all of it, in order
    assert all(sheet.row_dimensions[i].height <= 409 for i in range(2, sheet.max_row + 1))
    assert rows[-1][2] == f'=IFERROR(SUM(C2:C{sheet.max_row - 1}),"")'  # the sum covers every row
