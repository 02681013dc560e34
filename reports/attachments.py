"""Documents sent with a memo (สิ่งที่ส่งมาด้วย): listed in the memo and appended to its PDF.

Two sources (``MemoAttachment.Source``): a document the product makes (the results report of a plan, as seed
003 sends the previous year's) or a PDF the author uploads. A generated document is rendered and stored as a
file when the memo is submitted (:func:`attachments_freeze`, called by ``reports.workflow``), so a submitted
memo's attachment never changes with later progress; a draft appends it as it would be now.

The PDFs are joined with pypdf: WeasyPrint can join only documents it rendered itself, not an uploaded PDF.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from agencies.models import AuditEntry
from ita_tracker.thai import local_digits
from measures.evidence import refuse_too_large
from measures.models import MeasurePlan
from reports import permissions
from reports.models import InvalidTransition, Memo, MemoAttachment
from reports.services import memo_audit

MAX_PER_MEMO = 10
MAX_PAGES = 300


def max_bytes() -> int:
    return getattr(settings, "MEMO_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)


def results_title(plan: MeasurePlan) -> str:
    """The results report's own name (its cover or title, seed 003's wording), not one made up here."""
    from reports.documents.results import ResultsDocument

    return ResultsDocument(plan).name()[:300]


def check_pdf(upload: UploadedFile) -> int:
    """The page count of an acceptable PDF upload; ``ValidationError`` naming the file otherwise."""
    name = upload.name
    refuse_too_large(upload, max_bytes())
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" not in head:
        raise ValidationError(_("ไฟล์ “%(name)s” ไม่ใช่ไฟล์ PDF (ตรวจจากเนื้อไฟล์)") % {"name": name}, code="bad_type")
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted:
            raise ValidationError(_("ไฟล์ “%(name)s” ตั้งรหัสผ่านไว้ ต่อท้ายบันทึกไม่ได้") % {"name": name}, code="encrypted")
        pages = len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise ValidationError(_("ไฟล์ “%(name)s” เป็น PDF ที่เสีย เปิดอ่านไม่ได้") % {"name": name}, code="broken") from error
    finally:
        upload.seek(0)
    if not 0 < pages <= MAX_PAGES:
        raise ValidationError(
            _("ไฟล์ “%(name)s” มี %(pages)s หน้า (รับได้ %(least)s ถึง %(limit)s หน้า)")
            % {"name": name, "pages": local_digits(pages), "least": local_digits(1), "limit": local_digits(MAX_PAGES)},
            code="pages",
        )
    return pages


def _editable(memo: Memo, by) -> Memo:
    current = Memo.objects.select_for_update().get(pk=memo.pk)
    if not current.is_editable:
        raise InvalidTransition(_("บันทึกที่ส่งพิจารณาหรืออนุมัติแล้วแก้ไขไม่ได้"))
    if not permissions.is_author(by, current):
        raise PermissionDenied("only the author edits a memo")
    if current.attachments.count() >= MAX_PER_MEMO:
        raise ValidationError(_("แนบเอกสารได้ไม่เกิน %(n)s รายการต่อบันทึก") % {"n": MAX_PER_MEMO}, code="too_many")
    return current


def _next_order(memo: Memo) -> int:
    last = memo.attachments.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def attachment_add_results(*, memo: Memo, plan: MeasurePlan, by) -> MemoAttachment:
    """Attach a plan's results report (rendered and stored when the memo is submitted)."""
    current = _editable(memo, by)
    if plan.agency_id != current.agency_id:
        raise PermissionDenied("another agency's plan")
    if current.attachments.filter(source=MemoAttachment.Source.RESULTS, plan=plan).exists():
        raise ValidationError(_("แนบรายงานผลของแผนนี้ไว้แล้ว"), code="duplicate")
    attachment = MemoAttachment(
        memo=current,
        source=MemoAttachment.Source.RESULTS,
        plan=plan,
        title=results_title(plan),
        order=_next_order(current),
    )
    attachment.full_clean()
    attachment.save()
    memo_audit(current, by, AuditEntry.Action.UPDATE, after={"สิ่งที่ส่งมาด้วย": attachment.title})
    return attachment


@transaction.atomic
def attachment_add_upload(*, memo: Memo, upload: UploadedFile, title: str, by) -> MemoAttachment:
    """Attach an uploaded PDF (checked by content, size and page count)."""
    current = _editable(memo, by)
    pages = check_pdf(upload)
    title = " ".join((title or "").split()) or upload.name.rsplit(".", 1)[0]
    attachment = MemoAttachment(
        memo=current, source=MemoAttachment.Source.UPLOAD, title=title[:300], pages=pages, order=_next_order(current)
    )
    attachment.full_clean(exclude=["file"])
    attachment.file.save(f"{current.pk}-{_next_order(current)}.pdf", upload, save=False)
    attachment.save()
    memo_audit(current, by, AuditEntry.Action.UPDATE, after={"สิ่งที่ส่งมาด้วย": attachment.title})
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: MemoAttachment, by) -> None:
    current = Memo.objects.select_for_update().get(pk=attachment.memo_id)
    if not current.is_editable:
        raise InvalidTransition(_("บันทึกที่ส่งพิจารณาหรืออนุมัติแล้วแก้ไขไม่ได้"))
    if not permissions.is_author(by, current):
        raise PermissionDenied("only the author edits a memo")
    memo_audit(current, by, AuditEntry.Action.UPDATE, before={"สิ่งที่ส่งมาด้วย": attachment.title})
    if attachment.file:
        attachment.file.delete(save=False)
    attachment.delete()


def _render_results(attachment: MemoAttachment) -> bytes:
    from reports.documents.results import ResultsDocument

    return ResultsDocument(attachment.plan).render_pdf()


def attachments_freeze(memo: Memo) -> None:
    """Render and store each generated attachment as it is at submission (called inside the submit
    transaction). A memo sent back and resubmitted stores it afresh."""
    for attachment in memo.attachments.filter(source=MemoAttachment.Source.RESULTS).select_related("plan"):
        data = _render_results(attachment)
        if attachment.file:
            attachment.file.delete(save=False)
        attachment.pages = len(PdfReader(io.BytesIO(data)).pages)
        attachment.file.save(f"{memo.pk}-results-{attachment.plan.fiscal_year}.pdf", ContentFile(data), save=False)
        attachment.save(update_fields=["file", "pages"])


def attachment_pdf(attachment: MemoAttachment) -> bytes:
    """The attachment's PDF: the stored file, or (a draft's generated document) rendered now."""
    if attachment.file:
        with attachment.file.open("rb") as handle:
            return handle.read()
    return _render_results(attachment)


def append_attachments(memo_pdf: bytes, attachments) -> bytes:
    """The memo's PDF followed by its attachments, in order."""
    attachments = list(attachments)
    if not attachments:
        return memo_pdf
    writer = PdfWriter()
    writer.append(io.BytesIO(memo_pdf))
    for attachment in attachments:
        writer.append(io.BytesIO(attachment_pdf(attachment)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def listed(attachments) -> list[dict]:
    """The rows of สิ่งที่ส่งมาด้วย: number, title, pages (known once the file is stored)."""
    return [
        {"number": number, "title": a.title, "pages": a.pages or 0} for number, a in enumerate(attachments, start=1)
    ]
