"""Writes to assessments. Each runs in one transaction and validates before saving: a failed write
leaves nothing half-saved, and the stored tool scores, total and level always follow the scores."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import Agency
from assessments.models import Assessment, FrameworkEdition, IndicatorScore, ItemScore
from assessments.scoring import compute


def assessment_recompute(*, assessment: Assessment, scores: Mapping[int, Decimal] | None = None) -> Assessment:
    """Set the computed tool scores, total and level from the indicator scores (not saved)."""
    if scores is None:
        scores = {s.indicator.number: s.score for s in assessment.indicator_scores.select_related("indicator")}
    result = compute(assessment.edition.scoring_framework(), scores)
    assessment.iit = result.tools.get("IIT")
    assessment.eit = result.tools.get("EIT")
    assessment.oit = result.tools.get("OIT")
    assessment.total = result.total
    assessment.level = result.level
    return assessment


@transaction.atomic
def assessment_save(
    *,
    agency: Agency,
    edition: FrameworkEdition,
    indicator_scores: Mapping[int, Decimal | None],
    item_scores: Mapping[str, Decimal | None] | None = None,
    published_total: Decimal | None = None,
    published_level: str = "",
    note: str | None = None,
) -> Assessment:
    """Create or update the assessment of ``agency`` for ``edition``'s year with these scores.

    ``indicator_scores`` is keyed by indicator number, ``item_scores`` by item code; a ``None`` score
    removes it. Items not named in ``item_scores`` are left as they are; pass ``item_scores={}`` to keep
    all. Raises ``ValidationError`` (nothing saved) for an unknown indicator or item or a score out of range.
    """
    indicators = {i.number: i for i in edition.indicators.all()}
    unknown = sorted(set(indicator_scores) - set(indicators))
    if unknown:
        raise ValidationError(
            _("ปี %(year)s ไม่มีตัวชี้วัดที่ %(numbers)s") % {"year": edition.fiscal_year, "numbers": unknown},
            code="unknown_indicator",
        )
    items = {i.code: i for i in edition.items.all()} if item_scores else {}
    unknown_items = sorted(set(item_scores or {}) - set(items))
    if unknown_items:
        raise ValidationError(
            _("ปี %(year)s ไม่มีข้อคำถาม %(codes)s") % {"year": edition.fiscal_year, "codes": ", ".join(unknown_items)},
            code="unknown_item",
        )

    assessment = Assessment.objects.select_for_update().filter(agency=agency, edition=edition).first()
    if assessment is None:
        assessment = Assessment(agency=agency, edition=edition)
    assessment.published_total = published_total
    assessment.published_level = published_level or ""
    if note is not None:
        assessment.note = note

    existing = {s.indicator_id: s for s in assessment.indicator_scores.all()} if assessment.pk else {}
    scores = {number: score for number, score in indicator_scores.items() if score is not None}
    for number, score in indicator_scores.items():
        if score is not None:
            IndicatorScore(assessment=assessment, indicator=indicators[number], score=score).clean_fields(
                exclude=["assessment"]
            )
    # Indicators not named keep their stored score in the computation.
    number_of = {indicator.pk: number for number, indicator in indicators.items()}
    for indicator_id, row in existing.items():
        if number_of[indicator_id] not in indicator_scores:
            scores[number_of[indicator_id]] = row.score

    assessment_recompute(assessment=assessment, scores=scores)
    assessment.full_clean()
    assessment.save()

    for number, score in indicator_scores.items():
        indicator = indicators[number]
        if score is None:
            IndicatorScore.objects.filter(assessment=assessment, indicator=indicator).delete()
        else:
            IndicatorScore.objects.update_or_create(assessment=assessment, indicator=indicator, defaults={"score": score})
    for code, score in (item_scores or {}).items():
        item = items[code]
        if score is None:
            ItemScore.objects.filter(assessment=assessment, item=item).delete()
        else:
            ItemScore(assessment=assessment, item=item, score=score).clean_fields(exclude=["assessment"])
            ItemScore.objects.update_or_create(assessment=assessment, item=item, defaults={"score": score})
    return assessment
