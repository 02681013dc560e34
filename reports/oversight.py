"""Where each agency stands in the year's cycle, for viewers (a provincial or ministry office).

Each step is an ``EXISTS`` on the agency row, so a page of the table, the counts per step and the export
are each one query whatever the number of agencies (bench/pages_bench.py, 80 and 8,000 agencies). An agency's
stage is its first step not done.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from assessments import calendar
from assessments.models import Assessment, Finding
from ita_tracker.thai import in_local_digits, use_thai_digits
from ita_tracker.xlsx import Sheet, workbook_bytes
from measures.models import Measure
from reports.models import Memo

# The memo kinds that close a step, and the step they close.
MEMO_STEPS = [
    (Memo.Kind.PLAN, "plan_approved"),
    (Memo.Kind.PROGRESS_6, "progress_6"),
    (Memo.Kind.PROGRESS_12, "progress_12"),
]


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    missing: str  # "n of N have not ..." in words


STEPS = [
    Step("results", _("บันทึกผลปีที่แล้ว"), _("ยังไม่บันทึกผลการประเมินปีที่แล้ว")),
    Step("analysis", _("วิเคราะห์ผล"), _("ยังไม่วิเคราะห์ผล")),
    Step("plan_drafted", _("ร่างแผน"), _("ยังไม่ร่างแผนมาตรการ")),
    Step("plan_approved", _("อนุมัติแผน"), _("ยังไม่อนุมัติแผนมาตรการ")),
    Step("progress_6", in_local_digits(_("รายงาน ๖ เดือน")), in_local_digits(_("ยังไม่อนุมัติรายงานรอบ ๖ เดือน"))),
    Step("progress_12", in_local_digits(_("รายงาน ๑๒ เดือน")), in_local_digits(_("ยังไม่อนุมัติรายงานรอบ ๑๒ เดือน"))),
    Step("published", _("เผยแพร่"), _("ยังไม่เผยแพร่เอกสาร")),
]
STEP_KEYS = [step.key for step in STEPS]
DONE = "done"


def annotate_cycle(agencies: QuerySet, fiscal_year: int) -> QuerySet:
    """``agencies`` with a boolean per step of ``fiscal_year``'s cycle (``s_results``, …)."""
    edition = calendar.edition_for(fiscal_year - 1)
    agency = OuterRef("pk")
    result = Assessment.objects.filter(agency=agency, edition=edition)
    flags = {
        "s_results": Exists(result),
        "s_analysis": Exists(Finding.objects.filter(assessment__agency=agency, assessment__edition=edition)),
        "s_plan_drafted": Exists(Measure.objects.filter(plan__agency=agency, plan__fiscal_year=fiscal_year)),
        # Through the year's plan (one row per agency and year, indexed) rather than all of an agency's memos.
        "s_published": Exists(
            Memo.objects.filter(plan__agency=agency, plan__fiscal_year=fiscal_year, is_published=True)
        ),
    }
    for kind, key in MEMO_STEPS:
        flags[f"s_{key}"] = Exists(
            Memo.objects.filter(
                plan__agency=agency, plan__fiscal_year=fiscal_year, kind=kind, status=Memo.Status.APPROVED
            )
        )
    return agencies.annotate(**flags)


@contextmanager
def without_jit() -> Iterator[None]:
    """PostgreSQL's JIT compiler for these queries: seven subplans per agency make the planner's cost estimate
    large enough to compile, and compiling took 1.6 s of the 1.7 s the counts took at 8,000 agencies (0.12 s
    without; bench/README.md). ``SET LOCAL`` keeps the setting to this transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


def filter_stage(agencies: QuerySet, stage: str) -> QuerySet:
    """Agencies whose first step not done is ``stage`` (``done``: every step done)."""
    return agencies.filter(_stage_condition(stage))


def _stage_condition(stage: str) -> Q:
    keys = STEP_KEYS if stage == DONE else STEP_KEYS[: STEP_KEYS.index(stage) + 1]
    condition = Q(**{f"s_{key}": True for key in keys[:-1]}) if stage != DONE else Q(**{f"s_{k}": True for k in keys})
    if stage != DONE:
        condition &= Q(**{f"s_{keys[-1]}": False})
    return condition


def state_counts(agencies: QuerySet, fiscal_year: int) -> dict:
    """How many agencies have not done each step, in one query: "12 of 80 have not approved a plan"; and how many
    stand at each stage (``stages``: the table's count when filtered by stage, from the same query)."""
    annotated = annotate_cycle(agencies.order_by(), fiscal_year)
    aggregates = {"total": Count("pk")}
    for key in STEP_KEYS:
        aggregates[key] = Count("pk", filter=Q(**{f"s_{key}": False}))
    for stage in [*STEP_KEYS, DONE]:
        aggregates[f"stage_{stage}"] = Count("pk", filter=_stage_condition(stage))
    with without_jit():
        row = annotated.aggregate(**aggregates)
    return {
        "total": row["total"],
        "missing": [(step, row[step.key]) for step in STEPS],
        "stages": {stage: row[f"stage_{stage}"] for stage in [*STEP_KEYS, DONE]},
    }


def stage_of(agency) -> str:
    for key in STEP_KEYS:
        if not getattr(agency, f"s_{key}"):
            return key
    return DONE


def stage_label(stage: str) -> str:
    if stage == DONE:
        return str(_("ครบทุกขั้น"))
    return str(next(step.missing for step in STEPS if step.key == stage))


def rows(agencies: QuerySet) -> list[list]:
    """The table as plain rows for the exports (agencies annotated by :func:`annotate_cycle`)."""
    out = []
    with without_jit():
        values = list(agencies.values("name", "type", "province", "district", *[f"s_{k}" for k in STEP_KEYS]))
    for agency in values:
        stage = next((k for k in STEP_KEYS if not agency[f"s_{k}"]), DONE)
        out.append(
            [
                agency["name"],
                str(Agency.Type(agency["type"]).label),
                agency["province"],
                agency["district"],
                *["✓" if agency[f"s_{k}"] else "" for k in STEP_KEYS],
                stage_label(stage),
            ]
        )
    return out


def header() -> list[str]:
    return [
        str(_("หน่วยงาน")),
        str(_("ประเภท")),
        str(_("จังหวัด")),
        str(_("อำเภอ")),
        *[str(step.label) for step in STEPS],
        str(_("ขั้นที่ค้าง")),
    ]


def render_csv(agencies: QuerySet) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header())
    writer.writerows(rows(agencies))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens Thai CSV correctly


def render_xlsx(agencies: QuerySet, title: str) -> bytes:
    """The table as a workbook through the foundation's base (Thai font, A4 fitted to one page wide, header
    row and agency column repeated, page numbers), with the columns of the screen and the CSV. Every column
    stays even when empty: a blank step cell means "not done", so a step no agency has done yet (nobody has
    reported 12 months in April) is the news, not a column to leave out."""
    widths = [40, 16, 14, 16, *[12 for _step in STEPS], 24]
    columns = [(text, "text", width) for text, width in zip(header(), widths, strict=True)]
    sheet = Sheet(title=title[:31], heading=title, columns=columns, rows=rows(agencies), drop_empty_columns=False)
    # The heading in the page's digits, as the column headers (in_local_digits): "ปีงบประมาณ ๒๕๗๐" over "รายงาน ๖ เดือน".
    return workbook_bytes([sheet], thai_digits=use_thai_digits())
