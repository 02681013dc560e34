"""Progress reports on a year's measures, at six and twelve months (seed 000: the plan, then the progress)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from ita_tracker.thai import half_year_end, in_local_digits
from reports.kinds.base import MemoKind


class ProgressReport(MemoKind):
    source = "plan"
    sections = ("attachments", "plan_table", "progress_table")
    round_text = ""

    def defaults(self, *, agency, plan=None, assessment=None) -> dict:
        if plan is None:
            return super().defaults(agency=agency)
        year = plan.fiscal_year
        result = ""
        if plan.assessment is not None and plan.assessment.display_total is not None:
            a = plan.assessment
            result = (
                f"ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (Integrity and Transparency "
                f"Assessment : ITA) ประจำปีงบประมาณ พ.ศ. {a.edition.fiscal_year} ของ{agency.name} "
                f"{agency.full_location} มีผลคะแนนเท่ากับ {a.display_total} คะแนน อยู่ในระดับ {a.display_level} "
            )
        return {
            "subject": (
                "รายงานผลการดำเนินการตามมาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
                f"ประจำปีงบประมาณ {year} ({self.round_text})"
            ),
            "body": (
                f"ตามที่{agency.name} ได้วิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
                f"และได้กำหนดมาตรการเพื่อขับเคลื่อนการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ {year} "
                "มีรายละเอียดดังนี้\n"
                f"{result}และเพื่อให้ผลการประเมินมีระดับคะแนนที่สูงขึ้น จึงขอรายงานผลการดำเนินการตามมาตรการที่ได้กำหนดไว้ "
                f"{self.round_text} ดังตารางแนบท้าย"
            ),
            "closing": "inform",
        }


class SixMonthReport(ProgressReport):
    key = "progress_6"
    label = in_local_digits(_("รายงานผลการดำเนินการตามมาตรการ รอบ ๖ เดือน"))
    round_text = "รอบ ๖ เดือน"

    def as_of(self, plan) -> date | None:
        return half_year_end(plan.fiscal_year) if plan is not None else None


class TwelveMonthReport(ProgressReport):
    key = "progress_12"
    label = in_local_digits(_("รายงานผลการดำเนินการตามมาตรการ รอบ ๑๒ เดือน"))
    round_text = "รอบ ๑๒ เดือน"

    def as_of(self, plan) -> date | None:
        return date(plan.period[1].year, 9, 30) if plan is not None else None


KINDS = (SixMonthReport(), TwelveMonthReport())
