"""Thai calendar, digits and numbers, shared by every app, template and document.

Thai government paperwork counts years in the Buddhist era (พ.ศ., CE + 543), runs its fiscal year
from 1 October to 30 September, and is often typeset with Thai digits (๐–๙). The database keeps
ordinary ``date`` values in CE; this module is the one place that converts them for people, and
parses what people type back into dates.

Nothing here touches the database. The only Django dependencies are the active language (Thai
text and digits for Thai, English otherwise) and the time zone used to turn aware datetimes into
local calendar dates.
"""

from __future__ import annotations

import contextvars
import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _

__all__ = [
    "BE_OFFSET",
    "THAI_MONTHS",
    "THAI_MONTHS_ABBR",
    "DigitStyle",
    "agency_digits",
    "arabic_digits",
    "digit_style",
    "fiscal_year",
    "fiscal_year_range",
    "format_date",
    "format_month_year",
    "format_number",
    "format_period",
    "half_year_end",
    "in_local_digits",
    "local_date",
    "local_digits",
    "parse_be_date",
    "thai_digits",
    "to_be",
    "to_ce",
    "use_thai_digits",
]

BE_OFFSET = 543

# Index 0 is empty so that ``THAI_MONTHS[d.month]`` reads naturally.
THAI_MONTHS: tuple[str, ...] = (
    "",
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_ABBR: tuple[str, ...] = (
    "",
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
# Hard-coded rather than taken from ``calendar``, whose names follow the process locale.
_ENGLISH_MONTHS: tuple[str, ...] = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_ENGLISH_MONTHS_ABBR: tuple[str, ...] = ("", *(name[:3] for name in _ENGLISH_MONTHS[1:]))

DigitStyle = Literal["thai", "arabic"]
_DIGIT_STYLES: tuple[str, ...] = ("thai", "arabic")

_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
# A code led by Latin letters (o42, e11, IIT1, A4) keeps its digits: "o๔๒" is no code anyone can look up.
_CODE_OR_DIGITS = re.compile(r"[A-Za-z][A-Za-z0-9_]*|[0-9]+")
_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

# Dates are entered as day/month/BE year; a plausible BE year keeps typing slips (and CE years)
# from becoming dates five centuries away.
_MIN_BE_YEAR = 2400
_MAX_BE_YEAR = 2700
_DMY_RE = re.compile(r"(?P<day>\d{1,2})(?P<sep>[/.\-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d+)")
_ISO_RE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})")

# ``None`` means "follow the active language"; see ``use_thai_digits``.
_digit_style: contextvars.ContextVar[DigitStyle | None] = contextvars.ContextVar("thai_digit_style", default=None)
# The choice of the agency a request works in (``agency_digits``): a bool, or a callable asked once, on first use,
# so that pages without a number never look the agency up. ``None`` outside requests.
_agency_choice: contextvars.ContextVar[list | None] = contextvars.ContextVar("thai_agency_digits", default=None)


def to_be(year_ce: int) -> int:
    """Convert a CE year to the Buddhist-era year Thai documents print."""
    return year_ce + BE_OFFSET


def to_ce(year_be: int) -> int:
    """Convert a Buddhist-era year back to the CE year ``date`` needs."""
    return year_be - BE_OFFSET


def thai_digits(value: object) -> str:
    """Render ``str(value)`` with Thai digits, leaving every other character alone, and the digits of codes
    led by Latin letters (``o42``, ``e11``) as they are."""
    return _CODE_OR_DIGITS.sub(
        lambda m: m.group().translate(_TO_THAI) if m.group()[0].isdigit() else m.group(), str(value)
    )


def local_digits(value: object) -> str:
    """``str(value)`` in the digits of the moment (``use_thai_digits``): for labels built in Python, such as a
    select's options, that templates do not format."""
    return thai_digits(value) if use_thai_digits() else arabic_digits(value)


