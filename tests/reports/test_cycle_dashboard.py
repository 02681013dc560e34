"""The cycle dashboard of each demo role, on several days across the fiscal year, and the viewer's oversight
table (bounded queries, exports)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from agencies.models import Agency, Membership
from ita_tracker.thai import fiscal_year, thai_digits

User = get_user_model()
DAYS = [date(2026, 10, 5), date(2026, 11, 29), date(2027, 4, 10), date(2027, 9, 20)]


def _page(client, username: str, path: str = "/") -> str:
    client.force_login(User.objects.get(username=username))
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def _section(html: str, css_class: str) -> str:
    start = html.index(css_class)
    return html[start : start + 8000]


@pytest.mark.django_db
@pytest.mark.parametrize("today", DAYS, ids=[d.isoformat() for d in DAYS])
def test_each_role_sees_this_fiscal_years_work(client, settings, today):
    call_command("load_demo", today=today, stdout=io.StringIO())
    settings.ITA_TODAY = today
    year = thai_digits(fiscal_year(today))

    # Coordinator: the checklist of this year; บางปู's plan memo approved and published, บางเก่า's returned.
    html = _page(client, "bangpu.plan")
    checklist = _section(html, "cycle-checklist")
    assert f"งาน ITA ประจำปีงบประมาณ {year}" in checklist
    assert 'data-step="plan_approved" data-state="done"' in checklist
    assert 'data-step="published" data-state="done"' in checklist
    assert 'data-step="results" data-state="done"' in checklist
    html = _page(client, "bangkao.plan")
    checklist = _section(html, "cycle-checklist")
    assert 'data-step="plan_approved" data-state="done"' not in checklist
    assert "ส่งคืนแก้ไข" in checklist and "แก้ไขและส่ง" in checklist

    # Staff: work of this year's plan due within 30 days or late, each with a link to record progress.
    html = _page(client, "bangpu.finance")
    work = _section(html, "my-work-panel")
    assert f"แผนปี {year}" in work
    assert "/progress/" in work

    # Approver: memos waiting, with how long they have waited.
    html = _page(client, "bangpu.head")
    waiting = _section(html, "waiting-panel")
    assert f"ปีงบประมาณ {thai_digits(fiscal_year(today))}" in waiting  # the subject in the page's digits
    assert "รอมาแล้ว ๑๒ วัน" in waiting
    html = _page(client, "chorakha.palat")
    assert "รอมาแล้ว ๕ วัน" in _section(html, "waiting-panel")

    # Author: returned memos first, with the returning comment.
    html = _page(client, "bangkao.plan")
    memos = _section(html, "my-memos-panel")
    assert (
        memos.index('data-status="returned"') < memos.find('data-status="draft"') or 'data-status="draft"' not in memos
    )
    assert "โปรดระบุตัวชี้วัดที่มาตรการที่ ๒ ตอบ" in memos

    # Viewer: the province's agencies counted per step of this year.
    html = _page(client, "province.viewer")
    summary = _section(html, "oversight-panel")
    total = Agency.objects.visible_to(User.objects.get(username="province.viewer")).count()
    assert total >= 35
    assert f"ปีงบประมาณ {year}" in summary
    assert f"จาก {thai_digits(total)} แห่งยังไม่อนุมัติแผนมาตรการ" in summary


def _viewer_with_agencies(n: int):
    viewer = User.objects.create_user("viewer", password="x")
    agencies = Agency.objects.bulk_create(
        [Agency(name=f"อบต.ทดสอบ {i}", type=Agency.Type.SAO, province="ปัตตานี", code=f"t{i}") for i in range(n)]
    )
    Membership.objects.bulk_create([Membership(user=viewer, agency=a, is_viewer=True) for a in agencies])
    return viewer


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_oversight_table_queries_do_not_grow_with_agencies(client):
    viewer = _viewer_with_agencies(8)
    client.force_login(viewer)
    cold_small = _queries(client, "/reports/oversight/")
    warm_small = _queries(client, "/reports/oversight/")
    Membership.objects.bulk_create(
        [
            Membership(user=viewer, agency=a, is_viewer=True)
            for a in Agency.objects.bulk_create(
                [Agency(name=f"ทต.ทดสอบ {i}", type=Agency.Type.SAO, province="ยะลา", code=f"u{i}") for i in range(120)]
            )
        ]
    )
    cache.clear()
    cold_large = _queries(client, "/reports/oversight/")
    warm_large = _queries(client, "/reports/oversight/")
    assert (cold_small, warm_small) == (cold_large, warm_large)
    # Kept: the counts, the page total and the provinces are not read again within five minutes.
    assert warm_large < cold_large
    html = client.get("/reports/oversight/").content.decode()
    assert '๑๒๘ <span class="fs-6 text-muted">/ ๑๒๘</span>' in html  # none has entered a result
    # The first visit computes the figures kept for a viewer of many agencies (agencies.scope); the next read them.
    client.get("/")
    assert "หน้า ๑ จาก ๓" in html
    assert _queries(client, "/") == _queries(client, "/")


@pytest.mark.django_db
def test_oversight_counts_are_kept_and_dated_while_the_rows_stay_live(client, settings):
    settings.ITA_TODAY = date(2026, 11, 29)
    viewer = _viewer_with_agencies(3)
    client.force_login(viewer)
    html = client.get("/reports/oversight/").content.decode()
    assert '๓ <span class="fs-6 text-muted">/ ๓</span>' in html
    assert "ตัวเลขสรุป ณ " in html and "ปรับทุก ๕ นาที" in html
    Agency.objects.filter(name="อบต.ทดสอบ 2").update(name="อบต.เปลี่ยนชื่อ")
    Membership.objects.filter(agency__name="อบต.ทดสอบ 1").delete()
    html = client.get("/reports/oversight/").content.decode()
    assert '๓ <span class="fs-6 text-muted">/ ๓</span>' in html  # the kept figure
    assert "อบต.เปลี่ยนชื่อ" in html and "อบต.ทดสอบ 1" not in html  # the rows, live
    # Each filter has figures of its own; filtering by stage takes the table's count from the same figures.
    html = client.get("/reports/oversight/?q=ทดสอบ").content.decode()
    assert '๑ <span class="fs-6 text-muted">/ ๑</span>' in html
    html = client.get("/reports/oversight/?stage=results").content.decode()
    assert "๓ หน่วยงาน" in html
    html = client.get("/reports/oversight/?stage=analysis").content.decode()
    assert "๐ หน่วยงาน" in html and "ไม่มีหน่วยงานตามเงื่อนไข" in html


@pytest.mark.django_db
def test_oversight_exports_every_filtered_agency(client):
    viewer = _viewer_with_agencies(60)
    client.force_login(viewer)
    response = client.get("/reports/oversight/?format=csv&q=ทดสอบ 5")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "หน่วยงาน"
    assert sorted(r[0] for r in rows[1:]) == sorted(f"อบต.ทดสอบ {i}" for i in [5, *range(50, 60)])
    assert all(r[-1] == "ยังไม่บันทึกผลการประเมินปีที่แล้ว" for r in rows[1:])
    response = client.get("/reports/oversight/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 63  # title, a blank line, header, 60 agencies (the workbook base)
    page = client.get("/reports/oversight/").content.decode()
    assert "หน้า ๑ จาก ๒" in page


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "province=ปัตตานี&stage=analysis"], ids=["all", "pattani-not-analysed"])
def test_oversight_workbook_keeps_the_csvs_columns_for_the_same_filters(client, query):
    """A blank step cell means "not done": a step nobody has done (no 12-month report yet; none analysed among
    the agencies filtered as not analysed) is what the viewer wants to see, so the workbook keeps its column."""
    call_command("load_demo", stdout=io.StringIO())
    client.force_login(User.objects.get(username="province.viewer"))
    response = client.get(f"/reports/oversight/?format=csv&{query}")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(table) > 1 and len(table[0]) == 12
    sheet = load_workbook(io.BytesIO(client.get(f"/reports/oversight/?format=xlsx&{query}").content)).active
    header = int(sheet.print_title_rows.split(":")[0].lstrip("$"))
    rows = [["" if v is None else v for v in row] for row in sheet.iter_rows(min_row=header, values_only=True)]
    assert rows[0] == table[0]  # the same columns, in the same order
    assert rows == table  # and the same cells under them
    heading = sheet["A1"].value  # in the page's digits, as the column headers under it
    assert re.search("[๐-๙]{4}", heading) and not re.search("[0-9]", heading), heading


@pytest.mark.django_db
def test_oversight_shows_only_the_viewers_agencies(client):
    _viewer_with_agencies(3)
    Agency.objects.create(name="เทศบาลอื่น", type=Agency.Type.TOWN, province="ยะลา", code="other")
    client.force_login(User.objects.get(username="viewer"))
    html = client.get("/reports/oversight/").content.decode()
    assert "เทศบาลอื่น" not in html
    assert "อบต.ทดสอบ 2" in html


@pytest.mark.django_db
def test_a_viewer_who_approves_nowhere_has_nothing_awaiting_for_one_query():
    from reports.models import Memo

    viewer = _viewer_with_agencies(5)
    with CaptureQueriesContext(connection) as ctx:
        assert Memo.objects.awaiting(viewer).count() == 0
    assert len(ctx.captured_queries) == 1  # the approver memberships, none: no scan of the routes
