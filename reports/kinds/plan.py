"""A request to approve the year's measures (seeds 002/004), published as o42 evidence."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

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


KINDS = (PlanApproval(),)
