"""The tables memos carry, as plain data (JSON-ready), so a memo can fix its table when it is submitted.

Each builder reads with a fixed number of queries and returns::

    {"kind": "...", "title": "...", "columns": [...], "rows": [[...], ...], ...}

Dates are stored ISO (CE) and periods as their Thai text, so a frozen table renders the same forever. The
sections of ``reports.kinds`` call these builders; the ``"kind"`` tag stays in their output because memos frozen
before schema 2 (and ``generate_data``) are read by it (``reports.paper.LEGACY_SECTIONS``).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from assessments.models import Assessment
from assessments.selectors import analysis_for
from ita_tracker.thai import format_period
from measures.models import MeasurePlan, Status
from measures.selectors import measures_for_list, plan_state_as_of
from reports.texts import DocumentText, texts_for

PROGRESS_COLUMNS = ["มาตรการ", "ขั้นตอนหรือวิธีการ", "ยังไม่ดำเนินการ", "อยู่ระหว่างดำเนินการ", "ดำเนินการเสร็จเรียบร้อยแล้ว"]
# The progress table's header over its three status columns; an agency words it itself as the results document's
# part "header_status" (seed 000 prints "สถานการณ์ดำเนินการ").
STATUS_HEADER = "สถานะการดำเนินการ"
PLAN_COLUMNS = ["มาตรการ", "ขั้นตอนหรือวิธีการ", "ผู้รับผิดชอบ", "ระยะเวลาดำเนินการ", "การกำกับติดตาม"]
ANALYSIS_COLUMNS = ["ลำดับ", "ตัวชี้วัด", "คะแนนปีก่อน", "คะแนน", "เปลี่ยนแปลง", "มาตรการที่จะใช้"]


def _step_lines(steps) -> list[str]:
    """A line per step; steps of one title (one task given to each division: "รายงานผลประจำเดือน ๑๐/๒๕๖๙" three
    times a month) are one line naming their units, not the same line printed again and again."""
    units: dict[str, list[str]] = {}
    counts: Counter = Counter(step.title for step in steps)
    for step in steps:
        unit = step.department.name if step.department_id else step.owner.strip()
        named = units.setdefault(step.title, [])
        if unit and unit not in named:
            named.append(unit)
    lines = []
    for title, named in units.items():
        lines.append(f"-{title} ({', '.join(named)})" if counts[title] > 1 and named else f"-{title}")
    return lines


def _steps_text(measure) -> list[str]:
    """The measure's description, then its steps: the description is printed beside the steps, not lost."""
    steps = _step_lines(list(measure.steps.all()))
    description = [line.strip() for line in measure.description.splitlines() if line.strip()]
    if not steps:
        return [line if line.startswith("-") else f"-{line}" for line in description]
    return description + steps


def progress_table(plan: MeasurePlan, as_of: date) -> dict:
    """Seed 000's table: each measure with its steps and a ✓ under its status on ``as_of``."""
    rows = []
    for state in plan_state_as_of(plan, as_of):
        measure = state.measure
        rows.append(
            {
                "number": measure.number,
                "title": measure.title,
                "steps": _steps_text(measure),
                "status": state.status,
                "percent": state.percent,
                "summary": state.summary,
                "outcome": state.outcome,
            }
        )
    return {
        "kind": "progress",
        # Seed 000's words over its table.
        "title": (
            "ผลการดำเนินการตามมาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงานให้ดีมากยิ่งขึ้น "
            "ตามมาตรการที่ได้กำหนดไว้ข้างต้น ดังต่อไปนี้"
        ),
        "as_of": as_of.isoformat(),
        "fiscal_year": plan.fiscal_year,
        "columns": PROGRESS_COLUMNS,
        # The agency's wording of the header over the statuses (its results document's, that plan year).
        "status_header": texts_for(plan.agency, plan.fiscal_year, DocumentText.Document.RESULTS).get("header_status")
        or STATUS_HEADER,
        "statuses": [Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE],
        "rows": rows,
    }


def plan_table(plan: MeasurePlan) -> dict:
    """Seed 000's first table and seeds 002/004's plans: measure, steps, owner, period, monitoring."""
    rows = []
    for measure in measures_for_list(plan.measures.all()).order_by("number"):
        rows.append(
            {
                "number": measure.number,
                "title": measure.title,
                "steps": _steps_text(measure),
                "responsible": measure.responsible_label,
                "period": format_period(measure.starts, measure.ends, digits="arabic"),
                "starts": measure.starts.isoformat(),
                "ends": measure.ends.isoformat(),
                "monitoring": measure.monitoring,
            }
        )
    return {
        "kind": "plan",
        "title": plan.title,
        "fiscal_year": plan.fiscal_year,
        "columns": PLAN_COLUMNS,
        "rows": rows,
    }


def analysis_table(assessment: Assessment) -> dict:
    analysis = analysis_for(assessment)
    rows = [
        {
            "number": row.indicator.number,
            "indicator": row.indicator.name_th,
            "tool": row.indicator.tool.code,
            "previous": str(row.previous) if row.previous is not None else None,
            "score": str(row.score) if row.score is not None else None,
            "change": str(row.change) if row.change is not None else None,
            "band": row.band_label,
        }
        for row in analysis.rows
    ]
    return {
        "kind": "analysis",
        "title": f"ผลการประเมิน ITA ปีงบประมาณ พ.ศ. {assessment.edition.fiscal_year}",
        "fiscal_year": assessment.edition.fiscal_year,
        "total": str(assessment.display_total) if assessment.display_total is not None else None,
        "level": assessment.display_level,
        "columns": ANALYSIS_COLUMNS,
        "rows": rows,
    }
