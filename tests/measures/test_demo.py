"""The demo's measure plans follow the seeds: บางปู 2564's statuses on the memo's day and at the rounds,
ช่อระกา's summaries, สะเตงนอก's steps and dates, หนองเสม็ด's measures; loading twice changes nothing."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import translation

from ita_tracker.thai import format_period
from measures.demo import DATA_FILE
from measures.models import Measure, MeasurePlan, MeasureStep, ProgressUpdate, Status
from measures.selectors import plan_state_as_of

pytestmark = pytest.mark.django_db

DATA = json.loads(DATA_FILE.read_text(encoding="utf-8"))

DONE, IN_PROGRESS, NOT_STARTED = Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED


@pytest.fixture
def demo(db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def plan(code: str, year: int) -> MeasurePlan:
    return MeasurePlan.objects.get(agency__code=code, fiscal_year=year)


def states(code: str, year: int, day: date) -> dict[int, tuple[str, int]]:
    return {s.measure.number: (s.status, s.percent) for s in plan_state_as_of(plan(code, year), day)}


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (MeasurePlan, Measure, MeasureStep, ProgressUpdate))


def test_load_demo_reports_the_measures(demo):
    assert "Demo measures: 4 plans (4 new, 4 filled), 29 measures" in demo


def test_bangpu_2564_has_the_ten_measures_of_seed_000(demo):
    p = plan("bangpu", 2564)
    assert p.measures.count() == 10
    assert p.assessment is not None and p.assessment.fiscal_year == 2563
    m1 = p.measures.get(number=1)
    assert m1.title == "มีแนวทางปฏิบัติเกี่ยวกับการใช้ทรัพย์สินของราชการที่ถูกต้อง"
    assert (m1.starts, m1.ends) == (date(2020, 10, 1), date(2021, 9, 30))
    assert m1.monitoring == "รายงานความก้าวหน้าและสรุปผล ณ สิ้นปีงบประมาณ"
    with translation.override("th"):
        assert format_period(m1.starts, m1.ends) == "ต.ค. ๖๓ – ก.ย. ๖๔"


def test_bangpu_2564_owners_are_the_seeds(demo):
    measures = {m.number: m for m in plan("bangpu", 2564).measures.prefetch_related("departments")}
    for number in (4, 9):
        assert [d.name for d in measures[number].departments.all()] == ["กองคลัง"], number
        assert not measures[number].all_departments
    for number in (5, 10):
        assert measures[number].all_departments, number
        assert measures[number].responsible_label == "ทุกกอง"
    for number in (1, 2, 3, 6, 7, 8):
        assert [d.name for d in measures[number].departments.all()] == ["สำนักปลัดเทศบาล"], number


def test_bangpu_2564_on_the_memo_day_is_exactly_the_seeds_report(demo):
    on_memo_day = states("bangpu", 2564, date(2021, 5, 3))
    assert {n for n, (status, _) in on_memo_day.items() if status == DONE} == {1, 2, 3, 4, 6, 7, 8, 10}
    assert {n for n, (status, _) in on_memo_day.items() if status == IN_PROGRESS} == {5, 9}


def test_bangpu_2564_six_month_round_differs_from_the_year_end(demo):
    march = states("bangpu", 2564, date(2021, 3, 31))
    assert march == {
        1: (IN_PROGRESS, 50),
        2: (IN_PROGRESS, 50),
        3: (IN_PROGRESS, 50),
        4: (IN_PROGRESS, 50),
        **{n: (NOT_STARTED, 0) for n in range(5, 11)},
    }
    september = states("bangpu", 2564, date(2021, 9, 30))
    assert september == {**{n: (DONE, 100) for n in range(1, 11)}, 5: (IN_PROGRESS, 50)}
    assert march != september
    # The measures' current state is the latest update's.
    current = {m.number: (m.status, m.percent) for m in plan("bangpu", 2564).measures.all()}
    assert current == september


def test_bangpu_invented_updates_are_marked_in_the_file():
    measures = next(p for p in DATA["plans"] if p["agency"] == "bangpu")["measures"]
    for m in measures:
        for u in m["updates"]:
            if u["reported_on"] != "2021-04-30":
                assert u.get("invented") is True, (m["number"], u)
    assert any("INVENTED" in line for line in DATA["_about"])


def test_chorakha_2566_measures_have_summaries_and_outcomes(demo):
    p = plan("chorakha", 2566)
    assert p.measures.count() == 10
    for state in plan_state_as_of(p, date(2023, 9, 30)):
        assert state.status == DONE
        assert state.summary and state.outcome, state.measure.number
    m4 = p.measures.get(number=4)
    assert "๑๕,๖๔๒,๗๖๙.๕๕ บาท" in m4.updates.get().outcome
    m10 = p.measures.get(number=10)
    assert m10.updates.get().summary.splitlines()[-1].startswith("๑๑. ")


def test_satengnok_2567_measures_have_steps_with_dates(demo):
    p = plan("satengnok", 2567)
    assert p.measures.count() == 7
    assert p.assessment is not None and p.assessment.fiscal_year == 2566
    for m in p.measures.all():
        steps = list(m.steps.all())
        assert steps, m.number
        assert any(s.starts and s.ends for s in steps), m.number
        for s in steps:
            assert s.owner, (m.number, s.order)
            if s.starts:
                assert m.starts <= s.starts <= s.ends <= m.ends, (m.number, s.order)
    m1_steps = list(p.measures.get(number=1).steps.select_related("department"))
    assert len(m1_steps) == 9
    assert (m1_steps[0].starts, m1_steps[0].ends) == (date(2023, 10, 1), date(2024, 3, 31))
    assert m1_steps[0].owner == "สำนักปลัดเทศบาล งานธุรการ"
    assert m1_steps[0].department.name == "สำนักปลัดเทศบาล"
    m4 = p.measures.get(number=4)
    assert {d.name for d in m4.departments.all()} == {"กองคลัง", "สำนักปลัดเทศบาล"}
    audit = m4.steps.get(order=4)
    assert (audit.owner, audit.department, audit.ends) == ("งานตรวจสอบภายใน", None, date(2024, 6, 30))
    # Each topic answers the analysis issue of the same number: its items are linked.
    assert set(m4.items.values_list("code", flat=True)) == {"i19", "i20", "i21", "i22", "i23", "i24", "o34", "o35"}


def test_nongsamet_2567_has_its_measures(demo):
    p = plan("nongsamet", 2567)
    measures = list(p.measures.prefetch_related("steps", "updates"))
    assert [m.number for m in measures] == [1, 2]
    assert all(m.all_departments for m in measures)
    assert [len(m.steps.all()) for m in measures] == [5, 4]
    assert (measures[1].starts, measures[1].ends) == (date(2023, 10, 1), date(2024, 9, 30))
    for m in measures:
        (update,) = m.updates.all()
        assert (update.reported_on, update.status) == (date(2024, 9, 30), DONE)
        assert update.summary and update.outcome


def test_load_demo_is_idempotent(demo):
    before = counts()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert counts() == before
    assert "0 new, 0 filled" in out.getvalue()


def test_a_plan_with_measures_is_left_alone(demo):
    m = plan("bangpu", 2564).measures.get(number=1)
    Measure.objects.filter(pk=m.pk).update(title="แก้ไขโดยผู้ดูแล")
    plan("chorakha", 2566).measures.all().delete()
    call_command("load_demo", stdout=io.StringIO())
    assert Measure.objects.get(pk=m.pk).title == "แก้ไขโดยผู้ดูแล"
    # A plan that exists without measures gets them.
    assert plan("chorakha", 2566).measures.count() == 10


def test_no_demo_measure_is_done_with_open_steps_unless_set_by_hand(demo):
    """The progress form refuses "done" while steps are open (unless the status is set by hand): the demo must
    not show what the form would refuse. Seed 003's measures 1 and 2 were done with all their steps open."""
    done = Measure.objects.filter(status=Status.DONE, status_by_hand=False).prefetch_related("steps")
    open_steps = [
        (m.plan.agency.code, m.plan.fiscal_year, m.number)
        for m in done.select_related("plan__agency")
        if any(step.completed_on is None for step in m.steps.all())
    ]
    assert done.exists() and open_steps == []
