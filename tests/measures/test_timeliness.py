"""Timeliness is derived for a given day, never stored."""

from datetime import date

import pytest

from measures.models import Status, Timeliness
from tests.measures.conftest import make_measure

pytestmark = pytest.mark.django_db


def test_not_started_before_and_within_the_period(plan):
    measure = make_measure(plan)
    assert measure.timeliness(today=date(2020, 9, 1)) == Timeliness.NOT_STARTED
    assert measure.timeliness(today=date(2021, 3, 1)) == Timeliness.NOT_STARTED


def test_in_progress_is_on_time_until_the_end_date_then_late(plan):
    measure = make_measure(plan, status=Status.IN_PROGRESS, percent=40)
    assert measure.timeliness(today=date(2021, 9, 30)) == Timeliness.ON_TIME
    assert measure.timeliness(today=date(2021, 10, 1)) == Timeliness.LATE


def test_not_started_past_the_end_is_late(plan):
    assert make_measure(plan).timeliness(today=date(2021, 10, 1)) == Timeliness.LATE


def test_behind_a_step_is_late(plan):
    measure = make_measure(
        plan,
        status=Status.IN_PROGRESS,
        percent=10,
        steps=[{"title": "ร่างหลักเกณฑ์", "starts": date(2020, 10, 1), "ends": date(2020, 12, 31)}],
    )
    assert measure.timeliness(today=date(2020, 12, 31)) == Timeliness.ON_TIME
    assert measure.timeliness(today=date(2021, 1, 1)) == Timeliness.LATE
    step = measure.steps.get()
    step.completed_on = date(2020, 12, 20)
    step.save()
    assert measure.timeliness(today=date(2021, 1, 1)) == Timeliness.ON_TIME


def test_done_and_cancelled_are_never_late(plan):
    done = make_measure(plan, status=Status.DONE, percent=100)
    cancelled = make_measure(plan, status=Status.CANCELLED, cancel_reason="ไม่ได้รับงบประมาณ")
    assert done.timeliness(today=date(2022, 1, 1)) == Timeliness.DONE
    assert cancelled.timeliness(today=date(2022, 1, 1)) == Timeliness.CANCELLED


def test_overdue_queryset_matches_the_rule(plan):
    late = make_measure(plan, status=Status.IN_PROGRESS, percent=50, ends=date(2021, 3, 31))
    make_measure(plan, status=Status.DONE, percent=100, ends=date(2021, 3, 31))
    make_measure(plan, ends=date(2021, 9, 30))
    assert list(plan.measures.overdue(today=date(2021, 4, 1))) == [late]
