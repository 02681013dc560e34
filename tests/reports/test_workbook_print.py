"""Issue 14 item 3: every workbook the product makes prints as a clerk needs it (/work/shared/domain/workbooks.md):
fitted to one page wide, header rows repeated, page numbers, the Thai print font, no column with nothing in it,
and dates as real dates shown in the Buddhist era (never ISO text)."""

import io
import re

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from agencies.models import Agency
from assessments.models import Assessment
from ita_tracker.xlsx import MAX_ROW_LINES, lines_needed, print_font
from measures.models import MeasurePlan
from reports import oversight
from reports.documents import (
    AnalysisDocument,
    AntiCorruptionPlanDocument,
    AntiCorruptionReportDocument,
    MemoDocument,
    PlanDocument,
    ResultsDocument,
    ScoreTableDocument,
)
from reports.models import Memo
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ISO = re.compile(r"\b\d{4}-\d\d-\d\d\b")
BE_FORMAT = "[$-107041E]"
THAI_BE_FORMAT = "[$-D07041E]"
# Seed 000's three status columns: the form of its results table, kept even when no measure is in one of them.
SEED_FORM = {"ยังไม่ดำเนินการ", "อยู่ระหว่างดำเนินการ", "ดำเนินการเสร็จเรียบร้อยแล้ว"}
# Columns whose blank cell means "not done": the oversight table's steps, a step's completion date, a memo step's
# decision. Kept even when empty, since then they say that nothing is done yet.
NOT_DONE_BLANK = {str(step.label) for step in oversight.STEPS} | {"เสร็จเมื่อ", "ผลการพิจารณา"}


@pytest.fixture
def workbooks(db):
    call_command("load_demo", stdout=io.StringIO())
    books = {}
    for plan in MeasurePlan.objects.filter(agency__code__in=["bangpu", "satengnok", "nongsamet"]):
        for document in (PlanDocument(plan), ResultsDocument(plan)):
            books[document.slug] = document.render_xlsx()
    plan = MeasurePlan.objects.get(agency__code="satengnok", fiscal_year=2567)
    for document in (AntiCorruptionPlanDocument(plan), AntiCorruptionReportDocument(plan)):
        books[document.slug] = document.render_xlsx()
    for assessment in Assessment.objects.filter(agency__code__in=["bangkao", "satengnok"]).select_related("edition"):
        books[f"analysis-{assessment.pk}"] = AnalysisDocument(assessment).render_xlsx()
    for memo in Memo.objects.filter(agency__code__in=["bangpu", "nongsamet"]).exclude(running_number=None):
        books[f"memo-{memo.pk}"] = MemoDocument(memo).render_xlsx()
    viewer = UserFactory(is_superuser=True, is_staff=True)
    books["scores"] = ScoreTableDocument(viewer, 2564).render_xlsx()
    agencies = oversight.annotate_cycle(Agency.objects.order_by("name"), 2568)
    books["oversight"] = oversight.render_xlsx(agencies, "สถานะงาน ITA ปีงบประมาณ 2568")
    return books


def _header_row(sheet) -> int:
    return int(sheet.print_title_rows.split(":")[0].lstrip("$"))


def tables(workbooks):
    """(where, sheet, header row) of every sheet that has rows: a sheet with nothing to show says so in one line,
    unruled, under its header."""
    for name, data in workbooks.items():
        for sheet in load_workbook(io.BytesIO(data)).worksheets:
            header = _header_row(sheet)
            if not (sheet.max_row <= header + 1 and sheet.cell(header + 1, 2).value is None):
                yield f"{name}/{sheet.title}", sheet, header


def test_every_workbook_prints_fitted_with_repeated_headers_page_numbers_and_the_thai_font(workbooks):
    assert len(workbooks) >= 15
    font = print_font().family
    for name, data in workbooks.items():
        for sheet in load_workbook(io.BytesIO(data)).worksheets:
            where = f"{name}/{sheet.title}"
            assert sheet.sheet_properties.pageSetUpPr.fitToPage, where
            assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0, where
            assert int(sheet.page_setup.paperSize) == 9, where  # A4
            assert sheet.print_title_rows, where
            assert "&P" in sheet.oddFooter.center.text, where
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value not in (None, ""):
                        assert cell.font.name == font, (where, cell.coordinate, cell.font.name)


