"""What every document shares: the print font, the Thai-digit setting, PDF through WeasyPrint (with the
text-layer fix) from a print template, and a workbook from the same gathered rows through the foundation's
workbook base (``ita_tracker.xlsx``: Thai font, print setup, BE dates, text never a formula)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from ita_tracker.thai import digit_style
from ita_tracker.xlsx import Sheet, print_font, workbook_bytes

__all__ = ["Document", "print_css_context", "print_font"]


def print_css_context() -> dict:
    font = print_font()
    return {
        "font_family": font.family,
        "pt29": font.pt(29),
        "pt20": font.pt(20),
        "pt16": font.pt(16),
        "pt14": font.pt(14),
        "pt12": font.pt(12),
        "line16": font.pt(16 * 1.3),
    }


# ---------------------------------------------------------------- the document


class Document:
    """Subclasses set ``template`` (the print template) and ``slug``, implement ``gather()`` (all queries,
    once) and ``sheets()``; ``context()`` adds what the template needs."""

    template: str = ""
    slug: str = "document"

    def __init__(self) -> None:
        self._gathered = False

    @property
    def agency(self):
        raise NotImplementedError

    def gather(self) -> None:
        raise NotImplementedError

    def ensure(self) -> None:
        if not self._gathered:
            self.gather()
            self._gathered = True

    def context(self) -> dict:
        return {}

    def sheets(self) -> list[Sheet]:
        raise NotImplementedError

    @property
    def digits(self) -> str:
        return "thai" if self.agency is None or self.agency.use_thai_digits else "arabic"

    def filename(self, extension: str) -> str:
        return f"{self.slug}.{extension}"

    def render_html(self) -> str:
        self.ensure()
        # Documents are Thai whatever the language of the screen that asked for them.
        with translation.override("th"), digit_style(self.digits):
            return render_to_string(self.template, {**print_css_context(), **self.context(), "document": self})

    def render_pdf(self) -> bytes:
        from reports import pdftext

        return pdftext.render_pdf(self.render_html())

    def render_xlsx(self) -> bytes:
        self.ensure()
        with translation.override("th"):
            return workbook_bytes(self.sheets())
