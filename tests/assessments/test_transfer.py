"""Import and export of scores: every rejection names its row and column and saves nothing; good files
import (CSV and XLSX, English or Thai headers), re-import updates, export writes what we stored."""

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
from openpyxl import Workbook

from agencies.models import Agency
from assessments import transfer
from assessments.models import Assessment, IndicatorScore, ItemScore
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SATENG_NOK_2566 = ["93.60", "80.28", "88.69", "82.71", "81.64", "80.09", "73.50", "79.89", "100.00", "73.75"]
BANG_KAO_2565 = ["83.71", "68.53", "82.80", "73.25", "73.24", "86.27", "86.17", "82.24", "64.63", "37.50"]
HEADER = ["agency", "agency_type", "province", "fiscal_year", *(f"ind{n}" for n in range(1, 11))]
EXPORT_COLUMNS = [
    "agency",
    "agency_type",
    "province",
    "fiscal_year",
    *(f"ind{n}" for n in range(1, 11)),
    "iit",
    "eit",
    "oit",
    "overall",
    "level",
    "published_overall",
    "published_level",
    "mismatch",
]


def row(agency, year, values, agency_type="subdistrict_municipality", **extra):
    return {
        "agency": agency.name if isinstance(agency, Agency) else agency[0],
        "agency_type": agency_type,
        "province": agency.province if isinstance(agency, Agency) else agency[1],
        "fiscal_year": year,
        **{f"ind{n}": v for n, v in enumerate(values, start=1)},
        **extra,
    }


def csv_bytes(rows, header=None, bom=True):
    header = header or list(dict.fromkeys(key for r in rows for key in r))
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    for r in rows:
        writer.writerow([r.get(column, "") for column in header])
    return (("\ufeff" if bom else "") + out.getvalue()).encode()


