"""Table rows that may run over a page, but never leave a stub at the foot of one.

Why: the measure tables let a tall row run over a page (pushed whole, it left page 1 of satengnok's plan
three-quarters blank). WeasyPrint then breaks each cell where it can: a cell whose first paragraph does not
fit is left empty on the first page while its neighbours start there. ช่อระกา's results printed measure ๙'s
first step alone at the foot of page 3, its measure cell empty, right under measure ๘.

How: lay the document out; find each body row that starts on one page and ends on another with a cell that
has fewer than ``HEAD_LINES`` of its lines (or of all it holds, when it holds fewer) on the first page; keep
those rows whole (``break-inside: avoid``: a row taller than a page still breaks, at the top of the next
one) and lay out again, at most ``PASSES`` times, since a row moved down moves the rows after it.
"""

from __future__ import annotations

from weasyprint.formatting_structure import boxes

from reports import pdftext

HEAD_LINES = 2
PASSES = 4


def _lines(box) -> int:
    if isinstance(box, boxes.LineBox):
        return 1
    return sum(_lines(child) for child in getattr(box, "children", ()))


def _body_rows(box, out: list) -> list:
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TableRowGroupBox) and (child.is_header or child.is_footer):
            continue
        if isinstance(child, boxes.TableRowBox):
            out.append(child)
        else:
            _body_rows(child, out)
    return out


def stub_rows(document) -> list:
    """The elements of body rows whose part on the page where they start is a stub (see the module)."""
    fragments: dict = {}  # element -> [(page, [lines per cell])]
    for number, page in enumerate(document.pages):
        for row in _body_rows(page._page_box, []):
            fragments.setdefault(row.element, []).append((number, [_lines(cell) for cell in row.children]))
    stubs = []
    for element, parts in fragments.items():
        if len(parts) < 2:
            continue
        first = parts[0][1]
        totals = [sum(part[1][i] for part in parts if i < len(part[1])) for i in range(len(first))]
        if any(lines < min(HEAD_LINES, total) for lines, total in zip(first, totals, strict=True)):
            stubs.append(element)
    return stubs


def render_pdf(html: str) -> bytes:
    """``pdftext.render_pdf`` with no row left as a stub at the foot of a page."""
    pdftext.install()
    document_html = pdftext.PrintHTML(string=html)
    document = document_html.render()
    for _ in range(PASSES):
        stubs = stub_rows(document)
        if not stubs:
            break
        for element in stubs:
            element.set("style", f"{element.get('style') or ''}; break-inside: avoid".lstrip("; "))
        document = document_html.render()
    pdftext.finish_layout(document, html)
    return document.write_pdf()
