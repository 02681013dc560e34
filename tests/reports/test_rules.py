"""Who may act on a memo, and when; numbering; bad input."""

import threading
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from agencies.models import Membership
from reports.models import ApprovalChain, Memo, MemoStep
from reports.services import chain_save, memo_create
from reports.workflow import memo_transition
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def free_memo(agency, department, chain, author, **fields):
    return memo_create(
        agency=agency,
        author=author,
        fields={
            "kind": "free",
            "department": department,
            "chain": chain,
            "subject": "ขอรายงานผลการดำเนินการตามตัวชี้วัด OIT",
            "addressee": "นายกเทศมนตรีตำบลบางปู",
            "body": "ตามที่เทศบาลได้เข้าร่วมการประเมิน ITA",
            **fields,
        },
    )


def test_approver_of_another_agency_can_neither_see_nor_act(client, agency_a, agency_b, office, chain, author):
    memo = memo_transition(memo=free_memo(agency_a, office, chain, author), action="submit", by=author)
    outsider = MembershipFactory(agency=agency_b, is_approver=True).user
    client.force_login(outsider)
    assert client.get(memo.get_absolute_url()).status_code == 404
    assert (
        client.post(reverse("reports:memo_decide", args=[memo.pk]), {"decision": "agree", "step": 1}).status_code
        == 404
    )
    memo.refresh_from_db()
    assert memo.current_step == 1 and not memo.steps.exclude(decision="").exists()


def test_step_two_cannot_act_before_step_one(client, agency_a, office, chain, approvers, author):
    _head, palat, _mayor = approvers
    memo = memo_transition(memo=free_memo(agency_a, office, chain, author), action="submit", by=author)
    client.force_login(palat.user)
    assert client.get(memo.get_absolute_url()).context["decision_form"] is None
    response = client.post(
        reverse("reports:memo_decide", args=[memo.pk]), {"decision": "agree", "step": 2}, follow=True
    )
    assert "ยังไม่ถึงขั้นนี้" in response.content.decode()
    # Forging the step number of step 1 is refused too: they are not its approver.
    assert (
        client.post(reverse("reports:memo_decide", args=[memo.pk]), {"decision": "agree", "step": 1}).status_code
        == 403
    )
    memo.refresh_from_db()
    assert memo.current_step == 1


def test_an_approval_posted_twice_records_one_decision(client, agency_a, office, chain, approvers, author):
    head, _palat, _mayor = approvers
    memo = memo_transition(memo=free_memo(agency_a, office, chain, author), action="submit", by=author)
    client.force_login(head.user)
    url = reverse("reports:memo_decide", args=[memo.pk])
    client.post(url, {"decision": "agree", "comment": "เห็นชอบ", "step": 1})
    response = client.post(url, {"decision": "agree", "comment": "เห็นชอบ", "step": 1}, follow=True)
    assert "ได้รับการพิจารณาในขั้นนี้แล้ว" in response.content.decode()
    memo.refresh_from_db()
    assert memo.current_step == 2
    assert memo.events.filter(action="agree").count() == 1
    assert MemoStep.objects.filter(memo=memo).exclude(decision="").count() == 1


def test_nobody_approves_their_own_memo(client, agency_a, office, approvers):
    head, palat, _mayor = approvers
    Membership.objects.filter(pk=head.pk).update(is_coordinator=True)
    chain = chain_save(
        agency=agency_a, name="สายเดียว", steps=[{"position_title": "หัวหน้า", "approvers": [head, palat]}]
    )
    memo = memo_transition(memo=free_memo(agency_a, office, chain, head.user), action="submit", by=head.user)
    client.force_login(head.user)
    assert client.get(memo.get_absolute_url()).context["decision_form"] is None
    assert (
        client.post(reverse("reports:memo_decide", args=[memo.pk]), {"decision": "approve", "step": 1}).status_code
        == 403
    )
    assert not Memo.objects.awaiting(head.user).exists()


