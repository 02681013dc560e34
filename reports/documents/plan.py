from __future__ import annotations

from ita_tracker.thai import format_period
from ita_tracker.xlsx import Sheet
from measures.models import MeasurePlan
from measures.selectors import measures_for_list
from reports.documents.base import Document


class PlanDocument(Document):
    """The annual measure plan (seed 000's first table, seeds 002 and 004): measure, steps, owner, period,
    monitoring, with the indicators each measure targets."""

    template = "reports/pdf/plan.html"

    def __init__(self, plan: MeasurePlan):
        super().__init__()
        self.plan = plan

    @property
    def agency(self):
        return self.plan.agency

    @property
    def slug(self) -> str:
        return f"plan-{self.plan.agency.code}-{self.plan.fiscal_year}"

    def gather(self) -> None:
        self.plan = MeasurePlan.objects.select_related("agency", "assessment__edition").get(pk=self.plan.pk)
        self.measures = list(
            measures_for_list(self.plan.measures.all()).prefetch_related("responsible_people__user").order_by("number")
        )

    def context(self) -> dict:
        return {"plan": self.plan, "measures": self.measures}

    def sheets(self) -> list[Sheet]:
        heading = f"{self.plan.title} {self.plan.agency.name}"
        measures = Sheet(
            title="มาตรการ",
            heading=heading,
            columns=[
                ("ลำดับ", "int", 7),
                ("มาตรการ", "text", 45),
                ("ขั้นตอนหรือวิธีการ", "text", 55),
                ("ผู้รับผิดชอบ", "text", 22),
                ("ระยะเวลาดำเนินการ", "text", 18),
                ("วันเริ่ม", "date", 14),
                ("วันสิ้นสุด", "date", 14),
                ("การกำกับติดตาม", "text", 35),
                ("ตัวชี้วัด", "text", 12),
                ("งบประมาณ (บาท)", "number", 16),
            ],
            rows=[
                [
                    m.number,
                    m.title,
                    "\n".join(f"{s.order}. {s.title}" for s in m.steps.all()) or m.description,
                    m.responsible_label,
                    format_period(m.starts, m.ends, digits="arabic"),
                    m.starts,
                    m.ends,
                    m.monitoring,
                    ", ".join(str(i.number) for i in m.indicators.all()),
                    m.budget,
                ]
                for m in self.measures
            ],
            totals={9: "SUM"},
        )
        steps = Sheet(
            title="ขั้นตอน",
            heading=heading,
            columns=[
                ("มาตรการที่", "int", 10),
                ("ขั้นที่", "int", 8),
                ("ขั้นตอน", "text", 60),
                ("ผู้รับผิดชอบ", "text", 28),
                ("วันเริ่ม", "date", 14),
                ("วันสิ้นสุด", "date", 14),
                ("เสร็จเมื่อ", "date", 14),
            ],
            rows=[
                [
                    m.number,
                    s.order,
                    s.title,
                    s.department.name if s.department else s.owner,
                    s.starts,
                    s.ends,
                    s.completed_on,
                ]
                for m in self.measures
                for s in m.steps.all()
            ],
        )
        return [measures, steps]