def _in_local_digits(text: object) -> str:
    return local_digits(str(text))


# A lazy text (a label, a help text) whose digits follow the page where it is shown: the Thai source writes
# "รอบ ๖ เดือน", shown as "รอบ 6 เดือน" to an agency that chose Arabic digits. ``in_local_digits(_("…"))``.
in_local_digits = lazy(_in_local_digits, str)


def arabic_digits(text: str) -> str:
    """Turn Thai digits back into 0–9 so that typed or pasted Thai numbers can be parsed."""
    return str(text).translate(_TO_ARABIC)


def _check_style(style: str) -> None:
    if style not in _DIGIT_STYLES:
        raise ValueError(f"digit style must be 'thai' or 'arabic', not {style!r}")


@contextmanager
def digit_style(style: DigitStyle) -> Iterator[None]:
    """Force one digit style inside the block, whatever the language.

    Documents for an agency that prefers Arabic digits are rendered inside
    ``with digit_style("arabic"):``. A context variable (not a global) keeps concurrent requests
    and threads from seeing each other's choice, and nested blocks restore the outer style.
    """
    _check_style(style)
    token = _digit_style.set(style)
    try:
        yield
    finally:
        _digit_style.reset(token)


@contextmanager
def agency_digits(prefers_thai: bool | Callable[[], bool | None]) -> Iterator[None]:
    """Follow an agency's choice of digits inside the block: Thai pages use Thai digits only if the agency
    prefers them; English pages keep Arabic digits whatever it prefers.

    A request sets it to the agency the person works in (``agencies.middleware``), a public page of an agency to
    that agency. ``prefers_thai`` may be a callable, asked on the first number formatted (``None`` from it, as for
    a person with no agency, means Thai: the project's default). An enclosing ``digit_style`` still wins.
    """
    token = _agency_choice.set([prefers_thai])
    try:
        yield
    finally:
        _agency_choice.reset(token)


def _agency_prefers_thai() -> bool:
    holder = _agency_choice.get()
    if holder is None:
        return True
    choice = holder[0]
    if callable(choice):
        choice = holder[0] = choice()
    return choice is None or bool(choice)


def _language_is_thai() -> bool:
    # No active language happens outside requests (management commands with translations
    # deactivated); Thai is the project's language, so it is the fallback.
    language = get_language()
    return language is None or language.startswith("th")


def use_thai_digits() -> bool:
    """Whether formatting should use Thai digits when the caller does not say.

    An enclosing ``digit_style`` block wins; otherwise English pages get Arabic digits, and Thai pages Thai
    ones unless the agency of the request chose Arabic digits (``agency_digits``).
    """
    style = _digit_style.get()
    if style is not None:
        return style == "thai"
    return _language_is_thai() and _agency_prefers_thai()


def _apply_digits(text: str, digits: str | None) -> str:
    if digits is None:
        thai = use_thai_digits()
    else:
        _check_style(digits)
        thai = digits == "thai"
    return thai_digits(text) if thai else text


def local_date(value: date) -> date:
    """The calendar day of a date or datetime, as people in Thailand would name it.

    An aware datetime is a moment, not a day: 20:00 UTC on 2 May is already 3 May in the
    project's time zone (Asia/Bangkok), and documents must print 3 May.
    """
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date or datetime, not {type(value).__name__}")