def test_every_table_cell_is_ruled_and_the_heading_above_it_is_not(workbooks):
    """The seeds' tables are ruled: header, every row and the totals carry a thin black line on four sides (Calc
    and Excel print no grid lines of their own), while the title lines above the table stay unruled."""
    ruled = 0
    for where, sheet, header in tables(workbooks):
        for row in sheet.iter_rows(min_row=header, max_col=sheet.max_column):
            for cell in row:
                sides = (cell.border.left, cell.border.right, cell.border.top, cell.border.bottom)
                assert all(side.style == "thin" for side in sides), (where, cell.coordinate)
                assert all(side.color.rgb.endswith("000000") for side in sides), (where, cell.coordinate)
                ruled += 1
        for row in sheet.iter_rows(max_row=header - 1):
            for cell in row:
                assert cell.border.bottom.style is None, (where, cell.coordinate)
    assert ruled > 1000


def test_no_column_is_empty_and_dates_are_be_dates(workbooks):
    dates = 0
    for where, sheet, header in tables(workbooks):
        for column in range(1, sheet.max_column + 1):
            values = [sheet.cell(r, column).value for r in range(header + 1, sheet.max_row + 1)]
            title = sheet.cell(header, column).value
            if title in SEED_FORM | NOT_DONE_BLANK:
                continue  # the seed's status columns and those whose blank means "not done" stay, empty or not
            assert any(v not in (None, "") for v in values), f"{where}: column {title!r} is empty"
        for row in sheet.iter_rows(min_row=header + 1):
            for cell in row:
                if cell.is_date:
                    dates += 1
                    # BE dates; in Thai digits (numeral shape 0D) for an agency that writes them
                    assert cell.number_format.startswith((BE_FORMAT, THAI_BE_FORMAT)), (where, cell.coordinate)
                elif isinstance(cell.value, str):
                    assert not ISO.search(cell.value), (where, cell.coordinate, cell.value)
    assert dates >= 20  # plans, results, O23/O24 and memo decisions carry dates


def test_a_column_whose_blank_means_not_done_stays_when_nothing_is_done(workbooks):
    """Left out for being empty, these columns would hide the news: no agency has done a step, no step of a plan
    is done yet, nobody has decided on a memo."""

    def header(book: str, title: str) -> list:
        sheet = load_workbook(io.BytesIO(workbooks[book]))[title]
        return [c.value for c in sheet[_header_row(sheet)]]

    # 2568: the demo's agencies have recorded last year's results and done no later step of that year.
    assert [str(step.label) for step in oversight.STEPS] == header("oversight", "สถานะงาน ITA ปีงบประมาณ 2568")[4:11]
    assert "เสร็จเมื่อ" in header("plan-satengnok-2567", "ขั้นตอน")  # none of its 44 steps is done
    pending = Memo.objects.get(agency__code="bangpu", status=Memo.Status.PENDING)
    assert not pending.steps.exclude(decision="").exists()
    assert "ผลการพิจารณา" in header(f"memo-{pending.pk}", "การพิจารณา")


# ---------------------------------------------------------------- the seed agency-years' workbooks, as printed


@pytest.fixture
def seed_books(db, tmp_path):
    """Every workbook ``export_documents --seeds`` writes (the five seed agency-years), opened as a clerk would."""
    call_command("load_demo", stdout=io.StringIO())
    call_command("export_documents", seeds=True, out=tmp_path, format="xlsx", stdout=io.StringIO())
    books = {f"{p.parent.name}/{p.name}": load_workbook(p) for p in sorted(tmp_path.glob("*/*.xlsx"))}
    assert len(books) >= 19
    return books


def estimated_scale(sheet) -> float:
    """What fitting to one page wide does: A4's printable width ÷ the columns' printed width (Excel draws a
    column ``7 × width + 5`` px wide at 96 px an inch), never above 100 %."""
    paper = 842 if sheet.page_setup.orientation == "landscape" else 595
    printable = paper - (sheet.page_margins.left + sheet.page_margins.right) * 72
    widths = [sheet.column_dimensions[get_column_letter(c)].width for c in range(1, sheet.max_column + 1)]
    return min(1.0, printable / sum((w * 7 + 5) * 0.75 for w in widths))


