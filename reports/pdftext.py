"""A correct text layer for Thai in WeasyPrint's PDFs.

Why: WeasyPrint 70 prints Thai right but its text layer is wrong. Its ToUnicode CMap maps each glyph id to
the characters of the first cluster the glyph was seen in ("first occurrence wins"). HarfBuzz draws ำ as
NIKHAHIT + the glyph of า, so after the first ำ every า extracts as ำ ("สำนักปลัดเทศบำล"); a tone mark first
seen in "้ำ" vanishes elsewhere (น้ำ → นำ); marks drawn at an offset bring false spaces ("ประจำปี งบ").
Search in e-saraban systems, copy/paste and screen readers all read that layer. WeasyPrint issue #2841.

How: install() replaces WeasyPrint's line-drawing function (weasyprint.draw.text.draw_first_line) by a copy
that (1) maps each glyph to its own character only (from the font's cmap, or from the glyph name for
contextual forms such as "uni0E49.low"); (2) wraps a base letter and its marks in a marked-content span
``/Span <</ActualText <FEFF…>>> BDC … EMC`` when their glyphs do not spell the text one-to-one or a mark is
drawn at an offset; (3) moves the trailing adjustment of a span's last glyph into character spacing (Tc):
poppler ends a span at its last glyph's advance and would see a gap, hence a false space, after a mark.
What paints is unchanged (TJ arrays are only split at span edges), so pages render pixel-identical.

Pin: the copy is only right for the WeasyPrint it was made from (requirements.txt pins it). install()
refuses to run, loudly, when the version or the replaced function's source differs.
"""

import hashlib
import importlib
import inspect
from functools import lru_cache
from io import BytesIO
from xml.etree import ElementTree

import weasyprint
from fontTools import agl
from fontTools.ttLib import TTFont
from PIL import Image
from weasyprint.draw.text import get_last_word_end
from weasyprint.images import RasterImage, SVGImage
from weasyprint.logger import LOGGER
from weasyprint.text.ffi import FROM_UNITS, TO_UNITS, ffi, pango
from weasyprint.text.fonts import get_hb_object_data

SUPPORTED_WEASYPRINT = "70.0"

# sha256 of inspect.getsource() of each function replaced, as shipped in WeasyPrint 70.0.
FINGERPRINTS = {
    "weasyprint.draw.text.draw_first_line": "1bb8eae6d88e71b17096a034656f3be17da8f1f513c78536c1c38d971927638b",
    # wrapped (not copied) by reports.pdfimages, which relies on what it returns
    "weasyprint.images.RasterImage._get_png_data": "da00cfefb979545130b958c5437c8ac62be7dfe939261f9a8196a8a6c5e899c2",
}

_PANGO_GLYPH_EMPTY = pango.PANGO_GLYPH_EMPTY
_PANGO_GLYPH_UNKNOWN_FLAG = pango.PANGO_GLYPH_UNKNOWN_FLAG
_installed = False


def pin_problems() -> list[str]:
    """Why the copy below cannot be installed on the WeasyPrint that is here, or nothing. Read by
    :func:`install` (at the first PDF) and by the system check ``reports.E001`` (``manage.py check --deploy``),
    so a wrong WeasyPrint is found at deployment rather than by the first person who prints a memo."""
    if weasyprint.__version__ != SUPPORTED_WEASYPRINT:
        return [
            f"reports.pdftext supports WeasyPrint {SUPPORTED_WEASYPRINT} only, but WeasyPrint "
            f"{weasyprint.__version__} is installed. It replaces WeasyPrint's internal "
            "weasyprint.draw.text.draw_first_line to fix the PDF text layer for Thai. Either pin "
            f"weasyprint=={SUPPORTED_WEASYPRINT} again, or port reports/pdftext.py to the new version (diff the new "
            "draw_first_line against this copy, then update SUPPORTED_WEASYPRINT and FINGERPRINTS) and rerun "
            "tests/reports/test_pdftext.py."
        ]
    from reports import pdfimages

    problems = []
    for dotted, expected in FINGERPRINTS.items():
        function = _resolve(dotted)
        if function is draw_first_line:
            continue  # installed already
        if function is pdfimages._get_png_data:
            function = pdfimages._weasyprint_get_png_data  # installed already: check what it wraps
        try:
            found = hashlib.sha256(inspect.getsource(function).encode()).hexdigest()
        except (OSError, TypeError):
            found = "unavailable"
        if found != expected:
            problems.append(
                f"reports.pdftext refuses to patch WeasyPrint {weasyprint.__version__}: the source of {dotted} is "
                f"not the one this fix was written for (sha256 {found}, expected {expected}). WeasyPrint was "
                "modified or already patched. Compare it with the copy in reports/pdftext.py, port the fix, "
                "update FINGERPRINTS and rerun tests/reports/test_pdftext.py."
            )
    return problems


