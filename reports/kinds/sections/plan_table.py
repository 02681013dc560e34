"""The year's measures with their steps, owners, periods and monitoring (seed 000's first table)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from ita_tracker.thai import local_digits
from reports import tables
from reports.documents.base import Sheet
from reports.kinds.base import Section


class PlanTable(Section):
    key = "plan_table"
    label = _("ตารางมาตรการ")
    template = "reports/sections/plan_table.html"

    def build(self, memo, *, today: date) -> dict | None:
        return tables.plan_table(memo.plan) if memo.plan_id else None

    def sheet(self, data: dict, heading: str) -> Sheet:
        return Sheet(
            title="มาตรการ",
            heading=heading,
            columns=[
                ("ลำดับ", "int", 7),
                ("มาตรการ", "text", 45),
                ("ขั้นตอนหรือวิธีการ", "text", 55),
                ("ผู้รับผิดชอบ", "text", 20),
                ("ระยะเวลาดำเนินการ", "text", 18),
                ("การกำกับติดตาม", "text", 35),
            ],
            rows=[
                # The period was frozen as text in Arabic digits: in the agency's digits as the PDF prints it.
                [
                    r["number"],
                    r["title"],
                    "\n".join(r["steps"]),
                    r["responsible"],
                    local_digits(r["period"]),
                    r["monitoring"],
                ]
                for r in data["rows"]
            ],
        )


SECTION = PlanTable()
