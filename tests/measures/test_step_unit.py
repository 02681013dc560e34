"""A step's unit named in words (seed 004's "งานตรวจสอบภายใน", a section inside a division): typed on the
measure's page, kept, cleared, printed; a step needs a division, a person or such a unit."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from measures.models import Measure
from reports.documents import PlanDocument
from tests.measures.conftest import make_measure
from tests.reports.test_anticorruption import form_of

pytestmark = pytest.mark.django_db

NO_OWNER = "เลือกส่วนราชการหรือผู้รับผิดชอบ หรือพิมพ์งานที่รับผิดชอบของขั้นตอน"


def edit_url(measure):
    return reverse("measures:measure_edit", args=[measure.plan_id, measure.pk])


def errors_of(response) -> list[str]:
    return re.findall(r"(?:invalid-feedback|alert-danger)[^>]*>(.*?)</", response.content.decode(), re.S)


@pytest.fixture
def measure(plan, finance):
    return make_measure(plan, departments=[finance], steps=[{"title": "ตรวจสอบการยืมพัสดุ", "department": finance}])


def test_a_step_owned_by_a_unit_typed_in_words_is_saved_and_printed(client, coordinator_a, measure):
    client.force_login(coordinator_a)
    data = form_of(client.get(edit_url(measure)).content.decode())
    assert data["steps-0-owner"] == [""]
    data |= {"steps-0-department": [""], "steps-0-owner": ["  งานตรวจสอบภายใน "]}
    response = client.post(edit_url(measure), data)
    assert response.status_code == 302, errors_of(response)
    step = measure.steps.get()
    assert (step.department_id, step.owner) == (None, "งานตรวจสอบภายใน")
    assert "งานตรวจสอบภายใน" in PlanDocument(measure.plan).render_html()

    # Cleared again on the page, with a division chosen instead: the words go.
    data = form_of(client.get(edit_url(measure)).content.decode())
    assert data["steps-0-owner"] == ["งานตรวจสอบภายใน"]
    finance = measure.departments.get()
    data |= {"steps-0-department": [str(finance.pk)], "steps-0-owner": [""]}
    assert client.post(edit_url(measure), data).status_code == 302
    step.refresh_from_db()
    assert (step.department_id, step.owner) == (finance.pk, "")


def test_a_step_with_no_owner_at_all_is_refused_in_thai_and_nothing_is_saved(client, coordinator_a, measure):
    client.force_login(coordinator_a)
    data = form_of(client.get(edit_url(measure)).content.decode())
    data |= {"steps-0-department": [""], "steps-0-title": ["ชื่อขั้นตอนใหม่"]}
    response = client.post(edit_url(measure), data)
    assert response.status_code == 200
    assert NO_OWNER in response.content.decode()
    assert measure.steps.get().title == "ตรวจสอบการยืมพัสดุ"


def test_the_unit_has_a_size_limit_named_in_thai(client, coordinator_a, measure):
    client.force_login(coordinator_a)
    data = form_of(client.get(edit_url(measure)).content.decode()) | {"steps-0-owner": ["ง" * 201]}
    response = client.post(edit_url(measure), data)
    assert response.status_code == 200
    assert "200" in " ".join(errors_of(response)) or "๒๐๐" in " ".join(errors_of(response))
    assert measure.steps.get().owner == ""


def test_seed_004s_measure_whose_steps_name_only_a_unit_saves_unchanged_from_its_page(client, db):
    """satengnok's measure 4 (seed 004): steps 4 and 5 belong to "งานตรวจสอบภายใน" only. Its page sent back
    as it is must save (it was refused for want of a division) and keep the units."""
    call_command("load_demo", stdout=io.StringIO())
    measure = Measure.objects.get(plan__agency__code="satengnok", plan__fiscal_year=2567, number=4)
    owners = list(measure.steps.values_list("department_id", "owner"))
    assert (None, "งานตรวจสอบภายใน") in owners
    coordinator = measure.plan.agency.memberships.filter(is_coordinator=True).first().user
    client.force_login(coordinator)
    response = client.post(edit_url(measure), form_of(client.get(edit_url(measure)).content.decode()))
    assert response.status_code == 302, errors_of(response)
    assert list(measure.steps.values_list("department_id", "owner")) == owners


def test_a_step_added_to_a_measure_done_by_its_steps_reopens_it(client, coordinator_a, measure, finance_staff):
    """Done because its one step was ticked, the measure is given a second step on its page: it is no longer done
    (the progress form refuses done with open steps), and says so in its history."""
    from datetime import date

    from measures.models import Status
    from measures.services import step_complete

    step_complete(step=measure.steps.get(), by=finance_staff, completed_on=date(2021, 1, 15))
    measure.refresh_from_db()
    assert (measure.status, measure.percent) == (Status.DONE, 100)
    client.force_login(coordinator_a)
    data = form_of(client.get(edit_url(measure)).content.decode())
    total = int(data["steps-TOTAL_FORMS"][0])
    finance = measure.departments.get()
    data |= {
        "steps-TOTAL_FORMS": [str(total + 1)],
        f"steps-{total}-title": ["ประชาสัมพันธ์หลักเกณฑ์ให้บุคลากรทราบ"],
        f"steps-{total}-department": [str(finance.pk)],
    }
    response = client.post(edit_url(measure), data)
    assert response.status_code == 302, errors_of(response)
    measure.refresh_from_db()
    assert measure.steps.count() == 2
    assert (measure.status, measure.percent) == (Status.IN_PROGRESS, 50)
    assert "คำนวณใหม่จากขั้นตอน" in measure.updates.order_by("-pk").first().summary
