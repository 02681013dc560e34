"""Reads for the assessment pages, each with a fixed number of queries whatever the number of agencies."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Prefetch, QuerySet, Subquery
from django.http import Http404

from agencies.models import Agency
from assessments.models import (
    AnalysisIssue,
    Assessment,
    FrameworkEdition,
    Indicator,
    IndicatorAverage,
    IndicatorScore,
    ItemScore,
    TargetBands,
    ToolScore,
)
from assessments.scoring import round2
from ita_tracker.keyset import Key, KeysetPaginator


def visible_assessment_or_404(user, pk) -> Assessment:
    try:
        return Assessment.objects.visible_to(user).select_related("agency", "edition").get(pk=pk)
    except (Assessment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such assessment") from exc


def edition_with_structure(fiscal_year: int) -> FrameworkEdition | None:
    return FrameworkEdition.objects.with_structure().filter(fiscal_year=fiscal_year).first()


def indicator_numbers(fiscal_year: int) -> list[int]:
    """The indicator numbers of that year's edition (the columns of its tables and charts)."""
    return list(
        Indicator.objects.filter(edition__fiscal_year=fiscal_year).order_by("number").values_list("number", flat=True)
    )


def bands_for(agency: Agency) -> TargetBands:
    """The agency's bands, or the defaults (unsaved) when it has not set its own."""
    return TargetBands.objects.filter(agency=agency).first() or TargetBands(agency=agency)


def indicator_averages(edition_ids: list[int], agencies: QuerySet | None = None) -> dict[tuple[int, int], Decimal]:
    """Average indicator score per (fiscal year, indicator number) over the agencies in this installation
    (or over ``agencies``): one query, however many agencies and years there are. The installation's are read
    from the sums kept as scores change (``IndicatorAverage``); a selection's are one grouped query over its
    scores, filtered by their indicator's edition, which the (indicator, score) index answers."""
    if agencies is None:
        return {
            (year, number): round2(total / count)
            for year, number, total, count in IndicatorAverage.objects.filter(
                indicator__edition_id__in=edition_ids, count__gt=0
            ).values_list("indicator__edition__fiscal_year", "indicator__number", "total", "count")
        }
    scores = IndicatorScore.objects.filter(indicator__edition_id__in=edition_ids)
    if agencies is not None:
        scores = scores.filter(assessment__agency__in=agencies)
    rows = scores.values("indicator__edition__fiscal_year", "indicator__number").annotate(avg=Avg("score")).order_by()
    result = {
        (row["indicator__edition__fiscal_year"], row["indicator__number"]): round2(Decimal(row["avg"]))
        for row in rows
        if row["avg"] is not None
    }
    return result


@dataclass
class IndicatorRow:
    indicator: Indicator
    score: Decimal | None
    previous: Decimal | None
    average: Decimal | None
    band: str | None
    band_label: str = ""
    findings: list = field(default_factory=list)
    items: list = field(default_factory=list)  # [(item, score)] of the items that have a score

    @property
    def change(self) -> Decimal | None:
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous


@dataclass
class IssueRow:
    issue: AnalysisIssue
    items: list  # [(item, score)]
    findings: list

    @property
    def average(self) -> Decimal | None:
        scores = [score for _item, score in self.items if score is not None]
        if not scores:
            return None
        return round2(sum(scores, Decimal(0)) / len(scores))


@dataclass
class Analysis:
    assessment: Assessment
    edition: FrameworkEdition
    previous: Assessment | None
    bands: TargetBands
    tools: list  # [{"tool", "score", "previous"}]
    rows: list[IndicatorRow]
    issues: list[IssueRow]
    history: list[dict]  # [{"year", "total", "level", "national_average"}]

    def chart_indicators(self) -> dict:
        year = self.edition.fiscal_year
        return {
            "type": "bar",
            "labels": [str(row.indicator.number) for row in self.rows],
            "titles": [row.indicator.name_th for row in self.rows],
            "datasets": [
                {"label": str(year), "data": [_num(row.score) for row in self.rows]},
                {"label": str(year - 1), "data": [_num(row.previous) for row in self.rows]},
                {"label": "ค่าเฉลี่ยในระบบ", "data": [_num(row.average) for row in self.rows], "kind": "line"},
            ],
        }

    def chart_history(self) -> dict:
        return {
            "type": "line",
            "labels": [str(h["year"]) for h in self.history],
            "datasets": [
                {"label": self.assessment.agency.name, "data": [_num(h["total"]) for h in self.history]},
                {"label": "ค่าเฉลี่ยระดับประเทศ", "data": [_num(h["national_average"]) for h in self.history]},
            ],
        }


def _num(value: Decimal | None) -> float | None:
    # Chart.js draws numbers; the two-place Decimal is exact as a float for display.
    return float(value) if value is not None else None


