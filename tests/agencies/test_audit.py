"""The audit trail: who changed what, when, before and after; and who may read it."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.audit import audit_diff, audit_record
from agencies.models import AuditEntry
from assessments.frameworks import load_all
from assessments.models import Assessment, FrameworkEdition
from assessments.services import assessment_save
from measures.models import Status
from measures.services import measure_create, measure_update, plan_create, progress_record
from reports.models import Memo
from reports.services import chain_save, memo_create, memo_update
from reports.workflow import memo_transition
from tests.factories import DepartmentFactory, MembershipFactory

pytestmark = pytest.mark.django_db

SATENG_NOK_2566 = ["93.60", "80.28", "88.69", "82.71", "81.64", "80.09", "73.50", "79.89", "100.00", "73.75"]


@pytest.fixture
def editions(db):
    load_all()
    return {e.fiscal_year: e for e in FrameworkEdition.objects.all()}


def entry_data(values, version=0):
    """The entry form as posted: the scores and the version the form was opened at (0: a new assessment)."""
    return {"version": version, **{f"ind{n}": v for n, v in enumerate(values, start=1)}}


def test_diff_keeps_only_changed_fields():
    before, after = audit_diff({"title": "ก", "percent": 10, "gone": 1}, {"title": "ก", "percent": 50, "new": 2})
    assert before == {"percent": 10, "gone": 1}
    assert after == {"percent": 50, "new": 2}


def test_editing_scores_on_the_entry_page_records_who_and_before_after(client, coordinator_a, agency_a, editions):
    client.force_login(coordinator_a)
    url = reverse("assessments:entry", args=[2566])
    assert client.post(url, entry_data(SATENG_NOK_2566)).status_code == 302
    created = AuditEntry.objects.get()
    assessment = Assessment.objects.get(agency=agency_a)
    assert (created.action, created.object_type, created.object_id) == ("create", "assessment", assessment.pk)
    assert created.before == {} and created.after["indicator:3"] == "88.69" and created.after["total"] == "83.71"

    changed = list(SATENG_NOK_2566)
    changed[2] = "95.00"
    assert client.post(url, entry_data(changed, version=1)).status_code == 302
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).get()
    assert entry.actor == coordinator_a and entry.agency == agency_a
    assert entry.before["indicator:3"] == "88.69" and entry.after["indicator:3"] == "95.00"
    assert entry.before["total"] == "83.71" and entry.after["total"] != "83.71"
    assert "indicator:1" not in entry.before and "indicator:1" not in entry.after  # changed fields only

    # Saving the same scores again records nothing.
    assert client.post(url, entry_data(changed, version=2)).status_code == 302
    assert AuditEntry.objects.count() == 2

    page = client.get(reverse("agencies:audit", args=[agency_a.pk])).content.decode()
    assert "ตัวชี้วัดที่ ๓" in page and "๘๘.๖๙" in page and "๙๕.๐๐" in page  # in the page's digits
    assert coordinator_a.get_full_name() in page


def test_a_command_is_recorded_without_an_actor(client, coordinator_a, agency_a, editions):
    assessment_save(
        agency=agency_a,
        edition=editions[2566],
        indicator_scores={n: D(v) for n, v in enumerate(SATENG_NOK_2566, start=1)},
    )
    assert AuditEntry.objects.get().actor is None
    client.force_login(coordinator_a)
    assert "ระบบ (คำสั่งผู้ดูแลระบบ)" in client.get(reverse("agencies:audit", args=[agency_a.pk])).content.decode()


def test_measures_and_progress_are_recorded(agency_a, coordinator_a, staff_a):
    plan = plan_create(agency=agency_a, fiscal_year=2564)
    fields = {"title": "เปิดเผยข้อมูลการจัดซื้อจัดจ้าง", "starts": date(2020, 10, 1), "ends": date(2021, 9, 30)}
    fields["all_departments"] = True  # so the staff member's division reports on it
    measure = measure_create(plan=plan, fields=fields, by=coordinator_a)
    measure = measure_update(
        measure=measure,
        expected_version=measure.version,
        fields={**fields, "title": "เปิดเผยข้อมูลทุกไตรมาส"},
        by=coordinator_a,
    )
    update = progress_record(
        measure=measure, by=staff_a, reported_on=date(2021, 3, 31), status=Status.IN_PROGRESS, percent=40
    )
    entries = list(AuditEntry.objects.order_by("pk"))
    assert [(e.object_type, e.action) for e in entries] == [
        ("measure", "create"),
        ("measure", "update"),
        ("progress", "create"),
    ]
    assert entries[1].before == {"title": "เปิดเผยข้อมูลการจัดซื้อจัดจ้าง"}
    assert entries[1].after == {"title": "เปิดเผยข้อมูลทุกไตรมาส"}
    assert entries[2].object_id == update.pk and entries[2].actor == staff_a
    assert entries[2].before == {"status": "ยังไม่ดำเนินการ", "percent": 0}
    assert entries[2].after == {"status": "อยู่ระหว่างดำเนินการ", "percent": 40, "reported_on": "2021-03-31"}


def test_memo_moves_are_recorded(agency_a):
    office = DepartmentFactory(agency=agency_a, name="สำนักปลัดเทศบาล")
    author = MembershipFactory(agency=agency_a, department=office, is_coordinator=True).user
    head = MembershipFactory(agency=agency_a, department=office, is_approver=True, position_title="ปลัดเทศบาล")
    chain = chain_save(agency=agency_a, name="ปลัด", steps=[{"position_title": "ปลัดเทศบาล", "approvers": [head]}])
    memo = memo_create(
        agency=agency_a,
        author=author,
        fields={
            "kind": Memo.Kind.FREE,
            "department": office,
            "chain": chain,
            "subject": "ทดสอบ",
            "addressee": "ปลัดเทศบาล",
            "body": "ข้อความ",
        },
    )
    memo = memo_update(memo=memo, by=author, fields={"subject": "ทดสอบการแก้ไข"}, expected_version=memo.version)
    memo = memo_transition(memo=memo, action="submit", by=author)
    memo_transition(memo=memo, action="approve", by=head.user, step=1)
    entries = list(AuditEntry.objects.filter(object_type="memo").order_by("pk"))
    assert [(e.action, e.actor) for e in entries] == [
        ("create", author),
        ("update", author),
        ("transition", author),
        ("transition", head.user),
    ]
    assert entries[1].before == {"subject": "ทดสอบ"} and entries[1].after == {"subject": "ทดสอบการแก้ไข"}
    assert entries[2].before == {"status": "ร่าง", "current_step": None}
    assert entries[2].after == {"status": "รอพิจารณา", "current_step": 1, "action": "ส่งพิจารณา", "number": memo.number}
    assert entries[3].after["status"] == "อนุมัติแล้ว" and entries[3].after["decision"] == "อนุมัติ"


def test_admins_and_coordinators_read_the_trail_others_may_not(client, agency_a, admin_a, coordinator_a, staff_a):
    viewer = MembershipFactory(agency=agency_a, is_viewer=True, is_staff_member=False).user
    url = reverse("agencies:audit", args=[agency_a.pk])
    for user, status in [(admin_a, 200), (coordinator_a, 200), (staff_a, 403), (viewer, 403)]:
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(admin_a)
    assert url in client.get(reverse("agencies:detail", args=[agency_a.pk])).content.decode()
    client.force_login(staff_a)
    assert url not in client.get(reverse("agencies:detail", args=[agency_a.pk])).content.decode()


def test_another_agencys_trail_is_not_found(client, agency_a, coordinator_b):
    audit_record(agency=agency_a, actor=None, action="update", obj_type="measure", obj_id=1, summary="ลับ")
    client.force_login(coordinator_b)
    assert client.get(reverse("agencies:audit", args=[agency_a.pk])).status_code == 404


def test_filter_by_object_type_and_pages_of_fifty(client, agency_a, coordinator_a):
    for n in range(55):
        audit_record(
            agency=agency_a, actor=coordinator_a, action="update", obj_type="measure", obj_id=n, summary=f"ม{n}"
        )
    audit_record(agency=agency_a, actor=coordinator_a, action="transition", obj_type="memo", obj_id=1, summary="บันทึก")
    client.force_login(coordinator_a)
    url = reverse("agencies:audit", args=[agency_a.pk])
    assert len(client.get(url).context["page"].object_list) == 50
    memos = client.get(url, {"type": "memo"}).context["page"]
    assert [e.summary for e in memos] == ["บันทึก"]


def test_the_trail_page_runs_a_bounded_number_of_queries(client, agency_a, coordinator_a):
    client.force_login(coordinator_a)
    url = reverse("agencies:audit", args=[agency_a.pk])

    def queries(extra: int) -> int:
        for n in range(extra):
            person = MembershipFactory(agency=agency_a).user
            audit_record(
                agency=agency_a,
                actor=person,
                action="update",
                obj_type="measure",
                obj_id=n,
                summary="x",
                after={"n": n},
            )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert queries(3) == queries(30)
