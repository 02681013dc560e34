"""Saving a checked score file: all rows in one transaction, each through ``assessment_save``, so the stored
tool scores, total and level follow the year's rules exactly as they do for scores typed on the entry page.

Time passes between the check and the save (a person reads the check; a background job waits in the queue),
so what may have changed is read again here, inside the transaction: the user's rights (one query for the
whole file), and the stored published figures that a blank cell keeps (``KEEP``: read by ``assessment_save``
under the row lock, so a save made in between is not reverted).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import Agency
from assessments import permissions
from assessments.services import KEEP, assessment_save
from assessments.transfer.errors import ImportPlan, ImportRefused, ImportSummary

IMPORTED_CODE_PREFIX = "imp-"


def _next_imported_code_number() -> int:
    numbers = [0]
    for code in Agency.objects.filter(code__startswith=IMPORTED_CODE_PREFIX).values_list("code", flat=True):
        suffix = code.removeprefix(IMPORTED_CODE_PREFIX)
        if suffix.isdigit():
            numbers.append(int(suffix))
    return max(numbers) + 1


def _recheck_rights(plan: ImportPlan, by) -> None:
    """The rights the check saw may have been taken away since: read them again, now."""
    importable = permissions.importable_agency_ids(by)
    if importable is None:
        return
    if plan.new_agencies:
        raise ImportRefused(_("ท่านไม่มีสิทธิ์สร้างหน่วยงานใหม่ จึงไม่บันทึกข้อมูล"))
    lost = sorted({row.agency.name for row in plan.rows if row.agency is not None and row.agency.pk not in importable})
    if lost:
        raise ImportRefused(
            _("ท่านไม่ได้เป็นผู้ประสานงาน ITA ของ %(names)s แล้ว จึงไม่บันทึกข้อมูลใด ๆ") % {"names": ", ".join(lost)}
        )


def _create_agencies(plan: ImportPlan) -> dict[tuple[str, str], Agency]:
    created: dict[tuple[str, str], Agency] = {}
    if not plan.new_agencies:
        return created
    # Thai names do not slugify; imported agencies get "imp-<n>", which an administrator may change.
    counter = _next_imported_code_number()
    for key, new in plan.new_agencies.items():
        agency = Agency(name=new.name, province=new.province, type=new.type, code=f"{IMPORTED_CODE_PREFIX}{counter}")
        agency.full_clean(validate_unique=False, validate_constraints=False)  # checked against the file
        agency.save()
        created[key] = agency
        counter += 1
    return created


@transaction.atomic
def apply_plan(plan: ImportPlan, *, by=None) -> ImportSummary:
    """Save a checked plan: create the new agencies, then each row through ``assessment_save``.
    All or nothing. Refuses a plan with errors, or one the user may no longer save. ``by`` is the user the
    audit trail names (``None`` for a command)."""
    if plan.errors:
        raise ImportRefused(_("ไฟล์ยังมีข้อผิดพลาด %(count)s รายการ จึงไม่บันทึกข้อมูล") % {"count": len(plan.errors)})
    _recheck_rights(plan, by)
    created = _create_agencies(plan)
    for row in plan.rows:
        assessment_save(
            agency=row.agency if row.agency is not None else created[row.new_agency],
            edition=row.edition,
            indicator_scores=row.indicator_scores,
            item_scores=row.item_scores,
            published_total=row.published_total if row.published_given else KEEP,
            published_level=row.published_level if row.level_given else KEEP,
            by=by,
            rights_checked=True,
        )
    return ImportSummary(
        agencies_created=len(created),
        assessments_created=plan.assessments_to_create,
        assessments_updated=plan.assessments_to_update,
    )
