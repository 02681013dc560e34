"""Audit everywhere (issue 10): the models the trail covers are read-only in the Django admin, and every write
the trail covers (divisions, people, measure steps and targets, item scores, approval chains) leaves an entry.

A superuser who POSTs a change in the admin gets 403 and the row stays as it was, with no entry: the only way
to change these rows is through their services, which write the trail in the same transaction.
"""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies.models import AuditEntry, Department
from agencies.services import department_delete, membership_save
from assessments.frameworks import load_all
from assessments.models import Assessment, FrameworkEdition
from assessments.services import assessment_save
from measures.models import Measure, ProgressUpdate, Status
from measures.services import StepSpec, measure_create, measure_update, plan_create, progress_record
from reports.models import ApprovalChain, Memo
from reports.services import chain_save, memo_create
from tests.factories import DepartmentFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(agency_a, coordinator_a):
    office = DepartmentFactory(agency=agency_a, name="สำนักปลัดเทศบาล")
    approver = MembershipFactory(agency=agency_a, department=office, is_approver=True, position_title="ปลัดเทศบาล")
    chain = chain_save(agency=agency_a, name="ปลัด", steps=[{"position_title": "ปลัดเทศบาล", "approvers": [approver]}])
    plan = plan_create(agency=agency_a, fiscal_year=2564)
    measure = measure_create(
        plan=plan, fields={"title": "มาตรการเดิม", "starts": date(2020, 10, 1), "ends": date(2021, 9, 30)}
    )
    update = progress_record(
        measure=measure, by=coordinator_a, reported_on=date(2021, 1, 5), status=Status.IN_PROGRESS, percent=30
    )
    load_all()
    edition = FrameworkEdition.objects.get(fiscal_year=2566)
    assessment = assessment_save(agency=agency_a, edition=edition, indicator_scores={n: D("90") for n in range(1, 11)})
    memo = memo_create(
        agency=agency_a,
        author=coordinator_a,
        fields={"kind": "free", "department": office, "chain": chain, "subject": "เรื่องเดิม",
                "addressee": "นายก", "body": "ข้อความ"},
    )  # fmt: skip
    return {
        "department": office,
        "membership": approver,
        "approvalchain": chain,
        "measure": measure,
        "progressupdate": update,
        "assessment": assessment,
        "memo": memo,
    }


# (admin URL name, object key, a field and the value a POST tries to put there)
AUDITED = [
    ("agencies_department", "department", "name", "กองที่แก้ในหน้าผู้ดูแล"),
    ("agencies_membership", "membership", "position_title", "ตำแหน่งที่แก้ในหน้าผู้ดูแล"),
    ("reports_approvalchain", "approvalchain", "name", "สายที่แก้ในหน้าผู้ดูแล"),
    ("measures_measure", "measure", "title", "มาตรการที่แก้ในหน้าผู้ดูแล"),
    ("measures_progressupdate", "progressupdate", "percent", "90"),
    ("assessments_assessment", "assessment", "published_total", "12.00"),
    ("reports_memo", "memo", "subject", "เรื่องที่แก้ในหน้าผู้ดูแล"),
]


