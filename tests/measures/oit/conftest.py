"""Shared set-up of the OIT checklist tests: an agency with four divisions and the people who work on OIT."""

from __future__ import annotations

import pytest

from measures.oit.services import checklist_open
from tests.factories import DepartmentFactory, MembershipFactory
from tests.measures.oit.helpers import YEAR


@pytest.fixture
def divisions(agency_a):
    return {
        "office": DepartmentFactory(agency=agency_a, name="สำนักปลัดเทศบาล", order=1),
        "finance": DepartmentFactory(agency=agency_a, name="กองคลัง", order=2),
        "works": DepartmentFactory(agency=agency_a, name="กองช่าง", order=3),
        "strategy": DepartmentFactory(agency=agency_a, name="กองยุทธศาสตร์และงบประมาณ", order=4),
    }


@pytest.fixture
def people(agency_a, divisions):
    return {
        "coordinator": MembershipFactory(
            agency=agency_a, department=divisions["office"], is_coordinator=True, is_staff_member=False
        ).user,
        "finance": MembershipFactory(agency=agency_a, department=divisions["finance"]).user,
        "works": MembershipFactory(agency=agency_a, department=divisions["works"]).user,
        "viewer": MembershipFactory(agency=agency_a, department=None, is_viewer=True, is_staff_member=False).user,
    }


@pytest.fixture
def checklist(agency_a, divisions, people):
    return checklist_open(agency=agency_a, fiscal_year=YEAR, by=people["coordinator"])


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """``with sent():`` runs what the block scheduled for after commit (the notifications) at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
