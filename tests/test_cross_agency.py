"""No address lets a person reach another agency's object by its id.

With the demo's five agencies, a coordinator and agency admin of สะเตงนอก (agency A) requests every URL pattern
that takes an object id with the ids of บางปู's objects (agency B), by GET and by POST, and must get 404: not
403, which would confirm that the object exists. Where a pattern takes two ids, it is also requested with A's
own parent and B's child (A's plan with B's measure), the case a careless ``get_object_or_404(Model, pk=pk)``
lets through.

``ID_CASES`` must name every pattern that takes an id: a new one fails ``test_every_id_taking_url_is_covered``
until it is added here. POST-only views answer GET with 405 before looking anything up, which tells nothing.
"""

import io
from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from agencies.models import Agency, Membership
from assessments.models import Assessment
from ita_tracker.models import Job, Notification
from measures.models import Evidence, LibraryMeasure, MeasurePlan, MeasureStep, ProgressUpdate
from measures.oit.models import OitEntry, OitEvidence, OitState
from measures.services import progress_record
from reports.models import ApprovalChain, Memo
from tests.ita_tracker.test_security import POST_ONLY
from tests.urlwalk import project_routes

DEMO_PASSWORD = "ita-demo-2567"


@dataclass
class World:
    a: Agency
    a_plan: MeasurePlan
    b: Agency
    b_department: object
    b_membership: Membership
    b_assessment: Assessment
    b_plan: MeasurePlan
    b_measure: object
    b_step: object
    b_library: object
    b_evidence: Evidence
    b_memo: Memo
    b_chain: ApprovalChain
    b_job: Job
    b_notification: Notification
    b_oit_entry: OitEntry
    b_oit_evidence: OitEvidence


