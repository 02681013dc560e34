"""List pages run the same number of queries at 10 and at 1,000 measures."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures.models import Measure, MeasureStep, ProgressUpdate

pytestmark = pytest.mark.django_db


def add_measures(plan, departments, n, by):
    start = plan.measures.count()
    measures = Measure.objects.bulk_create(
        Measure(
            plan=plan,
            number=start + i + 1,
            title=f"มาตรการที่ {start + i + 1}",
            starts=date(2020, 10, 1),
            ends=date(2021, 9, 30),
            status="in_progress",
            percent=50,
        )
        for i in range(n)
    )
    measures = list(plan.measures.filter(number__gt=start))
    Measure.departments.through.objects.bulk_create(
        Measure.departments.through(measure=m, department=departments[i % len(departments)])
        for i, m in enumerate(measures)
    )
    MeasureStep.objects.bulk_create(
        MeasureStep(measure=m, order=k, title=f"ขั้นที่ {k}", starts=date(2020, 10, 1), ends=date(2021, 3, 31))
        for m in measures
        for k in (1, 2)
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(measure=m, reported_on=date(2021, 3, 1), status="in_progress", percent=50, created_by=by)
        for m in measures
    )


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_measure_lists_are_bounded(client, coordinator_a, finance_staff, plan, finance, works):
    urls = [
        reverse("measures:plan_detail", args=[plan.pk]),
        reverse("measures:plan_timeline", args=[plan.pk]),
        reverse("measures:plan_as_of", args=[plan.pk]) + "?date=31/3/2564",
        reverse("measures:mine") + "?year=2564",
    ]
    add_measures(plan, [finance, works], 10, coordinator_a)
    client.force_login(coordinator_a)
    small = [count(client, u) for u in urls[:3]]
    client.force_login(finance_staff)
    small.append(count(client, urls[3]))
    add_measures(plan, [finance, works], 990, coordinator_a)
    assert plan.measures.count() == 1000
    client.force_login(coordinator_a)
    large = [count(client, u) for u in urls[:3]]
    client.force_login(finance_staff)
    large.append(count(client, urls[3]))
    assert small == large
    assert max(large) <= 25