def test_every_seed_workbook_prints_at_75_percent_or_more_with_its_title_across_the_table(seed_books):
    """workbooks.md item 2: fitted to one page wide, Laksaman 10.7 (TH Sarabun 16) must not fall below about
    TH Sarabun 12, so no sheet may print below 75 % (they printed at 37–67 %); and the title, a wrapped cell,
    spans the table instead of wrapping inside column A."""
    scales = {}
    for name, book in seed_books.items():
        for sheet in book.worksheets:
            where = f"{name}/{sheet.title}"
            scales[where] = estimated_scale(sheet)
            assert scales[where] >= 0.75, (where, f"{scales[where]:.0%}")
            columns = get_column_letter(sheet.max_column)
            merged = {str(r) for r in sheet.merged_cells.ranges}
            assert sheet["A1"].value and f"A1:{columns}1" in merged, where
            assert sheet["A1"].alignment.wrap_text and sheet.row_dimensions[1].height >= 20.8, where
            if sheet["A2"].value:  # a second heading line, e.g. the date the data is as of
                assert f"A2:{columns}2" in merged, where
            # No text runs past its row's height (Calc and Excel print no more): a long one continues in rows
            # below it, as the highest row holds 19 lines.
            widths = [sheet.column_dimensions[get_column_letter(c)].width for c in range(1, sheet.max_column + 1)]
            for row in sheet.iter_rows(min_row=4):
                if f"A{row[0].row}:{columns}{row[0].row}" in merged:
                    continue  # a line spanning the table ("no data")
                texts = [(c.value, w) for c, w in zip(row, widths, strict=False) if c.data_type == "s"]
                need = max((lines_needed(v, w) for v, w in texts), default=1)
                assert need <= MAX_ROW_LINES, (where, row[0].row, need)
                assert sheet.row_dimensions[row[0].row].height >= need * 20.8, (where, row[0].row)
    # The seeds' widest tables are among them.
    assert scales["003-nongsamet-2567/results-nongsamet-2567.xlsx/ผลการดำเนินการ"] >= 0.75
    assert scales["004-satengnok-2567/plan-satengnok-2567.xlsx/มาตรการ"] >= 0.75


def _header(sheet) -> list:
    return [c.value for c in sheet[3]]


def test_seed_workbooks_carry_no_repeated_or_invented_columns_and_name_their_totals(seed_books):
    for name, book in seed_books.items():
        for sheet in book.worksheets:
            where = f"{name}/{sheet.title}"
            header = _header(sheet)
            # The period is its two BE dates, not again as text; the "as of" date is said once, above the table;
            # no percentage and no average across agencies, which no seed has.
            assert not {"ระยะเวลา", "ระยะเวลาดำเนินการ"} & set(header) or "วันเริ่ม" not in header, where
            assert not {"ข้อมูล ณ วันที่", "ร้อยละ", "ค่าเฉลี่ยในระบบ"} & set(header), where
            labels = [c.value for row in sheet.iter_rows(min_row=4) for c in row if isinstance(c.value, str)]
            # A sum is "รวม", an average "เฉลี่ย" (the items' mean), never both on one row.
            assert "รวม / เฉลี่ย" not in labels, where
    results = seed_books["003-nongsamet-2567/results-nongsamet-2567.xlsx"]["ผลการดำเนินการ"]
    assert results["A2"].value.startswith("ข้อมูล ณ วันที่ ")
    o24 = seed_books["004-satengnok-2567/o24-satengnok-2567.xlsx"]["O24"]
    assert o24["A2"].value.startswith("ข้อมูล ณ วันที่ ") and "ข้อมูล ณ วันที่" not in o24["A1"].value
    assert o24.cell(o24.max_row, 1).value == "รวม" and "SUM(" in o24.cell(o24.max_row, 5).value
    analysis = seed_books["002-bangkao-2566/analysis-bangkao-2565.xlsx"]["คะแนนรายตัวชี้วัด"]
    assert analysis.cell(analysis.max_row, 2).value == "คะแนนภาพรวมที่ ป.ป.ช. ประกาศ"
    # Seed 000's results table: its three status columns, the one no measure is in included; no percentage.
    progress = seed_books["000-bangpu-2564/memo-bangpu-2564-1.xlsx"]["ผลการดำเนินการ"]
    assert _header(progress)[3:6] == ["ยังไม่ดำเนินการ", "อยู่ระหว่างดำเนินการ", "ดำเนินการเสร็จเรียบร้อยแล้ว"]