# For each pattern, the URL arguments to try: B's ids first (which B's own people could open), then the mixed
# cases of A's parent and B's child.
ID_CASES = {
    "agencies:detail": lambda w: [{"pk": w.b.pk}],
    "agencies:update": lambda w: [{"pk": w.b.pk}],
    "agencies:emblem": lambda w: [{"pk": w.b.pk}],
    "agencies:department_add": lambda w: [{"pk": w.b.pk}],
    "agencies:department_edit": lambda w: [
        {"pk": w.b.pk, "department_pk": w.b_department.pk},
        {"pk": w.a.pk, "department_pk": w.b_department.pk},
    ],
    "agencies:person_add": lambda w: [{"pk": w.b.pk}],
    "agencies:membership_edit": lambda w: [
        {"pk": w.b.pk, "membership_pk": w.b_membership.pk},
        {"pk": w.a.pk, "membership_pk": w.b_membership.pk},
    ],
    "agencies:person_suspend": lambda w: [
        {"pk": w.b.pk, "membership_pk": w.b_membership.pk},
        {"pk": w.a.pk, "membership_pk": w.b_membership.pk},
    ],
    "agencies:audit": lambda w: [{"pk": w.b.pk}],
    "assessments:detail": lambda w: [{"pk": w.b_assessment.pk}],
    "assessments:analysis": lambda w: [{"pk": w.b_assessment.pk}],
    "measures:plan_detail": lambda w: [{"pk": w.b_plan.pk}],
    "measures:plan_timeline": lambda w: [{"pk": w.b_plan.pk}],
    "measures:plan_as_of": lambda w: [{"pk": w.b_plan.pk}],
    "measures:measure_create": lambda w: [{"plan_pk": w.b_plan.pk}],
    "measures:measure_edit": lambda w: [
        {"plan_pk": w.b_plan.pk, "pk": w.b_measure.pk},
        {"plan_pk": w.a_plan.pk, "pk": w.b_measure.pk},
    ],
    "measures:measure_detail": lambda w: [{"pk": w.b_measure.pk}],
    "measures:progress_create": lambda w: [{"pk": w.b_measure.pk}],
    "measures:evidence": lambda w: [{"pk": w.b_evidence.pk}],
    "measures:plan_draft": lambda w: [{"pk": w.b_plan.pk}],
    "measures:step_done": lambda w: [{"pk": w.b_step.pk}],
    "measures:library_add": lambda w: [{"pk": w.b_measure.pk}],
    "measures:library_decide": lambda w: [{"pk": w.b_library.pk}],
    "reports:memo_detail": lambda w: [{"pk": w.b_memo.pk}],
    "reports:memo_edit": lambda w: [{"pk": w.b_memo.pk}],
    "reports:memo_submit": lambda w: [{"pk": w.b_memo.pk}],
    "reports:memo_decide": lambda w: [{"pk": w.b_memo.pk}],
    "reports:memo_delete": lambda w: [{"pk": w.b_memo.pk}],
    "reports:memo_withdraw": lambda w: [{"pk": w.b_memo.pk}],
    "reports:memo_reassign": lambda w: [{"pk": w.b_memo.pk}],
    "reports:memo_publish": lambda w: [{"pk": w.b_memo.pk}],
    "reports:chain_edit": lambda w: [{"pk": w.b_chain.pk}],
    "reports:memo_document": lambda w: [{"pk": w.b_memo.pk, "fmt": "xlsx"}],
    "reports:plan_document": lambda w: [{"pk": w.b_plan.pk, "fmt": "xlsx"}],
    "reports:results_document": lambda w: [{"pk": w.b_plan.pk, "fmt": "xlsx"}],
    "reports:analysis_document": lambda w: [{"pk": w.b_assessment.pk, "fmt": "xlsx"}],
    "reports:job_agency_documents": lambda w: [{"pk": w.b_plan.pk}],
    "reports:anticorruption_plan_document": lambda w: [{"pk": w.b_plan.pk, "fmt": "xlsx"}],
    "reports:anticorruption_report_document": lambda w: [{"pk": w.b_plan.pk, "fmt": "xlsx"}],
    "reports:memo_attachment_add": lambda w: [{"pk": w.b_memo.pk}],
    "reports:memo_attachment_remove": lambda w: [{"pk": w.b_memo.pk, "attachment_pk": 1}],
    "measures:measure_dimension": lambda w: [{"pk": w.b_measure.pk}],
    "jobs:detail": lambda w: [{"pk": w.b_job.pk}],
    "jobs:status": lambda w: [{"pk": w.b_job.pk}],
    "jobs:download": lambda w: [{"pk": w.b_job.pk}],
    "notifications:open": lambda w: [{"pk": w.b_notification.pk}],
    "notifications:read": lambda w: [{"pk": w.b_notification.pk}],
    # The public page names its agency by code: B's published memo under A's address must not be found.
    "public:memo_pdf": lambda w: [{"code": w.a.code, "year": w.b_memo.plan.fiscal_year, "pk": w.b_memo.pk}],
    # The OIT checklist: B's list, item and evidence by id (a staff member of another division is the same 404).
    "measures:oit_checklist": lambda w: [{"pk": w.b_oit_entry.checklist_id}],
    "measures:oit_due": lambda w: [{"pk": w.b_oit_entry.checklist_id}],
    "measures:oit_itas": lambda w: [{"pk": w.b_oit_entry.checklist_id, "fmt": "xlsx"}],
    "measures:oit_entry": lambda w: [{"pk": w.b_oit_entry.pk}],
    "measures:oit_assign": lambda w: [{"pk": w.b_oit_entry.pk}],
    "measures:oit_evidence_add": lambda w: [{"pk": w.b_oit_entry.pk}],
    "measures:oit_submit": lambda w: [{"pk": w.b_oit_entry.pk}],
    "measures:oit_review": lambda w: [{"pk": w.b_oit_entry.pk}],
    "measures:oit_evidence": lambda w: [{"pk": w.b_oit_evidence.pk}],
    "measures:oit_evidence_remove": lambda w: [{"pk": w.b_oit_evidence.pk}],
    "measures:oit_evidence_keep": lambda w: [{"pk": w.b_oit_evidence.pk}],
    # B's passed item's file under A's public address.
    "oit_public:file": lambda w: [
        {
            "code": w.a.code,
            "year": w.b_oit_entry.checklist.edition.fiscal_year,
            "item": w.b_oit_entry.item.code,
            "pk": w.b_oit_evidence.pk,
        }
    ],
}

# Patterns whose first case is not found even by someone who may see B (so the control below skips them).
NOT_FOUND_FOR_ANYONE = {"public:memo_pdf", "oit_public:file"}


def _id_routes():
    return {route.name: route for route in project_routes() if route.id_kwargs}


def test_every_id_taking_url_is_covered():
    routes = _id_routes()
    assert set(routes) == set(ID_CASES), "add the new URL to ID_CASES with another agency's ids"
    # Django's admin takes object ids as <path:object_id>, so it never shows up here; it is for superusers only.
    assert all(route.namespace != "admin" for route in routes.values())


