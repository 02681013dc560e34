"""Writes on the OIT checklist: open a year, assign, gather evidence, send for review, review.

Every write locks the row it changes, asks again whether the person may act (their membership as it is now, not as
it was when the page was drawn), checks the version the page was drawn from, writes the audit trail in the same
transaction (assignment, state, evidence added, kept or removed, review), and tells the people concerned through
``ita_tracker.notify`` once the transaction commits.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.audit import audit_diff, audit_record
from agencies.models import Agency, AuditEntry, Department, Membership
from assessments.models import FrameworkEdition, ResponsibleKind
from ita_tracker.notify import notify
from measures.evidence import check_upload
from measures.oit import access
from measures.oit.documents import documents_for_entries
from measures.oit.models import OitChecklist, OitEntry, OitEvidence, OitState

OIT_TOOL = "OIT"
LINK_SCHEMES = ("http", "https")

# How a division of the usual kind is usually named: words its name begins with, then words it contains. A kind
# with no division of its own in a small municipality (งานนิติการ, งานการเจ้าหน้าที่) falls back to สำนักปลัด.
KIND_WORDS: dict[str, tuple[str, ...]] = {
    ResponsibleKind.OFFICE: ("สำนักปลัด",),
    ResponsibleKind.STRATEGY: ("กองยุทธศาสตร์", "กองวิชาการและแผนงาน", "นโยบายและแผน"),
    ResponsibleKind.FINANCE: ("กองคลัง",),
    ResponsibleKind.WORKS: ("กองช่าง",),
    ResponsibleKind.EDUCATION: ("กองการศึกษา",),
    ResponsibleKind.HEALTH: ("กองสาธารณสุข",),
    ResponsibleKind.PERSONNEL: ("งานการเจ้าหน้าที่", "การเจ้าหน้าที่"),
    ResponsibleKind.LEGAL: ("งานนิติการ", "นิติการ"),
    ResponsibleKind.PUBLIC_RELATIONS: ("งานประชาสัมพันธ์", "ประชาสัมพันธ์"),
}
MOVABLE = (OitState.NOT_STARTED, OitState.IN_PROGRESS, OitState.NEEDS_FIX)  # evidence may change in these


def quota_bytes() -> int:
    return getattr(settings, "OIT_EVIDENCE_QUOTA", 300 * 1024 * 1024)


def default_department(kind: str, departments: list[Department]) -> Department | None:
    """The agency's division for an item's usual kind, by name; สำนักปลัด when the kind has none of its own."""
    if kind == ResponsibleKind.ALL or not kind:
        return None
    for words in (KIND_WORDS.get(kind, ()), KIND_WORDS[ResponsibleKind.OFFICE]):
        for word in words:
            for d in departments:
                if d.name.startswith(word):
                    return d
        for word in words:
            for d in departments:
                if word in d.name:
                    return d
    return None


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def _membership(user, agency_id: int) -> Membership | None:
    """The actor's membership as it is now, locked for the rest of the transaction."""
    if user.is_superuser:
        return None
    return (
        Membership.objects.select_for_update(of=("self",))
        .filter(user=user, agency_id=agency_id, is_active=True)
        .order_by("pk")
        .first()
    )


def _locked(entry: OitEntry, version: int | None = None) -> OitEntry:
    locked = OitEntry.objects.select_for_update(of=("self",)).order_by().get(pk=entry.pk)
    locked.checklist = OitChecklist.objects.select_related("agency", "edition").get(pk=locked.checklist_id)
    locked.item = entry.item
    if version is not None and locked.version != version:
        _refuse(
            _("มีผู้อื่นแก้ไขข้อ %(code)s ไปแล้วหลังจากที่คุณเปิดหน้านี้ กรุณาเปิดหน้าใหม่แล้วทำอีกครั้ง (ยังไม่ได้บันทึกสิ่งใด)")
            % {"code": entry.code},
            "stale",
        )
    return locked


def _require_manager(entry_or_checklist_agency: Agency, by) -> None:
    if not access.can_manage(by, entry_or_checklist_agency, _membership(by, entry_or_checklist_agency.pk)):
        raise PermissionDenied("not the coordinator")


def _require_preparer(entry: OitEntry, by) -> None:
    if not access.can_prepare(by, entry, _membership(by, entry.checklist.agency_id)):
        raise PermissionDenied("not this item's division")


