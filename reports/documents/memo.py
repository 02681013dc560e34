from __future__ import annotations

import base64
import mimetypes

from django.utils import timezone

from ita_tracker.thai import format_date
from ita_tracker.xlsx import Sheet
from reports.documents.base import Document
from reports.models import Memo
from reports.paper import paper_for, repeat_signers
from reports.templatetags.memo import identity_label


def emblem_data_uri(agency) -> str:
    """The agency's emblem inlined, so the PDF needs no file access or URL (blank space when none is set)."""
    if not agency.emblem:
        return ""
    try:
        with agency.emblem.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError):
        return ""
    kind = mimetypes.guess_type(agency.emblem.name)[0] or "image/png"
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


class MemoDocument(Document):
    """The memo itself, with the sections its kind carries (``reports.kinds``, as fixed at submission:
    ``reports.paper``) and its approval blocks (seed 000)."""

    template = "reports/pdf/memo.html"

    def __init__(self, memo: Memo, *, seal: dict | None = None):
        super().__init__()
        self.memo = memo
        # Only when sealing (reports.seal): the verification code, its address and QR code on every page.
        self.seal = seal

    @property
    def agency(self):
        return self.memo.agency

    @property
    def slug(self) -> str:
        number = (
            f"{self.memo.number_year}-{self.memo.running_number}"
            if self.memo.running_number
            else f"draft-{self.memo.pk}"
        )
        return f"memo-{self.memo.agency.code}-{number}"

    def gather(self) -> None:
        memo = (
            Memo.objects.select_related("agency", "department", "chain", "plan", "assessment__edition")
            .prefetch_related("steps", "attachments__plan")
            .get(pk=self.memo.pk)
        )
        self.memo = memo
        self.attachments = list(memo.attachments.all())
        self.steps = list(memo.steps.all())
        self.paper = paper_for(memo)

    def render_pdf(self) -> bytes:
        """The memo, followed by the documents sent with it (สิ่งที่ส่งมาด้วย)."""
        from reports import pdfcache, pdftext
        from reports.attachments import append_attachments

        html = self.render_html()
        # A memo on its way is opened again and again unchanged: kept by its HTML's digest (reports.pdfcache).
        # A sealed render carries its own code and is stored by reports.seal.
        pdf = pdftext.render_pdf(html) if self.seal else pdfcache.rendered(html, pdftext.render_pdf)
        return append_attachments(pdf, self.attachments)

    def context(self) -> dict:
        return {
            "memo": self.memo,
            "steps": self.steps,
            "paper": self.paper,
            "repeat_signers": repeat_signers(self.steps, unexplained=True),
            "emblem_url": emblem_data_uri(self.agency),
            "seal": self.seal,
            "printed": True,  # paper, not the memo's page: reports/_memo_step.html
        }

    def sheets(self) -> list[Sheet]:
        memo = self.memo
        dated = f" ลงวันที่ {format_date(memo.date, digits='arabic')}" if memo.date else ""
        heading = f"{memo.subject} (ที่ {memo.number}{dated})"
        sheets = [sheet for part in self.paper.parts if (sheet := part.section.sheet(part.data, heading))]
        sheets.append(
            Sheet(
                title="การพิจารณา",
                heading=heading,
                # Widths that print at 75 % or more fitted to one page wide, a comment in every step included.
                columns=[
                    ("ขั้นที่", "int", 6),
                    ("ช่องความเห็น", "text", 26),
                    ("ผลการพิจารณา", "text", 13),
                    ("ความเห็น", "text", 34),
                    ("ผู้ลงนาม", "text", 24),
                    ("ตำแหน่ง", "text", 32),
                    ("วันที่", "date", 13),
                    ("ยืนยันตัวตน", "text", 20),
                ],
                rows=[
                    [
                        s.order,
                        s.label,
                        s.get_decision_display() if s.decision else "",
                        s.comment,
                        s.signer_name,
                        f"{s.signer_position} รักษาราชการแทน {s.position_title}"
                        if s.acting
                        else (s.signer_position or s.position_title),
                        timezone.localtime(s.decided_at).date() if s.decided_at else None,
                        identity_label(s) if s.decided_at else "",
                    ]
                    for s in self.steps
                ],
                # A blank "ผลการพิจารณา" says the step has not decided yet: the column stays when none has (a
                # memo pending at its first step), as it then says.
                keep_columns=frozenset({2}),
            )
        )
        return sheets
