"""An unsent draft is its author's work in progress: it opens for its author and for the coordinators and admins
of its agency, not for the agency's other staff, its approvers or a provincial viewer (it opened for all)."""

import pytest
from django.urls import reverse

from reports.models import Memo
from reports.workflow import memo_transition
from tests.factories import MembershipFactory
from tests.reports.test_memo_hardening import free_memo

pytestmark = pytest.mark.django_db


def opens(client, user, memo) -> bool:
    client.force_login(user)
    status = client.get(memo.get_absolute_url()).status_code
    listed = memo.subject in client.get(reverse("reports:index")).content.decode()
    assert status in (200, 404)
    return status == 200 and listed


def test_a_draft_is_seen_by_its_author_and_the_agencys_coordinators_only(
    client, agency_a, office, chain, approvers, author
):
    memo = free_memo(agency_a, office, chain, author, subject="ร่างบันทึกที่ยังไม่ส่ง")
    staff = MembershipFactory(agency=agency_a, department=office).user
    coordinator = MembershipFactory(agency=agency_a, department=office, is_coordinator=True).user
    admin = MembershipFactory(agency=agency_a, department=office, is_staff_member=False, is_agency_admin=True).user
    viewer = MembershipFactory(agency=agency_a, department=None, is_staff_member=False, is_viewer=True).user
    head = approvers[0].user
    assert opens(client, author, memo) and opens(client, coordinator, memo) and opens(client, admin, memo)
    for user in (staff, viewer, head):
        assert not opens(client, user, memo)
    # Sent, it is the agency's record.
    memo_transition(memo=memo, action=Memo.Action.SUBMIT, by=author)
    for user in (staff, viewer, head):
        assert opens(client, user, memo)
