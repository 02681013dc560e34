"""Filters for official documents: digits and dates follow the agency's setting (Thai digits unless the
agency prefers Arabic ones), whatever the language of the screen."""

import re

from django import template
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ita_tracker.thai import format_date, thai_digits
from reports import kinds
from reports.documents.base import fitted_widths

register = template.Library()


def _style(memo) -> str:
    agency = getattr(memo, "agency", None)
    return "thai" if agency is None or agency.use_thai_digits else "arabic"


@register.filter
def memo_digits(value, memo):
    if value is None:
        return ""
    return thai_digits(value) if _style(memo) == "thai" else str(value)


# "พ.ศ. ๒๕๖๘" is one term: a line never ends on "พ.ศ." with its year on the next (seed 003's subject wraps
# before "พ.ศ. ๒๕๖๘", not inside it). So is "ประจำปีงบประมาณ ๒๕๖๔": seed 000's subject wraps before it, where
# the line breaker would split "ประจำ | ปีงบประมาณ".
_ERA_YEAR = re.compile(r"((?:ประจำ)?ปีงบประมาณ (?:พ\.ศ\. )?[0-9๐-๙]{4}|(?:พ\.ศ\.|ค\.ศ\.) [0-9๐-๙]{4})")


@register.filter
def era_together(text):
    """The text, escaped, with each era and its year, and each fiscal year, kept on one line."""
    return mark_safe(_ERA_YEAR.sub(r'<span class="nowrap">\1</span>', escape(text or "")))


def _thai_long(value, memo, style: str) -> str:
    if value is None or value == "":
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value).date()
    with translation.override("th"):  # documents are Thai whatever the screen language
        return format_date(value, style, digits=_style(memo))


@register.filter
def memo_date(value, memo):
    """ "๓ พฤษภาคม ๒๕๖๔", as the วันที่ line of a memo."""
    return _thai_long(value, memo, "long")


@register.filter
def memo_date_short(value, memo):
    """ "๕ พ.ค. ๖๔", as comment blocks date a signature."""
    return _thai_long(value, memo, "short")


@register.filter
def memo_time(value, memo):
    """ "เวลา ๑๔.๓๐ น.", as the time beside a typed-name signature."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return memo_digits(f"เวลา {local:%H.%M} น.", memo)


@register.filter
def identity_label(step) -> str:
    """The mark under a decision that was signed by typing a name in the system (ระเบียบงานสารบรรณ ฉบับที่ ๔)."""
    if step.identity_method == "totp":
        return "ลงนามอิเล็กทรอนิกส์ ยืนยันตัวตนแล้ว (TOTP)"
    if step.identity_method == "recovery":
        return "ลงนามอิเล็กทรอนิกส์ ยืนยันตัวตนแล้ว (รหัสกู้คืน)"
    return "ลงนามอิเล็กทรอนิกส์ ไม่ได้ยืนยันตัวตน"


@register.filter
def memo_flow(text, paper):
    """The memo's text with its sections: a paragraph that is only a section's key in braces ("{plan_table}")
    prints that section there, as seed 000 puts its plan table after "มีรายละเอียดดังนี้" and its progress
    table after the next paragraph; sections not placed follow the text. Items: ("text", paragraph) or
    ("part", part)."""
    parts = {part.section.key: part for part in paper.body_parts}
    placed, flow = set(), []
    for line in paragraphs(text):
        key = line[1:-1] if line.startswith("{") and line.endswith("}") else None
        if key in parts and key not in placed:
            placed.add(key)
            flow.append(("part", parts[key]))
        elif key is None or kinds.section(key) is None:  # a section with nothing to show prints nothing
            flow.append(("text", line))
    flow += [("part", part) for key, part in parts.items() if key not in placed]
    return flow


@register.filter
def paragraphs(text):
    """The paragraphs of a text field: one per non-empty line."""
    if not text:
        return []
    return [line.strip() for line in str(text).splitlines() if line.strip()]


@register.filter
def decided_steps(steps):
    """The levels of the route that have decided, in order (the sign-off page of a memo sent "ผ่าน")."""
    return [step for step in steps if step.decided_at]


def _same_monitoring(rows) -> list[bool]:
    """For each row of the plan table, whether its monitoring text is the row above's: seed 000 prints a text its
    measures share once, in a cell merged down the rows below (not in every row)."""
    texts = [str(row.get("monitoring") or "").strip() for row in rows]
    return [bool(text) and i > 0 and text == texts[i - 1] for i, text in enumerate(texts)]


@register.filter
def monitoring_rows(rows) -> list[tuple[dict, bool, bool]]:
    """The plan table's rows, each with whether its monitoring cell is left blank, joined to the one above
    (``same-above``, its top border hidden: one merged cell that still breaks across pages), and whether it is
    the last cell of that merged cell (the text repeated at a page's top is clipped there: reports.pdfrepeat)."""
    rows = list(rows)
    same = _same_monitoring(rows)
    last = [s and (i + 1 == len(same) or not same[i + 1]) for i, s in enumerate(same)]
    return list(zip(rows, same, last, strict=True))


# The plan table's columns (the row keys, in the order of its headers), the minimum width (per cent) of those
# that wrap (the monitoring column's keeps its header "การกำกับติดตาม" on one line, however little it holds), and
# the period's own width: it never wraps ("ต.ค. ๖๓ – ก.ย. ๖๔").
PLAN_TABLE_COLUMNS = ("title", "steps", "responsible", "period", "monitoring")
PLAN_TABLE_MINIMUMS = {"title": 20.0, "steps": 20.0, "responsible": 17.0, "monitoring": 15.0}
PLAN_TABLE_PERIOD = 16.0


def _fitted(chars: dict[str, int], minimums: dict[str, float], room: float) -> dict[str, float]:
    """Shares of ``room`` (per cent of the table) growing with each column's text, never below a minimum: the
    plan document's widths (``fitted_widths``, its minimums held) within what the fixed period column leaves."""
    shares = fitted_widths(chars, {key: 100 * minimum / room for key, minimum in minimums.items()}, strict=True)
    return {key: float(share.rstrip("%")) * room / 100 for key, share in shares.items()}


@register.filter
def plan_table_head(data) -> list[tuple[str, str]]:
    """The plan table's headers with column widths fitted to what the columns hold, as the plan document's are:
    equal widths wrapped seed 000's measures and steps into narrow columns (six pages where five do)."""
    columns = data.get("columns", [])
    if len(columns) != len(PLAN_TABLE_COLUMNS):  # a table frozen with other columns keeps equal widths
        return [(column, "") for column in columns]
    chars = dict.fromkeys(PLAN_TABLE_MINIMUMS, 0)
    rows = data.get("rows", [])
    for row, same in zip(rows, _same_monitoring(rows), strict=True):
        for key in chars:
            value = "" if key == "monitoring" and same else row.get(key) or ""  # a merged cell's text counts once
            chars[key] += sum(len(str(v)) for v in value) if isinstance(value, list) else len(str(value))
    widths = _fitted(chars, PLAN_TABLE_MINIMUMS, 100 - PLAN_TABLE_PERIOD)
    widths["period"] = PLAN_TABLE_PERIOD
    return [(column, f"{widths[key]:.1f}%") for column, key in zip(columns, PLAN_TABLE_COLUMNS, strict=True)]
