"""The agency's own deadlines of the cycle, set by its administrator."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from assessments import calendar


@pytest.mark.django_db
def test_agency_admin_sets_the_plan_and_report_deadlines(client, admin_a, agency_a):
    client.force_login(admin_a)
    url = reverse("agencies:update", args=[agency_a.pk])
    response = client.post(url, {"district": "ยะหริ่ง", "plan_due_days": "61", "report_due_days": "20"})
    assert response.status_code == 302
    agency_a.refresh_from_db()
    assert (agency_a.plan_due_days, agency_a.report_due_days) == (61, 20)
    assert calendar.cycle_due_dates(agency_a, 2570)["plan_approved"] == date(2026, 11, 30)

    response = client.post(url, {"district": "ยะหริ่ง", "plan_due_days": "0"})
    assert response.status_code == 200
    assert "plan_due_days" in response.context["form"].errors
    client.post(url, {"district": "ยะหริ่ง"})  # left out: kept
    agency_a.refresh_from_db()
    assert agency_a.plan_due_days == 61
