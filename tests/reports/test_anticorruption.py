"""Issue 14: the anti-corruption action plan (O23) and its report (O24), from the measures that carry a
dimension and a budget, and the measure page's small form that sets them."""

import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from agencies.models import AuditEntry
from measures.models import AntiCorruptionDimension, Measure, MeasurePlan
from reports.documents import AntiCorruptionPlanDocument, AntiCorruptionReportDocument
from tests.factories import MembershipFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed"),
]


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def plan(demo):
    return MeasurePlan.objects.get(agency__code="satengnok", fiscal_year=2567)


def text_of(data: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return "".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )


def test_o23_lists_projects_under_the_four_dimensions_with_budgets_and_totals(plan, tmp_path):
    text = text_of(AntiCorruptionPlanDocument(plan).render_pdf(), tmp_path)
    assert "แผนปฏิบัติการป้องกันการทุจริตประจำปีงบประมาณพ.ศ.๒๕๖๗" in text
    positions = [text.index("".join(str(label).split())) for label in AntiCorruptionDimension.labels]
    assert positions == sorted(positions)  # the four dimensions, in their order
    society = plan.measures.get(anticorruption_dimension="society")
    assert "".join(society.title.split())[:20] in text
    assert "รวมมิติที่๑" in text and "๓๐,๐๐๐.๐๐" in text  # the society project's budget and its total
    assert "รวมทั้งสิ้น" in text and "๗๕,๐๐๐.๐๐" in text  # 20,000 + 15,000 + 10,000 + 30,000
    assert "ผลการดำเนินการ" not in text and "สถานะ" not in text  # the plan, not the report


def test_o24_adds_status_and_results_and_leaves_out_measures_without_a_dimension(plan, tmp_path):
    outside = plan.measures.get(number=7)
    Measure.objects.filter(pk=outside.pk).update(anticorruption_dimension="")
    text = text_of(AntiCorruptionReportDocument(plan).render_pdf(), tmp_path)
    assert "รายงานผลการดำเนินการป้องกันการทุจริต" in text
    assert "ข้อมูลณวันที่๓๐กันยายน๒๕๖๗" in text
    assert "อยู่ระหว่าง" in text  # measure 1 was reported in progress (the cell wraps)
    assert "".join(outside.title.split())[:20] not in text
    assert "รวมทั้งสิ้น" in text and "๔๕,๐๐๐.๐๐" in text


def test_o23_o24_workbooks_carry_budgets_as_numbers_with_a_sum_and_dates_in_be(plan):
    for document, report in ((AntiCorruptionPlanDocument(plan), False), (AntiCorruptionReportDocument(plan), True)):
        sheet = load_workbook(io.BytesIO(document.render_xlsx())).worksheets[0]
        header = [c.value for c in sheet[3]]
        assert ("สถานะ" in header) == report
        budget = header.index("งบประมาณ (บาท)") + 1
        starts = header.index("วันเริ่ม") + 1
        values = [sheet.cell(row, budget).value for row in range(4, 11)]
        assert sorted(Decimal(str(v)) for v in values if v is not None) == [10000, 15000, 20000, 30000]
        assert sheet.cell(4, budget).number_format == "#,##0.00"
        assert sheet.cell(11, budget).value.startswith("=IFERROR(SUM(")
        assert sheet.cell(4, starts).is_date and "[$-107041E]" in sheet.cell(4, starts).number_format


def test_plan_page_offers_o23_and_o24(plan, client):
    client.login(username="satengnok.plan", password="ita-demo-2567")
    page = client.get(plan.get_absolute_url()).content.decode()
    for name in ("reports:anticorruption_plan_document", "reports:anticorruption_report_document"):
        for fmt in ("pdf", "xlsx"):
            url = reverse(name, args=[plan.pk, fmt])
            assert url in page
            assert client.get(url).status_code == 200


def test_another_agencys_o23_is_404(plan, client):
    client.login(username="bangpu.plan", password="ita-demo-2567")
    assert client.get(reverse("reports:anticorruption_plan_document", args=[plan.pk, "pdf"])).status_code == 404


def test_coordinator_sets_dimension_and_budget_on_the_measure_page(plan, client):
    measure = plan.measures.get(number=1)
    coordinator = MembershipFactory(agency=plan.agency, is_coordinator=True).user
    client.force_login(coordinator)
    page = client.get(measure.get_absolute_url()).content.decode()
    assert reverse("measures:measure_dimension", args=[measure.pk]) in page
    url = reverse("measures:measure_dimension", args=[measure.pk])
    response = client.post(
        url, {"anticorruption_dimension": "participation", "budget": "12500.50", "version": measure.version}
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.anticorruption_dimension == "participation" and measure.budget == Decimal("12500.50")
    entries = AuditEntry.objects.filter(object_type=AuditEntry.ObjectType.MEASURE, object_id=measure.pk)
    assert any("anticorruption_dimension" in entry.after for entry in entries)
    # A stale form (someone saved in between) and bad input change nothing, with a Thai message.
    stale = client.post(url, {"anticorruption_dimension": "", "budget": "1", "version": 1}, follow=True)
    assert "มีผู้อื่นแก้ไขมาตรการนี้" in stale.content.decode()
    bad = client.post(url, {"anticorruption_dimension": "", "budget": "-5", "version": measure.version}, follow=True)
    assert "งบประมาณต้องไม่ติดลบ" in bad.content.decode()
    measure.refresh_from_db()
    assert measure.budget == Decimal("12500.50")


def test_only_coordinators_of_the_agency_set_the_dimension(plan, client):
    measure = plan.measures.get(number=1)
    url = reverse("measures:measure_dimension", args=[measure.pk])
    staff = MembershipFactory(agency=plan.agency).user
    client.force_login(staff)
    assert client.post(url, {"anticorruption_dimension": "society", "version": measure.version}).status_code == 403
    assert (
        reverse("measures:measure_dimension", args=[measure.pk])
        not in client.get(measure.get_absolute_url()).content.decode()
    )
    client.logout()
    client.login(username="bangpu.plan", password="ita-demo-2567")
    assert client.post(url, {"anticorruption_dimension": "society", "version": measure.version}).status_code == 404
    measure.refresh_from_db()
    assert measure.anticorruption_dimension == "administration"
