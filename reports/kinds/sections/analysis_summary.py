"""The year's scores indicator by indicator, against the year before, with the band of each."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from reports import tables
from reports.documents.base import Sheet
from reports.kinds.base import Section


class AnalysisSummary(Section):
    key = "analysis_summary"
    label = _("สรุปผลการวิเคราะห์")
    template = "reports/sections/analysis_summary.html"

    def build(self, memo, *, today: date) -> dict | None:
        return tables.analysis_table(memo.assessment) if memo.assessment_id else None

    def sheet(self, data: dict, heading: str) -> Sheet:
        return Sheet(
            title="ผลการวิเคราะห์",
            heading=heading,
            columns=[
                ("ตัวชี้วัด", "text", 9),
                ("ชื่อตัวชี้วัด", "text", 50),
                ("คะแนนปีก่อน", "text", 12),
                ("คะแนน", "text", 12),
                ("เปลี่ยนแปลง", "text", 12),
                ("มาตรการที่จะใช้", "text", 30),
            ],
            rows=[
                [str(r["number"]), r["indicator"], r["previous"] or "", r["score"] or "", r["change"] or "", r["band"]]
                for r in data["rows"]
            ],
        )


SECTION = AnalysisSummary()
