"""Issue 14: the anti-corruption action plan (O23) and its report (O24), from the measures that carry a
dimension and a budget, set in the measure form with the rest of the measure."""

import io
import shutil
import subprocess
from decimal import Decimal
from html.parser import HTMLParser

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
    assert "แผนปฏิบัติการป้องกันการทุจริตประจำปีงบประมาณพ.ศ.2567" in text  # Arabic digits, as seed 004's agency
    positions = [text.index("".join(str(label).split())) for label in AntiCorruptionDimension.labels]
    assert positions == sorted(positions)  # the four dimensions, in their order
    society = plan.measures.get(anticorruption_dimension="society")
    assert "".join(society.title.split())[:20] in text
    assert "รวมมิติที่1" in text and "30,000.00" in text  # the society project's budget and its total
    assert "รวมทั้งสิ้น" in text and "75,000.00" in text  # 20,000 + 15,000 + 10,000 + 30,000
    assert "ผลการดำเนินการ" not in text and "สถานะ" not in text  # the plan, not the report


def test_o24_adds_status_and_results_and_leaves_out_measures_without_a_dimension(plan, tmp_path):
    outside = plan.measures.get(number=7)
    Measure.objects.filter(pk=outside.pk).update(anticorruption_dimension="")
    text = text_of(AntiCorruptionReportDocument(plan).render_pdf(), tmp_path)
    assert "รายงานผลการดำเนินการป้องกันการทุจริต" in text
    assert "ข้อมูลณวันที่31มีนาคม2567" in text  # its latest report, not the fiscal-year end
    assert "อยู่ระหว่าง" in text  # measure 1 was reported in progress (the cell wraps)
    assert "".join(outside.title.split())[:20] not in text
    assert "รวมทั้งสิ้น" in text and "45,000.00" in text


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


class _FormValues(HTMLParser):
    """What a browser would send from the page's form: inputs, ticked boxes, selected options, text areas."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self._select = self._textarea = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value") or ("on" if a.get("type") == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.data[self._textarea] = ["".join(self._text).lstrip("\n")]
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def form_of(page: str) -> dict[str, list[str]]:
    parser = _FormValues()
    parser.feed(page)
    parser.data.pop("csrfmiddlewaretoken", None)
    return parser.data


def test_coordinator_sets_dimension_and_budget_in_the_measure_form_with_one_save(plan, client):
    measure = plan.measures.get(number=1)
    steps_before = list(measure.steps.values_list("title", flat=True))
    assert steps_before
    coordinator = MembershipFactory(agency=plan.agency, is_coordinator=True).user
    client.force_login(coordinator)
    edit = reverse("measures:measure_edit", args=[plan.pk, measure.pk])
    # The old address of the separate form leads to the measure form.
    assert client.post(reverse("measures:measure_dimension", args=[measure.pk])).url == edit
    page = client.get(edit).content.decode()
    assert "มิติของแผนปฏิบัติการป้องกันการทุจริต" in page and "งบประมาณ (บาท)" in page
    data = form_of(page)
    assert data["anticorruption_dimension"] == ["administration"]
    data.update(
        anticorruption_dimension=["participation"],
        budget=["12500.50"],
        ends=["31/8/2567"],
        **{"steps-0-title": ["ประชุมชี้แจงบุคลากร (ปรับแล้ว)"]},
    )
    response = client.post(edit, data)
    assert response.status_code == 302, form_of(response.content.decode())
    measure.refresh_from_db()
    assert measure.anticorruption_dimension == "participation" and measure.budget == Decimal("12500.50")
    assert measure.ends.isoformat() == "2024-08-31"
    steps_after = list(measure.steps.order_by("order").values_list("title", flat=True))
    assert steps_after == ["ประชุมชี้แจงบุคลากร (ปรับแล้ว)", *steps_before[1:]]
    entries = AuditEntry.objects.filter(object_type=AuditEntry.ObjectType.MEASURE, object_id=measure.pk)
    assert any("anticorruption_dimension" in entry.after for entry in entries)
    shown = client.get(measure.get_absolute_url()).content.decode()
    assert str(AntiCorruptionDimension("participation").label) in shown
    # A negative budget is refused with a Thai message, and nothing changes.
    bad = client.post(edit, {**form_of(client.get(edit).content.decode()), "budget": ["-5"]})
    assert bad.status_code == 200 and "งบประมาณต้องไม่ติดลบ" in bad.content.decode()
    measure.refresh_from_db()
    assert measure.budget == Decimal("12500.50")


def test_only_coordinators_of_the_agency_reach_the_dimension(plan, client):
    measure = plan.measures.get(number=1)
    old = reverse("measures:measure_dimension", args=[measure.pk])
    staff = MembershipFactory(agency=plan.agency).user
    client.force_login(staff)
    edit = reverse("measures:measure_edit", args=[plan.pk, measure.pk])
    assert client.post(edit, {"anticorruption_dimension": "society"}).status_code == 403
    assert edit not in client.get(measure.get_absolute_url()).content.decode()
    client.logout()
    client.login(username="bangpu.plan", password="ita-demo-2567")
    assert client.post(old).status_code == 404
    assert client.post(edit, {"anticorruption_dimension": "society"}).status_code == 404
    measure.refresh_from_db()
    assert measure.anticorruption_dimension == "administration"
