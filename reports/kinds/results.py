"""Memos about a year's results: one that prints the results table in itself, and one that sends the
plan's results report as an attachment (seed 003: three headed parts, "รายละเอียดปรากฏตามเอกสารแนบท้าย",
no table of its own)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from reports.kinds.base import MemoKind


class ResultsReport(MemoKind):
    key = "results"
    label = _("รายงานผลการดำเนินการตามมาตรการ (ตารางในบันทึก)")
    source = "plan"
    sections = ("attachments", "results_table")

    def as_of(self, plan):
        return plan.period[1] if plan is not None else None

    def defaults(self, *, agency, plan=None, assessment=None) -> dict:
        if plan is None:
            return super().defaults(agency=agency)
        return {
            "subject": (
                "รายงานผลการดำเนินการตามมาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
                f"ประจำปีงบประมาณ พ.ศ. {plan.fiscal_year}"
            ),
            "body": (
                f"ตามที่{agency.name} ได้กำหนด{plan.title} บัดนี้ได้ดำเนินการตามมาตรการดังกล่าวแล้ว "
                "จึงขอรายงานผลการดำเนินการ ดังตารางแนบท้าย"
            ),
            "closing": "inform",
        }


class ResultsSent(MemoKind):
    key = "results_sent"
    label = _("ส่งรายงานผลการดำเนินการ (แนบเอกสาร)")
    source = "plan"
    sections = ("attachments",)
    attaches_results = True  # the chosen plan's results report is attached when the memo is started

    def defaults(self, *, agency, plan=None, assessment=None) -> dict:
        if plan is None:
            return super().defaults(agency=agency)
        return {
            "subject": (
                "รายงานผลการดำเนินการตามตัวชี้วัดการประเมินคุณธรรมและความโปร่งใสในการดำเนินการของหน่วยงานภาครัฐ "
                f"(Integrity and Transparency Assessment : ITA) ประจำปีงบประมาณ พ.ศ. {plan.fiscal_year + 1}"
            ),
            "background": (
                f"ตามที่{agency.name} ได้เข้าร่วมการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
                f"(Integrity and Transparency Assessment : ITA) ประจำปีงบประมาณ พ.ศ. {plan.fiscal_year} นั้น"
            ),
            "considerations": "จึงขอรายงานผลการดำเนินการตามตัวชี้วัด รายละเอียดปรากฏตามเอกสารแนบท้าย",
            "closing": "consider",
        }


KINDS = (ResultsReport(), ResultsSent())
