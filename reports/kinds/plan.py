"""A request to approve the year's measures (seeds 002/004), published as o42 evidence."""

from __future__ import annotations

from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from measures.selectors import measures_not_ready
from reports.kinds.base import MemoKind


class PlanApproval(MemoKind):
    key = "plan"
    label = _("ขออนุมัติมาตรการประจำปี")
    source = "plan"
    sections = ("attachments", "plan_table")

    def defaults(self, *, agency, plan=None, assessment=None) -> dict:
        if plan is None:
            return super().defaults(agency=agency)
        return {
            "subject": f"ขออนุมัติ{plan.title}",
            "body": (
                f"ด้วย{agency.name} ได้วิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
                f"และได้จัดทำ{plan.title} รายละเอียดตามตารางแนบท้าย เพื่อใช้เป็นแนวทางขับเคลื่อนการส่งเสริมคุณธรรมและความโปร่งใส"
                f"และเผยแพร่เป็นหลักฐานตามตัวชี้วัด o42 ต่อไป"
            ),
            "closing": "approve",
        }

    def check_submit(self, memo) -> str | None:
        """A plan goes out only when every measure has an owner and steps (issue 13): name those that do not."""
        if not memo.plan_id:
            return None
        problems = measures_not_ready(memo.plan)
        if not problems:
            return None
        listed = "; ".join(
            gettext_now("มาตรการที่ %(n)s %(title)s (%(missing)s)")
            % {"n": measure.number, "title": measure.title[:60], "missing": ", ".join(missing)}
            for measure, missing in problems
        )
        return gettext_now("ส่งบันทึกไม่ได้ เพราะมาตรการยังไม่ครบ: %(list)s") % {"list": listed}


KINDS = (PlanApproval(),)