def test_empty_subject_is_refused_and_nothing_saved(client, agency_a, office, chain, author):
    memo = free_memo(agency_a, office, chain, author)
    client.force_login(author)
    response = client.post(
        reverse("reports:memo_edit", args=[memo.pk]),
        {
            "department": office.pk,
            "chain": chain.pk,
            "subject": "",
            "addressee": "ปลัด",
            "body": "x",
            "closing": "inform",
            "author_name": "ก",
            "author_position": "ข",
            "version": memo.version,
        },
    )
    assert response.status_code == 200
    assert "กรุณาระบุเรื่อง" in response.content.decode()
    memo.refresh_from_db()
    assert memo.subject == "ขอรายงานผลการดำเนินการตามตัวชี้วัด OIT"


def test_a_chain_with_nobody_at_a_step_is_refused(client, agency_a, approvers, author):
    head, _palat, _mayor = approvers
    client.force_login(author)
    response = client.post(
        reverse("reports:chain_create"),
        {
            "name": "สายที่ขาดคน",
            "steps-TOTAL_FORMS": "2",
            "steps-INITIAL_FORMS": "0",
            "steps-MIN_NUM_FORMS": "0",
            "steps-MAX_NUM_FORMS": "1000",
            "steps-0-position_title": "หัวหน้าสำนักปลัด",
            "steps-0-approvers": [head.pk],
            "steps-1-position_title": "ปลัดเทศบาล",
        },
    )
    assert response.status_code == 200
    assert "ขั้นที่ 2: ต้องมีผู้มีสิทธิ์พิจารณาอย่างน้อยหนึ่งคน" in response.content.decode()
    assert not ApprovalChain.objects.filter(name="สายที่ขาดคน").exists()


def test_inbox_shows_waiting_memos_with_a_count_in_the_navigation(client, agency_a, office, chain, approvers, author):
    head, palat, _mayor = approvers
    memo_transition(memo=free_memo(agency_a, office, chain, author), action="submit", by=author)
    client.force_login(head.user)
    response = client.get(reverse("reports:index"))
    assert [m.subject for m in response.context["waiting"]] == ["ขอรายงานผลการดำเนินการตามตัวชี้วัด OIT"]
    assert 'title="รอฉันพิจารณา">๑</span>' in response.content.decode()
    client.force_login(palat.user)
    assert client.get(reverse("reports:index")).context["waiting"] == []


def test_numbers_run_per_agency_and_year(agency_a, agency_b, office, chain, author):
    first = memo_transition(memo=free_memo(agency_a, office, chain, author), action="submit", by=author)
    second = memo_transition(memo=free_memo(agency_a, office, chain, author), action="submit", by=author)
    assert (first.running_number, second.running_number) == (1, 2)
    assert first.number_year == date.today().year + 543


@pytest.mark.django_db(transaction=True)
def test_two_memos_submitted_at_once_never_share_a_number(agency_a, office, chain, author):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises the whole database")
    memos = [free_memo(agency_a, office, chain, author) for _ in range(6)]
    barrier = threading.Barrier(len(memos))
    errors = []

    def submit(memo):
        try:
            barrier.wait()
            memo_transition(memo=memo, action="submit", by=author)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(m,)) for m in memos]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Memo.objects.filter(agency=agency_a).values_list("running_number", flat=True))
    assert numbers == [1, 2, 3, 4, 5, 6]


def test_only_people_with_the_approver_role_can_be_on_a_route(agency_a, author):
    from django.core.exceptions import ValidationError

    from tests.factories import MembershipFactory as Member

    clerk = Member(agency=agency_a, position_title="เจ้าพนักงานธุรการ")  # staff only
    with pytest.raises(ValidationError) as excinfo:
        chain_save(agency=agency_a, name="สายผิด", steps=[{"position_title": "หัวหน้า", "approvers": [clerk]}])
    assert "ไม่มีบทบาทผู้บังคับบัญชา" in excinfo.value.messages[0]
    assert not ApprovalChain.objects.filter(name="สายผิด").exists()
