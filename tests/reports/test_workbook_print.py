"""Issue 14 item 3: every workbook the product makes prints as a clerk needs it (/work/shared/domain/workbooks.md):
fitted to one page wide, header rows repeated, page numbers, the Thai print font, no column with nothing in it,
and dates as real dates shown in the Buddhist era (never ISO text)."""

import io
import re

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from agencies.models import Agency
from assessments.models import Assessment
from ita_tracker.xlsx import print_font
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


def test_no_column_is_empty_and_dates_are_be_dates(workbooks):
    dates = 0
    for name, data in workbooks.items():
        for sheet in load_workbook(io.BytesIO(data)).worksheets:
            where = f"{name}/{sheet.title}"
            header = _header_row(sheet)
            if sheet.max_row <= header + 1 and sheet.cell(header + 1, 2).value is None:
                continue  # a sheet with nothing to show says so in one line
            for column in range(1, sheet.max_column + 1):
                values = [sheet.cell(r, column).value for r in range(header + 1, sheet.max_row + 1)]
                title = sheet.cell(header, column).value
                assert any(v not in (None, "") for v in values), f"{where}: column {title!r} is empty"
            for row in sheet.iter_rows(min_row=header + 1):
                for cell in row:
                    if cell.is_date:
                        dates += 1
                        assert cell.number_format.startswith(BE_FORMAT), (where, cell.coordinate)
                    elif isinstance(cell.value, str):
                        assert not ISO.search(cell.value), (where, cell.coordinate, cell.value)
    assert dates >= 20  # plans, results, O23/O24 and memo decisions carry dates
