from __future__ import annotations

from assessments.models import Assessment, ItemScore
from assessments.selectors import analysis_for
from ita_tracker.xlsx import Sheet
from reports.documents.base import Document


class AnalysisDocument(Document):
    """The ITA analysis (seeds 002 and 004): scores by indicator and tool, the year before, change, band,
    and the findings by indicator or issue."""

    template = "reports/pdf/analysis.html"

    def __init__(self, assessment: Assessment):
        super().__init__()
        self.assessment = assessment

    @property
    def agency(self):
        return self.assessment.agency

    @property
    def slug(self) -> str:
        return f"analysis-{self.assessment.agency.code}-{self.assessment.edition.fiscal_year}"

    def gather(self) -> None:
        self.assessment = Assessment.objects.select_related("agency", "edition").get(pk=self.assessment.pk)
        self.analysis = analysis_for(self.assessment)
        self.item_scores = list(
            ItemScore.objects.filter(assessment=self.assessment)
            .select_related("item__indicator")
            .order_by("item__order")
        )

    def context(self) -> dict:
        return {"assessment": self.assessment, "analysis": self.analysis}

    def sheets(self) -> list[Sheet]:
        a, analysis = self.assessment, self.analysis
        year = a.edition.fiscal_year
        heading = f"การวิเคราะห์ผลการประเมิน ITA ปีงบประมาณ พ.ศ. {year} {a.agency.name}"
        indicators = Sheet(
            title="คะแนนรายตัวชี้วัด",
            heading=heading,
            columns=[
                ("ตัวชี้วัดที่", "int", 10),
                ("ตัวชี้วัด", "text", 34),
                ("เครื่องมือ", "text", 10),
                (f"คะแนน ปี {year - 1}", "number", 14),
                (f"คะแนน ปี {year}", "number", 14),
                ("เปลี่ยนแปลง", "number", 13),
                ("ค่าเฉลี่ยในระบบ", "number", 14),
                ("มาตรการที่จะใช้", "text", 16),
            ],
            rows=[
                [
                    r.indicator.number,
                    r.indicator.name_th,
                    r.indicator.tool.code,
                    r.previous,
                    r.score,
                    r.change,
                    r.average,
                    r.band_label,
                ]
                for r in analysis.rows
            ],
            totals={3: "AVERAGE", 4: "AVERAGE"},
        )
        tools = Sheet(
            title="คะแนนรายเครื่องมือ",
            heading=heading,
            columns=[
                ("เครื่องมือ", "text", 12),
                ("ชื่อ", "text", 45),
                ("น้ำหนัก", "number", 10),
                (f"ปี {year - 1}", "number", 12),
                (f"ปี {year}", "number", 12),
            ],
            rows=[
                [t["tool"].code, t["tool"].name_th, t["tool"].weight, t["previous"], t["score"]]
                for t in analysis.tools
            ]
            + [
                [
                    "รวม",
                    "คะแนนภาพรวม",
                    None,
                    analysis.previous.display_total if analysis.previous else None,
                    a.display_total,
                ]
            ],
        )
        items = Sheet(
            title="คะแนนรายข้อ",
            heading=heading,
            columns=[
                ("ข้อ", "text", 8),
                ("ตัวชี้วัดที่", "int", 10),
                ("ตัวชี้วัดย่อย", "text", 12),
                ("ข้อคำถาม", "text", 50),
                ("คะแนน", "number", 10),
            ],
            rows=[
                [s.item.code, s.item.indicator.number, s.item.sub_indicator, s.item.title, s.score]
                for s in self.item_scores
            ],
            totals={4: "AVERAGE"},
        )
        findings = Sheet(
            title="ผลการวิเคราะห์",
            heading=heading,
            columns=[
                ("ตัวชี้วัด / ประเด็น", "text", 40),
                ("คะแนน", "number", 10),
                ("สิ่งที่ทำได้ดี", "text", 45),
                ("ข้อบกพร่อง", "text", 45),
                ("สิ่งที่ต้องพัฒนา", "text", 45),
            ],
            rows=[
                [f"{r.indicator.number}. {r.indicator.name_th}", r.score, f.strengths, f.weaknesses, f.improvements]
                for r in analysis.rows
                for f in r.findings
            ]
            + [
                [f"ประเด็นที่ {i.issue.number} {i.issue.title}", i.average, f.strengths, f.weaknesses, f.improvements]
                for i in analysis.issues
                for f in i.findings
            ],
        )
        return [indicators, tools, items, findings]
