"""Score export (CSV and XLSX), the export and import commands and the import template: what we stored is what
the files say, for the agencies the person may see, in a bounded number of queries."""

import csv
import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from agencies.models import Agency
from assessments import transfer
from assessments.models import Assessment
from assessments.services import assessment_save
from tests.assessments.test_transfer import (
    BANG_KAO_2565,
    EXPORT_COLUMNS,
    SATENG_NOK_2566,
    csv_bytes,
    row,
)
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(editions, agency_a, agency_b):
    assessment_save(
        agency=agency_a,
        edition=editions[2566],
        indicator_scores={n: D(v) for n, v in enumerate(SATENG_NOK_2566, start=1)},
        published_total=D("83.72"),
        published_level="ต้องปรับปรุง",
    )
    assessment_save(
        agency=agency_b,
        edition=editions[2565],
        indicator_scores={n: D(v) for n, v in enumerate(BANG_KAO_2565, start=1)},
        published_total=D("92.44"),  # seed 002's misprint: a mismatch
        published_level="A",
    )
    assessment_save(agency=agency_a, edition=editions[2565], indicator_scores={}, published_total=D("81.49"))


def test_export_csv_has_the_columns_values_and_mismatch(client, scored, coordinator_a, agency_b):
    admin = UserFactory(is_superuser=True)
    client.force_login(admin)
    response = client.get(reverse("assessments:export"), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == EXPORT_COLUMNS
    by_key = {(r[0], r[3]): dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert len(by_key) == 3
    sateng = by_key[("เทศบาลตำบลบางปู", "2566")]
    assert sateng["ind9"] == "100.00"
    assert sateng["ind7"] == "73.50"
    assert (sateng["iit"], sateng["overall"], sateng["level"]) == ("85.38", "83.71", "ต้องปรับปรุง")
    assert (sateng["published_overall"], sateng["mismatch"]) == ("83.72", "false")
    assert sateng["agency_type"] == "subdistrict_municipality"
    kao = by_key[(agency_b.name, "2565")]
    assert (kao["overall"], kao["published_overall"], kao["mismatch"]) == ("68.79", "92.44", "true")
    total_only = by_key[("เทศบาลตำบลบางปู", "2565")]
    assert (total_only["ind1"], total_only["overall"], total_only["published_overall"]) == ("", "", "81.49")
    assert total_only["mismatch"] == "false"


def test_export_xlsx_has_numbers_bold_frozen_header_and_booleans(client, scored, agency_b):
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(reverse("assessments:export"), {"format": "xlsx", "year": "2565"})
    assert response.status_code == 200
    assert response["Content-Type"] == transfer_xlsx_type()
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert [c.value for c in sheet[1]] == EXPORT_COLUMNS
    assert sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= 40
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert len(rows) == 2  # 2565 only
    kao = next(dict(zip(EXPORT_COLUMNS, r, strict=True)) for r in rows if r[0] == agency_b.name)
    assert kao["overall"] == pytest.approx(68.79)
    assert kao["mismatch"] is True
    assert kao["fiscal_year"] == 2565
    overall_cell = sheet.cell(row=2, column=EXPORT_COLUMNS.index("published_overall") + 1)
    assert overall_cell.number_format == "0.00"


def transfer_xlsx_type():
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_export_includes_only_visible_agencies(client, scored, coordinator_a, agency_b):
    client.force_login(coordinator_a)
    response = client.get(reverse("assessments:export"), {"format": "csv"})
    text = response.content.decode()
    assert "เทศบาลตำบลบางปู" in text
    assert agency_b.name not in text
    assert client.get(reverse("assessments:export"), {"format": "pdf"}).status_code == 400


def test_export_command_writes_csv_and_xlsx(scored, tmp_path):
    out = tmp_path / "ita.csv"
    stdout = io.StringIO()
    call_command("export_assessments", "--year", "2566", "--format", "csv", "--out", str(out), stdout=stdout)
    assert "exported 1" in stdout.getvalue()
    rows = list(csv.reader(out.open(encoding="utf-8-sig", newline="")))
    assert rows[0] == EXPORT_COLUMNS
    assert rows[1][EXPORT_COLUMNS.index("overall")] == "83.71"
    out = tmp_path / "ita.xlsx"
    call_command("export_assessments", "--format", "xlsx", "--out", str(out), stdout=io.StringIO())
    assert load_workbook(out).active.max_row == 4
    with pytest.raises(CommandError):
        call_command("export_assessments", "--year", "2400", "--format", "csv", "--out", str(out))


def test_export_queries_do_not_grow_with_rows(editions):
    scores = {n: D(v) for n, v in enumerate(SATENG_NOK_2566, start=1)}

    def queries(n):
        for _ in range(n):
            assessment_save(agency=AgencyFactory(), edition=editions[2566], indicator_scores=scores)
        with CaptureQueriesContext(connection) as ctx:
            rows = list(transfer.export_rows(Assessment.objects.all()))
            transfer.write_csv(rows, io.StringIO())
        return len(ctx.captured_queries), len(rows)

    few, few_rows = queries(5)
    many, many_rows = queries(45)
    assert (few_rows, many_rows) == (6, 51)
    assert few == many <= 4  # the editions' columns, the assessments, their indicator and tool scores


def test_import_command_prints_counts_and_creates_agencies_when_asked(editions, agency_a, tmp_path):
    path = tmp_path / "scores.csv"
    path.write_bytes(
        csv_bytes(
            [
                row(agency_a, 2566, SATENG_NOK_2566),
                row(("องค์การบริหารส่วนตำบลใหม่", "ยะลา"), 2566, SATENG_NOK_2566, agency_type="อบต."),
            ]
        )
    )
    stdout = io.StringIO()
    call_command("import_assessments", str(path), "--create-agencies", stdout=stdout)
    assert "2 assessment(s) created, 0 updated, 1 agency(ies) created" in stdout.getvalue()
    assert Agency.objects.get(name="องค์การบริหารส่วนตำบลใหม่").type == Agency.Type.SAO


def test_import_template_round_trip(client, coordinator_a, agency_a, editions):
    """Download the workbook, fill in the agency's prefilled row, upload it: the scores are imported."""
    import openpyxl

    client.force_login(coordinator_a)
    response = client.get(reverse("assessments:import_template") + "?year=2566")
    assert "filename*=utf-8" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet, notes = book.worksheets
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["หน่วยงาน", "ประเภทหน่วยงาน", "จังหวัด", "ปีงบประมาณ"]
    assert "ตัวชี้วัดที่ 1" in header and "ตัวชี้วัดที่ 10" in header
    assert [c.value for c in sheet[2]][:4] == [agency_a.name, agency_a.get_type_display(), "ปัตตานี", 2566]
    described = {r[0]: r for r in notes.iter_rows(values_only=True) if r and r[0]}
    assert all(name in described and described[name][1] and described[name][2] for name in header)
    for number, value in enumerate(SATENG_NOK_2566, start=1):
        sheet.cell(row=2, column=header.index(f"ตัวชี้วัดที่ {number}") + 1, value=float(value))
    filled = io.BytesIO()
    book.save(filled)
    upload = SimpleUploadedFile("filled.xlsx", filled.getvalue())
    assert client.post(reverse("assessments:import"), {"file": upload}).status_code == 302
    assert Assessment.objects.get(agency=agency_a, edition__fiscal_year=2566).total == D("83.71")

    items = client.get(reverse("assessments:import_template") + "?year=2566&items=1")
    item_header = [c.value for c in openpyxl.load_workbook(io.BytesIO(items.content)).worksheets[0][1]]
    assert "i1" in item_header and "o1" in item_header
