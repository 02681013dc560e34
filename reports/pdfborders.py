"""The memo's dotted guide lines drawn as one stroked line each.

Why: WeasyPrint 70 draws a border that is dotted on some sides only (the guide line under ส่วนราชการ, ที่, วันที่,
เรื่อง and under each comment is a ``border-bottom``) dot by dot: a clipping path, then four Bézier curves per
dot, about 300 dots a line. That was some 900 dots, 3,500 curves and a content stream that zlib had to compress
on every memo: about 6 % of a 6-page memo's time (bench/documents_bench.py). WeasyPrint already draws a border that
is dotted on all four sides as one stroked line per side (round caps on a zero-length dash);
:func:`draw_border` does the same for a border dotted on the bottom only, and leaves every other border to
WeasyPrint. Dots stay 0.75 pt round, centred on the same line, spaced as WeasyPrint spaces them on four sides.

Pin: the wrapper replaces the name ``weasyprint.draw.draw_border`` (the one WeasyPrint's painting calls) and
relies on WeasyPrint's box attributes; :mod:`reports.pdftext` already refuses any WeasyPrint but the pinned one.
"""

from __future__ import annotations

import weasyprint.draw
from weasyprint.draw import border as _border
from weasyprint.draw.color import get_color

_installed = False
_weasyprint_draw_border = _border.draw_border


def _dotted_bottom_only(box):
    """The bottom border's width and colour when it is the box's only border and is dotted, else None."""
    style = box.style
    if (
        box.border_bottom_width <= 0
        or style["border_bottom_style"] != "dotted"
        or box.border_top_width
        or box.border_left_width
        or box.border_right_width
        or style["visibility"] != "visible"
        or style["border_image_source"][0] != "none"
        or style["column_width"] != "auto"
        or style["column_count"] != "auto"
    ):
        return None
    if any(rx or ry for rx, ry in box.rounded_border_box()[4:]):
        return None
    color = get_color(style, "border_bottom_color")
    if not color.alpha:
        return None
    return box.border_bottom_width, color


def draw_border(stream, box):
    found = _dotted_bottom_only(box)
    if found is None:
        _weasyprint_draw_border(stream, box)
        return
    width, color = found
    x, y, length, height = box.rounded_border_box()[:4]
    half = width / 2
    count = max(2, int(length // (2 * width)) + 1)  # a dot at each end, evenly spaced (as WeasyPrint's fast path)
    with stream.artifact(), stream.stacked():
        stream.set_color(color, stroke=True)
        stream.set_line_width(width)
        stream.set_line_cap(1)
        stream.set_dash([0, (length - width) / (count - 1)], 0)
        stream.move_to(x + half, y + height - half)
        stream.line_to(x + length - half, y + height - half)
        stream.stroke()


def install() -> None:
    """Idempotent; called with :func:`reports.pdftext.install`."""
    global _installed
    if not _installed:
        weasyprint.draw.draw_border = draw_border
        _installed = True
