"""The status a progress report sets and the measure's steps: a status that follows the steps cannot say
"done" while a step is open, a status set by hand stands through later ticks, and what is saved is what was
typed (a walk found 50 % "done" saved as 100 % with two steps still open, then quietly taken back)."""

from datetime import date

import pytest
from django.urls import reverse

from measures.models import ProgressUpdate, Status
from measures.services import step_complete
from tests.measures.conftest import make_measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_steps(plan, finance, finance_staff):
    """A measure with the first of its three steps done (as /measures/31/ in the walk)."""
    measure = make_measure(
        plan,
        departments=[finance],
        steps=[
            {"title": "จัดทำร่างหลักเกณฑ์", "department": finance},
            {"title": "เสนอผู้บริหารลงนาม", "department": finance},
            {"title": "ประกาศเผยแพร่บนเว็บไซต์", "department": finance},
        ],
    )
    steps = list(measure.steps.order_by("order"))
    step_complete(step=steps[0], by=finance_staff, completed_on=date(2020, 11, 15))
    measure.refresh_from_db()
    return measure, steps


def report(**extra):
    return {"reported_on": "1/12/2563", "status": "done", "percent": "50", "summary": "ดำเนินการแล้ว", **extra}


def test_done_with_open_steps_is_refused_naming_them(client, finance_staff, three_steps):
    measure, _steps = three_steps
    before = (measure.status, measure.percent, ProgressUpdate.objects.count())
    client.force_login(finance_staff)
    url = reverse("measures:progress_create", args=[measure.pk])
    assert "ขณะนี้ขั้นตอนเสร็จ ๑ จาก ๓ ขั้นตอน (ร้อยละ ๓๓)" in client.get(url).content.decode()

    response = client.post(url, report(percent="100"))
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "ยังมีขั้นตอนที่ยังไม่เสร็จ: ขั้นตอนที่ ๒ “เสนอผู้บริหารลงนาม”, ขั้นตอนที่ ๓ “ประกาศเผยแพร่บนเว็บไซต์” — "
        "บันทึกขั้นตอนให้เสร็จก่อน หรือเลือก “กำหนดสถานะเอง” พร้อมเหตุผล"
    ) in page
    assert "ขั้นตอนที่ ๑" not in page  # the done step is not named
    measure.refresh_from_db()
    assert (measure.status, measure.percent, ProgressUpdate.objects.count()) == before
    # What was typed stays in the form.
    assert response.context["form"]["status"].value() == "done"
    assert "ดำเนินการแล้ว</textarea>" in page


def test_steps_titled_only_by_their_number_are_named_once(client, plan, finance, finance_staff):
    measure = make_measure(
        plan, departments=[finance], steps=[{"title": "ขั้นตอนที่ 1", "department": finance}, {"title": "ขั้นตอนที่ ๒"}]
    )
    client.force_login(finance_staff)
    page = client.post(reverse("measures:progress_create", args=[measure.pk]), report(percent="100")).content.decode()
    assert "ยังมีขั้นตอนที่ยังไม่เสร็จ: ขั้นตอนที่ ๑, ขั้นตอนที่ ๒ — บันทึกขั้นตอนให้เสร็จก่อน" in page


def test_done_is_not_saved_as_100_when_50_was_typed(client, finance_staff, three_steps):
    measure, _steps = three_steps
    client.force_login(finance_staff)
    response = client.post(reverse("measures:progress_create", args=[measure.pk]), report(percent="50"))
    page = response.content.decode()
    assert "สถานะ “ดำเนินการเสร็จเรียบร้อยแล้ว” ต้องมีความก้าวหน้าร้อยละ ๑๐๐" in page
    assert "ยังมีขั้นตอนที่ยังไม่เสร็จ" in page
    assert response.context["form"]["percent"].value() == "50"
    measure.refresh_from_db()
    assert (measure.status, measure.percent) == (Status.IN_PROGRESS, 33)
    assert ProgressUpdate.objects.filter(measure=measure).count() == 1  # the tick's only


def test_done_by_hand_needs_a_reason_and_survives_later_ticks(client, finance_staff, three_steps):
    measure, (_first, second, _third) = three_steps
    client.force_login(finance_staff)
    url = reverse("measures:progress_create", args=[measure.pk])
    response = client.post(url, report(percent="100", by_hand="on", status_reason=""))
    assert "ระบุเหตุผลที่กำหนดสถานะเองแทนการคำนวณจากขั้นตอน" in response.content.decode()
    assert ProgressUpdate.objects.filter(measure=measure).count() == 1

    reason = "ขั้นตอนที่เหลือรวมไว้ในประกาศฉบับเดียว"
    assert client.post(url, report(percent="100", by_hand="on", status_reason=reason)).status_code == 302
    measure.refresh_from_db()
    assert (measure.status, measure.percent, measure.status_by_hand) == (Status.DONE, 100, True)

    # Ticking another step leaves the hand-set status as it is, and the page says why.
    tick = client.post(reverse("measures:step_done", args=[second.pk]), {"completed_on": "2/12/2563"})
    assert tick.status_code == 302
    measure.refresh_from_db()
    assert (measure.status, measure.percent, measure.status_by_hand) == (Status.DONE, 100, True)
    page = client.get(measure.get_absolute_url()).content.decode()
    assert reason in page and "กำหนดสถานะเอง" in page


def test_done_by_hand_still_means_100(client, finance_staff, three_steps):
    measure, _steps = three_steps
    client.force_login(finance_staff)
    response = client.post(
        reverse("measures:progress_create", args=[measure.pk]),
        report(percent="50", by_hand="on", status_reason="ตามมติที่ประชุม"),
    )
    page = response.content.decode()
    assert "ต้องมีความก้าวหน้าร้อยละ ๑๐๐" in page and "ยังมีขั้นตอนที่ยังไม่เสร็จ" not in page
    measure.refresh_from_db()
    assert (measure.status, measure.percent, measure.status_by_hand) == (Status.IN_PROGRESS, 33, False)


def test_done_follows_the_steps_once_they_are_all_done(client, finance_staff, three_steps):
    measure, (_first, second, third) = three_steps
    client.force_login(finance_staff)
    for step in (second, third):
        client.post(reverse("measures:step_done", args=[step.pk]), {"completed_on": "2/12/2563"})
    measure.refresh_from_db()
    assert (measure.status, measure.percent) == (Status.DONE, 100)
    response = client.post(reverse("measures:progress_create", args=[measure.pk]), report(percent="100"))
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.status, measure.percent, measure.status_by_hand) == (Status.DONE, 100, False)


def test_the_refusal_in_english(client, finance_staff, three_steps):
    from django.utils import translation

    measure, _steps = three_steps
    previous = translation.get_language()
    try:
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        client.force_login(finance_staff)
        page = client.post(reverse("measures:progress_create", args=[measure.pk]), report()).content.decode()
    finally:
        translation.activate(previous)  # a request leaves its language active for the thread
    assert (
        "Some steps are not done yet: step 2 “เสนอผู้บริหารลงนาม”, step 3 “ประกาศเผยแพร่บนเว็บไซต์”. "
        "Record those steps as done first, or tick “Set the status by hand” and give a reason."
    ) in page
    assert "The status “Completed” needs 100% progress: change the percent to 100" in page
    assert "ยังมีขั้นตอนที่ยังไม่เสร็จ" not in page
