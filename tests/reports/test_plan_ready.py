"""A plan memo goes out only when every measure has an owner and steps (issue 13)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from measures.services import StepSpec, measure_create, plan_create
from reports.models import Memo
from reports.services import memo_create
from reports.workflow import memo_transition

pytestmark = pytest.mark.django_db

MEMO = {"subject": "ขออนุมัติมาตรการ", "addressee": "นายกเทศมนตรี", "body": "ขออนุมัติ"}


def test_plan_memo_refuses_to_submit_while_a_measure_has_no_owner(agency_a, office, chain, author):
    plan = plan_create(agency=agency_a, fiscal_year=2567)
    span = {"starts": date(2023, 10, 1), "ends": date(2024, 9, 30)}
    measure_create(
        plan=plan,
        fields={"title": "จัดทำแนวทางการใช้ทรัพย์สินของราชการ", **span},
        departments=[office],
        steps=[StepSpec(title="ยกร่างแนวทาง", department=office)],
    )
    orphan = measure_create(
        plan=plan,
        fields={"title": "เผยแพร่แผนการจัดซื้อจัดจ้าง", **span},
        steps=[StepSpec(title="เผยแพร่บนเว็บไซต์")],
    )
    memo = memo_create(
        agency=agency_a,
        author=author,
        fields={"kind": "plan", "plan": plan, "department": office, "chain": chain, **MEMO},
    )
    with pytest.raises(ValidationError) as refused:
        memo_transition(memo=memo, action="submit", by=author)
    message = " ".join(refused.value.messages)
    assert "มาตรการที่ 2 เผยแพร่แผนการจัดซื้อจัดจ้าง" in message and "ไม่มีผู้รับผิดชอบ" in message
    assert "มาตรการที่ 1" not in message
    memo.refresh_from_db()
    assert memo.status == Memo.Status.DRAFT and memo.running_number is None

    orphan.all_departments = True
    orphan.save()
    assert memo_transition(memo=memo, action="submit", by=author).status == Memo.Status.PENDING


def test_plan_memo_names_a_measure_without_steps(agency_a, office, chain, author):
    plan = plan_create(agency=agency_a, fiscal_year=2567)
    measure_create(
        plan=plan,
        fields={"title": "ให้ความรู้เรื่องผลประโยชน์ทับซ้อน", "starts": date(2023, 10, 1), "ends": date(2024, 9, 30)},
        departments=[office],
    )
    memo = memo_create(
        agency=agency_a,
        author=author,
        fields={"kind": "plan", "plan": plan, "department": office, "chain": chain, **MEMO},
    )
    with pytest.raises(ValidationError, match=r"ให้ความรู้เรื่องผลประโยชน์ทับซ้อน.*ไม่มีขั้นตอน"):
        memo_transition(memo=memo, action="submit", by=author)
