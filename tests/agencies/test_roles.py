"""What each role may do with its own agency's people and settings."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from agencies.models import Department, Membership
from tests.factories import DepartmentFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_staff_cannot_edit_agency_settings(client, staff_a, agency_a):
    client.force_login(staff_a)
    assert client.get(reverse("agencies:update", args=[agency_a.pk])).status_code == 403
    assert client.post(reverse("agencies:update", args=[agency_a.pk]), {"phone": "1"}).status_code == 403


def test_staff_does_not_see_the_people_list(client, staff_a, agency_a, coordinator_a):
    client.force_login(staff_a)
    response = client.get(agency_a.get_absolute_url())
    assert response.status_code == 200
    assert coordinator_a.get_full_name() not in response.content.decode()


def test_agency_admin_edits_settings(client, admin_a, agency_a):
    client.force_login(admin_a)
    response = client.post(
        reverse("agencies:update", args=[agency_a.pk]),
        {"district": "ยะหริ่ง", "address": "หมู่ ๑", "phone": "073-000-000", "email": "saraban@bangpu.go.th"},
    )
    assert response.status_code == 302
    agency_a.refresh_from_db()
    assert agency_a.email == "saraban@bangpu.go.th"
    assert agency_a.use_thai_digits is False  # an unchecked box is an answer


def test_agency_admin_adds_a_department_and_duplicate_is_refused(client, admin_a, agency_a):
    client.force_login(admin_a)
    url = reverse("agencies:department_add", args=[agency_a.pk])
    data = {"name": "กองคลัง", "letter_code": "ปน 52701.2", "phone": "", "email": "", "order": 2}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 200
    assert "มีส่วนราชการชื่อนี้ในหน่วยงานแล้ว" in response.content.decode()
    assert Department.objects.filter(agency=agency_a, name="กองคลัง").count() == 1


def test_agency_admin_adds_a_person_with_roles(client, admin_a, agency_a):
    department = DepartmentFactory(agency=agency_a, name="กองคลัง")
    client.force_login(admin_a)
    response = client.post(
        reverse("agencies:person_add", args=[agency_a.pk]),
        {
            "person-username": "finance1",
            "person-first_name": "นางสาวเงิน",
            "person-last_name": "ทองคำ",
            "person-email": "",
            "membership-department": department.pk,
            "membership-position_title": "นักวิชาการเงินและบัญชี",
            "membership-roles": ["staff", "approver"],
            "membership-is_active": "on",
        },
        follow=True,
    )
    membership = Membership.objects.get(user__username="finance1")
    assert membership.agency == agency_a
    assert set(membership.roles) == {"staff", "approver"}
    assert "รหัสผ่านชั่วคราว" in response.content.decode()


def test_person_without_role_is_refused_and_nothing_saved(client, admin_a, agency_a):
    client.force_login(admin_a)
    response = client.post(
        reverse("agencies:person_add", args=[agency_a.pk]),
        {
            "person-username": "norole",
            "person-first_name": "นาย",
            "person-last_name": "ก",
            "membership-is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "membership-roles" in response.content.decode()
    assert not get_user_model().objects.filter(username="norole").exists()


def test_staff_role_needs_a_department_and_nothing_is_saved(client, admin_a, agency_a):
    client.force_login(admin_a)
    response = client.post(
        reverse("agencies:person_add", args=[agency_a.pk]),
        {
            "person-username": "nodept",
            "person-first_name": "นาย",
            "person-last_name": "ข",
            "membership-roles": ["staff"],
            "membership-is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "เจ้าหน้าที่ผู้รายงานผลต้องสังกัดส่วนราชการ" in response.content.decode()
    assert not get_user_model().objects.filter(username="nodept").exists()


def test_membership_department_must_be_of_the_same_agency(client, admin_a, agency_a, agency_b):
    other_department = DepartmentFactory(agency=agency_b)
    membership = MembershipFactory(agency=agency_a)
    client.force_login(admin_a)
    response = client.post(
        reverse("agencies:membership_edit", args=[agency_a.pk, membership.pk]),
        {"department": other_department.pk, "position_title": "x", "roles": ["staff"], "is_active": "on"},
    )
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.department.agency == agency_a


def test_refusal_page_is_thai(client, staff_a, agency_a):
    client.force_login(staff_a)
    response = client.get(reverse("agencies:update", args=[agency_a.pk]))
    assert response.status_code == 403
    assert "ท่านไม่มีสิทธิ์ดำเนินการนี้" in response.content.decode()
