"""Which of a measure's methods (the paragraphs of its description) a step carries out: set on the measure's
page, refused out of range, shown on the measure page, and printed under that method by seed 004's analysis."""

import io
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from agencies.models import AuditEntry
from assessments.models import Assessment
from measures.models import Measure
from measures.services import StepSpec, measure_update, plan_create
from reports.documents import AnalysisDocument
from tests.factories import DepartmentFactory
from tests.measures.conftest import make_measure
from tests.reports.test_anticorruption import form_of

pytestmark = pytest.mark.django_db

THREE_METHODS = (
    "■ จัดทำคู่มือการขออนุญาตยืมทรัพย์สินของราชการ 2567\n- กำหนดแนวทางการยืม\n\n"
    "■ จัดทำแผนการตรวจสอบการใช้ทรัพย์สิน\n\n"
    "■ ส่งเสริมโครงการจริยธรรมภายในหน่วยงาน"
)
OUT_OF_RANGE = "วิธีการที่: เลือกวิธีการที่ {first}–{last} ตามย่อหน้าของขั้นตอนหรือวิธีการ (สรุป)"


@pytest.fixture
def measure(plan, finance):
    return make_measure(
        plan,
        departments=[finance],
        description=THREE_METHODS,
        steps=[
            {"title": "จัดทำคู่มือการยืม", "department": finance},
            {"title": "ตรวจสอบการใช้ทรัพย์สิน", "department": finance},
        ],
    )


def edit_url(measure):
    return reverse("measures:measure_edit", args=[measure.plan_id, measure.pk])


def steps_post(client, measure, methods, **changes):
    """What the edit page sends back (read from its HTML, as a browser would), with the steps' methods
    chosen ("" = none) and some fields typed over."""
    data = form_of(client.get(edit_url(measure)).content.decode())
    for n, method in enumerate(methods):
        data[f"steps-{n}-method"] = [method]
    return data | {name: [value] for name, value in changes.items()}


def methods_of(measure):
    return [s.method for s in measure.steps.order_by("order")]


def select(content: str, name: str) -> str:
    match = re.search(rf'<select name="{name}".*?</select>', content, re.S)
    assert match, name
    return match.group()


def test_edit_page_offers_each_paragraph_as_a_numbered_method(client, coordinator_a, measure):
    client.force_login(coordinator_a)
    content = client.get(edit_url(measure)).content.decode()
    options = re.findall(r"<option[^>]*>([^<]*)</option>", select(content, "steps-0-method"))
    assert options == [
        "— ไม่ระบุ (นับเป็นวิธีการที่ ๑) —",
        "๑. จัดทำคู่มือการขออนุญาตยืมทรัพย์สินของราชการ ๒๕๖๗ - กำหนดแนวท…",  # the start of the paragraph
        "๒. จัดทำแผนการตรวจสอบการใช้ทรัพย์สิน",
        "๓. ส่งเสริมโครงการจริยธรรมภายในหน่วยงาน",
    ]
    assert re.search(r'<label\s+for="id_steps-0-method"[^>]*>\s*วิธีการที่\s*</label>', content)


def test_agency_with_arabic_digits_sees_arabic_numbers_in_the_choices(client, coordinator_a, agency_a, measure):
    agency_a.use_thai_digits = False
    agency_a.save()
    client.force_login(coordinator_a)
    options = select(client.get(edit_url(measure)).content.decode(), "steps-1-method")
    assert ">2. จัดทำแผนการตรวจสอบการใช้ทรัพย์สิน<" in options
    assert ">1. จัดทำคู่มือการขออนุญาตยืมทรัพย์สินของราชการ 2567 " in options
    assert not re.search("[๐-๙]", options)
    response = client.post(edit_url(measure), steps_post(client, measure, ["", "9"]))
    assert OUT_OF_RANGE.format(first="1", last="3") in response.content.decode()