def analysis_for(assessment: Assessment) -> Analysis:
    edition = FrameworkEdition.objects.with_structure().get(pk=assessment.edition_id)
    year = edition.fiscal_year
    scores = {
        s.indicator.number: s.score
        for s in IndicatorScore.objects.filter(assessment=assessment).select_related("indicator")
    }
    item_scores = {
        s.item_id: s.score for s in ItemScore.objects.filter(assessment=assessment).select_related("item__indicator")
    }
    history_rows = list(
        Assessment.objects.filter(agency_id=assessment.agency_id)
        .select_related("edition")
        .order_by("edition__fiscal_year")
    )
    previous = next((a for a in history_rows if a.edition.fiscal_year == year - 1), None)
    previous_scores = (
        {
            s.indicator.number: s.score
            for s in IndicatorScore.objects.filter(assessment=previous).select_related("indicator")
        }
        if previous
        else {}
    )
    bands = bands_for(assessment.agency)
    averages = indicator_averages([edition.pk])
    findings = list(assessment.findings.all())
    issues = list(
        AnalysisIssue.objects.filter(assessment=assessment).prefetch_related(
            Prefetch("items", queryset=edition.items.select_related("indicator").order_by("order")),
            "cited_scores",
        )
    )
    items_by_indicator: dict[int, list] = {}
    for item in edition.items.all():
        if item.pk in item_scores:
            items_by_indicator.setdefault(item.indicator_id, []).append((item, item_scores[item.pk]))
    band_labels = dict(TargetBands.Band.choices)
    rows = []
    for indicator in edition.indicators.all():
        band = bands.band_for(scores.get(indicator.number))
        rows.append(
            IndicatorRow(
                indicator=indicator,
                score=scores.get(indicator.number),
                previous=previous_scores.get(indicator.number),
                average=averages.get((year, indicator.number)),
                band=band,
                band_label=str(band_labels.get(band, "")),
                findings=[f for f in findings if f.indicator_id == indicator.pk],
                items=items_by_indicator.get(indicator.pk, []),
            )
        )
    # Tools are matched by code, so last year's column shows even when that year's edition is another one.
    by_assessment: dict[int, dict[str, Decimal]] = {}
    for assessment_id, code, score in ToolScore.objects.filter(
        assessment_id__in=[a.pk for a in (assessment, previous) if a is not None]
    ).values_list("assessment_id", "tool__code", "score"):
        by_assessment.setdefault(assessment_id, {})[code] = score
    current_tools = by_assessment.get(assessment.pk, {})
    previous_tools = by_assessment.get(previous.pk, {}) if previous else {}
    tools = [
        {"tool": tool, "score": current_tools.get(tool.code), "previous": previous_tools.get(tool.code)}
        for tool in edition.tools.all()
    ]
    issue_rows = []
    for issue in issues:
        # The figure the agency's analysis prints in this issue where it cites one (CitedItemScore).
        cited = {c.item_id: c.score for c in issue.cited_scores.all()}
        issue_rows.append(
            IssueRow(
                issue=issue,
                items=[(item, cited.get(item.pk, item_scores.get(item.pk))) for item in issue.items.all()],
                findings=[f for f in findings if f.issue_id == issue.pk],
            )
        )
    national = dict(FrameworkEdition.objects.values_list("fiscal_year", "national_average"))
    history = [
        {
            "year": a.edition.fiscal_year,
            "total": a.display_total,
            "level": a.display_level,
            "national_average": national.get(a.edition.fiscal_year),
        }
        for a in history_rows
    ]
    return Analysis(
        assessment=assessment,
        edition=edition,
        previous=previous,
        bands=bands,
        tools=tools,
        rows=rows,
        issues=issue_rows,
        history=history,
    )


# Each sort ends with the primary key, so every row has one place and keyset pages neither repeat nor skip one.
SORTS = {
    "agency": (Key("agency__name"), Key("pk")),
    "-agency": (Key("agency__name", descending=True), Key("pk", descending=True)),
    "province": (Key("agency__province"), Key("agency__name"), Key("pk")),
    "total": (Key("total", nullable=True), Key("agency__name"), Key("pk")),
    "-total": (Key("total", descending=True, nullable=True), Key("agency__name"), Key("pk")),
}
TOOL_SORT_PREFIX = "tool:"  # "tool:IIT", "-tool:OIT": by the score of one of the year's tools


