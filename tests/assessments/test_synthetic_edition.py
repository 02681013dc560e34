"""An edition unlike any so far (four tools, twelve indicators) goes through every place scores appear: the
entry page, the import (CSV and XLSX), the analysis and comparison pages, a plan drafted from the analysis,
the PDF and Excel documents and the export. Nothing in the code may assume three tools or ten indicators."""

import csv
import io
import shutil
import subprocess
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from assessments import transfer
from assessments.frameworks import load_all, load_edition
from assessments.models import Assessment, FrameworkEdition, ToolScore
from ita_tracker.thai import fiscal_year, thai_digits
from measures.models import MeasurePlan

pytestmark = pytest.mark.django_db

TOOLS = [("IIT", "30"), ("EIT", "20"), ("OIT", "30"), ("SIT", "20")]  # SIT: a fourth tool, 3 indicators each
NAMES = {n: f"ตัวชี้วัดทดสอบที่{n}" for n in range(1, 13)}
SCORES = {
    1: "95.00", 2: "91.00", 3: "92.00",  # IIT: all maintained
    4: "80.00", 5: "86.00", 6: "90.00",
    7: "99.00", 8: "70.00", 9: "93.00",
    10: "88.00", 11: "84.50", 12: "60.25",  # the new indicators: one to raise, one urgent
}  # fmt: skip


def synthetic_edition(year: int) -> FrameworkEdition:
    indicators = []
    for position, (code, _weight) in enumerate(TOOLS):
        for offset, weight in enumerate(("50", "25", "25")):
            number = position * 3 + offset + 1
            indicators.append({"number": number, "tool": code, "name_th": NAMES[number], "weight": weight})
    data = {
        "fiscal_year": year,
        "name": f"กรอบทดสอบ {year}",
        "level_system": "letter",
        "tools": [{"code": code, "name_th": f"เครื่องมือ {code}", "weight": weight} for code, weight in TOOLS],
        "indicators": indicators,
        "items": [{"code": "s1", "indicator": 12}, {"code": "s2", "indicator": 12}],
        "levels": [
            {"label": "A", "min_total": "90", "passes": True},
            {"label": "B", "min_total": "80", "passes": True},
            {"label": "F", "min_total": "0"},
        ],
    }
    edition, _created = load_edition(data)
    return FrameworkEdition.objects.with_structure().get(pk=edition.pk)


def expected_tools() -> dict[str, D]:
    scores = {n: D(v) for n, v in SCORES.items()}
    weights = (D(50), D(25), D(25))
    result = {}
    for position, (code, _weight) in enumerate(TOOLS):
        numbers = [position * 3 + i + 1 for i in range(3)]
        value = sum(scores[n] * w for n, w in zip(numbers, weights, strict=True)) / 100
        result[code] = value.quantize(D("0.01"))
    return result


@pytest.fixture
def year():
    return fiscal_year(timezone.localdate()) - 1  # last year's results: this year's plan drafts from them


@pytest.fixture
def edition(year):
    # migrate installs the real editions of that year and the next: the synthetic one takes their place, so
    # the plan drafted for next year links its measures to the synthetic indicators
    FrameworkEdition.objects.filter(fiscal_year__in=[year, year + 1]).delete()
    return synthetic_edition(year)


def entry_post(version: int, scores=SCORES) -> dict:
    return {"version": version, **{f"ind{n}": v for n, v in scores.items()}}


