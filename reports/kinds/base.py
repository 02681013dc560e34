"""The two spec classes of ``reports.kinds``."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from agencies.models import Agency
    from reports.documents.base import Sheet
    from reports.models import Memo

# What a memo is drawn from, and the Thai message when it is missing.
SOURCES = {
    "plan": _("บันทึกประเภทนี้ต้องระบุแผนมาตรการ"),
    "assessment": _("บันทึกการวิเคราะห์ต้องระบุผลการประเมิน"),
}


class Section:
    """One part of a memo after its text. ``build`` returns JSON-ready data (dates ISO, periods as Thai
    text) that is frozen into the memo at submission and rendered, forever, by ``template`` and ``sheet``;
    ``None`` when the memo has nothing to show in it."""

    key: ClassVar[str]
    label: ClassVar[str]
    template: ClassVar[str]
    # "body": printed after the memo's text; "head": under เรียน / อ้างถึง (สิ่งที่ส่งมาด้วย).
    placement: ClassVar[str] = "body"

    def build(self, memo: Memo, *, today: date) -> dict | None:
        raise NotImplementedError

    def sheet(self, data: dict, heading: str) -> Sheet | None:
        """The section as a worksheet of the memo's workbook; ``None`` to leave it out of Excel."""
        return None


class MemoKind:
    """One kind of memo. ``source`` is what it is drawn from ("plan", "assessment" or ``None``)."""

    key: ClassVar[str]
    label: ClassVar[str]
    source: ClassVar[str | None] = None
    sections: ClassVar[tuple[str, ...]] = ()
    attaches_results: ClassVar[bool] = False  # attach the plan's results report when started

    def defaults(self, *, agency: Agency, plan=None, assessment=None) -> dict:
        """Subject, text and closing pre-filled from the data, as agencies write them."""
        return {"subject": "", "body": "", "closing": "inform"}

    def drafted(self, *, agency: Agency, plan=None, assessment=None) -> dict:
        """:meth:`defaults` with every text in the agency's digits: the specs join Thai wording ("รอบ ๖ เดือน") to
        figures from the data (a year, a score), and the draft was stored half in each ("ปีงบประมาณ 2570 (รอบ ๖
        เดือน)"), on the memo, its PDF and the public OIT page alike."""
        from ita_tracker.thai import arabic_digits, thai_digits

        in_digits = thai_digits if agency.use_thai_digits else arabic_digits
        return {
            key: in_digits(value) if isinstance(value, str) else value
            for key, value in self.defaults(agency=agency, plan=plan, assessment=assessment).items()
        }

    def as_of(self, plan) -> date | None:
        """The date its data is read at, when the author leaves it blank."""
        return None

    def check_submit(self, memo: Memo) -> str | None:
        """Why the memo may not go out yet (a Thai message naming what to fix), or ``None``. Asked by
        ``reports.workflow.memo_transition`` at submit and resubmit, inside its transaction."""
        return None

    def missing_source(self, *, plan=None, assessment=None) -> tuple[str, str] | None:
        """(field, Thai message) when the memo lacks what it is drawn from."""
        if self.source == "plan" and plan is None:
            return "plan", str(SOURCES["plan"])
        if self.source == "assessment" and assessment is None:
            return "assessment", str(SOURCES["assessment"])
        return None
