"""The library of measures, drafting a plan from the analysis, the step formset, owners, ticking steps done."""

import io
import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from assessments.models import FrameworkEdition
from assessments.services import assessment_save
from measures.models import LibraryMeasure, MeasurePlan, ProgressUpdate
from tests.factories import DepartmentFactory, MembershipFactory
from tests.measures.conftest import make_measure

pytestmark = pytest.mark.django_db

PLACEHOLDER = re.compile(r"\(คะแนน|ตัวชี้วัดที่ \d|แก้ไขเร่งด่วน ตัวชี้วัด")


def test_the_seeds_library_is_installed_by_migrate():
    entries = LibraryMeasure.objects.filter(agency__isnull=True).prefetch_related("steps")
    assert entries.count() >= 40
    for entry in entries:
        assert entry.steps.count() >= 2, entry.key
        assert entry.indicator_numbers and set(entry.indicator_numbers) <= set(range(1, 11)), entry.key


@pytest.fixture
def analysed(agency_a):
    """Edition 2566 scores with three indicators below 85 (urgent: 2, 4, 7) and the rest at 90 or over."""
    for name in ["สำนักปลัดเทศบาล", "กองคลัง", "กองช่าง"]:
        DepartmentFactory(agency=agency_a, name=name)
    values = ["93.60", "80.28", "95.00", "82.71", "91.64", "92.09", "73.50", "90.89", "100.00", "93.75"]
    assessment_save(
        agency=agency_a,
        edition=FrameworkEdition.objects.get(fiscal_year=2566),
        indicator_scores={n: D(v) for n, v in enumerate(values, start=1)},
    )


def test_plan_drafted_from_an_analysis_gets_owned_measures_with_steps(client, coordinator_a, agency_a, analysed):
    client.force_login(coordinator_a)
    response = client.post(reverse("measures:plan_create"), {"fiscal_year": 2567, "start_from": "analysis"})
    plan = MeasurePlan.objects.get(agency=agency_a, fiscal_year=2567)
    draft_url = reverse("measures:plan_draft", args=[plan.pk])
    assert response.url == draft_url
    assert plan.measures.count() == 0  # nothing is created before the coordinator picks

    page = client.get(draft_url)
    assert {r.indicator.number for r in page.context["indicators"]} == {2, 4, 7}
    rows = page.context["rows"]
    assert all(set(r["candidate"].serves) <= {2, 4, 7} for r in rows)
    ranks = [len(r["candidate"].serves) for r in rows]
    assert ranks == sorted(ranks, reverse=True)  # ranked by the indicators they serve
    ticked = [r["candidate"].ref for r in rows if r["checked"]]
    assert ticked and 'name="pick"' in page.content.decode()

    finance = agency_a.departments.get(name="กองคลัง")
    first = ticked[0]
    data = {"pick": ticked, f"title-{first}": "มาตรการที่ผู้ประสานงานแก้ชื่อ", f"dept-{first}": finance.pk}
    response = client.post(draft_url, data)
    assert response.status_code == 302
    measures = list(plan.measures.prefetch_related("steps", "departments", "indicators"))
    assert len(measures) == len(ticked)
    served = {i.number for m in measures for i in m.indicators.all()}
    assert served == {2, 4, 7}
    for measure in measures:
        assert not PLACEHOLDER.search(measure.title), measure.title
        assert measure.steps.count() >= 2
        assert measure.all_departments or measure.departments.exists()
        assert all(step.department_id for step in measure.steps.all())
    edited = plan.measures.get(title="มาตรการที่ผู้ประสานงานแก้ชื่อ")
    assert list(edited.departments.all()) == [finance]


def test_draft_page_refuses_a_division_of_another_agency(client, coordinator_a, agency_a, agency_b, analysed):
    from measures.services import plan_create

    plan = plan_create(agency=agency_a, fiscal_year=2567)
    client.force_login(coordinator_a)
    url = reverse("measures:plan_draft", args=[plan.pk])
    ref = client.get(url).context["rows"][0]["candidate"].ref
    other = DepartmentFactory(agency=agency_b, name="กองคลัง")
    response = client.post(url, {"pick": [ref], f"dept-{ref}": other.pk}, follow=True)
    assert "ไม่ใช่ของหน่วยงานนี้" in response.content.decode()
    assert plan.measures.count() == 0


