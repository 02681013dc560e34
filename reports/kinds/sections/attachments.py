"""สิ่งที่ส่งมาด้วย: the documents sent with a memo (``reports.attachments``), listed under the addressee as a
Thai memo lists them, and appended to the memo's PDF (seed 003 sends the previous year's results report)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from reports.attachments import listed
from reports.documents.base import Sheet
from reports.kinds.base import Section
from reports.models import MemoAttachment


class AttachmentsList(Section):
    key = "attachments"
    label = _("สิ่งที่ส่งมาด้วย")
    template = "reports/sections/attachments.html"
    placement = "head"  # printed after เรียน / อ้างถึง, not after the text

    def build(self, memo, *, today: date) -> dict | None:
        from reports import kinds

        if not memo.pk:
            return None
        attachments = memo.attachments.all()
        if kinds.kind(memo.kind).attaches_results:
            # The results report such a memo attaches itself is named by its text ("รายละเอียดปรากฏตามเอกสาร
            # แนบท้าย"), not listed: seed 003 has no สิ่งที่ส่งมาด้วย line. Appended to the PDF all the same.
            attachments = attachments.exclude(source=MemoAttachment.Source.RESULTS)
        rows = listed(attachments)
        return {"title": "สิ่งที่ส่งมาด้วย", "rows": rows} if rows else None

    def sheet(self, data: dict, heading: str) -> Sheet:
        return Sheet(
            title="สิ่งที่ส่งมาด้วย",
            heading=heading,
            columns=[("ลำดับ", "int", 7), ("เอกสาร", "text", 80), ("จำนวนหน้า", "int", 12)],
            rows=[[r["number"], r["title"], r.get("pages") or None] for r in data["rows"]],
        )


SECTION = AttachmentsList()
