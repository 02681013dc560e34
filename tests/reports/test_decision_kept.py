"""A supervisor's refused decision (a comment over the limit) gives back what was typed, and says the limit in
the page's digits; nothing is decided."""

import pytest
from django.urls import reverse

from reports.models import Memo
from reports.workflow import memo_transition
from tests.reports.test_memo_hardening import free_memo

pytestmark = pytest.mark.django_db


def test_a_comment_over_the_limit_comes_back_whole_with_a_thai_message(
    client, agency_a, office, chain, approvers, author
):
    head = approvers[0]
    memo = free_memo(agency_a, office, chain, author)
    memo_transition(memo=memo, action=Memo.Action.SUBMIT, by=author)
    client.force_login(head.user)
    comment = "เห็นควรนำเรียนปลัดเทศบาล " + "ก" * 2000
    response = client.post(
        reverse("reports:memo_decide", args=[memo.pk]),
        {"decision": "return", "comment": comment, "step": 1},
        follow=True,
    )
    page = response.content.decode()
    said = [str(m) for m in response.context["messages"]]
    assert any("ไม่เกิน ๒๐๐๐ ตัวอักษร" in m for m in said) and not any("2000" in m for m in said), said
    form = response.context["decision_form"]
    assert form.initial["comment"] == comment and form.initial["decision"] == "return"
    assert comment in page  # in the textarea, to be shortened rather than typed again
    memo.refresh_from_db()
    assert memo.status == Memo.Status.PENDING and memo.current_step == 1
    # Given back once: opened again, the form is empty.
    again = client.get(memo.get_absolute_url())
    assert "comment" not in again.context["decision_form"].initial
