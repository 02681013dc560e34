"""Reading and checking a framework file (``fixtures/frameworks/<year>.json``) before anything is written: every
problem of the file is collected, so one run reports them all. :mod:`assessments.frameworks` writes what this
module returns."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assessments.models import Certainty, FrameworkEdition, Indicator, Item, LevelRule, ResponsibleKind, Tool

HUNDRED = Decimal("100")
WEIGHT_TOLERANCE = Decimal("0.01")
ALIAS_SEPARATOR = "|"

Warn = Callable[[str], None]

# The edition's calendar: each date (or window) of the file's ``calendar`` object and its certainty.
CALENDAR_DATES = {
    "registration": ("registration_starts", "registration_ends"),
    "oit_deadline": ("oit_deadline",),
    "survey": ("survey_starts", "survey_ends"),
    "results": ("results_date",),
}
CALENDAR_FIELDS = tuple(field for key, fields in CALENDAR_DATES.items() for field in (*fields, f"{key}_certainty"))
EDITION_FIELDS = ("name", "level_system", "national_average", "notes", "certainty", *CALENDAR_FIELDS)
TOOL_FIELDS = ("name_th", "name_en", "weight", "order", "certainty")
INDICATOR_FIELDS = ("tool_id", "name_th", "name_en", "aliases", "weight", "certainty")
ITEM_FIELDS = ("indicator_id", "title", "sub_indicator", "criteria", "responsible_kind", "order", "certainty")
LEVEL_FIELDS = ("min_total", "min_each_tool", "order", "passes", "certainty")


# --- reading and checking a file ---------------------------------------------------------------------------


class _Errors(list):
    """Collects every problem of a file, so one run reports them all."""

    def __init__(self, where: str):
        super().__init__()
        self.where = where

    def add(self, message: str) -> None:
        self.append(f"{self.where}: {message}")


def _decimal(value: Any, what: str, errors: _Errors, *, nullable: bool = False) -> Decimal | None:
    if value is None and nullable:
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.add(_("%(what)s: “%(value)s” ไม่ใช่ตัวเลข") % {"what": what, "value": value})
        return None
    if not number.is_finite():
        errors.add(_("%(what)s: “%(value)s” ไม่ใช่ตัวเลข") % {"what": what, "value": value})
        return None
    return number


def _certainty(row: dict, what: str, errors: _Errors) -> str:
    value = row.get("certainty", Certainty.LIKELY)
    if value not in Certainty.values:
        errors.add(_("%(what)s: ความแน่นอน “%(value)s” ไม่ถูกต้อง") % {"what": what, "value": value})
    return value


def _date(value: Any, what: str, errors: _Errors) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.add(_("%(what)s: “%(value)s” ไม่ใช่วันที่ (ใช้รูปแบบ ค.ศ. YYYY-MM-DD)") % {"what": what, "value": value})
        return None


def _parse_calendar(data: dict, errors: _Errors) -> dict:
    """The ``calendar`` object of a file (optional: older files have none) as edition field values."""
    calendar = data.get("calendar") or {}
    if not isinstance(calendar, dict):
        errors.add(_("“calendar” ต้องเป็นออบเจกต์"))
        return {}
    values: dict = {}
    for key, fields in CALENDAR_DATES.items():
        entry = calendar.get(key) or {}
        if not isinstance(entry, dict):
            errors.add(_("ปฏิทิน “%(key)s” ต้องเป็นออบเจกต์") % {"key": key})
            entry = {}
        what = _("ปฏิทิน %(key)s") % {"key": key}
        names = ("starts", "ends") if len(fields) == 2 else ("date",)
        for field, name in zip(fields, names, strict=True):
            values[field] = _date(entry.get(name), what, errors)
        values[f"{key}_certainty"] = entry.get("certainty", Certainty.OPEN)
        if values[f"{key}_certainty"] not in Certainty.values:
            errors.add(_("%(what)s: ความแน่นอน “%(value)s” ไม่ถูกต้อง") % {"what": what, "value": entry.get("certainty")})
        if len(fields) == 2 and values[fields[0]] and values[fields[1]] and values[fields[1]] < values[fields[0]]:
            errors.add(_("%(what)s: วันสิ้นสุดต้องไม่ก่อนวันเริ่ม") % {"what": what})
    return values


def _clean(instance, exclude: list[str], what: str, errors: _Errors) -> None:
    """Field checks of the model (lengths, digits, choices); a value already refused as ``None`` is skipped."""
    unset = [f.name for f in instance._meta.concrete_fields if getattr(instance, f.attname) is None]
    try:
        instance.clean_fields(exclude=[*exclude, *unset])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                errors.add(f"{what} ({field}): {message}")


def parse_edition_data(data: dict, source: str) -> tuple[dict, list[dict], list[dict], list[dict], list[dict]]:
    """The edition's fields and its rows as model field values, or ``ValidationError`` listing every problem.
    Each part is read by its own step; all steps run so that the message lists every problem of the file."""
    year = data.get("fiscal_year")
    errors = _Errors(source or _("กรอบการประเมินปี %(year)s") % {"year": year})
    _check_shape(data, year, errors)
    edition = _parse_edition(data, year, errors)
    tools = _parse_tools(data["tools"], errors)
    codes = [t["code"] for t in tools]
    indicators = _parse_indicators(data["indicators"], codes, errors)
    _check_indicator_weights(tools, indicators, errors)
    items = _parse_items(data.get("items", []), [i["number"] for i in indicators], errors)
    levels = _parse_levels(data["levels"], errors)
    if errors:
        raise ValidationError(errors, code="invalid_framework")
    return edition, tools, indicators, items, levels


def _check_shape(data: dict, year, errors: _Errors) -> None:
    """The parts every file has, of the right types; later steps rely on them, so these stop the parse."""
    if not isinstance(year, int) or isinstance(year, bool):
        errors.add(_("ต้องระบุ fiscal_year เป็นปี พ.ศ. (ตัวเลข)"))
        raise ValidationError(errors, code="invalid_framework")
    for key in ("name", "level_system", "tools", "indicators", "levels"):
        if key not in data:
            errors.add(_("ไม่มีส่วน “%(key)s”") % {"key": key})
    if errors:
        raise ValidationError(errors, code="invalid_framework")

    for key in ("tools", "indicators", "items", "levels"):
        rows = data.get(key, [])
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            errors.add(_("“%(key)s” ต้องเป็นรายการของออบเจกต์") % {"key": key})
    if errors:
        raise ValidationError(errors, code="invalid_framework")


def _parse_edition(data: dict, year: int, errors: _Errors) -> dict:
    edition = {
        "fiscal_year": year,
        "name": data["name"],
        "level_system": data["level_system"],
        "national_average": _decimal(data.get("national_average"), "national_average", errors, nullable=True),
        "notes": data.get("notes", ""),
        "certainty": _certainty(data, _("กรอบการประเมิน"), errors),
        **_parse_calendar(data, errors),
    }
    _clean(FrameworkEdition(**edition), ["fiscal_year"], _("กรอบการประเมิน"), errors)
    if not 2500 <= year <= 2700:
        errors.add(_("ปีงบประมาณ %(year)s ไม่ใช่ปี พ.ศ.") % {"year": year})
    return edition


def _parse_tools(rows: list[dict], errors: _Errors) -> list[dict]:
    tools: list[dict] = []
    for order, row in enumerate(rows, start=1):
        code = row.get("code", "")
        what = _("เครื่องมือ %(code)s") % {"code": code}
        tool = {
            "code": code,
            "name_th": row.get("name_th", ""),
            "name_en": row.get("name_en", ""),
            "weight": _decimal(row.get("weight"), what, errors),
            "order": order,
            "certainty": _certainty(row, what, errors),
        }
        if tool["weight"] is not None and not Decimal(0) < tool["weight"] <= HUNDRED:
            errors.add(_("%(what)s: น้ำหนักต้องมากกว่า 0 และไม่เกิน 100") % {"what": what})
        _clean(Tool(**tool), ["edition"], what, errors)
        tools.append(tool)
    codes = [t["code"] for t in tools]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        errors.add(_("เครื่องมือ %(code)s ซ้ำกัน") % {"code": code})
    if not tools:
        errors.add(_("ไม่มีเครื่องมือการประเมิน"))
    elif all(t["weight"] is not None for t in tools):
        total = sum((t["weight"] for t in tools), Decimal(0))
        if abs(total - HUNDRED) > WEIGHT_TOLERANCE:
            errors.add(_("น้ำหนักของเครื่องมือรวมกันได้ %(total)s ไม่ใช่ 100") % {"total": total})
    return tools


def _parse_indicators(rows: list[dict], codes: list[str], errors: _Errors) -> list[dict]:
    indicators: list[dict] = []
    for row in rows:
        number = row.get("number")
        what = _("ตัวชี้วัดที่ %(number)s") % {"number": number}
        aliases = row.get("aliases", [])
        if isinstance(aliases, str):
            aliases = [aliases]
        indicator = {
            "number": number,
            "tool": row.get("tool"),
            "name_th": row.get("name_th", ""),
            "name_en": row.get("name_en", ""),
            "aliases": ALIAS_SEPARATOR.join(a.strip() for a in aliases if a and a.strip()),
            "weight": _decimal(row.get("weight"), what, errors),
            "certainty": _certainty(row, what, errors),
        }
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            errors.add(_("%(what)s: เลขตัวชี้วัดต้องเป็นจำนวนเต็มบวก") % {"what": what})
        if indicator["tool"] not in codes:
            errors.add(_("%(what)s: ไม่มีเครื่องมือ “%(tool)s”") % {"what": what, "tool": indicator["tool"]})
        if indicator["weight"] is not None and not Decimal(0) < indicator["weight"] <= HUNDRED:
            errors.add(_("%(what)s: น้ำหนักต้องมากกว่า 0 และไม่เกิน 100") % {"what": what})
        if any(ALIAS_SEPARATOR in a for a in aliases if a):
            errors.add(_("%(what)s: ชื่ออื่นต้องไม่มีเครื่องหมาย |") % {"what": what})
        _clean(Indicator(**{k: v for k, v in indicator.items() if k != "tool"}), ["edition", "tool"], what, errors)
        indicators.append(indicator)
    numbers = [i["number"] for i in indicators]
    for number in sorted({n for n in numbers if numbers.count(n) > 1 and isinstance(n, int)}):
        errors.add(_("ตัวชี้วัดที่ %(number)s ซ้ำกัน") % {"number": number})
    return indicators


def _check_indicator_weights(tools: list[dict], indicators: list[dict], errors: _Errors) -> None:
    """Every tool has indicators, whose weights add up to 100."""
    for tool in tools:
        weights = [i["weight"] for i in indicators if i["tool"] == tool["code"]]
        if not weights:
            errors.add(_("เครื่องมือ %(code)s ไม่มีตัวชี้วัด") % {"code": tool["code"]})
        elif None not in weights:
            total = sum(weights, Decimal(0))
            if abs(total - HUNDRED) > WEIGHT_TOLERANCE:
                errors.add(
                    _("น้ำหนักตัวชี้วัดของ %(code)s รวมกันได้ %(total)s ไม่ใช่ 100") % {"code": tool["code"], "total": total}
                )


def _parse_items(rows: list[dict], numbers: list, errors: _Errors) -> list[dict]:
    items: list[dict] = []
    for order, row in enumerate(rows, start=1):
        code = row.get("code", "")
        what = _("ข้อ %(code)s") % {"code": code}
        item = {
            "code": code,
            "indicator": row.get("indicator"),
            "title": row.get("title", ""),
            "sub_indicator": row.get("sub_indicator", ""),
            "criteria": row.get("criteria", ""),
            "responsible_kind": row.get("responsible_kind", ""),
            "order": order,
            "certainty": _certainty(row, what, errors),
        }
        if item["responsible_kind"] and item["responsible_kind"] not in ResponsibleKind.values:
            errors.add(
                _("%(what)s: ส่วนราชการที่รับผิดชอบ “%(value)s” ไม่ถูกต้อง")
                % {"what": what, "value": item["responsible_kind"]}
            )
        if item["indicator"] not in numbers:
            errors.add(_("%(what)s: ไม่มีตัวชี้วัดที่ %(number)s") % {"what": what, "number": item["indicator"]})
        _clean(Item(**{k: v for k, v in item.items() if k != "indicator"}), ["edition", "indicator"], what, errors)
        items.append(item)
    item_codes = [i["code"] for i in items]
    for code in sorted({c for c in item_codes if item_codes.count(c) > 1}):
        errors.add(_("ข้อ %(code)s ซ้ำกัน") % {"code": code})
    return items


def _parse_levels(rows: list[dict], errors: _Errors) -> list[dict]:
    levels: list[dict] = []
    for order, row in enumerate(rows, start=1):
        label = row.get("label", "")
        what = _("ระดับ %(label)s") % {"label": label}
        level = {
            "label": label,
            "min_total": _decimal(row.get("min_total"), what, errors),
            "min_each_tool": _decimal(row.get("min_each_tool"), what, errors, nullable=True),
            "order": order,
            "passes": bool(row.get("passes", False)),
            "certainty": _certainty(row, what, errors),
        }
        _clean(LevelRule(**level), ["edition"], what, errors)
        levels.append(level)
    labels = [level["label"] for level in levels]
    for label in sorted({label for label in labels if labels.count(label) > 1}):
        errors.add(_("ระดับ %(label)s ซ้ำกัน") % {"label": label})
    if not levels:
        errors.add(_("ไม่มีเกณฑ์ระดับผลการประเมิน"))
    return levels
