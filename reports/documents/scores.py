from __future__ import annotations

from django.db.models import Prefetch

from agencies.models import Agency
from assessments.models import Assessment, IndicatorScore
from reports.documents.base import Sheet, workbook_bytes


class ScoreTableDocument:
    """The score table of all the agencies a person follows, for one year (Excel only): one row per agency,
    the ten indicators, tool scores, total and level, with averages as formulas.

    Rows are fetched in chunks with their indicator scores (two queries a chunk), and the workbook is
    written in openpyxl's write-only mode: the national table of 8,000 agencies stays within memory."""

    CHUNK = 2000

    def __init__(self, user, fiscal_year: int, *, province: str = "", agency_type: str = ""):
        self.user = user
        self.fiscal_year = fiscal_year
        self.province = province
        self.agency_type = agency_type

    @property
    def slug(self) -> str:
        return f"ita-scores-{self.fiscal_year}"

    def filename(self, extension: str) -> str:
        return f"{self.slug}.{extension}"

    def _rows(self):
        agencies = Agency.objects.visible_to(self.user)
        if self.province:
            agencies = agencies.filter(province=self.province)
        if self.agency_type:
            agencies = agencies.filter(type=self.agency_type)
        ids = list(
            Assessment.objects.filter(edition__fiscal_year=self.fiscal_year, agency__in=agencies)
            .order_by("agency__province", "agency__name")
            .values_list("pk", flat=True)
        )
        for start in range(0, len(ids), self.CHUNK):
            chunk = ids[start : start + self.CHUNK]
            assessments = (
                Assessment.objects.filter(pk__in=chunk)
                .select_related("agency")
                .prefetch_related(
                    Prefetch("indicator_scores", queryset=IndicatorScore.objects.select_related("indicator"))
                )
            )
            by_pk = {a.pk: a for a in assessments}
            for pk in chunk:
                a = by_pk[pk]
                scores = {s.indicator.number: s.score for s in a.indicator_scores.all()}
                yield [
                    a.agency.name,
                    a.agency.get_type_display(),
                    a.agency.province,
                    *[scores.get(n) for n in range(1, 11)],
                    a.iit,
                    a.eit,
                    a.oit,
                    a.display_total,
                    a.display_level,
                    a.published_total,
                    "ไม่ตรง" if a.mismatch else "",
                ]

    def sheets(self) -> list[Sheet]:
        columns = [("หน่วยงาน", "text", 36), ("ประเภท", "text", 20), ("จังหวัด", "text", 14)]
        columns += [(f"ตัวชี้วัดที่ {n}", "number", 9) for n in range(1, 11)]
        columns += [
            ("IIT", "number", 9),
            ("EIT", "number", 9),
            ("OIT", "number", 9),
            ("คะแนนรวม", "number", 11),
            ("ระดับ", "text", 18),
            ("คะแนนที่ประกาศ", "number", 12),
            ("หมายเหตุ", "text", 10),
        ]
        return [
            Sheet(
                title=f"ITA {self.fiscal_year}",
                heading=f"ผลการประเมิน ITA ปีงบประมาณ พ.ศ. {self.fiscal_year}",
                columns=columns,
                rows=self._rows(),
                totals={i: "AVERAGE" for i in range(3, 17)},
            )
        ]

    def render_xlsx(self) -> bytes:
        return workbook_bytes(self.sheets())