def xlsx_bytes(rows, header=None):
    header = header or list(dict.fromkeys(key for r in rows for key in r))
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for r in rows:
        sheet.append([r.get(column) for column in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def check(content, filename="scores.csv", **kwargs):
    return transfer.check_file(io.BytesIO(content), filename, **kwargs)


def counts():
    return (Agency.objects.count(), Assessment.objects.count(), IndicatorScore.objects.count())


# Import: good files ----------------------------------------------------------------------------------


def test_good_csv_imports_every_row_with_computed_totals(editions, agency_a, agency_b):
    content = csv_bytes(
        [
            row(agency_a, 2566, SATENG_NOK_2566, published_overall="83.72", published_level="ต้องปรับปรุง"),
            row(agency_b, 2565, BANG_KAO_2565, published_overall="68.78", published_level="C"),
        ]
    )
    plan = check(content)
    assert plan.errors == []
    assert (plan.assessments_to_create, plan.assessments_to_update, plan.agencies_to_create) == (2, 0, 0)
    summary = transfer.apply_plan(plan)
    assert (summary.assessments_created, summary.assessments_updated) == (2, 0)
    a = Assessment.objects.get(agency=agency_a, edition__fiscal_year=2566)
    assert (a.total, a.level, a.published_total, a.mismatch) == (D("83.71"), "ต้องปรับปรุง", D("83.72"), False)
    b = Assessment.objects.get(agency=agency_b, edition__fiscal_year=2565)
    assert (b.total, b.level, b.published_level) == (D("68.79"), "C", "C")
    assert b.indicator_scores.count() == 10


def test_good_xlsx_imports_numbers_and_text_cells(editions, agency_a, agency_b):
    sateng = [float(v) for v in SATENG_NOK_2566]
    sateng[0] = 93.6  # Excel keeps 93.60 as the float 93.6
    content = xlsx_bytes(
        [
            row(agency_a, 2566, sateng, published_overall=83.72),
            row(agency_b, "2565", BANG_KAO_2565, i1="100", o42=100),
        ]
    )
    plan = check(content, "scores.xlsx")
    assert plan.errors == []
    transfer.apply_plan(plan)
    assert Assessment.objects.get(agency=agency_a).total == D("83.71")
    b = Assessment.objects.get(agency=agency_b)
    assert b.total == D("68.79")
    assert sorted(ItemScore.objects.filter(assessment=b).values_list("item__code", "score")) == [
        ("i1", D("100.00")),
        ("o42", D("100.00")),
    ]


def test_csv_without_bom_and_with_thai_digits_is_read(editions, agency_a):
    values = ["๙๓.๖๐", *SATENG_NOK_2566[1:]]
    plan = check(csv_bytes([row(agency_a, "๒๕๖๖", values)], bom=False))
    assert plan.errors == []
    transfer.apply_plan(plan)
    assert Assessment.objects.get(agency=agency_a).total == D("83.71")


def test_csv_saved_as_windows_thai_is_read(editions, agency_a):
    content = csv_bytes([row(agency_a, 2566, SATENG_NOK_2566)], bom=False).decode().encode("cp874")
    plan = check(content)
    assert plan.errors == []
    assert plan.rows[0].agency == agency_a


def test_thai_header_names_are_accepted(editions, agency_a):
    thai = [
        "หน่วยงาน",
        "ประเภทหน่วยงาน",
        "จังหวัด",
        "ปีงบประมาณ",
        "การปฏิบัติหน้าที่",
        "การใช้งบประมาณ",
        "การใช้อำนาจ",
        "การใช้ทรัพย์สินของราชการ",
        "การแก้ไขปัญหาการทุจริต",
        "คุณภาพการดำเนินงาน",
        "ประสิทธิภาพการสื่อสาร",
        " การปรับปรุงการทำงาน ",  # the alias of indicator 8, with stray spaces
        "การเปิดเผยข้อมูล",
        "การป้องกันการทุจริต",
        "หมายเหตุ",  # an unknown column is ignored
    ]
    values = [agency_a.name, "เทศบาลตำบล", "จังหวัดปัตตานี", "2566", *SATENG_NOK_2566, "ข้อความใด ๆ"]
    content = ("\ufeff" + ",".join(thai) + "\n" + ",".join(values) + "\n").encode()
    plan = check(content)
    assert plan.errors == []
    transfer.apply_plan(plan)
    assessment = Assessment.objects.get(agency=agency_a)
    assert assessment.total == D("83.71")
    assert assessment.indicator_scores.get(indicator__number=8).score == D("79.89")


def test_total_only_row_keeps_the_published_figures(editions, agency_a):
    content = csv_bytes([row(agency_a, 2565, [""] * 10, published_overall="81.49", published_level="B")])
    plan = check(content)
    assert plan.errors == []
    transfer.apply_plan(plan)
    assessment = Assessment.objects.get(agency=agency_a)
    assert (assessment.published_total, assessment.published_level, assessment.total) == (D("81.49"), "B", None)


def test_reimport_updates_instead_of_duplicating(editions, agency_a):
    first = csv_bytes([row(agency_a, 2566, SATENG_NOK_2566, published_overall="83.72")])
    transfer.apply_plan(check(first))
    changed = list(SATENG_NOK_2566)
    changed[9] = "100"
    plan = check(csv_bytes([row(agency_a, 2566, changed)]))
    assert (plan.assessments_to_create, plan.assessments_to_update) == (0, 1)
    summary = transfer.apply_plan(plan)
    assert summary.assessments_updated == 1
    assert Assessment.objects.count() == 1
    assessment = Assessment.objects.get()
    assert assessment.indicator_scores.get(indicator__number=10).score == D("100.00")
    assert assessment.total == D("88.96")
    # A file without the published columns leaves the published total as it was.
    assert assessment.published_total == D("83.72")
    assert assessment.mismatch


def test_exported_file_imports_again_unchanged(editions, agency_a, tmp_path):
    transfer.apply_plan(check(csv_bytes([row(agency_a, 2566, SATENG_NOK_2566, published_overall="83.72")])))
    out = tmp_path / "out.xlsx"
    call_command("export_assessments", "--format", "xlsx", "--out", str(out), stdout=io.StringIO())
    plan = transfer.check_file(out.open("rb"), "out.xlsx")
    assert plan.errors == []
    assert (plan.assessments_to_create, plan.assessments_to_update) == (0, 1)
    transfer.apply_plan(plan)
    assessment = Assessment.objects.get()
    assert (assessment.total, assessment.published_total) == (D("83.71"), D("83.72"))


def test_create_agencies_creates_unknown_agencies_once(editions, agency_a):
    new = ("องค์การบริหารส่วนตำบลสะเตงนอก", "ยะลา")
    rows = [
        row(new, 2566, SATENG_NOK_2566, agency_type="องค์การบริหารส่วนตำบล"),
        row(new, 2565, BANG_KAO_2565, agency_type="sao"),
    ]
    refused = check(csv_bytes(rows))
    assert [(e.row, e.column) for e in refused.errors] == [(2, "agency"), (3, "agency")]
    plan = check(csv_bytes(rows), create_agencies=True)
    assert plan.errors == []
    assert (plan.agencies_to_create, plan.assessments_to_create) == (1, 2)
    summary = transfer.apply_plan(plan)
    assert summary.agencies_created == 1
    agency = Agency.objects.get(name=new[0], province=new[1])
    assert agency.type == Agency.Type.SAO
    assert agency.code.startswith("imp-")
    assert agency.assessments.count() == 2


def test_create_agencies_needs_a_known_agency_type(editions):
    content = csv_bytes([row(("อบต.ใหม่", "ยะลา"), 2566, SATENG_NOK_2566, agency_type="หมู่บ้าน")])
    plan = check(content, create_agencies=True)
    assert [(e.row, e.column) for e in plan.errors] == [(2, "agency_type")]
    assert "หมู่บ้าน" in plan.errors[0].message


# Import: rejections ----------------------------------------------------------------------------------


def _bad(index, value):
    values = list(SATENG_NOK_2566)
    values[index] = value
    return values


@pytest.mark.parametrize(
    "make_rows,header,expected",
    [
        pytest.param(
            lambda a, b: [row(a, 2566, SATENG_NOK_2566), row(b, 2566, _bad(2, "101"))],
            None,
            (3, "ind3", "นอกช่วง 0–100"),
            id="score-out-of-range",
        ),
        pytest.param(
            lambda a, b: [row(a, 2566, _bad(4, "-1")), row(b, 2566, SATENG_NOK_2566)],
            None,
            (2, "ind5", "นอกช่วง 0–100"),
            id="negative-score",
        ),
        pytest.param(
            lambda a, b: [row(a, 2566, SATENG_NOK_2566), row(b, 2566, _bad(2, "9O"))],
            None,
            (3, "ind3", "“9O” ไม่ใช่ตัวเลข"),
            id="not-a-number",
        ),
        pytest.param(
            lambda a, b: [row(a, 2566, _bad(0, "85,5"))],
            None,
            (2, "ind1", "จุลภาค"),
            id="comma-decimal",
        ),
        pytest.param(
            lambda a, b: [row(a, 2566, _bad(0, "85.123"))],
            None,
            (2, "ind1", "ทศนิยมเกิน 2 ตำแหน่ง"),
            id="three-decimals",
        ),
        pytest.param(
            lambda a, b: [row(a, 2566, SATENG_NOK_2566)],
            [c for c in HEADER if c != "ind7"],
            (1, "ind7", "ไม่มีคอลัมน์"),
            id="missing-required-column",
        ),
        pytest.param(
            lambda a, b: [row(a, 2566, SATENG_NOK_2566), row(b, 2559, SATENG_NOK_2566)],
            None,
            (3, "fiscal_year", "ไม่มีกรอบการประเมินของปีงบประมาณ 2559"),
            id="year-without-framework",
        ),
        pytest.param(
            lambda a, b: [row(a, 2566, SATENG_NOK_2566), row(a, 2023, SATENG_NOK_2566)],
            None,
            (3, "fiscal_year", "ปี ค.ศ."),
            id="year-in-ce",
        ),
        pytest.param(
            lambda a, b: [row(a, 2566, SATENG_NOK_2566), row(b, 2566, SATENG_NOK_2566), row(a, 2566, BANG_KAO_2565)],
            None,
            (4, "agency", "ซ้ำกับแถวที่ 2"),
            id="same-agency-year-twice",
        ),
        pytest.param(
            lambda a, b: [row(a, 2566, [""] * 10)],
            None,
            (2, "ind1", "ไม่มีทั้งคะแนนตัวชี้วัดและคะแนนรวมที่ประกาศ"),
            id="neither-scores-nor-total",
        ),
        pytest.param(
            lambda a, b: [row(a, 2566, _bad(9, ""))],
            None,
            (2, "ind10", "ต้องระบุคะแนนตัวชี้วัด"),
            id="one-indicator-blank",
        ),
        pytest.param(
            lambda a, b: [row(a, 2566, SATENG_NOK_2566, published_level="B")],
            None,
            (2, "published_level", "“B” ไม่ใช่ระดับของปี 2566"),
            id="level-of-another-system",
        ),
        pytest.param(
            lambda a, b: [row(a, 2566, SATENG_NOK_2566), row(("ไม่มีจริง", "ยะลา"), 2566, SATENG_NOK_2566)],
            None,
            (3, "agency", "ไม่พบหน่วยงาน “ไม่มีจริง”"),
            id="unknown-agency",
        ),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_bad_file_is_refused_naming_row_and_column_and_nothing_saved(
    editions, agency_a, agency_b, tmp_path, make_rows, header, expected, fmt
):
    rows = make_rows(agency_a, agency_b)
    content = csv_bytes(rows, header) if fmt == "csv" else xlsx_bytes(rows, header)
    before = counts()

    plan = check(content, f"scores.{fmt}")
    found = [(e.row, e.column) for e in plan.errors]
    assert expected[:2] in found, plan.errors
    error = plan.errors[found.index(expected[:2])]
    assert expected[2] in error.message
    with pytest.raises(transfer.ImportRefused):
        transfer.apply_plan(plan)

    path = tmp_path / f"scores.{fmt}"
    path.write_bytes(content)
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_assessments", str(path), stderr=stderr, stdout=io.StringIO())
    assert f"row {expected[0]}, column {expected[1]}: " in stderr.getvalue()
    assert counts() == before


def test_every_error_of_the_file_is_listed(editions, agency_a, agency_b):
    rows = [row(agency_a, 2566, _bad(0, "101")), row(agency_b, 2566, _bad(5, "x"), published_overall="200")]
    plan = check(csv_bytes(rows))
    assert [(e.row, e.column) for e in plan.errors] == [(2, "ind1"), (3, "published_overall"), (3, "ind6")]


def test_duplicate_header_and_unsupported_file_are_refused(editions, agency_a):
    plan = check(csv_bytes([row(agency_a, 2566, SATENG_NOK_2566)], [*HEADER, "IND1"]))
    assert [(e.row, e.column) for e in plan.errors] == [(1, "IND1")]
    for name, message in [("scores.xls", ".xls"), ("scores.pdf", ".csv และ .xlsx")]:
        plan = check(b"whatever", name)
        assert plan.errors[0].row == 0
        assert message in plan.errors[0].message
    plan = check(b"not a zip", "scores.xlsx")
    assert "อ่านไฟล์ Excel ไม่ได้" in plan.errors[0].message


def test_check_file_queries_do_not_grow_with_rows(editions, agency_a, agency_b):
    def queries(n):
        agencies = [AgencyFactory(province="ยะลา") for _ in range(n)]
        content = csv_bytes([row(a, 2566, SATENG_NOK_2566) for a in agencies] + [row(agency_a, 2565, BANG_KAO_2565)])
        with CaptureQueriesContext(connection) as ctx:
            plan = check(content)
        assert plan.errors == []
        return len(ctx.captured_queries)

    assert queries(2) == queries(20)


# Import: who may import what -------------------------------------------------------------------------


def test_coordinator_cannot_import_another_agencys_row(editions, agency_a, agency_b, coordinator_a):
    rows = [
        row(agency_a, 2566, SATENG_NOK_2566),
        row(agency_b, 2566, SATENG_NOK_2566),
        row(("ไม่มีจริง", "ยะลา"), 2566, SATENG_NOK_2566),
    ]
    plan = check(csv_bytes(rows), user=coordinator_a, create_agencies=True)
    assert [(e.row, e.column) for e in plan.errors] == [(3, "agency"), (4, "agency")]
    # Another agency and one that does not exist read the same: nothing reveals which exists.
    assert plan.errors[0].message.replace(agency_b.name, "X").replace(agency_b.province, "Y") == plan.errors[
        1
    ].message.replace("ไม่มีจริง", "X").replace("ยะลา", "Y")
    assert "หรือท่านไม่มีสิทธิ์นำเข้าข้อมูลของหน่วยงานนี้" in plan.errors[0].message


def test_staff_of_a_visible_agency_is_told_they_lack_the_role(editions, agency_a, coordinator_b, agency_b):
    MembershipFactory(user=coordinator_b, agency=agency_a)  # staff in A, coordinator in B
    plan = check(csv_bytes([row(agency_a, 2566, SATENG_NOK_2566)]), user=coordinator_b)
    assert [(e.row, e.column) for e in plan.errors] == [(2, "agency")]
    assert "ไม่ได้เป็นผู้ประสานงาน ITA" in plan.errors[0].message


def test_import_page_refuses_an_agency_the_coordinator_does_not_coordinate(
    client, editions, agency_a, agency_b, coordinator_a
):
    client.force_login(coordinator_a)
    content = csv_bytes([row(agency_a, 2566, SATENG_NOK_2566), row(agency_b, 2565, BANG_KAO_2565)])
    before = counts()
    response = client.post(reverse("assessments:import"), {"file": SimpleUploadedFile("scores.csv", content)})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="import-errors"' in html
    assert '<td class="text-end">3</td>' in html
    assert "หรือท่านไม่มีสิทธิ์นำเข้าข้อมูลของหน่วยงานนี้" in html
    assert counts() == before


def test_import_page_is_forbidden_without_the_coordinator_role(client, editions, staff_a):
    client.force_login(staff_a)
    assert client.get(reverse("assessments:import")).status_code == 403
    content = csv_bytes([row(("x", "y"), 2566, SATENG_NOK_2566)])
    response = client.post(reverse("assessments:import"), {"file": SimpleUploadedFile("s.csv", content)})
    assert response.status_code == 403


def test_import_page_success_redirects_with_counts(client, editions, agency_a, coordinator_a):
    client.force_login(coordinator_a)
    page = client.get(reverse("assessments:import"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "agency,agency_type,province,fiscal_year,ind1" in html
    assert 'name="create_agencies"' not in html
    assert 'enctype="multipart/form-data"' in html
    content = xlsx_bytes([row(agency_a, 2566, SATENG_NOK_2566, published_overall="83.72")])
    response = client.post(reverse("assessments:import"), {"file": SimpleUploadedFile("scores.xlsx", content)})
    assert response.status_code == 302
    assert response.url == reverse("assessments:index")
    message = [str(m) for m in response.wsgi_request._messages]
    assert any("เพิ่มผลการประเมิน ๑ รายการ" in m for m in message)
    assert Assessment.objects.get(agency=agency_a).total == D("83.71")


def test_only_superusers_may_create_agencies_on_the_web(client, editions):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert 'name="create_agencies"' in client.get(reverse("assessments:import")).content.decode()
    content = csv_bytes([row(("อบต.ใหม่", "ยะลา"), 2566, SATENG_NOK_2566, agency_type="sao")])
    response = client.post(
        reverse("assessments:import"), {"file": SimpleUploadedFile("s.csv", content), "create_agencies": "on"}
    )
    assert response.status_code == 302
    assert Agency.objects.get(name="อบต.ใหม่").assessments.count() == 1


def test_import_page_refuses_files_over_5_mb(client, editions, coordinator_a):
    client.force_login(coordinator_a)
    big = SimpleUploadedFile("big.csv", b"a" * (5 * 1024 * 1024 + 1))
    response = client.post(reverse("assessments:import"), {"file": big})
    assert response.status_code == 200
    assert "ไม่เกิน ๕ MB" in response.content.decode()


# Export ----------------------------------------------------------------------------------------------
