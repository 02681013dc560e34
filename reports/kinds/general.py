"""A general memo (บันทึกข้อความทั่วไป): the author writes the subject and text; documents may be attached."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from reports.kinds.base import MemoKind


class GeneralMemo(MemoKind):
    key = "free"
    label = _("บันทึกข้อความทั่วไป")
    sections = ("attachments",)


KINDS = (GeneralMemo(),)
