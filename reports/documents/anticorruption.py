"""The anti-corruption action plan (OIT 2569 O23) and its report (O24), from the measures of a year's plan
that carry an anti-corruption dimension (``Measure.anticorruption_dimension``) and a budget: the projects
grouped under the four dimensions, each with its budget and period, a total per dimension and for the plan;
the report adds each project's status and results as of the end of the fiscal year. Measures with no
dimension are not projects of this plan and are left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ita_tracker.thai import format_date, format_period
from ita_tracker.xlsx import Sheet
from measures.models import AntiCorruptionDimension, MeasurePlan
from measures.selectors import plan_state_as_of
from reports.documents.base import Document, fitted_widths, header_words, two_lines, unbroken_share
from reports.documents.results import data_date


@dataclass
class DimensionGroup:
    number: int
    label: str
    states: list = field(default_factory=list)

    @property
    def budget(self) -> Decimal:
        return sum((s.measure.budget or Decimal(0) for s in self.states), Decimal(0))


class AntiCorruptionPlanDocument(Document):
    """O23: แผนปฏิบัติการป้องกันการทุจริต."""

    template = "reports/pdf/anticorruption.html"
    split_rows = True
    report = False
    code = "o23"

    def __init__(self, plan: MeasurePlan, as_of: date | None = None):
        super().__init__()
        self.plan = plan
        self.as_of = as_of or plan.period[1]

    @property
    def agency(self):
        return self.plan.agency

    @property
    def slug(self) -> str:
        return f"{self.code}-{self.plan.agency.code}-{self.plan.fiscal_year}"

    @property
    def title(self) -> str:
        return f"แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. {self.plan.fiscal_year}"

    def gather(self) -> None:
        self.plan = MeasurePlan.objects.select_related("agency").get(pk=self.plan.pk)
        groups = {
            key: DimensionGroup(number, str(label))
            for number, (key, label) in enumerate(AntiCorruptionDimension.choices, start=1)
        }
        states = plan_state_as_of(self.plan, self.as_of)
        for state in states:
            group = groups.get(state.measure.anticorruption_dimension)
            if group is not None:
                group.states.append(state)
        # O24 says "ข้อมูล ณ วันที่" (PDF and workbook): the day of the latest report, as the results report does.
        self.as_of = data_date([s for g in groups.values() for s in g.states], self.as_of)
        self.groups = list(groups.values())
        self.total = sum((g.budget for g in self.groups), Decimal(0))
        self.count = sum(len(g.states) for g in self.groups)

    def columns(self) -> list[dict]:
        """The table's columns less those empty on every row (ช่อระกา names no owner), widths fitted to what
        they hold. O24 gives the summary and the outcome their own columns: stacked in one narrow last column
        they left 70 % of each landscape page blank. "ลำดับ" is the measure's number, as the workbook's."""
        states = [s for g in self.groups for s in g.states]
        measures = [s.measure for s in states]
        headers = {
            "number": "ลำดับ",
            "title": "โครงการ/กิจกรรม/มาตรการ",
            "budget": "งบประมาณ (บาท)",
            "period": "ระยะเวลา",
            "owner": "ผู้รับผิดชอบ",
        }
        chars = {
            "number": 3 * len(measures),
            "title": sum(len(m.title) for m in measures),
            "budget": 12 * len(measures),
            "period": 18 * len(measures),
            "owner": sum(len(m.responsible_label) for m in measures),
        }
        if self.report:
            headers |= {"status": "สถานะ", "summary": "ผลการดำเนินการ", "outcome": "ผลลัพธ์"}
            chars |= {
                "status": 12 * len(states),
                "summary": sum(len(s.summary) for s in states),
                "outcome": sum(len(s.outcome) for s in states),
            }
        shown = {key: count for key, count in chars.items() if count or key not in ("owner", "summary", "outcome")}
        words = {
            "owner": [two_lines(w) for m in measures for w in m.responsible_label.split()],
            "period": [format_period(m.starts, m.ends) for m in measures],
            "budget": ["0,000,000.00"],
            "status": [piece for s in states for word in header_words(s.status_label) for piece in word],
        }
        minimums = {
            key: max(4 if key == "number" else 8, unbroken_share(headers[key], words.get(key, []))) for key in shown
        }
        minimums["title"] = 15
        widths = fitted_widths(shown, minimums, strict=True)
        return [{"key": key, "header": headers[key], "width": widths[key]} for key in shown]

    def context(self) -> dict:
        return {
            "plan": self.plan,
            "title": self.title,
            "groups": self.groups,
            "total": self.total,
            "count": self.count,
            "report": self.report,
            "as_of": self.as_of,
            "columns": self.columns(),
        }

    def _row(self, group: DimensionGroup, state) -> list:
        m = state.measure
        row = [
            group.number,
            group.label,
            m.number,
            m.title,
            m.budget,
            m.starts,
            m.ends,
            m.responsible_label,
        ]
        if self.report:
            row += [str(state.status_label), state.summary, state.outcome]
        return row

    def sheets(self) -> list[Sheet]:
        # The period as its two BE dates only (not again as text): widths that print at 75 % or more fitted to
        # one page wide, the report's three columns included.
        columns = [
            ("มิติที่", "int", 6),
            ("มิติ", "text", 20 if self.report else 28),
            ("ลำดับ", "int", 6),
            ("โครงการ/กิจกรรม/มาตรการ", "text", 30 if self.report else 46),
            ("งบประมาณ (บาท)", "money", 14),
            ("วันเริ่ม", "date", 13),
            ("วันสิ้นสุด", "date", 13),
            ("ผู้รับผิดชอบ", "text", 14 if self.report else 18),
        ]
        if self.report:
            columns += [("สถานะ", "text", 14), ("ผลการดำเนินการ", "text", 25), ("ผลลัพธ์", "text", 23)]
        return [
            Sheet(
                title=self.code.upper(),
                heading=f"{self.title} {self.plan.agency.name}",
                subheading=f"ข้อมูล ณ วันที่ {format_date(self.as_of, digits='arabic')}" if self.report else "",
                columns=columns,
                rows=[self._row(g, s) for g in self.groups for s in g.states],
                totals={4: "SUM"},
                label_columns=0,
            )
        ]


class AntiCorruptionReportDocument(AntiCorruptionPlanDocument):
    """O24: รายงานผลการดำเนินการป้องกันการทุจริต (of the year's plan, as of its latest report)."""

    report = True
    code = "o24"

    @property
    def title(self) -> str:
        return f"รายงานผลการดำเนินการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. {self.plan.fiscal_year}"