def _save(entry: OitEntry, fields: list[str]) -> None:
    entry.version += 1
    entry.full_clean()
    entry.save(update_fields=[*fields, "version", "updated_at"])


def _audit(entry: OitEntry, by, action: str, before: dict, after: dict) -> None:
    """One entry per change of an item (object ``oit_entry``); nothing when nothing changed."""
    before, after = audit_diff(before, after)
    if before or after:
        audit_record(
            agency=entry.checklist.agency_id,
            actor=by,
            action=action,
            obj_type=AuditEntry.ObjectType.OIT_ENTRY,
            obj_id=entry.pk,
            summary=_("ข้อ OIT %(code)s %(title)s") % {"code": entry.code, "title": entry.item.title[:200]},
            before=before,
            after=after,
        )


def _audit_evidence(evidence: OitEvidence, entry: OitEntry, by, action: str, before: dict, after: dict) -> None:
    audit_record(
        agency=entry.checklist.agency_id,
        actor=by,
        action=action,
        obj_type=AuditEntry.ObjectType.OIT_EVIDENCE,
        obj_id=evidence.pk,
        summary=_("หลักฐานข้อ OIT %(code)s: %(evidence)s") % {"code": entry.code, "evidence": str(evidence)[:200]},
        before=before,
        after=after,
    )


def _evidence_state(evidence: OitEvidence) -> dict:
    return {
        "evidence": evidence.original_name or evidence.url,
        "evidence_title": evidence.title,
        "standing": evidence.standing,
        "proposed": evidence.proposed,
    }


def state_label(state: str) -> str:
    """States go into the audit trail by their label, as the reader knows them."""
    return str(OitState(state).label)


def _tell(entry: OitEntry, kind: str, recipients, title: str, body: str = "") -> None:
    notify(kind=kind, recipients=recipients, title=title, body=body, url=entry.get_absolute_url())


# ---------------------------------------------------------------- the year's checklist


@transaction.atomic
def checklist_open(*, agency: Agency, fiscal_year: int, by, carry_over: bool = True) -> OitChecklist:
    """Open the agency's checklist of ``fiscal_year``: one entry per OIT item of the year's edition, each given
    the division its usual kind names, and the standing evidence of last year proposed again (``carry``)."""
    if by is not None:
        _require_manager(agency, by)
    edition = FrameworkEdition.objects.filter(fiscal_year=fiscal_year).first()
    if edition is None:
        _refuse(_("ยังไม่มีกรอบการประเมินปี %(year)s") % {"year": fiscal_year}, "no_edition")
    if OitChecklist.objects.filter(agency=agency, edition=edition).exists():
        _refuse(_("มีรายการ OIT ปี %(year)s ของหน่วยงานนี้อยู่แล้ว") % {"year": fiscal_year}, "exists")
    items = list(edition.items.filter(indicator__tool__code=OIT_TOOL).order_by("order"))
    if not items:
        _refuse(_("กรอบการประเมินปี %(year)s ยังไม่มีข้อ OIT") % {"year": fiscal_year}, "no_items")
    checklist = OitChecklist(agency=agency, edition=edition)
    checklist.full_clean()
    checklist.save()
    departments = list(agency.departments.order_by("order", "name"))
    OitEntry.objects.bulk_create(
        [
            OitEntry(checklist=checklist, item=item, department=default_department(item.responsible_kind, departments))
            for item in items
        ]
    )
    if carry_over:
        from measures.oit.carry import carry_over_standing

        carry_over_standing(checklist=checklist)
    return checklist


@transaction.atomic
def checklist_set_due(*, checklist: OitChecklist, due: date | None, by) -> OitChecklist:
    _require_manager(checklist.agency, by)
    locked = (
        OitChecklist.objects.select_for_update(of=("self",)).select_related("edition").order_by().get(pk=checklist.pk)
    )
    limit = locked.edition.oit_deadline
    if due is not None and limit is not None and due > limit:
        _refuse(_("กำหนดส่งต้องไม่เกินวันสุดท้ายของการเผยแพร่ข้อมูล OIT"), "after_deadline")
    locked.due = due
    locked.full_clean()
    locked.save(update_fields=["due"])
    return locked


