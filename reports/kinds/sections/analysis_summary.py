"""The year's scores indicator by indicator, against the year before, with the band of each."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

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
            # The scores were frozen as text ("85.50"): written as numbers again (a clerk sums and compares them),
            # shown in the agency's digits through their number format.
            columns=[
                ("ตัวชี้วัด", "int", 9),
                ("ชื่อตัวชี้วัด", "text", 50),
                ("คะแนนปีก่อน", "number", 12),
                ("คะแนน", "number", 12),
                ("เปลี่ยนแปลง", "number", 12),
                ("มาตรการที่จะใช้", "text", 30),
            ],
            rows=[
                [
                    r["number"],
                    r["indicator"],
                    _number(r["previous"]),
                    _number(r["score"]),
                    _number(r["change"]),
                    r["band"],
                ]
                for r in data["rows"]
            ],
        )


def _number(text: str | None) -> Decimal | None:
    return Decimal(text) if text not in (None, "") else None


SECTION = AnalysisSummary()
