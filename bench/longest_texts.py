"""A plan whose every free text is at its maximum (issue 11, item 8), for the test that the documents still render
(``tests/reports/test_longest_texts.py``) and for the "longest texts" case of ``bench/documents_bench.py``.

The texts are real Thai prose (a progress summary's wording) repeated without a break to the field's limit: one
unbroken paragraph per field, the worst case for line breaking, as a user pasting a long report would produce.
Written through the ORM with ``full_clean()`` (so the limits themselves are checked), not through the services,
whose permission checks need a logged-in person.
"""

from __future__ import annotations

from datetime import date

PROSE = (
    "เทศบาลได้ดำเนินการเผยแพร่ข้อมูลข่าวสารการจัดซื้อจัดจ้างและรายงานผลการดำเนินงานประจำปีบนเว็บไซต์ของหน่วยงาน"
    "จัดประชุมชี้แจงแนวทางการปฏิบัติงานแก่บุคลากรทุกกองเพื่อป้องกันผลประโยชน์ทับซ้อนและส่งเสริมคุณธรรมและความโปร่งใส"
)
MEASURES = 5


def text(limit: int, prose: str = PROSE) -> str:
    """``prose`` repeated to exactly ``limit`` characters."""
    return (prose * (limit // len(prose) + 1))[:limit]


def at_max(model, **fixed):
    """An instance of ``model`` with ``fixed`` values and every other text field at its maximum length."""
    values = {
        field.name: text(field.max_length)
        for field in model._meta.get_fields()
        if field.get_internal_type() == "TextField" and field.name not in fixed
    }
    return model(**fixed, **values)


def _saved(instance, exclude=()):
    instance.full_clean(exclude=list(exclude))
    instance.save()
    return instance


def build(agency, user, measures: int = MEASURES):
    """``measures`` measures with a step and a progress update each, in a plan, and a 12-month progress memo on
    it, every text at its limit. Returns ``(plan, memo)``."""
    from agencies.models import Department
    from measures.models import Measure, MeasurePlan, MeasureStep, ProgressUpdate
    from reports.models import ApprovalChain, Memo

    department = Department.objects.create(agency=agency, name="สำนักปลัด", letter_code="ปน 0001")
    plan = _saved(at_max(MeasurePlan, agency=agency, fiscal_year=2567, title="แผนทดสอบข้อความยาวที่สุด"))
    for number in range(1, measures + 1):
        measure = _saved(
            at_max(
                Measure, plan=plan, number=number, starts=date(2023, 10, 1), ends=date(2024, 9, 30), cancel_reason=""
            )
        )
        _saved(at_max(MeasureStep, measure=measure, order=1))
        _saved(
            at_max(
                ProgressUpdate,
                measure=measure,
                reported_on=date(2024, 9, 1),
                status="in_progress",
                percent=80,
                created_by=user,
                cancel_reason="",
            )
        )
    chain = ApprovalChain.objects.create(agency=agency, name="สายทดสอบ")
    memo = at_max(
        Memo,
        agency=agency,
        department=department,
        kind=Memo.Kind.PROGRESS_12,
        plan=plan,
        chain=chain,
        subject="รายงานผลการดำเนินการตามมาตรการ รอบ ๑๒ เดือน",
        addressee="นายกเทศมนตรี",
        author=user,
        author_name="ผู้ทดสอบ ข้อความยาว",
        author_position="นักวิเคราะห์นโยบายและแผน",
        as_of=date(2024, 9, 30),
    )
    return plan, _saved(memo)