def _resolve(dotted: str):
    """The object at a dotted path whose tail may be attributes of a class (``module.Class.method``)."""
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            found = getattr(found, name)
        return found
    raise ImportError(dotted)


def install() -> None:
    """Patch WeasyPrint so that every PDF written afterwards has a correct text layer. Idempotent."""
    global _installed
    if _installed:
        return
    problems = pin_problems()
    if problems:
        raise RuntimeError(problems[0])
    weasyprint.draw.text.draw_first_line = draw_first_line
    from reports import pdfborders, pdfimages  # speed fixes: dotted guide lines, images encoded once

    pdfborders.install()
    pdfimages.install()
    _installed = True


def render_pdf(html: str, *, base_url: str | None = None, stylesheets=None) -> bytes:
    """Render ``html`` to PDF bytes with the text-layer fix installed (and a merged cell's text shown again at
    the top of each page its table continues on: :mod:`reports.pdfrepeat`)."""
    install()
    document = PrintHTML(string=html, base_url=base_url).render(stylesheets=stylesheets)
    finish_layout(document, html)
    return document.write_pdf()


def finish_layout(document, html: str) -> None:
    """What is decided once pages are laid out, before they are drawn."""
    from reports import pdfrepeat

    if pdfrepeat.CLASS in html:  # a walk through the boxes only for the documents that need it
        pdfrepeat.show_at_page_tops(document)


# --- The user-agent stylesheet of our documents ------------------------------------------------------------------
# WeasyPrint's own (html5_ua.css) less its footnote and note rules (``::footnote-call``, ``::note-marker``,
# ``@footnote``…): styles for those pseudo-elements were worked out for every element of every document, about
# 3 % of a memo's work (bench/README.md), for features no print template uses (a footnote needs
# ``float: footnote``). Everything else is WeasyPrint's, read from its file, so the rest stays in step with the
# pinned version; a template that wants footnotes must put these rules back.
WITHOUT_RULES = ("::footnote-", "::note-", "@footnote", "@note-area")


@lru_cache(maxsize=1)
def print_ua_stylesheet() -> weasyprint.CSS:
    from weasyprint.css.counters import CounterStyle
    from weasyprint.html import UA

    kept = [line for line in UA.splitlines() if not line.lstrip().startswith(WITHOUT_RULES)]
    # Its @counter-style rules go to a throwaway registry: WeasyPrint's (UA_COUNTER_STYLE, which documents use)
    # has them already, from the same lines, and would warn of each one defined twice.
    return weasyprint.CSS(string="\n".join(kept), counter_style=CounterStyle())


class PrintHTML(weasyprint.HTML):
    def _ua_stylesheets(self, forms=False):
        from weasyprint.html import UA_FORM_STYLESHEET

        return [print_ua_stylesheet(), *([UA_FORM_STYLESHEET] if forms else [])]


# --- Which character is a glyph's own ------------------------------------------------------------------------


def _is_pua(text):
    return any(0xE000 <= ord(char) <= 0xF8FF for char in text)


@lru_cache(maxsize=32)
def _own_text_by_glyph(file_content: bytes, index: int) -> dict[int, tuple[str, bytes]]:
    """Map glyph id → the text that glyph stands for on its own (and its UTF-8), for one font file.

    From the cmap (lowest non-private-use code point when several share a glyph: space before no-break
    space), else from the glyph name: contextual forms have no code point of their own, or only a legacy
    private-use one (Laksaman's uni0E49.low is U+F70B), but are named after their character.
    """
    try:
        font = TTFont(BytesIO(file_content), fontNumber=index, lazy=True)
        cmap = font.getBestCmap() or {}
        glyph_ids = font.getReverseGlyphMap()
    except Exception:  # An unreadable font only loses the one-to-one mapping: every cluster gets a span.
        return {}
    text_by_name = {}
    for code_point, name in sorted(cmap.items()):
        if name not in text_by_name or _is_pua(text_by_name[name]):
            text_by_name[name] = chr(code_point)
    own = {}
    for name, glyph_id in glyph_ids.items():
        text = text_by_name.get(name)
        if text is None or _is_pua(text):
            base = name.split(".", 1)[0]
            named = text_by_name.get(base) or agl.toUnicode(name)
            text = named if named and not _is_pua(named) else None
        if text is not None:
            own[glyph_id] = text, text.encode()
    return own


