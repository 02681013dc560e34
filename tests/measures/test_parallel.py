"""Two people (or one double click) creating at the same moment: no 500, no duplicate, the same answer
(issue 11, item 11)."""

import threading
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ita_tracker.thai import fiscal_year, thai_digits
from measures.models import Measure, MeasurePlan
from measures.services import PlanExists, measure_create, plan_create
from tests.factories import MembershipFactory


def _at_once(calls):
    """Run ``calls`` in threads released together; return the exceptions they raised."""
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def _needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises the whole database")


@pytest.mark.django_db(transaction=True)
def test_coordinators_adding_measures_at_once_get_distinct_numbers(agency_a):
    _needs_postgresql()
    plan = plan_create(agency=agency_a, fiscal_year=2564)
    coordinators = [MembershipFactory(agency=agency_a, is_coordinator=True).user for _ in range(4)]

    def add(user, n, trial):
        title = f"มาตรการที่ {trial}.{n}"  # different measures (the same one sent twice would be one measure)
        return lambda: measure_create(
            plan=plan, fields={"title": title, "starts": date(2020, 10, 1), "ends": date(2021, 9, 30)}, by=user
        )

    for trial in range(3):
        errors = _at_once([add(user, n, trial) for n, user in enumerate(coordinators, start=1)])
        assert errors == []
    numbers = sorted(Measure.objects.filter(plan=plan).values_list("number", flat=True))
    assert numbers == list(range(1, 13))


@pytest.mark.django_db(transaction=True)
def test_a_plan_sent_twice_at_once_is_made_once_and_both_answers_show_it(agency_a, coordinator_a, password):
    _needs_postgresql()
    year = fiscal_year(timezone.localdate())
    responses = []

    def send():
        client = Client()
        client.login(username=coordinator_a.username, password=password)
        responses.append(client.post(reverse("measures:plan_create"), {"fiscal_year": year, "start_from": "empty"}))

    assert _at_once([send, send]) == []
    plan = MeasurePlan.objects.get(agency=agency_a, fiscal_year=year)
    assert [r.status_code for r in responses] == [302, 302]
    assert {r["Location"] for r in responses} == {plan.get_absolute_url()}


def test_a_plan_sent_twice_answers_with_the_existing_plan(client, agency_a, coordinator_a):
    client.force_login(coordinator_a)
    year = fiscal_year(timezone.localdate())
    data = {"fiscal_year": year, "start_from": "empty"}
    first = client.post(reverse("measures:plan_create"), data)
    second = client.post(reverse("measures:plan_create"), data, follow=True)
    plan = MeasurePlan.objects.get(agency=agency_a, fiscal_year=year)
    assert first["Location"] == plan.get_absolute_url()
    assert second.redirect_chain == [(plan.get_absolute_url(), 302)]
    assert f"มีแผนมาตรการปี {thai_digits(year)} อยู่แล้ว" in second.content.decode()
    assert MeasurePlan.objects.filter(agency=agency_a).count() == 1


def test_creating_an_existing_plan_names_the_existing_one(agency_a):
    plan = plan_create(agency=agency_a, fiscal_year=2564)
    with pytest.raises(PlanExists) as excinfo:
        plan_create(agency=agency_a, fiscal_year=2564)
    assert excinfo.value.plan == plan
    assert excinfo.value.messages == ["มีแผนมาตรการปี 2564 อยู่แล้ว"]


def _measure_form(plan_title="ประกาศเจตนารมณ์การต่อต้านการทุจริต", finance=None):
    return {
        "title": plan_title,
        "departments": [finance.pk],
        "starts": "1/10/2563",
        "ends": "30/9/2564",
        "monitoring": "รายงานความก้าวหน้า",
        "steps-TOTAL_FORMS": "0",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }


def test_a_measure_sent_twice_is_made_once_and_both_answers_show_it(client, coordinator_a, plan, finance):
    client.force_login(coordinator_a)
    url = reverse("measures:measure_create", args=[plan.pk])
    first = client.post(url, _measure_form(finance=finance))
    second = client.post(url, _measure_form(finance=finance))
    measure = Measure.objects.get()
    assert first["Location"] == second["Location"] == measure.get_absolute_url()
    # A different measure right after is a new one, with the next number.
    client.post(url, _measure_form("จัดทำคู่มือการปฏิบัติงาน", finance=finance))
    assert list(Measure.objects.order_by("number").values_list("number", flat=True)) == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_a_measure_sent_twice_at_once_is_made_once(agency_a, coordinator_a, password):
    _needs_postgresql()
    plan = plan_create(agency=agency_a, fiscal_year=2564)
    from tests.factories import DepartmentFactory

    finance = DepartmentFactory(agency=agency_a, name="กองคลัง")
    responses = []

    def send():
        client = Client()
        client.login(username=coordinator_a.username, password=password)
        responses.append(
            client.post(reverse("measures:measure_create", args=[plan.pk]), _measure_form(finance=finance))
        )

    assert _at_once([send, send, send]) == []
    measure = Measure.objects.get(plan=plan)
    assert {r["Location"] for r in responses} == {measure.get_absolute_url()}
