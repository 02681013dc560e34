"""Writes to assessments. Each runs in one transaction and validates before saving: a failed write
leaves nothing half-saved, and the stored tool scores, total and level always follow the scores."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.audit import audit_diff, audit_record
from agencies.models import Agency, AuditEntry
from assessments.models import Assessment, FrameworkEdition, IndicatorScore, ItemScore
from assessments.scoring import compute

SCORE_MIN, SCORE_MAX = Decimal(0), Decimal(100)


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


def _check_score(value: Decimal, label: str) -> None:
    if not (SCORE_MIN <= value <= SCORE_MAX):
        raise ValidationError(
            _("%(label)s: คะแนนต้องอยู่ระหว่าง 0 ถึง 100 (ได้ %(value)s)") % {"label": label, "value": value},
            code="out_of_range",
        )
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(_("%(label)s: ทศนิยมไม่เกิน 2 ตำแหน่ง") % {"label": label}, code="too_precise")


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
    by=None,
) -> Assessment:
    """Create or update the assessment of ``agency`` for ``edition``'s year with these scores.

    ``indicator_scores`` is keyed by indicator number, ``item_scores`` by item code; a ``None`` score
    removes it, and indicators or items not named keep what is stored. Raises ``ValidationError``
    (nothing saved) for an unknown indicator or item or a score out of range.

    A national import calls this 8,000 times, so it reads what it needs once and writes scores in bulk:
    about ten queries whatever the number of items. The audit trail gets one row, with the indicator scores
    and totals that changed, made ``by`` this user (``None`` for a command).
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
    for number, score in indicator_scores.items():
        if score is not None:
            _check_score(score, _("ตัวชี้วัดที่ %(number)s") % {"number": number})
    for code, score in (item_scores or {}).items():
        if score is not None:
            _check_score(score, _("ข้อ %(code)s") % {"code": code})
    if published_total is not None:
        _check_score(published_total, _("คะแนนรวมที่ประกาศ"))

    assessment = Assessment.objects.select_for_update().filter(agency=agency, edition=edition).first()
    if assessment is None:
        assessment = Assessment(agency=agency, edition=edition)
    created, before = assessment.pk is None, _audit_state(assessment, {})
    assessment.agency, assessment.edition = agency, edition  # reuse the caller's objects, no refetch
    assessment.published_total = published_total
    assessment.published_level = published_level or ""
    if note is not None:
        assessment.note = note

    stored = {}
    if assessment.pk:
        stored = {row.indicator_id: row for row in assessment.indicator_scores.all()}
    number_of = {indicator.pk: number for number, indicator in indicators.items()}
    scores = {number_of[indicator_id]: row.score for indicator_id, row in stored.items()}
    before.update(_audit_state(assessment, scores, totals=False))
    for number, score in indicator_scores.items():
        if score is None:
            scores.pop(number, None)
        else:
            scores[number] = score

    assessment_recompute(assessment=assessment, scores=scores)
    # Agency and edition are the caller's own objects; validating them again would cost two queries a row.
    assessment.full_clean(exclude=["agency", "edition"], validate_constraints=False)
    assessment.save()

    _write_scores(
        IndicatorScore,
        assessment,
        "indicator",
        {indicators[number]: score for number, score in indicator_scores.items()},
        stored_by_target={indicators[number_of[i]]: row for i, row in stored.items()},
    )
    item_before, item_after = {}, {}  # item scores are in the trail too, keyed "item:<code>"
    if item_scores:
        stored_items = {row.item_id: row for row in assessment.item_scores.all()}
        item_before = {f"item:{i.code}": stored_items[i.pk].score for i in items.values() if i.pk in stored_items}
        item_after = item_before | {f"item:{code}": score for code, score in item_scores.items()}
        _write_scores(
            ItemScore,
            assessment,
            "item",
            {items[code]: score for code, score in item_scores.items()},
            stored_by_target={item: stored_items[item.pk] for item in items.values() if item.pk in stored_items},
        )
    before, after = audit_diff({} if created else before | item_before, _audit_state(assessment, scores) | item_after)
    if created or after:
        audit_record(
            agency=agency,
            actor=by,
            action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
            obj_type=AuditEntry.ObjectType.ASSESSMENT,
            obj_id=assessment.pk,
            summary=_("ผลการประเมินปี %(year)s") % {"year": edition.fiscal_year},
            before=before,
            after=after,
        )
    return assessment


AUDITED_FIELDS = ("total", "level", "iit", "eit", "oit", "published_total", "published_level", "note")


def _audit_state(assessment: Assessment, scores: Mapping[int, Decimal], *, totals: bool = True) -> dict:
    """The totals and indicator scores the audit trail compares before and after a save."""
    state = {name: getattr(assessment, name) for name in AUDITED_FIELDS} if totals else {}
    return state | {f"indicator:{number}": score for number, score in sorted(scores.items())}


def _write_scores(model, assessment, target: str, wanted: dict, *, stored_by_target: dict) -> None:
    """Insert, update and delete score rows in three statements at most."""
    to_create, to_update, to_delete = [], [], []
    for obj, score in wanted.items():
        row = stored_by_target.get(obj)
        if score is None:
            if row is not None:
                to_delete.append(row.pk)
        elif row is None:
            to_create.append(model(assessment=assessment, score=score, **{target: obj}))
        elif row.score != score:
            row.score = score
            to_update.append(row)
    if to_delete:
        model.objects.filter(pk__in=to_delete).delete()
    if to_update:
        model.objects.bulk_update(to_update, ["score"])
    if to_create:
        model.objects.bulk_create(to_create)
