"""Checking uploaded evidence by its content, not its name.

An ``.exe`` renamed ``report.pdf`` is still an executable: the type is read from the file's first bytes
with the ``filetype`` library (magic numbers, including the Office Open XML and OLE containers), and
only documents and images that a municipal office exchanges are accepted. What one person and one agency may
store in all is capped too (:func:`check_quota`).
"""

from __future__ import annotations

from collections.abc import Sequence

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from agencies.models import Agency
from ita_tracker import images
from measures.models import Evidence

ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.ms-powerpoint": "PowerPoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/vnd.oasis.opendocument.text": "OpenDocument",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument",
}
HEAD_BYTES = 64 * 1024


def max_bytes() -> int:
    return getattr(settings, "EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)


def quota_per_person() -> int:
    return getattr(settings, "EVIDENCE_QUOTA_PER_PERSON", 500 * 1024 * 1024)


def quota_per_agency() -> int:
    return getattr(settings, "EVIDENCE_QUOTA_PER_AGENCY", 5 * 1024 * 1024 * 1024)


def check_quota(*, agency_id: int, by, uploads: Sequence[UploadedFile]) -> None:
    """Refuse uploads that would take the evidence this person has stored (in any agency), or the agency's
    whole store, past its quota: one file is limited by :func:`max_bytes`, but without a quota one request of
    many files, or a script, fills the disk that every agency shares. Call inside the write's transaction; the
    agency row is locked so two uploads of one agency cannot both pass on the same total."""
    adding = sum(upload.size for upload in uploads)
    if not adding:
        return
    Agency.objects.select_for_update().filter(pk=agency_id).first()
    stored = Evidence.objects.filter(kind=Evidence.Kind.FILE)
    mine = stored.filter(update__created_by=by).aggregate(total=Sum("size"))["total"] or 0
    if mine + adding > quota_per_person():
        raise ValidationError(
            _("หลักฐานที่ท่านอัปโหลดไว้รวม %(stored)s เพิ่มอีก %(adding)s จะเกินโควตาต่อคน %(limit)s")
            % {
                "stored": filesizeformat(mine),
                "adding": filesizeformat(adding),
                "limit": filesizeformat(quota_per_person()),
            },
            code="person_quota",
        )
    agency_total = stored.filter(update__measure__plan__agency_id=agency_id).aggregate(total=Sum("size"))["total"] or 0
    if agency_total + adding > quota_per_agency():
        raise ValidationError(
            _("หลักฐานของหน่วยงานรวม %(stored)s เพิ่มอีก %(adding)s จะเกินโควตาต่อหน่วยงาน %(limit)s")
            % {
                "stored": filesizeformat(agency_total),
                "adding": filesizeformat(adding),
                "limit": filesizeformat(quota_per_agency()),
            },
            code="agency_quota",
        )


def refuse_too_large(upload: UploadedFile, limit: int) -> None:
    """``ValidationError`` naming the file when it is over ``limit`` bytes (evidence, memo attachments)."""
    if upload.size > limit:
        raise ValidationError(
            _("ไฟล์ “%(name)s” มีขนาด %(size)s เกินกำหนด %(limit)s")
            % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )


def check_upload(upload: UploadedFile) -> str:
    """The content type of an acceptable upload; ``ValidationError`` naming the file otherwise."""
    name = upload.name
    refuse_too_large(upload, max_bytes())
    if upload.size == 0:
        raise ValidationError(_("ไฟล์ “%(name)s” ว่างเปล่า") % {"name": name}, code="empty")
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        found = kind.mime if kind is not None else _("ไม่ทราบชนิด")
        raise ValidationError(
            _(
                "ไฟล์ “%(name)s” ไม่ใช่ไฟล์ที่รับได้ (ตรวจจากเนื้อไฟล์พบว่าเป็น %(found)s) "
                "รับเฉพาะ PDF รูปภาพ (JPEG, PNG) และเอกสาร Word, Excel, PowerPoint"
            )
            % {"name": name, "found": found},
            code="bad_type",
        )
    if kind.mime.startswith("image/"):
        images.check_pixels(upload)  # a small file may decode to gigabytes
    return kind.mime
