"""Checking uploaded evidence by its content, not its name.

An ``.exe`` renamed ``report.pdf`` is still an executable: the type is read from the file's first bytes
with the ``filetype`` library (magic numbers, including the Office Open XML and OLE containers), and
only documents and images that a municipal office exchanges are accepted.
"""

from __future__ import annotations

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

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


def check_upload(upload: UploadedFile) -> str:
    """The content type of an acceptable upload; ``ValidationError`` naming the file otherwise."""
    name = upload.name
    if upload.size > max_bytes():
        raise ValidationError(
            _("ไฟล์ “%(name)s” มีขนาด %(size)s เกินกำหนด %(limit)s")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes())},
            code="too_large",
        )
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
    return kind.mime
