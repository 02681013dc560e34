"""A merged cell's text printed again at the top of each page its table continues on.

Why: seed 000's plan table prints a monitoring text its measures share once, in a cell merged down the rows below
(our ``same-above`` cells: empty, their top border hidden). Where the table runs over a page the seed prints the
text again in the first row of the new page; ours left that cell empty, so page 2 did not say how its measures
are monitored. Where a page breaks is only known once the document is laid out, and laying it out again with
the text filled in would double a memo's time (``bench/README.md``).

How: the template puts the shared text into every ``same-above`` cell of the paper, in an element of class
:data:`CLASS`, positioned absolutely (it takes no room, so no row grows and pages break as before) and
``visibility: hidden`` (laid out, not drawn: no ink, nothing in the text layer). After layout, in the first body
row of each page, such elements are made visible; nothing is laid out again. A cell whose text is taller than
its row clips it (``overflow: hidden``) when the next row's cell is not part of the same merged cell.

Pin: this reads WeasyPrint's laid-out boxes (``Document.pages[i]._page_box``, ``AbsolutePlaceholder._box``) and
sets a copy of their computed style, as :mod:`reports.pdfrows` reads them; :mod:`reports.pdftext` refuses any
WeasyPrint but the pinned one, and the tests check the repeated text on the printed page.
"""

from __future__ import annotations

from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder

CLASS = "repeat-at-page-top"


def _first_body_rows(box, out: list) -> list:
    """The first body row of each table row group laid out on a page (header and footer groups left out)."""
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TableRowGroupBox):
            if not (child.is_header or child.is_footer):
                row = next((r for r in child.children if isinstance(r, boxes.TableRowBox)), None)
                if row is not None:
                    out.append(row)
        else:
            _first_body_rows(child, out)
    return out


def _shown(box) -> None:
    """``box`` and all it holds drawn: each gets its own copy of its style (computed styles are shared between
    boxes that cascade alike, so setting it in place would show every hidden copy of the text)."""
    for inner in box.descendants():
        inner.style = inner.style.copy()
        inner.style["visibility"] = "visible"


def _repeats(box, out: list) -> list:
    for child in getattr(box, "children", ()):
        if isinstance(child, AbsolutePlaceholder):
            child = child._box
        if child.element is not None and CLASS in (child.element.get("class") or "").split():
            out.append(child)
        else:
            _repeats(child, out)
    return out


def show_at_page_tops(document) -> int:
    """Make the hidden repeats in the first body row of each page visible; how many were shown."""
    shown = 0
    for page in document.pages:
        for row in _first_body_rows(page._page_box, []):
            for box in _repeats(row, []):
                _shown(box)
                shown += 1
    return shown
