import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agencies.models import Agency, Membership
from tests.factories import AgencyFactory, DepartmentFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_membership_without_any_role_is_refused_by_the_database(agency_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=UserFactory(), agency=agency_a)


def test_one_membership_per_person_and_agency(agency_a):
    membership = MembershipFactory(agency=agency_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(user=membership.user, agency=agency_a, department=membership.department)


def test_agency_name_is_unique_within_a_province():
    AgencyFactory(name="เทศบาลตำบลบางปู", province="ปัตตานี")
    AgencyFactory(name="เทศบาลตำบลบางปู", province="สมุทรปราการ")  # another province: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyFactory(name="เทศบาลตำบลบางปู", province="ปัตตานี")


def test_membership_department_of_another_agency_is_invalid(agency_a, agency_b):
    membership = MembershipFactory.build(
        user=UserFactory(), agency=agency_a, department=DepartmentFactory(agency=agency_b)
    )
    with pytest.raises(ValidationError) as excinfo:
        membership.full_clean()
    assert "department" in excinfo.value.message_dict


def test_roles_and_their_thai_labels(agency_a):
    membership = MembershipFactory(agency=agency_a, is_coordinator=True, is_approver=True)
    assert membership.roles == ["staff", "coordinator", "approver"]
    assert "ผู้ประสานงาน ITA" in membership.get_roles_display()


def test_visible_to_and_with_role(agency_a, agency_b):
    membership = MembershipFactory(agency=agency_a, is_coordinator=True)
    MembershipFactory(user=membership.user, agency=agency_b, is_viewer=True, is_staff_member=False, department=None)
    user = membership.user
    assert set(Agency.objects.visible_to(user)) == {agency_a, agency_b}
    assert list(Agency.objects.with_role(user, "coordinator")) == [agency_a]
    assert list(Agency.objects.with_role(user, "viewer")) == [agency_b]


def test_full_location_reads_as_documents_write_it():
    agency = AgencyFactory.build(district="ยะหริ่ง", province="ปัตตานี")
    assert agency.full_location == "อำเภอยะหริ่ง จังหวัดปัตตานี"
