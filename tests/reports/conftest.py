import pytest

from reports.services import chain_save
from tests.factories import DepartmentFactory, MembershipFactory


@pytest.fixture
def office(agency_a):
    return DepartmentFactory(agency=agency_a, name="สำนักปลัดเทศบาล", letter_code="ปน 52701.5")


@pytest.fixture
def approvers(agency_a, office):
    """หัวหน้าสำนักปลัดเทศบาล → ปลัดเทศบาล → นายกเทศมนตรี, the ปลัด also acting for the mayor."""
    head = MembershipFactory(agency=agency_a, department=office, is_approver=True, position_title="หัวหน้าสำนักปลัดเทศบาล")
    palat = MembershipFactory(agency=agency_a, department=office, is_approver=True, position_title="ปลัดเทศบาล")
    mayor = MembershipFactory(
        agency=agency_a, department=None, is_approver=True, is_staff_member=False, position_title="นายกเทศมนตรีตำบลบางปู"
    )
    return head, palat, mayor


@pytest.fixture
def chain(agency_a, approvers):
    head, palat, mayor = approvers
    return chain_save(
        agency=agency_a,
        name="หัวหน้าสำนักปลัด → ปลัด → นายก",
        is_default=True,
        steps=[
            {"position_title": "หัวหน้าสำนักปลัดเทศบาล", "approvers": [head]},
            {"position_title": "ปลัดเทศบาล", "approvers": [palat]},
            {
                "position_title": "นายกเทศมนตรีตำบลบางปู",
                "comment_label": "ความเห็นนายกฯ",
                "approvers": [mayor],
                "acting_approvers": [palat],
            },
        ],
    )


@pytest.fixture
def author(agency_a, office):
    return MembershipFactory(
        agency=agency_a, department=office, is_coordinator=True, position_title="นักวิเคราะห์นโยบายและแผนชำนาญการ"
    ).user