@transaction.atomic
def entry_assign(*, entry: OitEntry, department: Department | None, due: date | None, by, version: int) -> OitEntry:
    """Give the item to a division (and an earlier due date); the division's staff are told."""
    _require_manager(entry.checklist.agency, by)
    locked = _locked(entry, version)
    if department is not None and department.agency_id != locked.checklist.agency_id:
        _refuse(_("ส่วนราชการนี้ไม่ได้อยู่ในหน่วยงาน"), "department_of_other_agency")
    limit = locked.checklist.deadline
    if due is not None and limit is not None and due > limit:
        _refuse(_("กำหนดส่งของข้อต้องไม่เกินกำหนดส่งของทั้งรายการ"), "after_deadline")
    changed = department is not None and department.pk != locked.department_id
    before = {"department": locked.department, "due": locked.due}
    locked.department, locked.due = department, due
    _save(locked, ["department", "due"])
    _audit(locked, by, AuditEntry.Action.UPDATE, before, {"department": department, "due": due})
    if changed:
        _tell(
            locked,
            "oit_assigned",
            access.division_staff(locked),
            _("มอบหมายข้อ OIT %(code)s ให้%(division)s") % {"code": locked.code, "division": department.name},
            locked.item.title,
        )
    return locked


# ---------------------------------------------------------------- evidence


def _check_movable(entry: OitEntry) -> None:
    if entry.state not in MOVABLE:
        _refuse(
            _("ข้อ %(code)s อยู่ในสถานะ “%(state)s” จึงเปลี่ยนหลักฐานไม่ได้")
            % {"code": entry.code, "state": OitState(entry.state).label},
            "not_movable",
        )


def _started(entry: OitEntry, by) -> None:
    if entry.state == OitState.NOT_STARTED:
        entry.state = OitState.IN_PROGRESS
        _save(entry, ["state"])
        _audit(
            entry,
            by,
            AuditEntry.Action.TRANSITION,
            {"state": state_label(OitState.NOT_STARTED)},
            {"state": state_label(OitState.IN_PROGRESS)},
        )


@transaction.atomic
def evidence_add_file(*, entry: OitEntry, upload, by, title: str = "", standing: bool = False) -> OitEvidence:
    """A file checked by its content and size as progress evidence is, within the checklist's storage quota."""
    locked = _locked(entry)
    _require_preparer(locked, by)
    _check_movable(locked)
    content_type = check_upload(upload)
    used = OitEvidence.objects.filter(entry__checklist_id=locked.checklist_id).aggregate(n=Sum("size"))["n"] or 0
    if used + upload.size > quota_bytes():
        _refuse(
            _("พื้นที่เก็บหลักฐาน OIT ของปีนี้เหลือไม่พอสำหรับไฟล์ “%(name)s” (ใช้ไปแล้ว %(used)s จาก %(quota)s)")
            % {"name": upload.name, "used": filesizeformat(used), "quota": filesizeformat(quota_bytes())},
            "quota",
        )
    evidence = OitEvidence(
        entry=locked,
        kind=OitEvidence.Kind.FILE,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        title=title,
        standing=standing,
        added_by=by,
    )
    evidence.file.save(upload.name, upload, save=False)
    evidence.full_clean()
    evidence.save()
    _audit_evidence(evidence, locked, by, AuditEntry.Action.CREATE, {}, _evidence_state(evidence))
    _started(locked, by)
    return evidence


@transaction.atomic
def evidence_add_link(*, entry: OitEntry, url: str, by, title: str = "", standing: bool = False) -> OitEvidence:
    """A page of the agency's website (http or https only)."""
    locked = _locked(entry)
    _require_preparer(locked, by)
    _check_movable(locked)
    url = url.strip()
    try:
        URLValidator(schemes=LINK_SCHEMES)(url)
    except ValidationError:
        _refuse(_("ลิงก์ “%(url)s” ไม่ถูกต้อง ต้องขึ้นต้นด้วย http:// หรือ https://") % {"url": url[:100]}, "bad_url")
    evidence = OitEvidence(
        entry=locked, kind=OitEvidence.Kind.LINK, url=url, title=title, standing=standing, added_by=by
    )
    evidence.full_clean()
    evidence.save()
    _audit_evidence(evidence, locked, by, AuditEntry.Action.CREATE, {}, _evidence_state(evidence))
    _started(locked, by)
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: OitEvidence, by) -> None:
    locked = _locked(evidence.entry)
    _require_preparer(locked, by)
    _check_movable(locked)
    if evidence.kind == OitEvidence.Kind.FILE:
        name = evidence.file.name
        transaction.on_commit(lambda: evidence.file.storage.delete(name))
    _audit_evidence(evidence, locked, by, AuditEntry.Action.DELETE, _evidence_state(evidence), {})
    evidence.delete()