def _span_property_list(text):
    return b"<</ActualText <feff" + text.encode("utf-16-be").hex().encode() + b">>>"


def _close(stream, string):
    """Close the glyph string being built, show it if not empty, and start a new one (as WeasyPrint does)."""
    string = string[:-1] if string[-1] == "<" else string + ">"
    if string:
        stream.show_text(string)
    return "<"


def _spans(font, own_text, glyphs, clusters, text, rtl):
    """Fill ``font.to_unicode`` for a run's glyphs; return its spans as {first glyph: (end glyph, text)}.

    ``glyphs`` are (id, width, x_offset, y_offset) tuples, ``clusters`` their byte offsets in ``text``, the
    run's UTF-8 text. A unit is a cluster and the clusters that follow it whose first glyph does not advance
    (marks, and ำ drawn as NIKHAHIT + SARA AA). It needs a span when its glyphs do not spell its text one to
    one, or when one is drawn at an offset. Right-to-left runs are in visual order, with marks before their
    base: each cluster is a unit there.
    """
    spans = {}
    to_unicode = font.to_unicode
    count = len(glyphs)
    i = 0
    while i < count:
        # Gather the unit glyphs[i:end], text[start:stop].
        start, end = clusters[i], i + 1
        while end < count and (
            clusters[end] == clusters[end - 1]
            or (not rtl and glyphs[end][1] == 0 and glyphs[end][0] != _PANGO_GLYPH_EMPTY)
        ):
            end += 1
        if rtl:
            stop = clusters[i - 1] if i else len(text)
        else:
            stop = clusters[end] if end < count else len(text)
        if end == i + 1:  # Most units: one glyph, its own character, no offset.
            glyph_id, _, x_offset, y_offset = glyphs[i]
            own = own_text.get(glyph_id)
            if own and own[1] == text[start:stop] and not x_offset and not y_offset:
                to_unicode.setdefault(glyph_id, own[0])
                i = end
                continue
        unit = glyphs[i:end]
        unit_text = text[start:stop].decode()
        if all(glyph_id == _PANGO_GLYPH_EMPTY for glyph_id, _, _, _ in unit):
            i = end
            continue  # Default-ignorable characters, not drawn: no text, as in WeasyPrint.
        owns = [
            chr(glyph_id - _PANGO_GLYPH_UNKNOWN_FLAG)
            if glyph_id & _PANGO_GLYPH_UNKNOWN_FLAG
            else ""
            if glyph_id == _PANGO_GLYPH_EMPTY
            else own_text.get(glyph_id, (None,))[0]
            for glyph_id, _, _, _ in unit
        ]
        if None in owns or "".join(owns) != unit_text or any(x or y for _, _, x, y in unit):
            spans[i] = end, unit_text
        # ToUnicode: each glyph maps to its own text. A glyph without one (no code point, no usable name)
        # gets the unit's text if it is its only glyph, its character if the unit has one glyph per
        # character, else nothing: the span gives extractors the text anyway. Missing glyphs are mapped
        # when drawn (they get another id); empty ones are not drawn.
        for k, ((glyph_id, _, _, _), own) in enumerate(zip(unit, owns, strict=True)):
            if not glyph_id & _PANGO_GLYPH_UNKNOWN_FLAG and glyph_id != _PANGO_GLYPH_EMPTY:
                if own is None:
                    own = unit_text if len(unit) == 1 else unit_text[k] if len(unit) == len(unit_text) else ""
                to_unicode.setdefault(glyph_id, own)
        i = end
    return spans


# --- The replacement of weasyprint.draw.text.draw_first_line -----------------------------------------------
# A copy of WeasyPrint 70.0's function; what differs is marked "pdftext:".


