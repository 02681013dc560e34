"""Pages of people who follow many agencies do the page's work, not the country's (issue 17)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Department
from tests.factories import AgencyFactory, DepartmentFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_agency_list_counts_divisions_only_for_the_agencies_of_the_page(client):
    viewer = UserFactory()
    for number in range(60):
        agency = AgencyFactory(name=f"อบต.{number:03d}", province="ปัตตานี", code=f"n{number:03d}")
        MembershipFactory(user=viewer, agency=agency, is_viewer=True, is_staff_member=False)
        for division in range(number % 3):
            DepartmentFactory(agency=agency, name=f"กอง{division}")
    client.force_login(viewer)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("agencies:list"), {"page": 2})
    assert response.status_code == 200
    shown = list(response.context["page"])
    assert [a.name for a in shown] == [f"อบต.{n:03d}" for n in range(50, 60)]
    assert [a.department_count for a in shown] == [Department.objects.filter(agency=a).count() for a in shown]
    assert len({a.department_count for a in shown}) == 3  # the counts differ from agency to agency
    grouped = [q["sql"] for q in ctx.captured_queries if "COUNT(DISTINCT" in q["sql"].upper()]
    assert len(grouped) == 1 and '"agencies_membership"' not in grouped[0]  # only the page's ids, by id
