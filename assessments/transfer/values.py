"""Reading what people type in a score file: text, numbers, years, agency types. Each function takes a
cell as read (string, number, ``None``) and returns the typed value or raises :class:`CellError` with a Thai
message for the row's error list."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from agencies.models import Agency
from ita_tracker.thai import arabic_digits

HUNDRED = Decimal("100")
TWO_PLACES = Decimal("0.01")

# Abbreviations used in NACC lists and provincial spreadsheets.
_TYPE_ABBREVIATIONS = {
    "อบจ.": Agency.Type.PAO,
    "ทน.": Agency.Type.CITY,
    "ทม.": Agency.Type.TOWN,
    "ทต.": Agency.Type.SUBDISTRICT_MUNICIPALITY,
    "อบต.": Agency.Type.SAO,
}
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_NUMBER_RE = re.compile(r"[+-]?\d+(\.\d+)?")
_INTEGER_RE = re.compile(r"\d+(\.0+)?")


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.translate(_INVISIBLE).strip())


def text(value: Any) -> str:
    """Trimmed text with runs of spaces made one and invisible characters (zero-width spaces, pasted
    from web pages between Thai words) removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).translate(_INVISIBLE).split())


def header_key(value: Any) -> str:
    return text(value).lower()


def province_key(value: str) -> str:
    written = text(value)
    for prefix in ("จังหวัด", "จ."):
        if written.startswith(prefix):
            written = written[len(prefix) :].strip()
    return written


class CellError(ValueError):
    pass


def decimal(value: Any) -> Decimal:
    """A number from a cell: 85, "85.5", "๘๕.๕๐", a float from Excel. A comma decimal is refused."""
    if isinstance(value, bool):
        raise CellError(_("ต้องเป็นตัวเลข"))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        number = Decimal(repr(value))
        # A formula's result (85.13000000000001) is the number it displays, not a third decimal.
        rounded = number.quantize(TWO_PLACES) if number.is_finite() else number
        if number.is_finite() and abs(number - rounded) < Decimal("1e-9"):
            return rounded
        return number
    if isinstance(value, Decimal):
        return value
    written = arabic_digits(text(value)).replace(" ", "")
    if "," in written and _NUMBER_RE.fullmatch(written.replace(",", ".")):
        raise CellError(_("“%(value)s” ใช้จุลภาคเป็นจุดทศนิยม กรุณาใช้จุด เช่น 85.50") % {"value": text(value)})
    if not _NUMBER_RE.fullmatch(written):
        raise CellError(_("“%(value)s” ไม่ใช่ตัวเลข") % {"value": text(value)})
    try:
        return Decimal(written)
    except InvalidOperation:  # pragma: no cover - the pattern admits only what Decimal reads
        raise CellError(_("“%(value)s” ไม่ใช่ตัวเลข") % {"value": text(value)}) from None


def score(value: Any) -> Decimal:
    number = decimal(value)
    if not number.is_finite() or number < 0 or number > HUNDRED:
        raise CellError(_("คะแนน %(value)s อยู่นอกช่วง 0–100") % {"value": text(value)})
    if number != number.quantize(TWO_PLACES):
        raise CellError(_("คะแนน %(value)s มีทศนิยมเกิน 2 ตำแหน่ง") % {"value": text(value)})
    return number.quantize(TWO_PLACES)


def fiscal_year(value: Any) -> int:
    written = arabic_digits(text(value))
    if not _INTEGER_RE.fullmatch(written):
        raise CellError(_("“%(value)s” ไม่ใช่ปีงบประมาณ (ปี พ.ศ. เช่น 2566)") % {"value": text(value)})
    year = int(Decimal(written))
    if 1900 <= year <= 2200:
        raise CellError(_("%(year)s ดูเหมือนเป็นปี ค.ศ. กรุณาใช้ปี พ.ศ. (เช่น %(be)s)") % {"year": year, "be": year + 543})
    return year


def agency_types() -> dict[str, str]:
    """Type values, their Thai (and English) labels and the usual abbreviations, keyed lower-case."""
    types: dict[str, str] = {}
    for value, _label in Agency.Type.choices:
        types[value.lower()] = value
    for language in ("th", "en"):
        with translation.override(language):
            for member in Agency.Type:
                types[header_key(str(member.label))] = member.value
    types.update({key.lower(): value for key, value in _TYPE_ABBREVIATIONS.items()})
    return types