def test_coordinator_sets_the_method_on_the_page_and_the_measure_page_shows_it(client, coordinator_a, measure):
    client.force_login(coordinator_a)
    response = client.post(edit_url(measure), steps_post(client, measure, ["", "3"]))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert methods_of(measure) == [None, 3]
    measure.refresh_from_db()
    assert measure.version == 2

    page = client.get(reverse("measures:measure_detail", args=[measure.pk])).content.decode()
    steps = page[page.index("ขั้นตอน</h2>") :]
    steps = steps[: steps.index("</ol>")]
    items = steps.split("<li")[1:]
    assert "วิธีการที่ ๓" in items[1] and "ตรวจสอบการใช้ทรัพย์สิน" in items[1]
    assert "วิธีการที่" not in items[0]

    entry = AuditEntry.objects.filter(object_type=AuditEntry.ObjectType.MEASURE, object_id=measure.pk).first()
    assert entry.action == AuditEntry.Action.UPDATE
    assert any("วิธีการที่ 3: ตรวจสอบการใช้ทรัพย์สิน" in str(v) for v in entry.after.values()), entry.after

    # The edit page opens with the stored choice; choosing none again clears it.
    edit = client.get(edit_url(measure)).content.decode()
    assert re.search(r'<option value="3" selected>', select(edit, "steps-1-method"))
    assert client.post(edit_url(measure), steps_post(client, measure, ["", ""])).status_code == 302
    assert methods_of(measure) == [None, None]


def test_method_out_of_range_is_refused_in_thai_and_nothing_is_saved(client, coordinator_a, measure):
    client.force_login(coordinator_a)
    for bad in ["4", "0", "สอง"]:
        response = client.post(edit_url(measure), steps_post(client, measure, ["1", bad], title="ชื่อใหม่"))
        assert response.status_code == 200
        content = response.content.decode()
        assert OUT_OF_RANGE.format(first="๑", last="๓") in content, bad
        measure.refresh_from_db()
        assert (measure.title, measure.version, methods_of(measure)) != ("ชื่อใหม่", 2, [1, None])
        assert methods_of(measure) == [None, None] and measure.version == 1


def test_choices_follow_the_description_posted_with_the_steps(client, coordinator_a, measure):
    """Shortening the description in the same save shortens the range: its step may not name a paragraph
    that the saved text no longer has."""
    client.force_login(coordinator_a)
    two = "■ จัดทำคู่มือ\n\n■ จัดทำแผนการตรวจสอบ"
    response = client.post(edit_url(measure), steps_post(client, measure, ["", "3"], description=two))
    assert OUT_OF_RANGE.format(first="๑", last="๒") in response.content.decode()
    assert methods_of(measure) == [None, None]
    assert client.post(edit_url(measure), steps_post(client, measure, ["", "2"], description=two)).status_code == 302
    assert methods_of(measure) == [None, 2]


def test_a_measure_with_one_method_offers_no_choice_and_keeps_what_is_stored(client, coordinator_a, plan, finance):
    measure = make_measure(
        plan, departments=[finance], description="■ วิธีการเดียว", steps=[{"title": "ขั้นเดียว", "department": finance}]
    )
    client.force_login(coordinator_a)
    content = client.get(edit_url(measure)).content.decode()
    assert 'name="steps-0-method"' not in content
    assert client.post(edit_url(measure), steps_post(client, measure, ["2"])).status_code == 302
    assert methods_of(measure) == [None]


def test_the_service_refuses_a_method_the_description_does_not_have(coordinator_a, measure):
    steps = [StepSpec(pk=s.pk, title=s.title, department=s.department, method=5) for s in measure.steps.all()]
    with pytest.raises(ValidationError) as refused:
        measure_update(measure=measure, expected_version=1, fields={}, steps=steps, by=coordinator_a)
    assert refused.value.code == "method_out_of_range"
    assert methods_of(measure) == [None, None]
    assert Measure.objects.get(pk=measure.pk).version == 1


def coordinators_post(coordinator, measure, methods):
    """The edit form as the agency's own coordinator's page gives it, for someone else to send."""
    own = Client()
    own.force_login(coordinator)
    return steps_post(own, measure, methods)


