"""Issue 11 item 5: a line break in a memo subject once made a 500 (BadHeaderError) after the memo had moved.
Notifications now go through ``ita_tracker.notify``: single-line subjects, in-app too, never into the request.
The database refuses a subject with a line break (tests/reports/test_memo_hardening.py); here a subject that gets
past the form as one long line reaches mail and the in-app list intact."""

from datetime import date

import pytest
from django.urls import reverse

from ita_tracker.models import Notification
from measures.services import measure_create, plan_create
from reports.models import Memo

pytestmark = pytest.mark.django_db


def test_a_submitted_memo_is_announced_by_mail_and_in_app_on_one_line(
    client, agency_a, office, chain, approvers, author, mailoutbox, django_capture_on_commit_callbacks
):
    head = approvers[0]
    plan = plan_create(agency=agency_a, fiscal_year=2564)
    measure_create(
        plan=plan,
        fields={"title": "มาตรการ", "starts": date(2020, 10, 1), "ends": date(2021, 9, 30)},
        departments=[office],
    )
    client.force_login(author)
    client.post(
        reverse("reports:memo_start"),
        {"kind": "progress_12", "plan": plan.pk, "department": office.pk, "chain": chain.pk},
    )
    memo = Memo.objects.get()
    Memo.objects.filter(pk=memo.pk).update(subject="รายงานผล Bcc: everyone@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:memo_submit", args=[memo.pk]))
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[head.user.email]]
    assert "\n" not in mailoutbox[0].subject and "\r" not in mailoutbox[0].subject
    assert mailoutbox[0].subject.endswith("รายงานผล Bcc: everyone@example.org")
    assert mailoutbox[0].bcc == []
    note = Notification.objects.get(recipient=head.user)
    assert note.kind == "memo_waiting" and note.url.endswith(reverse("reports:memo_detail", args=[memo.pk]))
