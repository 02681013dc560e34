"""Template filters over ``ita_tracker.thai``, registered as a template builtin.

Settings list this module in ``TEMPLATES[...]["OPTIONS"]["builtins"]``, so every template can
write ``{{ assessment.due|thai_date }}`` without ``{% load %}``.

A filter that raises takes the whole page (or PDF) down with it, and a half-filled record is
normal while an assessment is in progress; so every filter renders nothing for ``None`` or ``""``
and hands anything it cannot format back unchanged instead of raising.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import template
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from ita_tracker import thai

register = template.Library()

# What formatting an unexpected value can raise; anything else is a bug worth seeing.
_BAD_INPUT = (TypeError, ValueError, ArithmeticError)


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value == "")


@register.filter(is_safe=True)
def thai_digits(value: Any) -> Any:
    """Write any value with the digits of the moment: ``{{ count|thai_digits }}``.

    Thai digits in Thai (the default), Arabic ones in English or inside ``digit_style("arabic")`` (the
    documents of an agency that prefers Arabic digits); text typed with Thai digits is turned to Arabic there,
    and codes led by Latin letters (o42) keep theirs."""
    if _is_empty(value):
        return ""
    return thai.thai_digits(value) if thai.use_thai_digits() else thai.arabic_digits(value)


# What a message quotes of a person's own typing, between Thai quotation marks: “javascript:alert(1)”, a step's title.
_QUOTED = re.compile("(“[^”]*”)")


@register.filter(is_safe=True)
def error_digits(value: Any) -> Any:
    """An error message in the digits of the moment, except what it quotes of the person's own typing (between
    “ and ”), which stays as typed: “javascript:alert(1)” came back as “javascript:alert(๑)”, not what was typed."""
    if _is_empty(value):
        return ""
    return "".join(part if part.startswith("“") else thai_digits(part) for part in _QUOTED.split(str(value)))


@register.simple_tag
def page_digits() -> str:
    """``thai`` or ``arabic``: the digits of the page, for scripts that write numbers (the calendar, charts):
    ``<html data-digits="{% page_digits %}">``."""
    return "thai" if thai.use_thai_digits() else "arabic"


@register.filter
def chart_digits(spec: Any) -> Any:
    """A chart's data (``static/js/charts.js``) in the page's digits: ``{{ chart|chart_digits|json_script:"id" }}``.

    Labels (years, indicator numbers), titles and series names are written in the page's digits; ``locale`` tells
    Chart.js how to write the values on its axis and in its tooltips (``th-TH-u-nu-thai``: Thai digits). Applied
    when the page is drawn, so a chart kept in the cache serves pages of either language and digits."""
    if not isinstance(spec, dict):
        return spec
    thai_page = _page_is_thai()
    thai_digits_on = thai.use_thai_digits()
    out = dict(spec)
    for key in ("labels", "titles"):
        if key in spec:
            out[key] = [thai.local_digits(text) for text in spec[key]]
    if "datasets" in spec:
        out["datasets"] = [{**ds, "label": thai.local_digits(ds.get("label", ""))} for ds in spec["datasets"]]
    out["locale"] = ("th-TH-u-nu-thai" if thai_digits_on else "th-TH") if thai_page else "en-GB"
    return out


@register.filter
def be_year(value: Any) -> Any:
    """The BE year of a date, or of a CE year number: ``{{ d|be_year }}`` → 2564.

    Returns a number, not text, so it can be chained: ``{{ d|be_year|thai_digits }}``.
    """
    if _is_empty(value):
        return ""
    try:
        if isinstance(value, date):
            return thai.to_be(thai.local_date(value).year)
        if isinstance(value, bool):
            return value
        return thai.to_be(int(value))
    except _BAD_INPUT:
        return value


@register.filter
def thai_date(value: Any, style: str = "long") -> Any:
    """``{{ d|thai_date }}`` → ๓ พฤษภาคม ๒๕๖๔; ``{{ d|thai_date:"short" }}`` → ๓ พ.ค. ๖๔."""
    if _is_empty(value):
        return ""
    try:
        return thai.format_date(value, style)
    except _BAD_INPUT:
        return value


@register.filter
def thai_month_year(value: Any) -> Any:
    """``{{ d|thai_month_year }}`` → ต.ค. ๖๓."""
    if _is_empty(value):
        return ""
    try:
        return thai.format_month_year(value)
    except _BAD_INPUT:
        return value


@register.filter
def thai_period(start: Any, end: Any = None) -> Any:
    """``{{ start|thai_period:end }}`` → ต.ค. ๖๓ – ก.ย. ๖๔; either end may be missing."""
    start = None if _is_empty(start) else start
    end = None if _is_empty(end) else end
    try:
        return thai.format_period(start, end)
    except _BAD_INPUT:
        return "" if start is None else start


@register.filter
def fiscal_year(value: Any) -> Any:
    """The BE fiscal year a date falls in: ``{{ d|fiscal_year }}`` → 2567."""
    if _is_empty(value):
        return ""
    try:
        return thai.fiscal_year(value)
    except _BAD_INPUT:
        return value


@register.filter
def thai_number(value: Any, decimals: Any = 2) -> Any:
    """``{{ amount|thai_number }}`` → ๑๕,๖๔๒,๗๖๙.๕๕; ``{{ count|thai_number:0 }}`` → ๑,๒๓๔."""
    if _is_empty(value):
        return ""
    try:
        return thai.format_number(value, int(decimals))
    except _BAD_INPUT:
        return value


_THAI_SCRIPT = re.compile("[\u0e01-\u0e5b]")


def _page_is_thai() -> bool:
    return (translation.get_language() or "th").split("-")[0] == "th"


@register.filter(needs_autoescape=True)
def lang_th(value: Any, autoescape: bool = True) -> Any:
    """Thai data on a page in another language: ``{{ agency.name|lang_th }}`` → ``<span lang="th">…</span>``.

    A screen reader reads an English page with an English voice; without the mark it spells Thai names and
    measures out letter by letter. On Thai pages (``<html lang="th">``) and for text with no Thai letters the value
    is left as it is, escaped as usual."""
    if _is_empty(value):
        return ""
    text = conditional_escape(value) if autoescape else str(value)
    if _page_is_thai() or not _THAI_SCRIPT.search(str(value)):
        return text
    return mark_safe(f'<span lang="th">{text}</span>')


@register.simple_tag
def lang_th_attr() -> str:
    """`` lang="th"`` on an element that holds Thai data (a table cell, an ``<option>``), on non-Thai pages only:
    ``<td{% lang_th_attr %}>``. Where a ``<span>`` may not go, or a whole block is Thai."""
    return "" if _page_is_thai() else mark_safe(' lang="th"')