def format_date(d: date, style: str = "long", digits: str | None = None) -> str:
    """Format a date the way Thai documents write it, or in English on English pages.

    Thai uses the BE year; English keeps the CE year so that English readers are not misled.

    Styles, for 3 May 2021:
        ``"long"``    ๓ พฤษภาคม ๒๕๖๔   /  3 May 2021
        ``"abbr"``    ๓ พ.ค. ๒๕๖๔      /  3 May 2021
        ``"short"``   ๓ พ.ค. ๖๔        /  3 May 21   (two-digit year, as in comment blocks)
        ``"numeric"`` ๓/๕/๒๕๖๔         /  3/5/2021   (day first in both languages)
    """
    d = local_date(d)
    if _language_is_thai():
        year = to_be(d.year)
        months, abbr = THAI_MONTHS, THAI_MONTHS_ABBR
    else:
        year = d.year
        months, abbr = _ENGLISH_MONTHS, _ENGLISH_MONTHS_ABBR
    if style == "long":
        text = f"{d.day} {months[d.month]} {year}"
    elif style == "abbr":
        text = f"{d.day} {abbr[d.month]} {year}"
    elif style == "short":
        text = f"{d.day} {abbr[d.month]} {year % 100:02d}"
    elif style == "numeric":
        text = f"{d.day}/{d.month}/{year}"
    else:
        raise ValueError(f"unknown date style {style!r}; use 'long', 'abbr', 'short' or 'numeric'")
    return _apply_digits(text, digits)


def format_month_year(d: date, digits: str | None = None) -> str:
    """Format a month as reports label it: ``ต.ค. ๖๓`` (``Oct 2020`` on English pages)."""
    d = local_date(d)
    if _language_is_thai():
        text = f"{THAI_MONTHS_ABBR[d.month]} {to_be(d.year) % 100:02d}"
    else:
        text = f"{_ENGLISH_MONTHS_ABBR[d.month]} {d.year}"
    return _apply_digits(text, digits)


def format_period(start: date | None, end: date | None, digits: str | None = None) -> str:
    """Format a reporting period by month: ``ต.ค. ๖๓ – ก.ย. ๖๔``.

    Periods are often open-ended while data is being entered, so a missing end shows only the
    start (and vice versa); a period inside one month is shown as that month alone.
    """
    if start is None:
        return "" if end is None else format_month_year(end, digits)
    if end is None:
        return format_month_year(start, digits)
    start, end = local_date(start), local_date(end)
    if (start.year, start.month) == (end.year, end.month):
        return format_month_year(start, digits)
    return f"{format_month_year(start, digits)} – {format_month_year(end, digits)}"


def fiscal_year(d: date) -> int:
    """The Thai government fiscal year (BE) that ``d`` falls in.

    It runs 1 October – 30 September and is named after the BE year in which it ends, so
    October–December already belong to the next year's number.
    """
    d = local_date(d)
    year_ce_end = d.year + 1 if d.month >= 10 else d.year
    return to_be(year_ce_end)


def fiscal_year_range(year_be: int) -> tuple[date, date]:
    """First and last day of fiscal year ``year_be``: 2567 → 1 Oct 2023 to 30 Sep 2024."""
    year_ce_end = to_ce(year_be)
    return date(year_ce_end - 1, 10, 1), date(year_ce_end, 9, 30)


def half_year_end(year_be: int) -> date:
    """The last day of the fiscal year's first half (31 March), when the 6-month round is due."""
    return date(to_ce(year_be), 3, 31)


