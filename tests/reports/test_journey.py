"""The whole route of a progress memo, through the pages people use."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.models import Status
from measures.services import measure_create, plan_create, progress_record
from reports.models import Memo, MemoEvent
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_progress_memo_from_staff_update_to_final_approval(
    client, agency_a, office, chain, approvers, author, mailoutbox, django_capture_on_commit_callbacks
):
    head, palat, _mayor = approvers

    def post(url, data=None):
        # Mail is sent on commit: run the callbacks as a real request's commit would.
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    plan = plan_create(agency=agency_a, fiscal_year=2564)
    measure = measure_create(
        plan=plan,
        fields={"title": "จัดทำแนวทางการใช้ทรัพย์สินของราชการ", "starts": date(2020, 10, 1), "ends": date(2021, 9, 30)},
        departments=[office],
    )
    staff = MembershipFactory(agency=agency_a, department=office, is_staff_member=True).user

    # Staff record progress.
    client.force_login(staff)
    response = client.post(
        reverse("measures:progress_create", args=[measure.pk]),
        {"reported_on": "30/4/2564", "status": "done", "percent": "100", "summary": "จัดทำแนวทางแล้ว"},
    )
    assert response.status_code == 302

    # The coordinator creates the 12-month memo from the plan, pre-filled.
    client.force_login(author)
    response = client.post(
        reverse("reports:memo_start"),
        {"kind": "progress_12", "plan": plan.pk, "department": office.pk, "chain": chain.pk},
    )
    memo = Memo.objects.get()
    assert response.url == reverse("reports:memo_edit", args=[memo.pk])
    assert "รายงานผลการดำเนินการตามมาตรการ" in memo.subject
    assert memo.as_of == date(2021, 9, 30)
    assert memo.running_number is None

    # Submits: numbered, table fixed, step 1 notified after commit.
    post(reverse("reports:memo_submit", args=[memo.pk]))
    memo.refresh_from_db()
    assert memo.status == Memo.Status.PENDING and memo.current_step == 1
    assert memo.number == "ปน 52701.5/1"
    assert memo.table["sections"][1]["rows"][0]["status"] == Status.DONE
    assert [m.to for m in mailoutbox] == [[head.user.email]]

    # Step 2 cannot act before step 1.
    client.force_login(palat.user)
    post(reverse("reports:memo_decide", args=[memo.pk]), {"decision": "agree", "step": 2})
    memo.refresh_from_db()
    assert memo.current_step == 1

    # Step 1 comments.
    client.force_login(head.user)
    page = client.get(memo.get_absolute_url())
    assert page.context["decision_form"] is not None
    post(
        reverse("reports:memo_decide", args=[memo.pk]), {"decision": "agree", "comment": "เห็นควรนำเรียนปลัด", "step": 1}
    )
    memo.refresh_from_db()
    assert memo.current_step == 2

    # Step 2 returns it.
    client.force_login(palat.user)
    post(
        reverse("reports:memo_decide", args=[memo.pk]),
        {"decision": "return", "comment": "แก้ชื่อเรื่องให้ระบุรอบ", "step": 2},
    )
    memo.refresh_from_db()
    assert memo.status == Memo.Status.RETURNED and memo.current_step is None
    assert mailoutbox[-1].to == [author.email]
    assert "แก้ชื่อเรื่องให้ระบุรอบ" in mailoutbox[-1].body

    # The author edits and resubmits from step 1, keeping the number.
    client.force_login(author)
    edit = client.get(reverse("reports:memo_edit", args=[memo.pk]))
    data = {k: v for k, v in edit.context["form"].initial.items() if v is not None}
    data.update(
        {"department": office.pk, "chain": chain.pk, "subject": memo.subject + " รอบ ๑๒ เดือน", "as_of": "30/9/2564"}
    )
    assert client.post(reverse("reports:memo_edit", args=[memo.pk]), data).status_code == 302
    # This agency lets the ปลัด decide a second step acting for the mayor (fixed into the memo at submission).
    chain.allow_same_approver = True
    chain.save()
    post(reverse("reports:memo_submit", args=[memo.pk]))
    memo.refresh_from_db()
    assert memo.status == Memo.Status.PENDING and memo.current_step == 1
    assert memo.number == "ปน 52701.5/1"

    # Every step approves; the ปลัด signs the last block acting for the mayor.
    for user, decision, step in [(head.user, "agree", 1), (palat.user, "agree", 2), (palat.user, "approve", 3)]:
        client.force_login(user)
        post(reverse("reports:memo_decide", args=[memo.pk]), {"decision": decision, "comment": "", "step": step})
    memo.refresh_from_db()
    assert memo.status == Memo.Status.APPROVED
    last = memo.steps.get(order=3)
    assert last.acting and last.signer_position == "ปลัดเทศบาล"

    page = client.get(memo.get_absolute_url()).content.decode()
    assert "รักษาราชการแทน" in page and "นายกเทศมนตรีตำบลบางปู" in page
    assert "ความเห็นนายกฯ" in page
    assert "อนุญาตให้ผู้พิจารณาคนเดียวพิจารณาได้มากกว่าหนึ่งขั้น" in page

    # Frozen: later progress does not change it, and it cannot be edited or deleted.
    progress_record(measure=measure, by=staff, reported_on=timezone.localdate(), status="in_progress", percent=50)
    memo.refresh_from_db()
    assert memo.table["sections"][1]["rows"][0]["status"] == Status.DONE
    client.force_login(author)
    assert client.get(reverse("reports:memo_edit", args=[memo.pk])).status_code == 302
    client.post(reverse("reports:memo_edit", args=[memo.pk]), {"subject": "เปลี่ยน"})
    client.post(reverse("reports:memo_delete", args=[memo.pk]))
    memo.refresh_from_db()
    assert memo.subject.endswith("รอบ ๑๒ เดือน") and Memo.objects.filter(pk=memo.pk).exists()

    actions = list(MemoEvent.objects.filter(memo=memo).values_list("action", flat=True))
    assert actions == ["create", "submit", "agree", "return", "resubmit", "agree", "agree", "approve"]
