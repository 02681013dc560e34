"""A score file is read within bounds whatever it claims about itself (issue 11, item 1): a 5 KB workbook whose
sheet declares ``A1:XFD1048576`` with one cell in its last row used to make the check pad 20,000 rows to
16,384 cells (5 GB, 27 s). Now only the named columns are read, a long run of blank rows ends the table, and
parts that unpack to more than their bounds are refused before parsing."""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook

from assessments import transfer
from assessments.frameworks import load_all
from assessments.models import Assessment
from assessments.transfer import table

pytestmark = pytest.mark.django_db

SATENG_NOK_2566 = ["93.60", "80.28", "88.69", "82.71", "81.64", "80.09", "73.50", "79.89", "100.00", "73.75"]
HEADER = ["agency", "province", "fiscal_year", *(f"ind{n}" for n in range(1, 11))]
PEAK_BYTES = 40 * 1024 * 1024  # Python allocations while checking; the old reader needed about 5 GB
SECONDS = 10  # generous for a shared CI machine; the check takes well under a second


@pytest.fixture
def editions(db):
    load_all()


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def widened_workbook(agency) -> bytes:
    """One good row, and one cell at XFD1048576: openpyxl writes the dimension ``A1:XFD1048576``."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([agency.name, agency.province, 2566, *(float(v) for v in SATENG_NOK_2566)])
    sheet.cell(row=1_048_576, column=16_384, value="x")
    return _save(workbook)


def measured(function, *args, **kwargs):
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = function(*args, **kwargs)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, peak, elapsed


def test_widened_workbook_is_checked_quickly_in_bounded_memory(editions, agency_a, coordinator_a):
    content = widened_workbook(agency_a)
    assert len(content) < 10_000
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert 'ref="A1:XFD1048576"' in archive.read("xl/worksheets/sheet1.xml").decode()

    plan, peak, elapsed = measured(transfer.check_file, io.BytesIO(content), "bomb.xlsx", user=coordinator_a)
    assert peak < PEAK_BYTES, f"peak {peak / 2**20:.1f} MiB"
    assert elapsed < SECONDS
    assert plan.errors == []  # the good row is read; the lone far cell is past the end of the table
    assert [row.row for row in plan.rows] == [2]


def test_widened_workbook_uploaded_on_the_import_page_is_saved(client, editions, agency_a, coordinator_a):
    client.force_login(coordinator_a)
    upload = io.BytesIO(widened_workbook(agency_a))
    upload.name = "bomb.xlsx"
    started = time.perf_counter()
    response = client.post(reverse("assessments:import"), {"file": upload})
    assert time.perf_counter() - started < SECONDS
    assert response.status_code == 302
    assert Assessment.objects.get(agency=agency_a).total is not None


def test_cells_far_right_of_every_row_are_not_read(editions, agency_a):
    """Rows padded to the last column anyone typed in: only the header's columns are kept."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.cell(row=1, column=16_000, value="ignored column")
    for number in range(2, 1002):
        sheet.cell(row=number, column=1, value=agency_a.name if number == 2 else f"ไม่มีจริง {number}")
        sheet.cell(row=number, column=2, value=agency_a.province)
        sheet.cell(row=number, column=3, value=2566)
        for offset, value in enumerate(SATENG_NOK_2566, start=4):
            sheet.cell(row=number, column=offset, value=float(value))
        sheet.cell(row=number, column=16_384, value="far")
    content = _save(workbook)

    plan, peak, elapsed = measured(transfer.check_file, io.BytesIO(content), "wide.xlsx")
    assert peak < PEAK_BYTES, f"peak {peak / 2**20:.1f} MiB"
    assert elapsed < SECONDS * 3
    assert [row.row for row in plan.rows] == [2]
    assert len(plan.errors) == 999 and "ไม่พบหน่วยงาน" in plan.errors[0].message


def test_a_long_run_of_blank_rows_ends_the_table_and_too_many_rows_are_refused(editions, agency_a):
    lines = [",".join(HEADER), ",".join([agency_a.name, agency_a.province, "2566", *SATENG_NOK_2566])]
    lines += [""] * table.EMPTY_RUN + [",".join(["ไกลเกิน", "ยะลา", "2566", *SATENG_NOK_2566])]
    plan = transfer.check_file(io.BytesIO("\n".join(lines).encode()), "gap.csv")
    assert plan.errors == [] and [row.row for row in plan.rows] == [2]

    many = [",".join(HEADER)] + [",".join(["x", "ยะลา", "2566", *SATENG_NOK_2566])] * (table.MAX_ROWS + 1)
    plan, peak, _elapsed = measured(transfer.check_file, io.BytesIO("\n".join(many).encode()), "many.csv")
    assert [(e.row, e.message) for e in plan.errors] == [(0, "ไฟล์มีข้อมูลเกิน 20,000 แถว กรุณาแบ่งเป็นหลายไฟล์")]
    assert peak < PEAK_BYTES * 2


def test_a_workbook_that_unpacks_too_big_is_refused_before_parsing(editions, agency_a):
    """A shared-strings part of 25 MB of blanks packs into a few KB; openpyxl would load it whole."""
    good = io.BytesIO(widened_workbook(agency_a))
    bomb = io.BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            target.writestr(part, source.read(part.filename))
        target.writestr("xl/sharedStrings.xml", "<sst>" + " " * (25 * 1024 * 1024) + "</sst>")
    content = bomb.getvalue()
    assert len(content) < 100_000
    plan, peak, _elapsed = measured(transfer.check_file, io.BytesIO(content), "strings.xlsx")
    assert len(plan.errors) == 1 and plan.errors[0].row == 0
    assert "ใหญ่ผิดปกติ" in plan.errors[0].message
    assert peak < 5 * 1024 * 1024  # refused from the zip directory, nothing unpacked
