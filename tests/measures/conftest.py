from datetime import date

import pytest

from measures.services import StepSpec, measure_create, plan_create
from tests.factories import DepartmentFactory, MembershipFactory


@pytest.fixture
def finance(agency_a):
    return DepartmentFactory(agency=agency_a, name="กองคลัง")


@pytest.fixture
def works(agency_a):
    return DepartmentFactory(agency=agency_a, name="กองช่าง")


@pytest.fixture
def finance_staff(agency_a, finance):
    return MembershipFactory(agency=agency_a, department=finance, is_staff_member=True).user


@pytest.fixture
def works_staff(agency_a, works):
    return MembershipFactory(agency=agency_a, department=works, is_staff_member=True).user


@pytest.fixture
def plan(agency_a):
    return plan_create(agency=agency_a, fiscal_year=2564)


def make_measure(plan, *, number=None, departments=(), all_departments=False, steps=(), **fields):
    values = {
        "title": "จัดทำหลักเกณฑ์การยืมทรัพย์สินของทางราชการ",
        "starts": date(2020, 10, 1),
        "ends": date(2021, 9, 30),
        "all_departments": all_departments,
        **fields,
    }
    if number is not None:
        values["number"] = number
    return measure_create(
        plan=plan, fields=values, departments=list(departments), steps=[StepSpec(**s) for s in steps]
    )


@pytest.fixture
def finance_measure(plan, finance):
    return make_measure(plan, departments=[finance])


@pytest.fixture
def works_measure(plan, works):
    return make_measure(plan, departments=[works], title="ปรับปรุงเว็บไซต์ของหน่วยงาน")