@pytest.fixture
def world(db) -> World:
    call_command("load_demo", stdout=io.StringIO())
    a = Agency.objects.get(code="satengnok")
    b = Agency.objects.get(code="bangpu")
    b.emblem.save("emblem.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    b_plan = MeasurePlan.objects.filter(agency=b).first()
    b_measure = b_plan.measures.order_by("number").first()
    b_user = get_user_model().objects.get(username="bangpu.plan")
    update = ProgressUpdate.objects.filter(measure=b_measure).first() or progress_record(
        measure=b_measure, by=b_user, reported_on=date(2021, 3, 31), status="in_progress", percent=50
    )
    evidence = Evidence.objects.create(
        update=update,
        kind=Evidence.Kind.FILE,
        file=ContentFile(b"%PDF-1.4\n", name="evidence.pdf"),
        original_name="evidence.pdf",
        content_type="application/pdf",
        size=9,
    )
    job = Job.objects.create(kind="agency_documents", params={"agency": b.pk, "year": 2564}, created_by=b_user)
    notification = Notification.objects.create(recipient=b_user, kind="test", title="B", url="/")
    oit_evidence = (
        OitEvidence.objects.filter(entry__checklist__agency=b, entry__state=OitState.PASSED, kind="file")
        .select_related("entry__item", "entry__checklist__edition")
        .first()
    )
    return World(
        a=a,
        a_plan=MeasurePlan.objects.filter(agency=a).first(),
        b=b,
        b_department=b.departments.first(),
        b_membership=Membership.objects.filter(agency=b, user__username="bangpu.finance").get(),
        b_assessment=Assessment.objects.filter(agency=b).first(),
        b_plan=b_plan,
        b_measure=b_measure,
        b_step=b_measure.steps.first()
        or MeasureStep.objects.create(measure=b_measure, order=1, title="ขั้นที่ ๑", department=b.departments.first()),
        b_library=LibraryMeasure.objects.create(agency=b, title="มาตรการของบางปู", sharing="proposed"),
        b_evidence=evidence,
        b_memo=Memo.objects.filter(
            agency=b, status=Memo.Status.APPROVED, is_published=True, plan__fiscal_year=2564
        ).get(),
        b_chain=ApprovalChain.objects.filter(agency=b).first(),
        b_job=job,
        b_notification=notification,
        b_oit_entry=oit_evidence.entry,
        b_oit_evidence=oit_evidence,
    )


def test_another_agencys_ids_are_not_found_anywhere(world):
    assert all(value is not None for value in vars(world).values()), vars(world)
    person = Client()
    assert person.login(username="satengnok.plan", password=DEMO_PASSWORD)
    membership = Membership.objects.get(user__username="satengnok.plan")
    # Roles that pass every role check in A, so that a 404 comes from the boundary and not from a missing role.
    assert membership.is_coordinator and membership.is_agency_admin
    assert not Membership.objects.filter(agency=world.b, user=membership.user).exists()

    failures = []
    for name, cases in ID_CASES.items():
        for kwargs in cases(world):
            url = reverse(name, kwargs=kwargs)
            expected_get = 405 if name in POST_ONLY else 404
            got = person.get(url).status_code
            if got != expected_get:
                failures.append(f"GET {name} {url}: {got}, expected {expected_get}")
            got = person.post(url, {}).status_code
            if got != 404:
                failures.append(f"POST {name} {url}: {got}, expected 404")
    assert failures == []


def test_the_same_ids_are_found_by_someone_who_may_see_agency_b(world):
    """The control: the ids above are real, so the 404s come from the agency boundary, not from a typo."""
    superuser = Client()
    assert superuser.login(username=get_user_model().objects.get(is_superuser=True).username, password=DEMO_PASSWORD)
    superuser.post(reverse("agencies:switch"), {"agency": world.b.pk})  # chains are edited in the current agency
    world.b_job.status = Job.Status.DONE
    world.b_job.result.save("result.zip", ContentFile(b"PK"), save=True)
    failures = []
    for name, cases in ID_CASES.items():
        if name in POST_ONLY or name in NOT_FOUND_FOR_ANYONE:
            continue
        url = reverse(name, kwargs=cases(world)[0])
        got = superuser.get(url).status_code
        if got == 404:  # 403 counts as found: a memo is edited by its author only, even by a superuser
            failures.append(f"GET {name} {url}: {got}")
    assert failures == []
