"""Each measure with its steps and a ✓ under its status on the memo's date (seed 000's second table)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from reports import tables
from reports.documents.base import Sheet
from reports.kinds.base import Section

STATUS_COLUMNS = ("not_started", "in_progress", "done")


class ProgressTable(Section):
    key = "progress_table"
    label = _("ตารางผลการดำเนินการ")
    template = "reports/sections/progress_table.html"

    def build(self, memo, *, today: date) -> dict | None:
        return tables.progress_table(memo.plan, memo.as_of or today) if memo.plan_id else None

    def sheet(self, data: dict, heading: str) -> Sheet:
        # The seed's form: its three status columns, each kept even when no measure is in it (an empty
        # "ยังไม่ดำเนินการ" says that none is), and no percentage (the seed has none).
        return Sheet(
            title="ผลการดำเนินการ",
            heading=heading,
            columns=[
                ("ลำดับ", "int", 6),
                ("มาตรการ", "text", 38),
                ("ขั้นตอนหรือวิธีการ", "text", 48),
                ("ยังไม่ดำเนินการ", "text", 12),
                ("อยู่ระหว่างดำเนินการ", "text", 12),
                ("ดำเนินการเสร็จเรียบร้อยแล้ว", "text", 14),
                ("สรุปผลการดำเนินงาน", "text", 45),
            ],
            rows=[
                [
                    row["number"],
                    row["title"],
                    "\n".join(row["steps"]),
                    *["✓" if row["status"] == s else "" for s in STATUS_COLUMNS],
                    row.get("summary", ""),
                ]
                for row in data["rows"]
            ],
            keep_columns=frozenset({3, 4, 5}),
        )


SECTION = ProgressTable()