@pytest.mark.parametrize(("name", "key", "field", "value"), AUDITED, ids=[a[0] for a in AUDITED])
def test_a_superuser_cannot_change_audited_rows_in_the_admin(admin_client, rows, name, key, field, value):
    obj = rows[key]
    before = getattr(type(obj).objects.get(pk=obj.pk), field)
    entries = AuditEntry.objects.count()
    change = reverse(f"admin:{name}_change", args=[obj.pk])
    page = admin_client.get(change)
    assert page.status_code == 200  # shown, read-only
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.post(change, {field: value}).status_code == 403
    assert admin_client.post(reverse(f"admin:{name}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse(f"admin:{name}_add")).status_code == 403
    assert getattr(type(obj).objects.get(pk=obj.pk), field) == before
    assert AuditEntry.objects.count() == entries


def test_assessment_scores_are_shown_but_not_editable_in_the_admin(admin_client, rows):
    assessment = rows["assessment"]
    page = admin_client.get(reverse("admin:assessments_assessment_change", args=[assessment.pk]))
    formset = page.context["inline_admin_formsets"][0]
    assert not formset.has_change_permission and not formset.has_add_permission
    assert "90.00" in page.content.decode()


def _entries(object_type):
    return list(AuditEntry.objects.filter(object_type=object_type).order_by("pk"))


def test_divisions_are_audited_on_create_update_and_delete(client, agency_a, admin_a):
    client.force_login(admin_a)
    data = {"name": "กองสาธารณสุข", "letter_code": "ปน 52701.7", "phone": "", "email": "", "order": 7}
    client.post(reverse("agencies:department_add", args=[agency_a.pk]), data)
    department = Department.objects.get(name="กองสาธารณสุข")
    client.post(
        reverse("agencies:department_edit", args=[agency_a.pk, department.pk]), {**data, "phone": "0-7331-0000"}
    )
    department_delete(department=department, by=admin_a)
    created, updated, deleted = _entries(AuditEntry.ObjectType.DEPARTMENT)
    assert (created.action, created.actor, created.after["name"]) == ("create", admin_a, "กองสาธารณสุข")
    assert (updated.before, updated.after) == ({"phone": ""}, {"phone": "0-7331-0000"})
    assert (deleted.action, deleted.before["letter_code"]) == ("delete", "ปน 52701.7")


def test_a_division_a_memo_names_is_not_deleted(rows, admin_a):
    office = rows["department"]
    with pytest.raises(ValidationError) as excinfo:
        department_delete(department=office, by=admin_a)
    assert excinfo.value.messages == ["ลบส่วนราชการ “สำนักปลัดเทศบาล” ไม่ได้ เพราะยังมีข้อมูลที่อ้างถึง"]
    assert Department.objects.filter(pk=office.pk).exists()
    assert not AuditEntry.objects.filter(object_type="department", action="delete").exists()


def test_a_role_taken_away_is_in_the_trail(client, agency_a, admin_a):
    member = MembershipFactory(agency=agency_a, is_approver=True, position_title="ปลัดเทศบาล")
    member.is_approver = False
    membership_save(membership=member, by=admin_a)
    (entry,) = _entries(AuditEntry.ObjectType.MEMBERSHIP)
    assert entry.actor == admin_a and entry.action == "update"
    assert "ผู้บังคับบัญชา" in " ".join(entry.before["roles"]) and "ผู้บังคับบัญชา" not in " ".join(entry.after["roles"])


def test_measure_steps_and_targets_are_in_the_trail(agency_a, coordinator_a):
    load_all()
    plan = plan_create(agency=agency_a, fiscal_year=2566)
    measure = measure_create(
        plan=plan,
        fields={"title": "เปิดเผยข้อมูล", "starts": date(2022, 10, 1), "ends": date(2023, 9, 30)},
        steps=[StepSpec(title="ประชุมชี้แจง")],
        by=coordinator_a,
    )
    indicator = FrameworkEdition.objects.get(fiscal_year=2566).indicators.get(number=9)
    measure_update(
        measure=measure,
        expected_version=measure.version,
        fields={},
        steps=[StepSpec(title="ประชุมชี้แจง"), StepSpec(title="เผยแพร่บนเว็บไซต์", owner="กองคลัง")],
        indicators=[indicator],
        by=coordinator_a,
    )
    created, updated = _entries(AuditEntry.ObjectType.MEASURE)
    assert created.after["steps"] == ["ประชุมชี้แจง"]
    assert updated.before == {"steps": ["ประชุมชี้แจง"], "indicators": []}
    assert updated.after == {"steps": ["ประชุมชี้แจง", "เผยแพร่บนเว็บไซต์ กองคลัง"], "indicators": [9]}


def test_item_scores_are_in_the_trail(agency_a, coordinator_a):
    load_all()
    edition = FrameworkEdition.objects.get(fiscal_year=2566)
    code = edition.items.order_by("order").first().code
    scores = {n: D("90") for n in range(1, 11)}
    assessment_save(agency=agency_a, edition=edition, indicator_scores=scores, item_scores={code: D("50")})
    assessment_save(
        agency=agency_a, edition=edition, indicator_scores=scores, item_scores={code: D("75")}, by=coordinator_a
    )
    update = _entries(AuditEntry.ObjectType.ASSESSMENT)[-1]
    assert list(update.before) == list(update.after) == [f"item:{code}"]
    assert (D(update.before[f"item:{code}"]), D(update.after[f"item:{code}"])) == (D("50"), D("75"))
    assert Assessment.objects.get().item_scores.get().score == D("75")


def test_approval_chains_are_in_the_trail(client, agency_a, admin_a):
    approver = MembershipFactory(agency=agency_a, is_approver=True, position_title="ปลัดเทศบาล")
    client.force_login(admin_a)
    response = client.post(
        reverse("reports:chain_create"),
        {"name": "สายใหม่", "is_default": "on", "steps-TOTAL_FORMS": "1", "steps-INITIAL_FORMS": "0",
         "steps-MIN_NUM_FORMS": "0", "steps-MAX_NUM_FORMS": "1000", "steps-0-position_title": "ปลัดเทศบาล",
         "steps-0-approvers": [approver.pk]},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:500]
    chain = ApprovalChain.objects.get(name="สายใหม่")
    (entry,) = _entries(AuditEntry.ObjectType.CHAIN)
    assert (entry.actor, entry.action, entry.object_id) == (admin_a, "create", chain.pk)
    assert entry.after["steps"] == [f"1. ปลัดเทศบาล: {approver.display_name}"]
    assert Measure.objects.count() == ProgressUpdate.objects.count() == Memo.objects.count() == 0
