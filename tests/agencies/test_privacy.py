"""Personal data (PDPA): the public privacy notice, and closing the account of a person who left."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from agencies.models import AuditEntry, Membership
from reports.models import Memo
from reports.services import chain_save, memo_create
from reports.workflow import memo_transition
from tests.factories import DepartmentFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_privacy_notice_is_public_and_linked_from_every_page(client):
    response = client.get(reverse("privacy"))
    assert response.status_code == 200
    page = response.content.decode()
    for words in ("ชื่อ นามสกุล", "ตำแหน่ง", "อีเมล", "ส่วนราชการ", "บันทึกการเข้าสู่ระบบ", "ประวัติการแก้ไขข้อมูล", "ไฟล์หลักฐาน"):
        assert words in page, words
    for heading in ("เก็บเพื่ออะไร", "ใครเห็นข้อมูล", "เก็บนานเท่าใด", "สิทธิของท่านและการติดต่อ"):
        assert heading in page, heading
    assert reverse("privacy") in client.get(reverse("login")).content.decode()


def test_unchecking_active_ends_the_membership_only(client, agency_a, admin_a, staff_a):
    membership = Membership.objects.get(user=staff_a, agency=agency_a)
    client.force_login(admin_a)
    response = client.post(
        reverse("agencies:membership_edit", args=[agency_a.pk, membership.pk]),
        {"department": membership.department_id, "position_title": membership.position_title, "roles": ["staff"]},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    staff_a.refresh_from_db()
    assert not membership.is_active and staff_a.is_active


@pytest.fixture
def signed_memo(agency_a):
    """A memo that ``signer`` approved: their name and position are on it."""
    office = DepartmentFactory(agency=agency_a, name="สำนักปลัดเทศบาล")
    author = MembershipFactory(agency=agency_a, department=office, is_coordinator=True).user
    signer = MembershipFactory(
        agency=agency_a, department=office, is_approver=True, user__first_name="นางจำปา", user__last_name="นิลวงศ์"
    )
    chain = chain_save(agency=agency_a, name="ปลัด", steps=[{"position_title": "ปลัดเทศบาล", "approvers": [signer]}])
    memo = memo_create(
        agency=agency_a,
        author=author,
        fields={"kind": Memo.Kind.FREE, "department": office, "chain": chain, "subject": "ทดสอบ", "addressee": "ปลัด"},
    )
    memo_transition(memo=memo, action="submit", by=author)
    memo_transition(memo=memo, action="approve", by=signer.user, step=1)
    return memo, signer, author


def test_suspending_a_person_logs_them_out_everywhere_and_keeps_their_signature(
    client, agency_a, admin_a, signed_memo
):
    memo, signer, author = signed_memo
    theirs, other_device = Client(), Client()
    for device in (theirs, other_device):
        device.force_login(signer.user)
        assert device.get(reverse("dashboard")).status_code == 200
    bystander = Client()
    bystander.force_login(author)

    client.force_login(admin_a)
    edit = client.get(reverse("agencies:membership_edit", args=[agency_a.pk, signer.pk])).content.decode()
    suspend_url = reverse("agencies:person_suspend", args=[agency_a.pk, signer.pk])
    assert "ระงับบัญชีผู้ใช้" in edit and suspend_url in edit
    response = client.post(suspend_url)
    assert response.status_code == 302

    signer.refresh_from_db()
    signer.user.refresh_from_db()
    assert not signer.is_active and not signer.user.is_active
    # Both of their sessions are gone; the next request goes to the login page.
    for device in (theirs, other_device):
        response = device.get(reverse("dashboard"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    # Nobody else was logged out.
    assert bystander.get(reverse("dashboard")).status_code == 200
    assert Session.objects.count() == 2  # the admin's and the bystander's

    # The memo they signed still carries their name, for everyone who reads it.
    page = bystander.get(reverse("reports:memo_detail", args=[memo.pk])).content.decode()
    assert "(นางจำปา นิลวงศ์)" in page
    entry = AuditEntry.objects.get(object_type="membership")
    assert entry.actor == admin_a and entry.after == {"is_active": False, "user_is_active": False}


def test_a_person_who_works_in_another_agency_is_not_suspended(client, agency_a, agency_b, admin_a, staff_a):
    MembershipFactory(user=staff_a, agency=agency_b)
    membership = Membership.objects.get(user=staff_a, agency=agency_a)
    client.force_login(admin_a)
    edit = client.get(reverse("agencies:membership_edit", args=[agency_a.pk, membership.pk])).content.decode()
    assert "ยังเป็นบุคลากรของหน่วยงานอื่น" in edit
    response = client.post(reverse("agencies:person_suspend", args=[agency_a.pk, membership.pk]), follow=True)
    assert "ยังเป็นบุคลากรของหน่วยงานอื่น" in response.content.decode()
    staff_a.refresh_from_db()
    membership.refresh_from_db()
    assert staff_a.is_active and membership.is_active


def test_only_an_agency_admin_suspends_and_not_themselves(client, agency_a, admin_a, coordinator_a, staff_a):
    membership = Membership.objects.get(user=staff_a, agency=agency_a)
    client.force_login(coordinator_a)
    assert client.post(reverse("agencies:person_suspend", args=[agency_a.pk, membership.pk])).status_code == 403
    client.force_login(admin_a)
    own = Membership.objects.get(user=admin_a, agency=agency_a)
    client.post(reverse("agencies:person_suspend", args=[agency_a.pk, own.pk]))
    admin_a.refresh_from_db()
    staff_a.refresh_from_db()
    assert admin_a.is_active and staff_a.is_active