def test_entry_page_shows_four_tools_and_twelve_indicators_and_stores_four_tool_scores(
    client, coordinator_a, agency_a, edition, year
):
    client.force_login(coordinator_a)
    url = reverse("assessments:entry", args=[year])
    page = client.get(url).content.decode()
    for code, _weight in TOOLS:
        assert f'data-tool-total="{code}"' in page
    for number, name in NAMES.items():
        assert f'name="ind{number}"' in page and name in page
    assert 'name="item_s1"' in page

    # Eleven of twelve is refused, naming the missing one and the edition's count.
    incomplete = entry_post(0, {n: v for n, v in SCORES.items() if n != 12})
    response = client.post(url, incomplete)
    assert response.status_code == 200
    assert "ครบทั้ง ๑๒ ตัวชี้วัด" in response.content.decode() and "ตัวชี้วัดที่ ๑๒" in response.content.decode()

    assert client.post(url, entry_post(0)).status_code == 302
    assessment = Assessment.objects.get(agency=agency_a, edition=edition)
    tools = expected_tools()
    assert assessment.tool_scores_by_code() == tools
    assert ToolScore.objects.filter(assessment=assessment).count() == 4
    total = sum(tools[code] * D(weight) for code, weight in TOOLS) / 100
    assert abs(assessment.total - total) <= D("0.01")
    assert assessment.version == 1


def _import_rows(agency, year, scores):
    header = transfer.import_header(FrameworkEdition.objects.get(fiscal_year=year))
    values = {"agency": agency.name, "province": agency.province, "fiscal_year": year}
    values |= {f"ind{n}": v for n, v in scores.items()}
    return header, [values.get(column, "") for column in header]


def _file(fmt: str, header: list, row: list) -> bytes:
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerows([header, row])
        return out.getvalue().encode()
    workbook = Workbook()
    workbook.active.append(header)
    workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_reads_the_twelve_indicators_of_the_year(client, coordinator_a, agency_a, edition, year, fmt):
    header, row = _import_rows(agency_a, year, SCORES)
    assert [c for c in header if c.startswith("ind")] == [f"ind{n}" for n in range(1, 13)]
    client.force_login(coordinator_a)
    upload = io.BytesIO(_file(fmt, header, row))
    upload.name = f"scores.{fmt}"
    response = client.post(reverse("assessments:import"), {"file": upload})
    assert response.status_code == 302, response.content.decode()[-3000:]
    assessment = Assessment.objects.get(agency=agency_a, edition=edition)
    assert assessment.tool_scores_by_code() == expected_tools()
    assert assessment.indicator_scores.get(indicator__number=12).score == D("60.25")

    # Without ind12 the file is refused, naming the column.
    renamed = ["other" if column == "ind12" else column for column in header]
    plan = transfer.check_file(io.BytesIO(_file(fmt, renamed, row)), f"x.{fmt}", user=coordinator_a)
    assert ("ind12", 1) in [(e.column, e.row) for e in plan.errors]