@transaction.atomic
def evidence_keep(*, evidence: OitEvidence, by) -> OitEvidence:
    """Keep a proposal carried over from last year as this year's evidence."""
    locked = _locked(evidence.entry)
    _require_preparer(locked, by)
    _check_movable(locked)
    before = _evidence_state(evidence)
    evidence.proposed = False
    evidence.save(update_fields=["proposed"])
    _audit_evidence(evidence, locked, by, AuditEntry.Action.UPDATE, *audit_diff(before, _evidence_state(evidence)))
    _started(locked, by)
    return evidence


# ---------------------------------------------------------------- review


def has_evidence(entry: OitEntry) -> bool:
    if entry.evidence.filter(proposed=False).exists():
        return True
    checklist = entry.checklist
    made = documents_for_entries([entry], agency=checklist.agency, fiscal_year=checklist.fiscal_year)
    return bool(made.get(entry.pk))


@transaction.atomic
def entry_submit(*, entry: OitEntry, by, version: int) -> OitEntry:
    """The division sends the item to the coordinator for review; it needs evidence first."""
    locked = _locked(entry, version)
    _require_preparer(locked, by)
    if locked.state not in (OitState.IN_PROGRESS, OitState.NEEDS_FIX, OitState.NOT_STARTED):
        _refuse(_("ข้อ %(code)s ส่งตรวจไม่ได้ในสถานะนี้") % {"code": locked.code}, "not_submittable")
    if not has_evidence(locked):
        _refuse(_("ข้อ %(code)s ยังไม่มีหลักฐาน เพิ่มไฟล์หรือลิงก์ก่อนส่งตรวจ") % {"code": locked.code}, "no_evidence")
    before = {"state": state_label(locked.state)}
    locked.state = OitState.IN_REVIEW
    _save(locked, ["state"])
    _audit(locked, by, AuditEntry.Action.TRANSITION, before, {"state": state_label(locked.state)})
    _tell(
        locked,
        "oit_submitted",
        [u for u in access.coordinators(locked.checklist.agency_id) if u.pk != getattr(by, "pk", None)],
        _("ข้อ OIT %(code)s รอตรวจ") % {"code": locked.code},
        locked.item.title,
    )
    return locked


@transaction.atomic
def entry_review(*, entry: OitEntry, by, passed: bool, comment: str = "", version: int) -> OitEntry:
    """The coordinator passes the item against its criteria, or sends it back with a comment."""
    _require_manager(entry.checklist.agency, by)
    locked = _locked(entry, version)
    before = {"state": state_label(locked.state), "review_comment": locked.review_comment}
    comment = comment.strip()
    if passed:
        if locked.state == OitState.PASSED:
            _refuse(_("ข้อ %(code)s ผ่านการตรวจแล้ว") % {"code": locked.code}, "already_passed")
        if not has_evidence(locked):
            _refuse(_("ข้อ %(code)s ยังไม่มีหลักฐานให้ตรวจ") % {"code": locked.code}, "no_evidence")
        locked.state, kind = OitState.PASSED, "oit_passed"
        title = _("ข้อ OIT %(code)s ผ่านการตรวจแล้ว") % {"code": locked.code}
    else:
        if not comment:
            _refuse(_("ระบุสิ่งที่ต้องแก้ไขก่อนส่งกลับ"), "comment_required")
        if locked.state not in (OitState.IN_REVIEW, OitState.PASSED, OitState.IN_PROGRESS):
            _refuse(_("ข้อ %(code)s ส่งกลับแก้ไขไม่ได้ในสถานะนี้") % {"code": locked.code}, "not_returnable")
        locked.state, kind = OitState.NEEDS_FIX, "oit_sent_back"
        title = _("ข้อ OIT %(code)s ต้องแก้ไข") % {"code": locked.code}
    locked.review_comment = comment
    locked.reviewed_by = by
    locked.reviewed_at = timezone.now()
    _save(locked, ["state", "review_comment", "reviewed_by", "reviewed_at"])
    after = {"state": state_label(locked.state), "review_comment": comment}
    _audit(locked, by, AuditEntry.Action.TRANSITION, before, after)
    _tell(locked, kind, access.division_staff(locked), title, comment or locked.item.title)
    return locked
