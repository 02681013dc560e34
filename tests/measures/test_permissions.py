"""Permissions in one place per app (issue 10): the services ask the same rules as the pages, at the moment of
acting, and no view or service spells a role check of its own."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from measures.models import Measure, ProgressUpdate, Status
from measures.services import measure_create, measure_update, progress_record
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
FIELDS = {"title": "เปิดเผยข้อมูล", "starts": date(2020, 10, 1), "ends": date(2021, 9, 30)}


def test_only_coordinators_create_measures_even_through_the_service(plan, finance_staff):
    with pytest.raises(PermissionDenied):
        measure_create(plan=plan, fields=FIELDS, by=finance_staff)
    assert not Measure.objects.exists()


def test_a_coordinator_whose_role_was_taken_away_cannot_save(plan, agency_a):
    membership = MembershipFactory(agency=agency_a, is_coordinator=True)
    measure = measure_create(plan=plan, fields=FIELDS, by=membership.user)
    membership.is_coordinator = False  # the agency admin takes the role away while the form is open
    membership.save()
    with pytest.raises(PermissionDenied):
        measure_update(measure=measure, expected_version=measure.version, fields={"title": "แก้"}, by=membership.user)
    measure.refresh_from_db()
    assert measure.title == "เปิดเผยข้อมูล"


def test_progress_is_reported_only_by_the_divisions_of_the_measure(works_measure, finance_staff, works_staff):
    with pytest.raises(PermissionDenied):
        progress_record(
            measure=works_measure, by=finance_staff, reported_on=date(2021, 1, 5), status=Status.IN_PROGRESS, percent=5
        )
    progress_record(
        measure=works_measure, by=works_staff, reported_on=date(2021, 1, 5), status=Status.IN_PROGRESS, percent=5
    )
    assert list(ProgressUpdate.objects.values_list("created_by", flat=True)) == [works_staff.pk]


@pytest.mark.parametrize(
    "module", ["agencies/views.py", "agencies/services.py", "measures/views.py", "measures/services.py"]
)
def test_views_and_services_spell_no_role_check_of_their_own(module):
    """Roles are named only in the apps' permissions modules; a view or service asks those."""
    source = (ROOT / module).read_text(encoding="utf-8")
    assert not re.findall(r"\bRole\.[A-Z_]+|\bis_(?:coordinator|approver|agency_admin|viewer|staff_member)\b", source)
