"""Deciding for another level (the ปลัด acting for the mayor) is said on the memo's page before and after, as the
paper says it ("… รักษาราชการแทน …"): the page said only "ความเห็นนายกฯ: รอท่านพิจารณา" and "อนุมัติ"."""

import pytest
from django.urls import reverse

from reports.models import Memo
from reports.workflow import memo_transition
from tests.reports.test_memo_hardening import free_memo

pytestmark = pytest.mark.django_db


def test_the_acting_approver_is_told_before_and_the_history_says_so_after(
    client, agency_a, office, chain, approvers, author
):
    head, palat, _mayor = approvers
    chain.allow_same_approver = True
    chain.save()
    memo = free_memo(agency_a, office, chain, author)
    memo = memo_transition(memo=memo, action=Memo.Action.SUBMIT, by=author)
    memo = memo_transition(memo=memo, action=Memo.Action.AGREE, by=head.user, step=1)
    client.force_login(palat.user)
    # At its own level (step 2) the ปลัด is not acting.
    page = client.get(memo.get_absolute_url()).content.decode()
    assert "acting-here" not in page
    client.post(reverse("reports:memo_decide", args=[memo.pk]), {"decision": "agree", "comment": "", "step": 2})
    page = client.get(memo.get_absolute_url()).content.decode()
    assert "ท่านพิจารณาในฐานะผู้รักษาราชการแทนนายกเทศมนตรีตำบลบางปู" in page
    client.post(reverse("reports:memo_decide", args=[memo.pk]), {"decision": "approve", "comment": "", "step": 3})
    memo.refresh_from_db()
    assert memo.status == Memo.Status.APPROVED
    page = client.get(memo.get_absolute_url()).content.decode()
    history = page[page.index("ประวัติ") :]
    assert history.count("(รักษาราชการแทนนายกเทศมนตรีตำบลบางปู)") == 1  # the approval, not the ปลัด's own agree