def test_a_year_without_indicator_scores_says_so_in_one_line(seed_books):
    for name in ("000-bangpu-2564/analysis-bangpu-2563.xlsx", "003-nongsamet-2567/analysis-nongsamet-2567.xlsx"):
        sheet = seed_books[name]["คะแนนรายตัวชี้วัด"]
        assert sheet.max_row == 4, name  # the heading, the header, one line: not ten rows of blank scores
        line = sheet["A4"].value
        assert line.startswith("ไม่มีคะแนนรายตัวชี้วัด (คะแนนภาพรวมที่ ป.ป.ช. ประกาศ "), (name, line)
        assert f"A4:{get_column_letter(sheet.max_column)}4" in {str(r) for r in sheet.merged_cells.ranges}
    # บางปู writes Thai digits: the total the line cites is in them, as in its PDF.
    assert seed_books["000-bangpu-2564/analysis-bangpu-2563.xlsx"]["คะแนนรายตัวชี้วัด"]["A4"].value.endswith(" ๘๑.๔๙)")


def test_dates_follow_the_agencys_digits(seed_books):
    """``[$-D07041E]``: numeral shape 0D (Thai digits), calendar 07 (Thai Buddhist), locale 041E (Thai)."""
    thai = seed_books["000-bangpu-2564/plan-bangpu-2564.xlsx"]["มาตรการ"]  # บางปู writes Thai digits
    arabic = seed_books["004-satengnok-2567/plan-satengnok-2567.xlsx"]["มาตรการ"]  # สะเตงนอก Arabic ones
    for sheet, code in ((thai, "[$-D07041E]d mmm yyyy"), (arabic, "[$-107041E]d mmm yyyy")):
        dates = [c for row in sheet.iter_rows(min_row=4) for c in row if c.is_date]
        assert dates and {c.number_format for c in dates} == {code}
    # The heading lines in the same digits as the dates.
    thai_results = seed_books["000-bangpu-2564/results-bangpu-2564.xlsx"]["ผลการดำเนินการ"]
    arabic_results = seed_books["004-satengnok-2567/results-satengnok-2567.xlsx"]["ผลการดำเนินการ"]
    assert "พ.ศ. ๒๕๖๔" in thai_results["A1"].value and "๒๕๖๔" in thai_results["A2"].value
    assert "พ.ศ. 2567" in arabic_results["A1"].value and "2567" in arabic_results["A2"].value


def test_a_plan_written_by_method_has_a_row_per_method_as_its_pdf(seed_books):
    """satengnok 2567 (seed 004's part 2): a row per method with its own unit, steps numbered from 1 and dates,
    as its PDF prints it; one row per measure put methods 2–3 beside steps 7–9 in continuation rows and keyed
    the owners "ขั้นตอนที่ 1–5". The measure and its budget on its first row only: the total counts it once."""
    sheet = seed_books["004-satengnok-2567/plan-satengnok-2567.xlsx"]["มาตรการ"]
    header = _header(sheet)
    col = {name: header.index(name) + 1 for name in header if name}
    rows = list(sheet.iter_rows(min_row=4, max_row=sheet.max_row - 1, values_only=True))
    second = next(i for i, r in enumerate(rows) if r[0] == 2)
    methods = [r for r in rows[:second] if r[col["ขั้นตอน/วิธีปฏิบัติ"] - 1]]
    assert len(methods) == 3
    assert all(r[col["ขั้นตอน/วิธีปฏิบัติ"] - 1].startswith("1. ") for r in methods)
    assert methods[0][col["มาตรการ"] - 1] and not any(r[col["มาตรการ"] - 1] for r in methods[1:])
    assert methods[1][col["ระยะเวลาและการติดตาม"] - 1].startswith("เดือนละ 1 ครั้ง")
    owners = [r[col["ผู้รับผิดชอบ"] - 1] or "" for r in rows]
    assert "งานตรวจสอบภายใน" in owners and not any("ขั้นตอนที่" in owner for owner in owners)
    budgets = [r[col["งบประมาณ (บาท)"] - 1] for r in rows if r[col["งบประมาณ (บาท)"] - 1] is not None]
    plan = MeasurePlan.objects.get(agency__code="satengnok", fiscal_year=2567)
    assert sorted(budgets) == sorted(m.budget for m in plan.measures.all() if m.budget is not None)