def step_rows(*rows, initial=0):
    data = {
        "steps-TOTAL_FORMS": str(len(rows)),
        "steps-INITIAL_FORMS": str(initial),
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"steps-{index}-{key}"] = value
    return data


def test_formset_adds_reorders_and_removes_steps_in_one_save(client, coordinator_a, plan, finance, works):
    measure = make_measure(
        plan,
        departments=[finance],
        steps=[{"title": "ขั้นหนึ่ง", "department": finance}, {"title": "ขั้นสอง", "department": finance}],
    )
    one, two = measure.steps.order_by("order")
    client.force_login(coordinator_a)
    data = {
        "version": measure.version,
        "number": measure.number,
        "title": measure.title,
        "departments": [finance.pk],
        "starts": "1/10/2563",
        "ends": "30/9/2564",
        "monitoring": "รายงาน",
        **step_rows(
            {"id": one.pk, "title": "ขั้นหนึ่ง", "department": finance.pk, "ORDER": "3", "DELETE": "on"},
            {"id": two.pk, "title": "ขั้นสอง (แก้)", "department": finance.pk, "ORDER": "2"},
            {"title": "ขั้นใหม่ ก", "department": works.pk, "ORDER": "1"},
            {"title": "ขั้นใหม่ ข", "department": finance.pk, "ORDER": "4"},
            initial=2,
        ),
    }
    response = client.post(reverse("measures:measure_edit", args=[plan.pk, measure.pk]), data)
    assert response.status_code == 302, response.context["steps"].errors
    steps = list(measure.steps.order_by("order").values_list("order", "title", "pk"))
    assert [(o, t) for o, t, _pk in steps] == [(1, "ขั้นใหม่ ก"), (2, "ขั้นสอง (แก้)"), (3, "ขั้นใหม่ ข")]
    assert steps[1][2] == two.pk  # the edited step kept its row (and any done record)
    # A second save from the old version is refused, not silently applied.
    stale = client.post(reverse("measures:measure_edit", args=[plan.pk, measure.pk]), data)
    assert stale.status_code == 200 and stale.context["conflict"] is not None


def test_owner_choices_are_the_agencys_staff_only(client, coordinator_a, plan, agency_a, agency_b, finance):
    staff = MembershipFactory(agency=agency_a, department=finance, is_staff_member=True)
    viewer = MembershipFactory(agency=agency_a, department=None, is_staff_member=False, is_viewer=True)
    mayor = MembershipFactory(agency=agency_a, department=None, is_staff_member=False, is_approver=True)
    outsider = MembershipFactory(agency=agency_b, is_staff_member=True)
    client.force_login(coordinator_a)
    page = client.get(reverse("measures:measure_create", args=[plan.pk]))
    owners = set(page.context["steps"].forms[0].fields["owner_person"].queryset)
    people = set(page.context["form"].fields["responsible_people"].queryset)
    for choices in (owners, people):
        assert staff in choices
        assert viewer not in choices and mayor not in choices and outsider not in choices


@pytest.fixture
def ticking(plan, finance, works, finance_staff):
    measure = make_measure(
        plan,
        departments=[finance, works],
        steps=[{"title": "จัดทำแนวทาง", "department": finance}, {"title": "เผยแพร่", "department": works}],
    )
    return measure, list(measure.steps.order_by("order"))


