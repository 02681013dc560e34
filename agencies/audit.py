"""The audit trail: who changed what, when, from what to what.

The write services of every app call :func:`audit_record` inside their own transaction, with the fields that
changed as :func:`audit_diff` finds them. The trail lives here, in the first app of the chain, so that every
later app may write to it (apps import only from the apps before them).

Keys of ``before``/``after`` are field names (``title``, ``status``), ``indicator:<n>`` for an indicator
score, ``tool:<code>`` for a tool score or ``item:<code>`` for an item score; :func:`field_label` turns them
into the Thai labels the audit page shows. Values are stored as JSON, decimals and dates as text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, AuditEntry

# Labels of the keys the services write. A key not listed is shown as it is.
FIELD_LABELS = {
    # assessments
    "total": _("คะแนนรวม"),
    "level": _("ระดับ"),
    # entries written before tool scores became rows (``tool:<code>`` since)
    "iit": _("คะแนน IIT"),
    "eit": _("คะแนน EIT"),
    "oit": _("คะแนน OIT"),
    "published_total": _("คะแนนรวมที่ประกาศ"),
    "published_level": _("ระดับที่ประกาศ"),
    "note": _("หมายเหตุ"),
    # measures and progress
    "number": _("ลำดับ"),
    "title": _("ชื่อมาตรการ"),
    "description": _("รายละเอียด"),
    "all_departments": _("ทุกส่วนราชการ"),
    "starts": _("วันเริ่ม"),
    "ends": _("วันสิ้นสุด"),
    "monitoring": _("การติดตามผล"),
    "budget": _("งบประมาณ"),
    "status": _("สถานะ"),
    "percent": _("ร้อยละความก้าวหน้า"),
    "reported_on": _("วันที่รายงาน"),
    # memos
    "subject": _("เรื่อง"),
    "addressee": _("เรียน"),
    "body": _("ข้อความ"),
    "current_step": _("ขั้นการพิจารณา"),
    "decision": _("ผลการพิจารณา"),
    "comment": _("ความเห็น"),
    "steps": _("ขั้นตอนหรือวิธีการ"),
    "departments": _("ส่วนราชการที่รับผิดชอบ"),
    "indicators": _("ตัวชี้วัดเป้าหมาย"),
    "items": _("ข้อคำถามเป้าหมาย"),
    # the OIT checklist
    "state": _("สถานะ"),
    "due": _("กำหนดส่ง"),
    "review_comment": _("ความเห็นการตรวจ"),
    "evidence": _("หลักฐาน"),
    "evidence_title": _("คำอธิบายหลักฐาน"),
    "standing": _("ใช้ได้ต่อเนื่องทุกปี"),
    "proposed": _("เสนอจากปีก่อน (รอยืนยัน)"),
    # divisions and approval chains
    "name": _("ชื่อ"),
    "letter_code": _("รหัสหนังสือ"),
    "phone": _("โทรศัพท์"),
    "email": _("อีเมล"),
    "order": _("ลำดับ"),
    "is_default": _("สายเริ่มต้น"),
    # people
    "department": _("ส่วนราชการ"),
    "position_title": _("ตำแหน่ง"),
    "roles": _("บทบาท"),
    "is_active": _("ใช้งานอยู่"),
    "user_is_active": _("บัญชีผู้ใช้ใช้งานได้"),
}


def field_label(key: str) -> str:
    if key.startswith("indicator:"):
        return gettext("ตัวชี้วัดที่ %(number)s") % {"number": key.partition(":")[2]}
    if key.startswith("tool:"):
        return gettext("คะแนน %(tool)s") % {"tool": key.partition(":")[2]}
    if key.startswith("item:"):
        return gettext("ข้อคำถาม %(code)s") % {"code": key.partition(":")[2]}
    label = FIELD_LABELS.get(key)
    return str(label) if label is not None else key


def audit_diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict, dict]:
    """The fields whose value differs, as (before, after). A key missing on one side counts as ``None`` when
    comparing and stays missing in the result, so a new object has an empty ``before``."""
    changed = [key for key in {**before, **after} if before.get(key) != after.get(key)]
    return (
        {key: before[key] for key in changed if key in before},
        {key: after[key] for key in changed if key in after},
    )


def audit_record(
    *,
    agency: Agency | int,
    actor,
    action: str,
    obj_type: str,
    obj_id: int,
    summary: str,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Write one entry. ``agency`` may be an id (services often hold only ``memo.agency_id``); ``actor`` is a
    user, or ``None`` (or an anonymous user) for a command.

    No ``full_clean()``: the callers are our own services with values they have just validated, and checking
    the two foreign keys would cost two queries per row on an 8,000-row import. The database checks ``action``.
    """
    return AuditEntry.objects.create(
        agency_id=agency if isinstance(agency, int) else agency.pk,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj_type,
        object_id=obj_id,
        summary=summary[:500],
        before=_jsonable(before),
        after=_jsonable(after),
    )


def _jsonable(values: Mapping[str, Any] | None) -> dict:
    """A related object (a division, an approval chain) is kept by its name as it was then: to the person
    reading the trail a name says more than an id, and it stays readable after the object is gone."""
    return {key: str(value) if isinstance(value, models.Model) else value for key, value in (values or {}).items()}
