"""Each measure with what was done and its outcome on the memo's date (the results report's table, seed
003's attachment, printed inside a memo that carries it rather than sends it)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from measures.selectors import plan_state_as_of
from reports.documents.base import Sheet
from reports.kinds.base import Section


class ResultsTable(Section):
    key = "results_table"
    label = _("ตารางผลการดำเนินการตามมาตรการ")
    template = "reports/sections/results_table.html"

    def build(self, memo, *, today: date) -> dict | None:
        if not memo.plan_id:
            return None
        as_of = memo.as_of or today
        rows = [
            {
                "number": s.measure.number,
                "title": s.measure.title,
                "status": str(s.status_label),
                "summary": s.summary,
                "outcome": s.outcome,
            }
            for s in plan_state_as_of(memo.plan, as_of)
        ]
        return {
            "title": f"ผลการดำเนินการตามมาตรการ ประจำปีงบประมาณ พ.ศ. {memo.plan.fiscal_year}",
            "as_of": as_of.isoformat(),
            "rows": rows,
        }

    def sheet(self, data: dict, heading: str) -> Sheet:
        return Sheet(
            title="ผลตามมาตรการ",
            heading=heading,
            columns=[
                ("ลำดับ", "int", 6),
                ("มาตรการ/กิจกรรม", "text", 40),
                ("สถานะ", "text", 18),
                ("สรุปผลการดำเนินงาน", "text", 52),
                ("ผลลัพธ์/ความสำเร็จ", "text", 52),
            ],
            rows=[[r["number"], r["title"], r["status"], r["summary"], r["outcome"]] for r in data["rows"]],
        )


SECTION = ResultsTable()