def test_another_agencys_coordinator_cannot_set_the_method(client, coordinator_a, coordinator_b, agency_b, measure):
    data = coordinators_post(coordinator_a, measure, ["1", "2"])
    client.force_login(coordinator_b)
    assert client.get(edit_url(measure)).status_code == 404
    assert client.post(edit_url(measure), data).status_code == 404
    # Nor through their own plan's address with this measure's id.
    other_plan = plan_create(agency=agency_b, fiscal_year=2564)
    make_measure(other_plan, departments=[DepartmentFactory(agency=agency_b)])
    url = reverse("measures:measure_edit", args=[other_plan.pk, measure.pk])
    assert client.post(url, data).status_code == 404
    assert methods_of(measure) == [None, None]
    assert Measure.objects.get(pk=measure.pk).version == 1


def test_staff_of_the_agency_cannot_set_the_method(client, coordinator_a, finance_staff, measure):
    data = coordinators_post(coordinator_a, measure, ["1", "2"])
    client.force_login(finance_staff)
    assert client.post(edit_url(measure), data).status_code == 403
    assert methods_of(measure) == [None, None]


def _method_rows(html: str, first_step: str) -> list[str]:
    """The part-2 rows (one per method) of the measure whose first step is ``first_step``."""
    rows = re.findall(r'<tr class="method">.*?</tr>', html, re.S)
    start = next(n for n, row in enumerate(rows) if first_step in row)
    assert "rowspan" in rows[start]
    end = next((n for n in range(start + 1, len(rows)) if "rowspan" in rows[n]), len(rows))
    return rows[start:end]


def test_analysis_prints_the_step_under_the_method_chosen_on_the_page(client, db):
    """Seed 004's measure 1 has three methods; moving its step 7 from the third to the second through the
    edit page moves it in the analysis's part 2, numbered after the second method's two steps."""
    call_command("load_demo", stdout=io.StringIO())
    assessment = Assessment.objects.get(agency__code="satengnok", edition__fiscal_year=2566)
    measure = Measure.objects.get(plan__assessment=assessment, number=1)
    first, moved = measure.steps.get(order=1).title, measure.steps.get(order=7)
    assert [s.method for s in measure.steps.all()] == [1, 1, 1, 2, 2, 3, 3, 3, 3]
    before = _method_rows(AnalysisDocument(assessment).render_html(), first)
    assert len(before) == 3 and moved.title in before[2] and moved.title not in before[1]

    coordinator = assessment.agency.memberships.filter(is_coordinator=True).first().user
    client.force_login(coordinator)
    data = steps_post(client, measure, ["1", "1", "1", "2", "2", "3", "2", "3", "3"])
    response = client.post(edit_url(measure), data)
    errors = re.findall(r"(?:invalid-feedback|alert-danger)[^>]*>(.*?)</", response.content.decode(), re.S)
    assert response.status_code == 302, errors
    assert [s.method for s in measure.steps.all()] == [1, 1, 1, 2, 2, 3, 2, 3, 3]

    after = _method_rows(AnalysisDocument(assessment).render_html(), first)
    assert len(after) == 3
    assert moved.title not in after[2] and measure.steps.get(order=6).title in after[2]
    # Numbered within its new method: after that method's two steps.
    assert re.search(rf"<p>[3๓]\. {re.escape(moved.title)}</p>", after[1]), after[1]


def test_english_page_names_the_choice_and_its_error_in_english(client, coordinator_a, measure):
    client.force_login(coordinator_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get(edit_url(measure)).content.decode()
    assert re.search(r'<label\s+for="id_steps-0-method"[^>]*>\s*Method no\.\s*</label>', content)
    assert ">— Not set (counts as method 1) —<" in select(content, "steps-0-method")
    response = client.post(edit_url(measure), steps_post(client, measure, ["", "7"]))
    assert "Method no.: choose method 1–3, one per paragraph of the steps or methods (summary)" in (
        response.content.decode()
    )
    assert methods_of(measure) == [None, None]
