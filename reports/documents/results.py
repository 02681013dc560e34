from __future__ import annotations

from datetime import date

from ita_tracker.xlsx import Sheet
from measures.models import MeasurePlan
from measures.selectors import plan_state_as_of
from reports.documents.base import Document


class ResultsDocument(Document):
    """The results report (seed 001): each measure, what was done, and its outcome, as of a day (the end of
    the fiscal year by default), computed from the progress history."""

    template = "reports/pdf/results.html"

    def __init__(self, plan: MeasurePlan, as_of: date | None = None):
        super().__init__()
        self.plan = plan
        self.as_of = as_of or plan.period[1]

    @property
    def agency(self):
        return self.plan.agency

    @property
    def slug(self) -> str:
        return f"results-{self.plan.agency.code}-{self.plan.fiscal_year}"

    def gather(self) -> None:
        self.plan = MeasurePlan.objects.select_related("agency", "assessment__edition").get(pk=self.plan.pk)
        self.states = plan_state_as_of(self.plan, self.as_of)

    def context(self) -> dict:
        return {"plan": self.plan, "states": self.states, "as_of": self.as_of}

    def sheets(self) -> list[Sheet]:
        return [
            Sheet(
                title="ผลการดำเนินการ",
                heading=f"รายงานผลการดำเนินการตามมาตรการ ปีงบประมาณ พ.ศ. {self.plan.fiscal_year} "
                f"{self.plan.agency.name}",
                columns=[
                    ("ลำดับ", "int", 7),
                    ("มาตรการ/กิจกรรม", "text", 45),
                    ("ระยะเวลา", "text", 18),
                    ("ผู้รับผิดชอบ", "text", 20),
                    ("สถานะ", "text", 22),
                    ("ร้อยละ", "percent", 9),
                    ("สรุปผลการดำเนินงาน", "text", 55),
                    ("ผลลัพธ์/ความสำเร็จ", "text", 55),
                    ("ข้อมูล ณ วันที่", "date", 14),
                ],
                rows=[
                    [
                        s.measure.number,
                        s.measure.title,
                        f"{s.measure.starts.isoformat()} – {s.measure.ends.isoformat()}",
                        s.measure.responsible_label,
                        str(s.status_label),
                        s.percent,
                        s.summary,
                        s.outcome,
                        s.update.reported_on if s.update else None,
                    ]
                    for s in self.states
                ],
                totals={5: "AVERAGE"},
            )
        ]
