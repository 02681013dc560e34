"""The analysis of a year's scores, indicator by indicator, that the next year's measures answer."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from reports.kinds.base import MemoKind


class AnalysisReport(MemoKind):
    key = "analysis"
    label = _("รายงานการวิเคราะห์ผลการประเมิน")
    source = "assessment"
    sections = ("attachments", "analysis_summary")

    def defaults(self, *, agency, plan=None, assessment=None) -> dict:
        if assessment is None:
            return super().defaults(agency=agency)
        year = assessment.edition.fiscal_year
        return {
            "subject": (
                "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
                f"ประจำปีงบประมาณ พ.ศ. {year}"
            ),
            "body": (
                f"ตามที่{agency.name} ได้เข้าร่วมการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
                f"ประจำปีงบประมาณ พ.ศ. {year} ได้รับคะแนน {assessment.display_total} ระดับ {assessment.display_level} นั้น "
                f"จึงได้วิเคราะห์ผลคะแนนรายตัวชี้วัด รายละเอียดตามตารางแนบท้าย"
            ),
            "closing": "consider",
        }


KINDS = (AnalysisReport(),)
