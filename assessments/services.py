"""Writes to assessments. Each runs in one transaction and validates before saving: a failed write
leaves nothing half-saved, and the stored tool scores, total and level always follow the scores."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.audit import audit_diff, audit_record
from agencies.models import Agency, AuditEntry
from assessments import permissions
from assessments.averages import indicator_averages_apply, indicator_averages_rebuild
from assessments.models import Assessment, FrameworkEdition, IndicatorScore, ItemScore, ToolScore
from assessments.scoring import compute
from ita_tracker.textlimits import check_text_lengths

SCORE_MIN, SCORE_MAX = Decimal(0), Decimal(100)


class Keep(enum.Enum):
    """``assessment_save(published_total=KEEP)``: leave the stored value as it is, read under the row lock
    when saving (an import's blank cell), rather than a value read earlier that someone may have changed."""

    KEEP = "keep"


KEEP = Keep.KEEP


class StaleScores(Exception):
    """The assessment was saved by someone else since the form was opened (its ``version`` moved on).
    ``current`` is the stored assessment, ``changes`` lists (label, theirs, yours) where they differ."""

    def __init__(self, current: Assessment, changes: list[tuple[str, str, str]]):
        super().__init__("assessment changed since the form was opened")
        self.current = current
        self.changes = changes


def assessment_recompute(
    *, assessment: Assessment, scores: Mapping[int, Decimal] | None = None
) -> dict[str, Decimal | None]:
    """Set the computed total and level from the indicator scores (not saved) and return the tool scores
    keyed by tool code, for :func:`tool_scores_store` to write once the assessment is saved."""
    if scores is None:
        scores = {s.indicator.number: s.score for s in assessment.indicator_scores.select_related("indicator")}
    result = compute(assessment.edition.scoring_framework(), scores)
    assessment.total = result.total
    assessment.level = result.level
    return result.tools


def tool_scores_store(
    *, assessment: Assessment, tools: Mapping[str, Decimal | None], stored: list[ToolScore] | None = None
) -> None:
    """Write one :class:`ToolScore` row per tool of the assessment's edition (a tool without a score has no
    row). The only writer of tool scores; ``assessment`` must be saved. ``stored``: its rows, if read."""
    by_code = {tool.code: tool for tool in assessment.edition.tools.all()}
    if stored is None:
        stored = list(ToolScore.objects.filter(assessment=assessment))
    stored = {row.tool_id: row for row in stored}
    _write_scores(
        ToolScore,
        assessment,
        "tool",
        {tool: tools.get(code) for code, tool in by_code.items()},
        stored_by_target={tool: stored[tool.pk] for tool in by_code.values() if tool.pk in stored},
    )


@transaction.atomic
def assessment_refresh(*, assessment: Assessment) -> Assessment:
    """Recompute and store the tool scores, total and level from the stored indicator scores (the admin's
    inline edits of indicator scores end here)."""
    tools = assessment_recompute(assessment=assessment)
    assessment.version += 1
    assessment.save(update_fields=["total", "level", "version", "updated_at"])
    tool_scores_store(assessment=assessment, tools=tools)
    indicator_averages_rebuild(edition_ids=[assessment.edition_id])  # the inline wrote scores past the service
    return assessment


def _check_score(value: Decimal, label: str) -> None:
    if not (SCORE_MIN <= value <= SCORE_MAX):
        raise ValidationError(
            _("%(label)s: คะแนนต้องอยู่ระหว่าง 0 ถึง 100 (ได้ %(value)s)") % {"label": label, "value": value},
            code="out_of_range",
        )
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(_("%(label)s: ทศนิยมไม่เกิน 2 ตำแหน่ง") % {"label": label}, code="too_precise")


def _validate_inputs(
    edition: FrameworkEdition,
    indicators: Mapping[int, object],
    items: Mapping[str, object],
    indicator_scores: Mapping[int, Decimal | None],
    item_scores: Mapping[str, Decimal | None],
    published_total: Decimal | Keep | None,
) -> None:
    unknown = sorted(set(indicator_scores) - set(indicators))
    if unknown:
        raise ValidationError(
            _("ปี %(year)s ไม่มีตัวชี้วัดที่ %(numbers)s") % {"year": edition.fiscal_year, "numbers": unknown},
            code="unknown_indicator",
        )
    unknown_items = sorted(set(item_scores) - set(items))
    if unknown_items:
        raise ValidationError(
            _("ปี %(year)s ไม่มีข้อคำถาม %(codes)s") % {"year": edition.fiscal_year, "codes": ", ".join(unknown_items)},
            code="unknown_item",
        )
    for number, score in indicator_scores.items():
        if score is not None:
            _check_score(score, _("ตัวชี้วัดที่ %(number)s") % {"number": number})
    for code, score in item_scores.items():
        if score is not None:
            _check_score(score, _("ข้อ %(code)s") % {"code": code})
    if published_total is not None and published_total is not KEEP:
        _check_score(published_total, _("คะแนนรวมที่ประกาศ"))


@transaction.atomic
def assessment_save(
    *,
    agency: Agency,
    edition: FrameworkEdition,
    indicator_scores: Mapping[int, Decimal | None],
    item_scores: Mapping[str, Decimal | None] | None = None,
    published_total: Decimal | Keep | None = None,
    published_level: str | Keep = "",
    note: str | None = None,
    expected_version: int | None = None,
    by=None,
    rights_checked: bool = False,
) -> Assessment:
    """Create or update the assessment of ``agency`` for ``edition``'s year with these scores.

    ``indicator_scores`` is keyed by indicator number, ``item_scores`` by item code; a ``None`` score
    removes it, and indicators or items not named keep what is stored. ``published_total`` and
    ``published_level`` may be :data:`KEEP`: the stored value stays, read under the row lock. Raises
    ``ValidationError`` (nothing saved) for an unknown indicator or item or a score out of range.

    With ``expected_version`` (the ``version`` the entry form was opened at; 0 for a new assessment), a
    save over someone else's newer save raises :class:`StaleScores` and saves nothing.

    A national import calls this 8,000 times, so it reads what it needs once and writes scores in bulk:
    about ten queries whatever the number of items. The audit trail gets one row, with the indicator scores
    and totals that changed, made ``by`` this user (``None`` for a command). ``by`` must be allowed to write
    the agency's scores now (``assessments.permissions``), unless the caller checked that for a whole batch
    in this transaction (``rights_checked``, as the import does in one query).
    """
    if not rights_checked:
        permissions.check_score_writer(by, agency)
    indicators = {i.number: i for i in edition.indicators.all()}
    items = {i.code: i for i in edition.items.all()} if item_scores else {}
    _validate_inputs(edition, indicators, items, indicator_scores, item_scores or {}, published_total)

    assessment = Assessment.objects.select_for_update().filter(agency=agency, edition=edition).first()
    if assessment is None:
        assessment = Assessment(agency=agency, edition=edition)
    stored = {row.indicator_id: row for row in assessment.indicator_scores.all()} if assessment.pk else {}
    number_of = {indicator.pk: number for number, indicator in indicators.items()}
    scores = {number_of[indicator_id]: row.score for indicator_id, row in stored.items()}
    if expected_version is not None and assessment.version != expected_version:
        raise StaleScores(assessment, _changes_since(assessment, scores, indicator_scores, published_total))
    created = assessment.pk is None
    stored_tools = list(assessment.tool_scores.select_related("tool")) if assessment.pk else []
    before = _audit_state(assessment, scores, tools={row.tool.code: row.score for row in stored_tools})
    assessment.agency, assessment.edition = agency, edition  # reuse the caller's objects, no refetch
    if published_total is not KEEP:
        assessment.published_total = published_total
    if published_level is not KEEP:
        assessment.published_level = published_level or ""
    if note is not None:
        assessment.note = note
    for number, score in indicator_scores.items():
        if score is None:
            scores.pop(number, None)
        else:
            scores[number] = score

    tools = assessment_recompute(assessment=assessment, scores=scores)
    # Agency and edition are the caller's own objects; validating them again would cost two queries a row.
    assessment.full_clean(exclude=["agency", "edition"], validate_constraints=False)
    check_text_lengths(assessment)  # the note's limit, which validate_constraints=False would skip
    assessment.version += 1  # the row is locked (select_for_update) or new: no concurrent increment is lost
    assessment.save()
    tool_scores_store(assessment=assessment, tools=tools, stored=stored_tools)

    # Read before the write below, which updates the stored rows' scores in place.
    average_changes = {
        indicators[number].pk: (
            stored[indicators[number].pk].score if indicators[number].pk in stored else None,
            score,
        )
        for number, score in indicator_scores.items()
    }
    _write_scores(
        IndicatorScore,
        assessment,
        "indicator",
        {indicators[number]: score for number, score in indicator_scores.items()},
        stored_by_target={indicators[number_of[i]]: row for i, row in stored.items()},
    )
    indicator_averages_apply(changes=average_changes)
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
    before, after = audit_diff(
        {} if created else before | item_before, _audit_state(assessment, scores, tools=tools) | item_after
    )
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


AUDITED_FIELDS = ("total", "level", "published_total", "published_level", "note")


def _audit_state(
    assessment: Assessment, scores: Mapping[int, Decimal], *, tools: Mapping[str, Decimal | None]
) -> dict:
    """The totals, tool scores and indicator scores the audit trail compares before and after a save."""
    state = {name: getattr(assessment, name) for name in AUDITED_FIELDS}
    state |= {f"tool:{code}": score for code, score in tools.items() if score is not None}
    return state | {f"indicator:{number}": score for number, score in sorted(scores.items())}


def _shown(value) -> str:
    return "—" if value is None or value == "" else str(value)


def _changes_since(
    current: Assessment,
    stored_scores: Mapping[int, Decimal],
    wanted: Mapping[int, Decimal | None],
    published_total,
) -> list[tuple[str, str, str]]:
    """Where the stored (someone else's) values differ from what this person typed: (label, theirs, yours)."""
    changes = []
    for number in sorted(set(stored_scores) | set(wanted)):
        theirs, yours = stored_scores.get(number), wanted.get(number)
        if theirs != yours:
            changes.append((_("ตัวชี้วัดที่ %(number)s") % {"number": number}, _shown(theirs), _shown(yours)))
    if published_total is not KEEP and current.published_total != published_total:
        changes.append((_("คะแนนรวมที่ประกาศ"), _shown(current.published_total), _shown(published_total)))
    return changes


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