def test_a_new_indicator_does_not_reject_files_of_other_years(coordinator_a, agency_a, edition, year):
    """The header asks for the indicators of the years the rows name: a ten-indicator file for 2566 is
    fine while another edition has twelve."""
    load_all()
    header = ["agency", "province", "fiscal_year", *(f"ind{n}" for n in range(1, 11))]
    values = ["93.60", "80.28", "88.69", "82.71", "81.64", "80.09", "73.50", "79.89", "100.00", "73.75"]
    content = "\n".join([",".join(header), ",".join([agency_a.name, agency_a.province, "2566", *values])]).encode()
    plan = transfer.check_file(io.BytesIO(content), "scores.csv", user=coordinator_a)
    assert plan.errors == []
    transfer.apply_plan(plan, by=coordinator_a)
    assert Assessment.objects.get(agency=agency_a, edition__fiscal_year=2566).total == D("83.71")
    # A row of the twelve-indicator year in the same file needs ind11 and ind12.
    content += f"\n{agency_a.name},{agency_a.province},{year},{','.join(values)}".encode()
    plan = transfer.check_file(io.BytesIO(content), "scores.csv", user=coordinator_a)
    assert {(e.row, e.column) for e in plan.errors} == {(1, "ind11"), (1, "ind12")}


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_analysis_plan_documents_and_tables_carry_the_edition(
    client, coordinator_a, agency_a, edition, year, tmp_path
):
    client.force_login(coordinator_a)
    assert client.post(reverse("assessments:entry", args=[year]), entry_post(0)).status_code == 302
    assessment = Assessment.objects.get(agency=agency_a, edition=edition)

    # The analysis page: every indicator and tool of the edition.
    page = client.get(reverse("assessments:analysis", args=[assessment.pk])).content.decode()
    for name in NAMES.values():
        assert name in page
    for code, _weight in TOOLS:
        assert code in page

    # The comparison table: a column (sortable) per tool and per indicator.
    compare = client.get(reverse("assessments:compare") + f"?year={year}&sort=-tool:SIT")
    assert compare.status_code == 200
    assert list(compare.context["numbers"]) == list(range(1, 13))
    assert [t["code"] for t in compare.context["tools"]] == [code for code, _w in TOOLS]
    assert compare.context["page"][0].tool_list == list(expected_tools().values())

    # A plan drafted from the analysis: the new indicators below the bands get measures.
    response = client.post(reverse("measures:plan_create"), {"fiscal_year": year + 1, "start_from": "analysis"})
    plan = MeasurePlan.objects.get(agency=agency_a, fiscal_year=year + 1)
    draft_url = reverse("measures:plan_draft", args=[plan.pk])
    assert response.url == draft_url
    ticked = [r["candidate"].ref for r in client.get(draft_url).context["rows"] if r["checked"]]
    client.post(draft_url, {"pick": ticked})
    drafted = {i.number for m in plan.measures.all() for i in m.indicators.all()}
    assert drafted == {n for n, v in SCORES.items() if D(v) < 90}
    assert 11 in drafted and 12 in drafted

    # The analysis workbook: twelve indicator rows, four tool rows.
    xlsx = client.get(reverse("reports:analysis_document", kwargs={"pk": assessment.pk, "fmt": "xlsx"}))
    workbook = load_workbook(io.BytesIO(xlsx.content))
    cells = [[c for c in row if c is not None] for ws in workbook.worksheets for row in ws.iter_rows(values_only=True)]
    flat = {str(c) for row in cells for c in row}
    assert set(NAMES.values()) <= flat
    assert {code for code, _w in TOOLS} <= flat
    assert any(row[:2] == [12, NAMES[12]] for row in cells)

    # The analysis and plan PDFs.
    pdf = client.get(reverse("reports:analysis_document", kwargs={"pk": assessment.pk, "fmt": "pdf"}))
    text = _pdf_text(pdf.content, tmp_path)
    for name in (NAMES[1], NAMES[11], NAMES[12]):
        assert name in text
    for code, _weight in TOOLS:
        assert code in text
    plan_pdf = client.get(reverse("reports:plan_document", kwargs={"pk": plan.pk, "fmt": "pdf"}))
    # Table cells wrap anywhere and pdftotext interleaves the columns: the name's tail with its number stays whole.
    plan_text = "".join(_pdf_text(plan_pdf.content, tmp_path).split())
    assert thai_digits("ทดสอบที่12") in plan_text  # the agency prints Thai digits

    # The score table of every agency followed, and the export: one column per indicator and tool.
    table = load_workbook(io.BytesIO(client.get(reverse("reports:score_table") + f"?year={year}").content))
    header_row = next(row for row in table.active.iter_rows(values_only=True) if row and row[0] == "หน่วยงาน")
    assert [h for h in header_row if str(h).startswith("ตัวชี้วัดที่")] == [f"ตัวชี้วัดที่ {n}" for n in range(1, 13)]
    assert [h for h in header_row if h in {"IIT", "EIT", "OIT", "SIT"}] == ["IIT", "EIT", "OIT", "SIT"]
    export = client.get(reverse("assessments:export") + f"?year={year}&format=csv").content.decode("utf-8-sig")
    exported = list(csv.reader(io.StringIO(export)))
    assert exported[0][4:20] == [*(f"ind{n}" for n in range(1, 13)), "iit", "eit", "oit", "sit"]
    assert exported[1][16:20] == [f"{v:.2f}" for v in expected_tools().values()]
