"""Filters of the annual documents' print templates (reports/templates/reports/pdf)."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from ita_tracker import thai
from reports.documents.base import header_words, letters

register = template.Library()


@register.filter
def exact_period(start, end=None) -> str:
    """ "๑ ต.ค. ๒๕๖๖ – ๓๑ มี.ค. ๒๕๖๗": a step's own dates, to the day (seed 004 prints them so)."""
    dates = [thai.format_date(d, "abbr") for d in (start, end) if d]
    if len(dates) == 2 and start == end:
        return dates[0]
    return " – ".join(dates)


@register.filter
def lines(text) -> list[str]:
    """The non-empty lines of a text, for a cell or a list."""
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


@register.filter
def step_owner(step) -> str:
    """Who does a step: the sub-unit as written ("สำนักปลัดเทศบาล งานธุรการ"), else the division."""
    if step.owner:
        return step.owner
    return step.department.name if step.department_id else ""


@register.filter
def distinct_owners(steps) -> list[str]:
    out: list[str] = []
    for step in steps:
        owner = step_owner(step)
        if owner and owner not in out:
            out.append(owner)
    return out


@register.filter
def header_html(header) -> str:
    """A table header whose words break only where ``base.header_words`` lets them (a zero-width space
    between unbroken pieces): the line breaker cut "ผู้รับผิดชอบ" into "ผู้ / รับผิดชอบ" in a narrow column.
    Only a piece the line breaker could cut is held in a span: the memos print their tables' headers so, and
    each span is one more box to lay out on every page the header repeats (and one more place for the text
    layer to misplace a mark: "มาตรการที่จะใช้", one span a word, was read back "มาตรการทีจ่ะใช้")."""
    words = []
    for pieces in header_words(header):
        spans = [
            format_html('<span class="nowrap">{}</span>', p) if thai.break_points(p) else escape(p) for p in pieces
        ]
        words.append("\u200b".join(spans))
    return mark_safe(" ".join(words))  # each piece is escaped by format_html


# "ประจำปีงบประมาณ พ.ศ. ๒๕๖๗", "พ.ศ. ๒๕๖๗", "ปีงบประมาณ ๒๕๖๔": a year is never left alone on a line.
_YEAR = re.compile(r"(?:ประจำปีงบประมาณ|ปีงบประมาณ)?\s*(?:พ\.ศ\.)?\s*[0-9๐-๙]{4}")
TAIL_LETTERS = 12


@register.filter
def title_html(line) -> str:
    """A title line that does not end with a word or a year alone on its last line: "ประจำปีงบประมาณ พ.ศ.
    ๒๕๖๗" is kept unbroken, and a line ending otherwise keeps its last two words together (บางปู's plan ended
    "…ให้ดี / ขึ้น"). Thai words have no spaces between them: Pango's line breaker says where they end."""
    text = str(line or "")
    year = next(reversed(list(_YEAR.finditer(text))), None)
    if year is not None and year.group().strip() and year.end() == len(text.rstrip()):
        cut = year.start() + len(year.group()) - len(year.group().lstrip())
    else:
        breaks = thai.break_points(text)
        cut = breaks[-2] if len(breaks) >= 2 else (breaks[-1] if breaks else 0)
        if letters(text[cut:]) > TAIL_LETTERS:
            cut = breaks[-1] if breaks and letters(text[breaks[-1] :]) <= TAIL_LETTERS else len(text)
    head, tail = text[:cut], text[cut:].strip()
    if not tail:
        return escape(text)
    return format_html('{}<span class="nowrap">{}</span>', head, tail.replace(" ", "\xa0"))