def comparison_queryset(user, *, fiscal_year: int, province: str = "", agency_type: str = "", sort: str = "-total"):
    agencies = Agency.objects.visible_to(user)
    if province:
        agencies = agencies.filter(province=province)
    if agency_type:
        agencies = agencies.filter(type=agency_type)
    assessments = (
        # The edition as a scalar subquery, not a join: PostgreSQL can then read the (edition, total) indexes in
        # the page's order and stop after 51 rows.
        Assessment.objects.filter(
            edition_id=Subquery(FrameworkEdition.objects.filter(fiscal_year=fiscal_year).values("pk")[:1]),
            agency__in=agencies,
        ).select_related("agency", "edition")
    )
    return agencies, comparison_paginator(assessments, sort)


def comparison_scores(
    assessment_ids: list[int],
) -> tuple[dict[int, dict[int, Decimal]], dict[int, dict[str, Decimal]]]:
    """The indicator scores (by number) and tool scores (by code) of a page of the comparison, by assessment.

    Plain values, not model instances: a provincial viewer's full page of 50 results has 50 × 23 scores, and
    building an ``IndicatorScore`` and its ``Indicator`` for each was a fifth of the page's time at 129 agencies.
    Two queries, none for an empty page."""
    if not assessment_ids:
        return {}, {}
    indicators: dict[int, dict[int, Decimal]] = {pk: {} for pk in assessment_ids}
    # order_by(): without it the rows inherit the model's ordering through assessment → agency (PostgreSQL then
    # sorted every assessment of the year to read one page).
    for assessment_id, number, score in (
        IndicatorScore.objects.filter(assessment_id__in=assessment_ids)
        .order_by()
        .values_list("assessment_id", "indicator__number", "score")
    ):
        indicators[assessment_id][number] = score
    tools: dict[int, dict[str, Decimal]] = {pk: {} for pk in assessment_ids}
    for assessment_id, code, score in (
        ToolScore.objects.filter(assessment_id__in=assessment_ids)
        .order_by()
        .values_list("assessment_id", "tool__code", "score")
    ):
        tools[assessment_id][code] = score
    return indicators, tools


def comparison_paginator(assessments: QuerySet[Assessment], sort: str, per_page: int = 50) -> KeysetPaginator:
    """Keyset pages of the comparison in the order ``sort`` (an unknown sort is by total, highest first)."""
    descending = sort.startswith("-")
    if sort.lstrip("-").startswith(TOOL_SORT_PREFIX):
        code = sort.lstrip("-").removeprefix(TOOL_SORT_PREFIX)
        keys = [Key("tool_sort", descending=descending, nullable=True), Key("agency__name"), Key("pk")]
        return KeysetPaginator(assessments.order_by_tool(code), keys, per_page, sort_name=sort)
    if sort not in SORTS:
        sort = "-total"
    return KeysetPaginator(assessments, list(SORTS[sort]), per_page, sort_name=sort)


def comparison_charts(agencies: QuerySet, fiscal_year: int) -> dict:
    """Averages over the selected agencies: per indicator this year and last, and totals by year. For the NACC's
    view of 8,000 agencies these aggregates read 400,000 scores: the comparison keeps them a few minutes
    (``ita_tracker.summaries.kept``) under the person and their filters."""
    return _comparison_charts(agencies, fiscal_year)


def _comparison_charts(agencies: QuerySet, fiscal_year: int) -> dict:
    edition_ids = list(
        FrameworkEdition.objects.filter(fiscal_year__in=[fiscal_year, fiscal_year - 1]).values_list("pk", flat=True)
    )
    averages = indicator_averages(edition_ids, agencies)
    numbers = indicator_numbers(fiscal_year)
    by_year = (
        Assessment.objects.filter(agency__in=agencies, total__isnull=False)
        .values("edition__fiscal_year")
        .annotate(avg=Avg("total"), n=Count("pk"))
        .order_by("edition__fiscal_year")
    )
    national = dict(FrameworkEdition.objects.values_list("fiscal_year", "national_average"))
    levels = (
        Assessment.objects.filter(agency__in=agencies, edition__fiscal_year=fiscal_year)
        .exclude(level="")
        .values("level")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    return {
        "indicators": {
            "type": "bar",
            "labels": [str(n) for n in numbers],
            "datasets": [
                {"label": str(fiscal_year), "data": [_num(averages.get((fiscal_year, n))) for n in numbers]},
                {"label": str(fiscal_year - 1), "data": [_num(averages.get((fiscal_year - 1, n))) for n in numbers]},
            ],
        },
        "history": {
            "type": "line",
            "labels": [str(row["edition__fiscal_year"]) for row in by_year],
            "datasets": [
                {"label": "ค่าเฉลี่ยของหน่วยงานที่เลือก", "data": [_num(round2(Decimal(row["avg"]))) for row in by_year]},
                {
                    "label": "ค่าเฉลี่ยระดับประเทศ",
                    "data": [_num(national.get(row["edition__fiscal_year"])) for row in by_year],
                },
            ],
        },
        "levels": [(row["level"], row["n"]) for row in levels],
    }
