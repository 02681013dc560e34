"""Staff's work on the dashboard and "my measures": across this and last year's plans, opening on the plan
that still has open work, with a switch of years; and the due dates of the cycle from the agency's settings."""

from __future__ import annotations

from datetime import date

import pytest

from agencies.models import Agency
from assessments import calendar
from measures.models import Status
from measures.services import StepSpec, measure_create, plan_create
from tests.factories import DepartmentFactory, MembershipFactory


@pytest.fixture
def staff(agency_a):
    department = DepartmentFactory(agency=agency_a, name="กองคลัง")
    return MembershipFactory(agency=agency_a, department=department, is_staff_member=True)


def _measure(plan, department, number, title, starts, ends, *, step_ends=None, status=None):
    measure = measure_create(
        plan=plan,
        fields={"number": number, "title": title, "starts": starts, "ends": ends},
        departments=[department],
        steps=[StepSpec(title=f"ขั้นตอนของ{title}", department=department, owner="", starts=starts, ends=step_ends)]
        if step_ends
        else None,
    )
    if status:
        type(measure).objects.filter(pk=measure.pk).update(status=status, percent=100)
    return measure


@pytest.mark.django_db
def test_staff_sees_late_and_soon_work_across_plans_with_a_progress_link(client, settings, staff):
    settings.ITA_TODAY = date(2026, 11, 29)
    agency, department = staff.agency, staff.department
    last_year = plan_create(agency=agency, fiscal_year=2569)
    this_year = plan_create(agency=agency, fiscal_year=2570)
    late = _measure(last_year, department, 1, "มาตรการปีก่อนที่ยังค้าง", date(2025, 10, 1), date(2026, 9, 30))
    soon = _measure(this_year, department, 1, "มาตรการที่ใกล้ครบกำหนด", date(2026, 10, 1), date(2026, 12, 20))
    _measure(
        this_year, department, 2, "มาตรการปลายปี", date(2026, 10, 1), date(2027, 9, 30), step_ends=date(2026, 12, 15)
    )
    _measure(this_year, department, 3, "มาตรการที่เสร็จแล้ว", date(2026, 10, 1), date(2026, 11, 1), status=Status.DONE)
    old = plan_create(agency=agency, fiscal_year=2565)
    _measure(old, department, 1, "มาตรการเก่าห้าปีก่อน", date(2021, 10, 1), date(2022, 9, 30))

    client.force_login(staff.user)
    html = client.get("/").content.decode()
    panel = html[html.index("my-work-panel") :]
    assert "มาตรการปีก่อนที่ยังค้าง" in panel and "เลยกำหนด ๖๐ วัน" in panel
    assert "มาตรการที่ใกล้ครบกำหนด" in panel
    assert "ขั้นตอนของมาตรการปลายปี" in panel
    assert "มาตรการที่เสร็จแล้ว" not in panel
    assert "มาตรการเก่าห้าปีก่อน" not in panel  # older plans are history
    assert f"/measures/{late.pk}/progress/" in panel and f"/measures/{soon.pk}/progress/" in panel

    # "My measures" opens on last year's plan while it has open work, and switches years; a plan left open for
    # years is named with a link, not opened on.
    html = client.get("/measures/mine/").content.decode()
    assert "year-switch" in html
    assert "มาตรการปีก่อนที่ยังค้าง" in html and "มาตรการเก่าห้าปีก่อน" not in html
    notice = html[html.index("older-open") :]
    assert 'href="?year=2565">๒๕๖๕</a>' in notice[: notice.index("</div>")]
    html = client.get("/measures/mine/?year=2565").content.decode()
    assert "มาตรการเก่าห้าปีก่อน" in html
    html = client.get("/measures/mine/?year=2570").content.decode()
    assert "มาตรการที่ใกล้ครบกำหนด" in html and "มาตรการปีก่อนที่ยังค้าง" not in html


@pytest.mark.django_db
def test_my_measures_opens_on_this_year_once_last_years_work_is_closed(client, settings, staff):
    settings.ITA_TODAY = date(2026, 11, 29)
    agency, department = staff.agency, staff.department
    for year, title, starts, ends, status in [
        (2569, "มาตรการปีก่อนที่ปิดแล้ว", date(2025, 10, 1), date(2026, 9, 30), Status.DONE),
        (2570, "มาตรการปีนี้", date(2026, 10, 1), date(2027, 9, 30), None),
        (2564, "มาตรการปี ๒๕๖๔ ที่ค้างไว้", date(2020, 10, 1), date(2021, 9, 30), None),
    ]:
        _measure(plan_create(agency=agency, fiscal_year=year), department, 1, title, starts, ends, status=status)
    client.force_login(staff.user)
    html = client.get("/measures/mine/").content.decode()
    assert "มาตรการปีนี้" in html and "มาตรการปี ๒๕๖๔ ที่ค้างไว้" not in html
    assert 'href="?year=2564">๒๕๖๔</a>' in html


@pytest.mark.django_db
def test_cycle_due_dates_follow_the_calendar_and_the_agencys_settings(agency_a):
    due = calendar.cycle_due_dates(agency_a, 2570)
    assert due["plan_approved"] == date(2026, 12, 31)  # 92 days from 1 October
    assert due["progress_6"] == date(2027, 4, 30)
    assert due["progress_12"] == date(2027, 10, 30)
    assert due["published"] == date(2027, 4, 30)  # the typical OIT deadline: no edition 2570 here
    Agency.objects.filter(pk=agency_a.pk).update(plan_due_days=61, report_due_days=15)
    agency_a.refresh_from_db()
    due = calendar.cycle_due_dates(agency_a, 2570)
    assert due["plan_approved"] == date(2026, 11, 30)
    assert due["progress_6"] == date(2027, 4, 15)
    cal = calendar.edition_deadlines(None, fiscal_year=2570)
    assert cal.is_typical("oit_deadline") and cal.oit_deadline == date(2027, 4, 30)