def png_bytes() -> bytes:
    """A real (tiny) photo: evidence images are decoded and checked by their pixel count."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return out.getvalue()


def test_staff_tick_their_step_done_with_evidence(client, ticking, finance_staff):
    measure, (first, second) = ticking
    client.force_login(finance_staff)
    mine = client.get(reverse("measures:mine") + "?year=2564").content.decode()
    assert reverse("measures:step_done", args=[first.pk]) in mine
    assert reverse("measures:step_done", args=[second.pk]) not in mine  # กองช่าง's step
    photo = SimpleUploadedFile("step.png", png_bytes(), content_type="image/png")
    response = client.post(
        reverse("measures:step_done", args=[first.pk]),
        {"completed_on": "15/11/2563", "note": "ลงนามแล้ว", "files": [photo], "links": ""},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    measure.refresh_from_db()
    assert first.completed_on == date(2020, 11, 15) and first.done_note == "ลงนามแล้ว"
    assert (measure.status, measure.percent) == ("in_progress", 50)  # the status follows the steps
    update = ProgressUpdate.objects.get(step=first)
    assert update.evidence.get().original_name == "step.png"
    page = client.get(measure.get_absolute_url()).content.decode()
    assert "step.png" in page and "ลงนามแล้ว" in page


def test_another_divisions_staff_cannot_tick_a_step(client, ticking, works_staff, agency_b):
    _measure, (first, second) = ticking
    client.force_login(works_staff)
    url = reverse("measures:step_done", args=[first.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"completed_on": "15/11/2563"}).status_code == 403
    first.refresh_from_db()
    assert first.completed_on is None
    # Their own division's step is theirs; another agency's person sees nothing at all.
    assert client.get(reverse("measures:step_done", args=[second.pk])).status_code == 200
    client.force_login(MembershipFactory(agency=agency_b, is_staff_member=True).user)
    assert client.get(url).status_code == 404


def test_a_status_set_by_hand_is_not_moved_by_ticks(client, ticking, finance_staff, coordinator_a):
    measure, (first, _second) = ticking
    client.force_login(coordinator_a)
    response = client.post(
        reverse("measures:progress_create", args=[measure.pk]),
        {"reported_on": "1/11/2563", "status": "in_progress", "percent": "80", "by_hand": "on", "status_reason": ""},
    )
    assert "ระบุเหตุผลที่กำหนดสถานะเอง" in response.content.decode()
    client.post(
        reverse("measures:progress_create", args=[measure.pk]),
        {
            "reported_on": "1/11/2563",
            "status": "in_progress",
            "percent": "80",
            "by_hand": "on",
            "status_reason": "ตามที่ประชุม",
        },
    )
    client.force_login(finance_staff)
    client.post(reverse("measures:step_done", args=[first.pk]), {"completed_on": "15/11/2563"})
    measure.refresh_from_db()
    assert (measure.status_by_hand, measure.percent) == (True, 80)


def test_a_province_viewer_approves_a_shared_measure(client, agency_a, coordinator_a, ticking):
    from tests.factories import AgencyFactory

    measure, _steps = ticking
    client.force_login(coordinator_a)
    client.post(reverse("measures:library_add", args=[measure.pk]), {"share": "1"})
    entry = LibraryMeasure.objects.get(agency=agency_a)
    assert entry.sharing == "proposed"
    neighbour = AgencyFactory(province=agency_a.province)
    assert not LibraryMeasure.objects.offered_to(neighbour).filter(pk=entry.pk).exists()
    viewer = MembershipFactory(agency=neighbour, is_staff_member=False, is_viewer=True).user
    client.force_login(viewer)
    assert entry.title in client.get(reverse("measures:library")).content.decode()
    client.post(reverse("measures:library_decide", args=[entry.pk]), {"decision": "approve"})
    assert LibraryMeasure.objects.offered_to(neighbour).filter(pk=entry.pk).exists()
    far = MembershipFactory(agency=AgencyFactory(province="เชียงใหม่"), is_staff_member=False, is_viewer=True).user
    client.force_login(far)
    assert client.post(reverse("measures:library_decide", args=[entry.pk]), {"decision": "reject"}).status_code == 404


def test_draft_page_queries_do_not_grow_with_the_library(client, coordinator_a, agency_a, analysed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from measures.models import LibraryStep
    from measures.services import plan_create

    plan = plan_create(agency=agency_a, fiscal_year=2567)
    client.force_login(coordinator_a)
    url = reverse("measures:plan_draft", args=[plan.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    count()  # the first visit also loads the session and caches
    before = count()
    for n in range(15):
        entry = LibraryMeasure.objects.create(agency=agency_a, title=f"มาตรการของหน่วยงาน {n}", indicator_numbers=[2])
        LibraryStep.objects.create(measure=entry, order=1, title="ขั้นตอนแรก")
    assert len(client.get(url).context["rows"]) >= 15
    assert count() == before
