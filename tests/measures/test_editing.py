"""Creating plans and measures; two people editing the same measure."""

from datetime import date

import pytest
from django.urls import reverse

from measures.models import Measure
from measures.services import plan_copy
from tests.measures.conftest import make_measure

pytestmark = pytest.mark.django_db


def measure_post(measure, *, version, **changes):
    data = {
        "version": version,
        "number": measure.number,
        "title": measure.title,
        "description": measure.description,
        "departments": [d.pk for d in measure.departments.all()],
        "starts": "1/10/2563",
        "ends": "30/9/2564",
        "monitoring": measure.monitoring,
        "budget": "",
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_coordinator_creates_a_measure_with_steps_and_be_dates(client, coordinator_a, plan, finance):
    client.force_login(coordinator_a)
    response = client.post(
        reverse("measures:measure_create", args=[plan.pk]),
        {
            "title": "เปิดเผยแผนการใช้จ่ายงบประมาณประจำปี",
            "departments": [finance.pk],
            "starts": "1/10/2563",
            "ends": "31/3/2564",
            "monitoring": "รายงานความก้าวหน้าและสรุปผล ณ สิ้นปีงบประมาณ",
            "steps-TOTAL_FORMS": "2",
            "steps-INITIAL_FORMS": "0",
            "steps-MIN_NUM_FORMS": "0",
            "steps-MAX_NUM_FORMS": "1000",
            "steps-0-title": "จัดทำแผนการใช้จ่าย",
            "steps-0-department": finance.pk,
            "steps-0-starts": "1/10/2563",
            "steps-0-ends": "31/12/2563",
            "steps-1-title": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    measure = Measure.objects.get()
    assert (measure.number, measure.starts, measure.ends) == (1, date(2020, 10, 1), date(2021, 3, 31))
    assert [s.title for s in measure.steps.all()] == ["จัดทำแผนการใช้จ่าย"]
    assert measure.steps.get().ends == date(2020, 12, 31)


def test_end_before_start_and_no_division_are_refused(client, coordinator_a, plan):
    client.force_login(coordinator_a)
    response = client.post(
        reverse("measures:measure_create", args=[plan.pk]),
        {
            "title": "x",
            "starts": "1/10/2564",
            "ends": "1/9/2564",
            "steps-TOTAL_FORMS": "0",
            "steps-INITIAL_FORMS": "0",
        },
    )
    content = response.content.decode()
    assert "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม" in content
    assert "เลือกส่วนราชการที่รับผิดชอบ" in content
    assert not Measure.objects.exists()


def test_second_save_of_a_stale_form_is_refused_showing_the_other_change(
    client, coordinator_a, agency_a, plan, finance
):
    from tests.factories import MembershipFactory

    measure = make_measure(plan, departments=[finance])
    other = MembershipFactory(agency=agency_a, is_coordinator=True, is_staff_member=False).user
    url = reverse("measures:measure_edit", args=[plan.pk, measure.pk])
    version = measure.version

    client.force_login(other)
    assert client.post(url, measure_post(measure, version=version, title="ชื่อที่ผู้อื่นแก้")).status_code == 302

    client.force_login(coordinator_a)
    response = client.post(url, measure_post(measure, version=version, title="ชื่อที่ฉันแก้"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "มีผู้อื่นบันทึกมาตรการนี้ระหว่างที่ท่านแก้ไข" in content
    assert "ชื่อที่ผู้อื่นแก้" in content  # their change is shown
    assert "ชื่อที่ฉันแก้" in content  # what I typed is still in the form
    measure.refresh_from_db()
    assert measure.title == "ชื่อที่ผู้อื่นแก้"

    # Saving again from the refreshed form is a conscious overwrite.
    new_version = response.context["form"]["version"].value()
    assert client.post(url, measure_post(measure, version=new_version, title="ชื่อที่ฉันแก้")).status_code == 302
    measure.refresh_from_db()
    assert measure.title == "ชื่อที่ฉันแก้"


def test_plan_copied_from_last_year_moves_dates_and_resets_progress(plan, finance):
    make_measure(
        plan,
        departments=[finance],
        status="done",
        percent=100,
        steps=[{"title": "ขั้นที่ ๑", "starts": date(2020, 10, 1), "ends": date(2021, 2, 28)}],
    )
    copy = plan_copy(source=plan, fiscal_year=2565)
    measure = copy.measures.get()
    assert (measure.starts, measure.ends, measure.status, measure.percent) == (
        date(2021, 10, 1),
        date(2022, 9, 30),
        "not_started",
        0,
    )
    assert list(measure.departments.all()) == [finance]
    assert measure.steps.get().ends == date(2022, 2, 28)


def test_plan_pages_render(client, coordinator_a, plan, finance):
    make_measure(
        plan, departments=[finance], steps=[{"title": "ขั้นที่ ๑", "starts": date(2020, 10, 1), "ends": date(2021, 2, 28)}]
    )
    client.force_login(coordinator_a)
    for name in ["plan_detail", "plan_timeline", "plan_as_of"]:
        response = client.get(reverse(f"measures:{name}", args=[plan.pk]))
        assert response.status_code == 200, name
    content = client.get(reverse("measures:plan_detail", args=[plan.pk])).content.decode()
    assert "ต.ค. ๖๓ – ก.ย. ๖๔" in content
    bad = client.get(reverse("measures:plan_as_of", args=[plan.pk]) + "?date=31/2/2564")
    assert "ไม่มีวันที่ 31 กุมภาพันธ์" in bad.content.decode()
