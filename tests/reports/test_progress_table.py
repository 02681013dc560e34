"""A task given to each division as its own step ("รายงานผลประจำเดือน" three times a month) is one line of a memo's
table naming the divisions, not the same line again and again (bangpu's 2570 measure ๔ filled two pages)."""

from datetime import date

import pytest

from measures.services import StepSpec, measure_create, plan_create
from reports.tables import plan_table, progress_table
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_steps_of_one_title_are_one_line_naming_their_units(agency_a):
    office, finance = (
        DepartmentFactory(agency=agency_a, name="สำนักปลัด"),
        DepartmentFactory(agency=agency_a, name="กองคลัง"),
    )
    plan = plan_create(agency=agency_a, fiscal_year=2570)
    steps = [
        StepSpec(title=f"รายงานผลประจำเดือน {month}", department=department)
        for month in ("10/2569", "11/2569")
        for department in (office, finance)
    ] + [StepSpec(title="สรุปผลทั้งปี", department=office)]
    measure_create(
        plan=plan,
        fields={"title": "รายงานผลประจำเดือน", "starts": date(2026, 10, 1), "ends": date(2027, 9, 30)},
        departments=[office, finance],
        steps=steps,
    )
    expected = [
        "-รายงานผลประจำเดือน 10/2569 (สำนักปลัด, กองคลัง)",
        "-รายงานผลประจำเดือน 11/2569 (สำนักปลัด, กองคลัง)",
        "-สรุปผลทั้งปี",
    ]
    assert progress_table(plan, date(2027, 3, 31))["rows"][0]["steps"] == expected
    assert plan_table(plan)["rows"][0]["steps"] == expected