def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):  # noqa: C901 (WeasyPrint's, kept as copied to diff)
    """Draw the given ``textbox`` line to the document ``stream``."""
    # Don’t draw lines with only invisible characters.
    if not textbox.text.strip():
        return []

    if textbox.style["font_size"] < 1e-6:  # default float precision used by pydyf
        return []

    pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)

    if text_overflow == "ellipsis" or block_ellipsis != "none":
        assert textbox.pango_layout.max_width is not None
        max_width = textbox.pango_layout.max_width
        pango.pango_layout_set_width(textbox.pango_layout.layout, int(max_width * TO_UNITS))
        if text_overflow == "ellipsis":
            pango.pango_layout_set_ellipsize(textbox.pango_layout.layout, pango.PANGO_ELLIPSIZE_END)
        else:
            if block_ellipsis == "auto":
                ellipsis = "…"
            else:
                assert block_ellipsis[0] == "string"
                ellipsis = block_ellipsis[1]

            # Remove last word if hyphenated.
            new_text = textbox.pango_layout.text
            if new_text.endswith(textbox.style["hyphenate_character"]):
                last_word_end = get_last_word_end(
                    new_text[: -len(textbox.style["hyphenate_character"])], textbox.style["lang"]
                )
                if last_word_end:
                    new_text = new_text[:last_word_end]

            textbox.pango_layout.set_text(new_text + ellipsis)

    first_line, index = textbox.pango_layout.get_first_line()

    if block_ellipsis != "none":
        while index:
            last_word_end = get_last_word_end(textbox.pango_layout.text[: -len(ellipsis)], textbox.style["lang"])
            if last_word_end is None:
                break
            new_text = textbox.pango_layout.text[:last_word_end]
            textbox.pango_layout.set_text(new_text + ellipsis)
            first_line, index = textbox.pango_layout.get_first_line()

    stream.set_text_matrix(*matrix.values)
    previous_pango_font = None
    string = ""
    x_advance = 0
    emojis = []
    utf8_text = textbox.pango_layout.text.encode()  # pdftext: encoded once per line, not per run.
    run = first_line.runs[0]
    while run != ffi.NULL:
        # Get Pango objects.
        glyph_item = run.data
        run = run.next
        glyph_string = glyph_item.glyphs
        glyphs_info = glyph_string.glyphs
        num_glyphs = glyph_string.num_glyphs
        clusters = glyph_string.log_clusters

        pango_font = glyph_item.item.analysis.font
        if pango_font != previous_pango_font:
            # Add font file content and get font size.
            previous_pango_font = pango_font
            font, font_size = stream.add_font(pango_font)

            # Workaround for https://gitlab.gnome.org/GNOME/pango/-/issues/530.
            # This is also needed by raster emoji fonts, see #2800.
            if pango.pango_version() < 14802 or font.png:
                font_size = textbox.style["font_size"]

            # Go through the run glyphs.
            if string:
                stream.show_text(string)
            string = ""
            stream.set_font_size(font.hash, 1 if font.bitmap else font_size)
            # pdftext: the size as written in the PDF, which scales TJ adjustments (see Tc below).
            pdf_font_size = float(f"{1 if font.bitmap else font_size:f}")
            own_text = _own_text_by_glyph(font.file_content, font.index)
        string += "<"

        # pdftext: read the glyphs once; map them to their own text and find the spans.
        glyphs = [
            (info.glyph, info.geometry.width, info.geometry.x_offset, info.geometry.y_offset)
            for info in glyphs_info[0:num_glyphs]
        ]
        offset = glyph_item.item.offset
        span_end = _spans(
            font,
            own_text,
            glyphs,
            ffi.unpack(clusters, num_glyphs),
            utf8_text[offset : offset + glyph_item.item.length],
            glyph_item.item.analysis.level % 2,
        )

        last_in_span = None
        for i, (glyph_id, width, x_offset, y_offset) in enumerate(glyphs):
            # pdftext: open the span before its first glyph.
            if i in span_end:
                string = _close(stream, string)
                end, text = span_end[i]
                stream.begin_marked_content("Span", _span_property_list(text))
                last_in_span = end - 1

            # Display zero-width empty glyph.
            if glyph_id == pango.PANGO_GLYPH_EMPTY:
                string += f">{-width / font_size}<"
                if i == last_in_span:
                    string = _close(stream, string)
                    stream.end_marked_content()
                    last_in_span = None
                continue

            # Display .notdef and log warning for missing glyphs.
            if glyph_id & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                codepoint = glyph_id - pango.PANGO_GLYPH_UNKNOWN_FLAG
                LOGGER.warning(
                    '.notdef glyph rendered for Unicode string unsupported by fonts: "%s" (U+%04X)',
                    chr(codepoint),
                    codepoint,
                )
                glyph_id = font.get_unused_glyph_id(codepoint)
                font.widths[glyph_id] = round(width * 1000 * FROM_UNITS / font_size)
                if 0 not in font.widths:
                    # "width" is actually Pango’s get_approximate_char_width. Force
                    # .notdef’s to use this width, even if it’s not the right, as we
                    # want to keep Pango’s layout for next glyphs.
                    font.widths[0] = font.widths[glyph_id]
                # pdftext: a missing glyph stands for its own character.
                font.to_unicode.setdefault(glyph_id, chr(codepoint))

            # Set horizontal and vertical offsets.
            offset_x = x_offset / font_size
            rise = y_offset / 1000

            # Get glyph logical widths.
            if glyph_id in font.widths:
                logical_width = font.widths[glyph_id]
            else:
                pango.pango_font_get_glyph_extents(pango_font, glyph_id, stream.ink_rect, stream.logical_rect)
                logical_width = font.widths[glyph_id] = round(
                    stream.logical_rect.width * 1000 * FROM_UNITS / font_size
                )

            # Set kerning, word spacing, letter spacing.
            kerning = logical_width + offset_x - width * 1000 * FROM_UNITS / font_size

            glyph_hex = f"{glyph_id:02x}" if font.bitmap else f"{glyph_id:04x}"
            # pdftext: the last glyph of a span takes its trailing adjustment as character spacing (Tc), so
            # that its advance, where poppler ends the span, reaches where the next glyph starts. The pen
            # moves by the same amount as with the TJ adjustment: nothing drawn moves.
            to_tc = i == last_in_span and kerning and int(kerning)
            if rise or to_tc:
                string = _close(stream, string)
                if rise:
                    stream.set_text_rise(-rise)
                if to_tc:
                    stream.stream.append(f"{-int(kerning) * pdf_font_size / 1000:.12f} Tc".encode())
                stream.show_text((f"{-offset_x}" if offset_x else "") + f"<{glyph_hex}>")
                if rise:
                    stream.set_text_rise(0)
                if to_tc:
                    stream.stream.append(b"0 Tc")
                string = "<"
            else:
                if offset_x:
                    string += f">{-offset_x}<"
                string += glyph_hex

            if kerning and not to_tc:
                string += f">{int(kerning)}<"

            # pdftext: close the span after its last glyph.
            if i == last_in_span:
                string = _close(stream, string)
                stream.end_marked_content()
                last_in_span = None

            # Create list of emojis.
            if font.svg:
                svg_data = get_hb_object_data(font.hb_face, "svg", glyph_id)
                if svg_data:
                    # Do as explained in specification
                    # https://learn.microsoft.com/typography/opentype/spec/svg
                    tree = ElementTree.fromstring(svg_data)
                    if tree.get("id") != f"glyph{glyph_id}":
                        defs = ElementTree.Element("defs")
                        for child in list(tree):
                            defs.append(child)
                            tree.remove(child)
                        tree.append(defs)
                        ElementTree.SubElement(tree, "use", attrib={"href": f"#glyph{glyph_id}"})
                    if "viewBox" not in tree.attrib:
                        tree.attrib["viewBox"] = f"0 0 {font.upem} {font.upem}"
                    image = SVGImage(tree, None, None, None)
                    a = d = 1
                    emojis.append([image, font, a, d, x_advance, 0])
            elif font.png:
                png_data = get_hb_object_data(font.hb_font, "png", glyph_id)
                if png_data:
                    pillow_image = Image.open(BytesIO(png_data))
                    image_id = f"{font.hash}{glyph_id}"
                    image = RasterImage(pillow_image, image_id, png_data)
                    d = logical_width / 1000
                    a = pillow_image.width / pillow_image.height * d
                    pango.pango_font_get_glyph_extents(pango_font, glyph_id, stream.ink_rect, stream.logical_rect)
                    f = -stream.logical_rect.y
                    f = f * FROM_UNITS / font_size - font_size
                    emojis.append([image, font, a, d, x_advance, f])
            elif font.colr:
                svg_data = get_hb_object_data(font.hb_font, "colr", glyph_id)
                if svg_data:
                    tree = ElementTree.fromstring(svg_data)
                    image = SVGImage(tree, None, None, None)
                    a = d = 1
                    e = x_advance - kerning
                    emojis.append([image, font, a, d, e, -textbox.baseline])

            x_advance += (logical_width + offset_x - kerning) / 1000

        # Close the last glyphs list, remove if empty.
        if string[-1] == "<":
            string = string[:-1]
        else:
            string += ">"

    # Draw text.
    stream.show_text(string)

    return emojis
