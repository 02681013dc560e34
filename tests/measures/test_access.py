"""Staff update their own division's measures only; other agencies' measures do not exist for them;
viewers change nothing."""

from datetime import date

import pytest
from django.urls import reverse

from measures.models import Measure, ProgressUpdate, Status
from measures.services import plan_create
from tests.factories import DepartmentFactory, MembershipFactory
from tests.measures.conftest import make_measure

pytestmark = pytest.mark.django_db


def progress(**extra):
    return {"reported_on": "15/3/2564", "status": "in_progress", "percent": "40", "summary": "ร่างหลักเกณฑ์แล้ว", **extra}


def test_finance_staff_updates_finance_measure(client, finance_staff, finance_measure):
    client.force_login(finance_staff)
    url = reverse("measures:progress_create", args=[finance_measure.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, progress())
    assert response.status_code == 302
    finance_measure.refresh_from_db()
    assert finance_measure.status == Status.IN_PROGRESS and finance_measure.percent == 40
    update = finance_measure.updates.get()
    assert update.reported_on == date(2021, 3, 15) and update.created_by == finance_staff


def test_finance_staff_cannot_update_another_divisions_measure(client, finance_staff, works_measure):
    client.force_login(finance_staff)
    url = reverse("measures:progress_create", args=[works_measure.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, progress()).status_code == 403
    assert not ProgressUpdate.objects.exists()
    # They may still read it: it is their agency's plan.
    assert client.get(works_measure.get_absolute_url()).status_code == 200


def test_measure_of_every_division_is_everyones(client, finance_staff, plan):
    measure = make_measure(plan, all_departments=True)
    client.force_login(finance_staff)
    assert client.post(reverse("measures:progress_create", args=[measure.pk]), progress()).status_code == 302


def test_other_agencys_measures_are_404(client, finance_staff, agency_b):
    other_plan = plan_create(agency=agency_b, fiscal_year=2564)
    other = make_measure(other_plan, departments=[DepartmentFactory(agency=agency_b, name="กองคลัง")])
    client.force_login(finance_staff)
    for url in [
        other.get_absolute_url(),
        reverse("measures:progress_create", args=[other.pk]),
        other_plan.get_absolute_url(),
        reverse("measures:plan_timeline", args=[other_plan.pk]),
        reverse("measures:plan_as_of", args=[other_plan.pk]),
        reverse("measures:measure_edit", args=[other_plan.pk, other.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("measures:progress_create", args=[other.pk]), progress()).status_code == 404
    assert not ProgressUpdate.objects.exists()


def test_viewer_can_read_but_change_nothing(client, agency_a, plan, finance_measure):
    viewer = MembershipFactory(agency=agency_a, is_viewer=True, is_staff_member=False, department=None).user
    client.force_login(viewer)
    assert client.get(plan.get_absolute_url()).status_code == 200
    assert client.get(finance_measure.get_absolute_url()).status_code == 200
    assert client.post(reverse("measures:progress_create", args=[finance_measure.pk]), progress()).status_code == 403
    assert client.post(reverse("measures:measure_edit", args=[plan.pk, finance_measure.pk]), {}).status_code == 403
    assert (
        client.post(reverse("measures:plan_create"), {"fiscal_year": 2565, "start_from": "empty"}).status_code == 403
    )
    assert not ProgressUpdate.objects.exists()


def test_staff_cannot_edit_measures(client, finance_staff, plan, finance_measure):
    client.force_login(finance_staff)
    assert client.get(reverse("measures:measure_edit", args=[plan.pk, finance_measure.pk])).status_code == 403
    assert client.get(reverse("measures:measure_create", args=[plan.pk])).status_code == 403


def test_my_measures_lists_my_division_first_what_is_late(client, finance_staff, plan, finance, works):
    late = make_measure(plan, departments=[finance], ends=date(2020, 12, 31), title="มาตรการล่าช้า")
    make_measure(plan, departments=[finance], title="มาตรการตามกำหนด")
    make_measure(plan, departments=[works], title="มาตรการของกองช่าง")
    client.force_login(finance_staff)
    response = client.get(reverse("measures:mine") + "?year=2564")
    shown = response.context["measures"]
    assert [m.title for m in shown] == ["มาตรการล่าช้า", "มาตรการตามกำหนด"]
    assert shown[0] == late
    assert reverse("measures:progress_create", args=[late.pk]) in response.content.decode()


def test_cancelling_needs_a_reason(client, finance_staff, finance_measure):
    client.force_login(finance_staff)
    url = reverse("measures:progress_create", args=[finance_measure.pk])
    response = client.post(url, progress(status="cancelled", percent="0"))
    assert "ระบุเหตุผลที่ยกเลิกมาตรการ" in response.content.decode()
    client.post(url, progress(status="cancelled", percent="0", cancel_reason="ไม่ได้รับงบประมาณ"))
    assert Measure.objects.get(pk=finance_measure.pk).cancel_reason == "ไม่ได้รับงบประมาณ"


def test_a_backdated_update_does_not_overwrite_the_newer_state(client, finance_staff, finance_measure):
    client.force_login(finance_staff)
    url = reverse("measures:progress_create", args=[finance_measure.pk])
    client.post(url, progress(reported_on="1/4/2564", status="done", percent="100"))
    client.post(url, progress(reported_on="1/3/2564", status="in_progress", percent="30"))
    finance_measure.refresh_from_db()
    assert finance_measure.status == Status.DONE
    assert finance_measure.updates.count() == 2
