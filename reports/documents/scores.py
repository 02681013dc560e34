from __future__ import annotations

from django.db.models import F, Q
from django.db.models.functions import Abs

from agencies.models import Agency
from assessments.models import Assessment, Indicator, IndicatorScore, Tool, ToolScore
from ita_tracker.xlsx import Sheet, workbook_bytes
from reports.documents.base import ROUNDING


class ScoreTableDocument:
    """The score table of all the agencies a person follows, for one year (Excel only): one row per agency,
    the indicators and tools of that year's edition, total and level, with averages as formulas.

    Rows are fetched in chunks with their indicator and tool scores (three queries a chunk), and the workbook
    is written in openpyxl's write-only mode: the national table of 8,000 agencies stays within memory."""

    CHUNK = 2000

    def __init__(self, user, fiscal_year: int, *, province: str = "", agency_type: str = ""):
        self.user = user
        self.fiscal_year = fiscal_year
        self.province = province
        self.agency_type = agency_type
        self.numbers = list(
            Indicator.objects.filter(edition__fiscal_year=fiscal_year)
            .order_by("number")
            .values_list("number", flat=True)
        )
        self.tools = list(
            Tool.objects.filter(edition__fiscal_year=fiscal_year).order_by("order").values_list("code", flat=True)
        )

    @property
    def slug(self) -> str:
        return f"ita-scores-{self.fiscal_year}"

    def filename(self, extension: str) -> str:
        return f"{self.slug}.{extension}"

    def _assessments(self):
        agencies = Agency.objects.visible_to(self.user)
        if self.province:
            agencies = agencies.filter(province=self.province)
        if self.agency_type:
            agencies = agencies.filter(type=self.agency_type)
        return Assessment.objects.filter(edition__fiscal_year=self.fiscal_year, agency__in=agencies)

    def _leave_out_empty_columns(self) -> None:
        """The rows stream, so the workbook base cannot see an empty column: ask the database (four queries)
        which indicators, tools, levels and notes the table holds, and print only those columns."""
        assessments = self._assessments()
        scored = set(
            IndicatorScore.objects.filter(assessment__in=assessments, score__isnull=False)
            .values_list("indicator__number", flat=True)
            .distinct()
        )
        self.numbers = [n for n in self.numbers if n in scored]
        tooled = set(
            ToolScore.objects.filter(assessment__in=assessments, score__isnull=False)
            .values_list("tool__code", flat=True)
            .distinct()
        )
        self.tools = [code for code in self.tools if code in tooled]
        self.show_level = assessments.filter(
            Q(published_total__isnull=False) & ~Q(published_level="") | Q(published_total__isnull=True) & ~Q(level="")
        ).exists()
        self.show_note = (
            assessments.filter(total__isnull=False, published_total__isnull=False)
            .annotate(gap=Abs(F("total") - F("published_total")))
            .filter(gap__gt=ROUNDING)
            .exists()
        )

    def _rows(self):
        type_labels = dict(Agency.Type.choices)
        # Plain tuples, not model instances: 8,000 assessments with 80,000 scores as objects took 100 MiB.
        rows = (
            self._assessments()
            .order_by("agency__province", "agency__name")
            .values_list(
                "pk",
                "agency__name",
                "agency__type",
                "agency__province",
                "total",
                "published_total",
                "level",
                "published_level",
            )
        )
        chunk: list[tuple] = []
        for row in rows.iterator(chunk_size=self.CHUNK):
            chunk.append(row)
            if len(chunk) == self.CHUNK:
                yield from self._with_scores(chunk, type_labels)
                chunk = []
        if chunk:
            yield from self._with_scores(chunk, type_labels)

    def _with_scores(self, chunk: list[tuple], type_labels: dict) -> list[list]:
        ids = [row[0] for row in chunk]
        scores: dict[int, dict[int, object]] = {}
        for assessment_id, number, score in IndicatorScore.objects.filter(assessment_id__in=ids).values_list(
            "assessment_id", "indicator__number", "score"
        ):
            scores.setdefault(assessment_id, {})[number] = score
        tools: dict[int, dict[str, object]] = {}
        for assessment_id, code, score in ToolScore.objects.filter(assessment_id__in=ids).values_list(
            "assessment_id", "tool__code", "score"
        ):
            tools.setdefault(assessment_id, {})[code] = score
        out = []
        for pk, name, kind, province, total, published, level, published_level in chunk:
            by_number, by_tool = scores.get(pk, {}), tools.get(pk, {})
            # The published total is the official one; a computed one that differs is said in words.
            shown_total = published if published is not None else total
            shown_level = published_level if published is not None else level
            mismatch = total is not None and published is not None and abs(total - published) > ROUNDING
            row = [
                name,
                str(type_labels.get(kind, kind)),
                province,
                *[by_number.get(n) for n in self.numbers],
                *[by_tool.get(code) for code in self.tools],
                shown_total,
                *([shown_level] if self.show_level else []),
                total,
            ]
            if self.show_note:
                row.append(f"คะแนนที่คำนวณจากผลรายตัวชี้วัดได้ {total:.2f} ต่างจากที่ ป.ป.ช. ประกาศ" if mismatch else "")
            out.append(row)
        return out

    def sheets(self) -> list[Sheet]:
        self._leave_out_empty_columns()
        columns = [("หน่วยงาน", "text", 36), ("ประเภท", "text", 20), ("จังหวัด", "text", 14)]
        columns += [(f"ตัวชี้วัดที่ {n}", "number", 9) for n in self.numbers]
        columns += [(code, "number", 9) for code in self.tools]
        columns += [("คะแนนรวม (ที่ประกาศ)", "number", 11)]
        columns += [("ระดับ", "text", 18)] if self.show_level else []
        columns += [("คะแนนที่คำนวณ", "number", 12)]
        columns += [("หมายเหตุ", "text", 30)] if self.show_note else []
        return [
            Sheet(
                title=f"ITA {self.fiscal_year}",
                heading=f"ผลการประเมิน ITA ปีงบประมาณ พ.ศ. {self.fiscal_year}",
                columns=columns,
                rows=self._rows(),
                # averages under the indicator, tool and total columns
                totals={i: "AVERAGE" for i in range(3, 3 + len(self.numbers) + len(self.tools) + 1)},
            )
        ]

    def render_xlsx(self) -> bytes:
        return workbook_bytes(self.sheets())