def parse_be_date(text: str) -> date:
    """Parse a date typed by a person, with the year in BE.

    Accepts d/m/yyyy with ``/``, ``-`` or ``.`` between the parts (one separator throughout),
    Thai or Arabic digits, and ISO order ``yyyy-mm-dd`` with a BE year. Everything else raises
    ``ValueError`` with a Thai message that says what to fix, because the message goes straight
    to the person who typed it. Two-digit years are refused: ``64`` could be 2564 or 2464, and a
    CE year is refused rather than silently converted, since 2021 might be a typo for 2561 too.
    """
    raw = str(text).strip()
    if not raw:
        raise ValueError(_("กรุณาระบุวันที่"))
    cleaned = arabic_digits(raw)
    match = _DMY_RE.fullmatch(cleaned) or _ISO_RE.fullmatch(cleaned)
    if match is None:
        raise ValueError(_("รูปแบบวันที่ “%(text)s” ไม่ถูกต้อง กรุณาใช้ วัน/เดือน/ปี พ.ศ. เช่น 3/5/2564") % {"text": raw})
    year_text = match["year"]
    if len(year_text) != 4:
        if len(year_text) == 2:
            message = _("ปี “%(year)s” มีเพียง 2 หลัก ไม่ชัดเจนว่าเป็นปีใด กรุณาใส่ปี พ.ศ. 4 หลัก เช่น 2564")
        else:
            message = _("ปี “%(year)s” ไม่ถูกต้อง กรุณาใส่ปี พ.ศ. 4 หลัก เช่น 2564")
        raise ValueError(message % {"year": year_text})
    day, month, year = int(match["day"]), int(match["month"]), int(year_text)
    if not _MIN_BE_YEAR <= year <= _MAX_BE_YEAR:
        if _MIN_BE_YEAR <= to_be(year) <= _MAX_BE_YEAR:
            raise ValueError(
                _("ปี %(year)s ดูเหมือนเป็นปี ค.ศ. กรุณาใช้ปี พ.ศ. %(year_be)s แทน") % {"year": year, "year_be": to_be(year)}
            )
        raise ValueError(
            _("ปี พ.ศ. %(year)s อยู่นอกช่วงที่รับได้ (%(min)s–%(max)s)")
            % {"year": year, "min": _MIN_BE_YEAR, "max": _MAX_BE_YEAR}
        )
    if not 1 <= month <= 12:
        raise ValueError(_("เดือน “%(month)s” ไม่ถูกต้อง เดือนต้องอยู่ระหว่าง 1 ถึง 12") % {"month": match["month"]})
    try:
        return date(to_ce(year), month, day)
    except ValueError:
        raise ValueError(
            _("ไม่มีวันที่ %(day)s %(month)s พ.ศ. %(year)s") % {"day": day, "month": THAI_MONTHS[month], "year": year}
        ) from None


def format_number(value: Decimal | int | float | None, decimals: int = 2, digits: str | None = None) -> str:
    """Format an amount as Thai reports print it: ``15,642,769.55``.

    Rounds half up (as people round money by hand) rather than Python's default half-even, and
    goes through ``str`` for floats so that 2.675 prints as 2.68 and not 2.67.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("format_number() does not format booleans")
    if decimals < 0:
        raise ValueError("decimals must not be negative")
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"cannot format {value!r}")
    try:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        # More digits than the decimal context holds (28); no amount in this project gets there.
        raise ValueError(f"cannot format {value!r} with {decimals} decimals") from None
    # Rounding a tiny negative amount to zero must not print "-0.00".
    if number.is_zero():
        number = abs(number)
    return _apply_digits(f"{number:,.{decimals}f}", digits)


@functools.lru_cache(maxsize=1024)
def break_points(text: str) -> tuple[int, ...]:
    """Where a line may break inside ``text`` (Pango's Thai word breaker, as WeasyPrint breaks it). Kept: the
    same headers and words are asked about on every page of every document (about 0.1 ms each to Pango)."""
    from weasyprint.text.line_break import get_log_attrs

    attrs = get_log_attrs(text, "th")
    return tuple(i for i in range(1, len(text)) if attrs[i].is_line_break)


def shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut between words and ended with "…" when it was longer: a title
    cut at a fixed count ended mid-word ("…ภายในหน่วยงาน ปร") and did not say it went on. Thai has no spaces
    between words, so the cut is where a line may break (:func:`break_points`), else at the last space; a single
    word longer than the limit is cut inside it."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    room = max(limit - 1, 1)
    try:
        cuts = [i for i in break_points(text) if i <= room]
    except Exception:  # no Pango here: spaces only
        cuts = [i for i in range(1, room + 1) if text[i] == " "]
    cut = cuts[-1] if cuts and cuts[-1] > room // 2 else room
    return text[:cut].rstrip() + "…"
