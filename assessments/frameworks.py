"""Loading framework editions from ``fixtures/frameworks/<year>.json``, and starting a new year.

A file holds one fiscal year: its tools, indicators (with aliases for matching imports), items and level
rules, each with a certainty. Loading never overwrites an edition that already exists (an administrator
may have corrected it) unless asked to replace it; replacing updates rows by their natural keys (tool
code, indicator number, item code, level label) and never deletes an indicator or an item that agencies'
data hang from. A file is checked whole before anything is written.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from assessments.models import Certainty, FrameworkEdition, Indicator, Item, LevelRule, ResponsibleKind, Tool

logger = logging.getLogger(__name__)

FRAMEWORKS_DIR = Path(settings.BASE_DIR) / "fixtures" / "frameworks"

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


def _parse(data: dict, source: str) -> tuple[dict, list[dict], list[dict], list[dict], list[dict]]:
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


# --- writing -------------------------------------------------------------------------------------------------


def _changed(instance, values: dict, fields: Iterable[str]) -> bool:
    changed = False
    for field in fields:
        if getattr(instance, field) != values[field]:
            setattr(instance, field, values[field])
            changed = True
    return changed


def _create(edition_values: dict, tools, indicators, items, levels) -> FrameworkEdition:
    edition = FrameworkEdition.objects.create(**edition_values)
    tool_objs = Tool.objects.bulk_create([Tool(edition=edition, **t) for t in tools])
    tool_by_code = {t.code: t for t in tool_objs}
    indicator_objs = Indicator.objects.bulk_create(
        [Indicator(edition=edition, **{**i, "tool": tool_by_code[i["tool"]]}) for i in indicators]
    )
    indicator_by_number = {i.number: i for i in indicator_objs}
    Item.objects.bulk_create(
        [Item(edition=edition, **{**i, "indicator": indicator_by_number[i["indicator"]]}) for i in items]
    )
    LevelRule.objects.bulk_create([LevelRule(edition=edition, **level) for level in levels])
    return edition


def _replace(edition: FrameworkEdition, edition_values: dict, tools, indicators, items, levels, warn: Warn) -> None:
    """Bring a stored edition to the file's contents, step by step, keeping what agencies' data hang from."""
    if _changed(edition, edition_values, EDITION_FIELDS):
        edition.save(update_fields=list(EDITION_FIELDS))
    existing_indicators = _replace_tools_and_indicators(edition, tools, indicators)
    _replace_items(edition, items, existing_indicators)
    _remove_stale(edition, tools, indicators, items, warn)
    _replace_levels(edition, levels)


def _replace_tools_and_indicators(edition: FrameworkEdition, tools, indicators) -> dict:
    # Tools and indicators: few rows, updated one by one.
    existing_tools = {t.code: t for t in edition.tools.all()}
    for values in tools:
        tool = existing_tools.get(values["code"])
        if tool is None:
            existing_tools[values["code"]] = Tool.objects.create(edition=edition, **values)
        elif _changed(tool, values, TOOL_FIELDS):
            tool.save(update_fields=list(TOOL_FIELDS))

    existing_indicators = {i.number: i for i in edition.indicators.all()}
    for values in indicators:
        values = {**{k: v for k, v in values.items() if k != "tool"}, "tool_id": existing_tools[values["tool"]].pk}
        indicator = existing_indicators.get(values["number"])
        if indicator is None:
            existing_indicators[values["number"]] = Indicator.objects.create(edition=edition, **values)
        elif _changed(indicator, values, INDICATOR_FIELDS):
            indicator.save(update_fields=list(INDICATOR_FIELDS))
    return existing_indicators


def _replace_items(edition: FrameworkEdition, items, existing_indicators: dict) -> None:
    # Items: many rows, written in bulk.
    existing_items = {i.code: i for i in edition.items.all()}
    to_create, to_update = [], []
    for values in items:
        values = {
            **{k: v for k, v in values.items() if k != "indicator"},
            "indicator_id": existing_indicators[values["indicator"]].pk,
        }
        item = existing_items.get(values["code"])
        if item is None:
            to_create.append(Item(edition=edition, **values))
        elif _changed(item, values, ITEM_FIELDS):
            to_update.append(item)
    Item.objects.bulk_create(to_create)
    Item.objects.bulk_update(to_update, list(ITEM_FIELDS))


def _remove_stale(edition: FrameworkEdition, tools, indicators, items, warn: Warn) -> None:
    year = edition.fiscal_year
    # What the file no longer has goes, unless agencies' data hang from it.
    file_codes = {i["code"] for i in items}
    stale_items = edition.items.exclude(code__in=file_codes)
    kept = stale_items.filter(Q(scores__isnull=False) | Q(issues__isnull=False)).values_list("code", flat=True)
    kept_item_codes = sorted(set(kept), key=_natural)
    for code in kept_item_codes:
        warn(
            _("ปี %(year)s: ข้อ %(code)s ไม่มีในไฟล์แต่มีคะแนนหรือประเด็นของหน่วยงานอ้างถึง จึงคงไว้") % {"year": year, "code": code}
        )
    stale_items.exclude(code__in=kept_item_codes).delete()

    file_numbers = {i["number"] for i in indicators}
    for indicator in edition.indicators.exclude(number__in=file_numbers).order_by("number"):
        if indicator.scores.exists() or indicator.findings.exists() or indicator.items.exists():
            warn(
                _("ปี %(year)s: ตัวชี้วัดที่ %(number)s ไม่มีในไฟล์แต่มีข้อมูลของหน่วยงานอ้างถึง จึงคงไว้")
                % {"year": year, "number": indicator.number}
            )
        else:
            indicator.delete()

    file_tool_codes = {t["code"] for t in tools}
    for tool in edition.tools.exclude(code__in=file_tool_codes):
        if tool.indicators.exists() or tool.scores.exists():
            warn(
                _("ปี %(year)s: เครื่องมือ %(code)s ไม่มีในไฟล์แต่ยังมีตัวชี้วัดหรือคะแนนที่ต้องคงไว้ จึงคงไว้")
                % {"year": year, "code": tool.code}
            )
        else:
            tool.delete()


def _replace_levels(edition: FrameworkEdition, levels) -> None:
    # Level rules: nothing refers to them, so those not in the file simply go. Orders are unique per edition:
    # move the kept rules out of the way first so that reordering never collides.
    labels = {level["label"] for level in levels}
    edition.level_rules.exclude(label__in=labels).delete()
    existing_levels = {rule.label: rule for rule in edition.level_rules.all()}
    offset = 1 + max([rule.order for rule in existing_levels.values()] + [len(levels)])
    for index, rule in enumerate(existing_levels.values()):
        rule.order = offset + index
    LevelRule.objects.bulk_update(existing_levels.values(), ["order"])
    to_create, to_update = [], []
    for values in levels:
        rule = existing_levels.get(values["label"])
        if rule is None:
            to_create.append(LevelRule(edition=edition, **values))
        else:
            _changed(rule, values, LEVEL_FIELDS)
            to_update.append(rule)
    LevelRule.objects.bulk_update(to_update, list(LEVEL_FIELDS))
    LevelRule.objects.bulk_create(to_create)


def _natural(code: str) -> tuple[str, int]:
    """``o2`` before ``o10``."""
    prefix = code.rstrip("0123456789")
    digits = code[len(prefix) :]
    return prefix, int(digits) if digits else 0


def load_edition(
    data: dict,
    *,
    replace: bool = False,
    source: str = "",
    warn: Warn | None = None,
    keep_local_edits: bool = True,
) -> tuple[FrameworkEdition, bool]:
    """Load one edition from the parsed contents of its file.

    Returns ``(edition, written)``. An edition of that year that already exists is returned untouched
    (``written`` False) unless ``replace``: then its fields, tools, indicators, items and level rules are
    brought in line with the file. ``source`` (the file name) prefixes error messages; ``warn`` receives
    what replacing had to keep (default: the log). Raises ``ValidationError`` before writing anything.

    An edition edited in the application (``edited_locally``) is kept even when replacing, unless
    ``keep_local_edits`` is False (the editor itself, or ``load_frameworks --discard-local-edits``).
    """
    warn = warn or logger.warning
    edition_values, tools, indicators, items, levels = _parse(data, source)
    year = edition_values["fiscal_year"]
    with transaction.atomic():
        edition = FrameworkEdition.objects.select_for_update().filter(fiscal_year=year).first()
        if edition is None:
            return _create(edition_values, tools, indicators, items, levels), True
        if not replace:
            return edition, False
        if edition.edited_locally and keep_local_edits:
            warn(_("ปี %(year)s: แก้ไขในระบบแล้ว จึงคงไว้ตามที่แก้ไข (ไม่แทนที่ตามไฟล์)") % {"year": year})
            return edition, False
        _replace(edition, edition_values, tools, indicators, items, levels, warn)
        if edition.edited_locally:  # now as the file says; the editor marks its own saves again
            edition.edited_locally = False
            edition.save(update_fields=["edited_locally"])
        return edition, True


def framework_files(years: Iterable[int] | None = None) -> list[Path]:
    """The edition files, in year order; ``ValidationError`` when a requested year has no file."""
    files = {int(path.stem): path for path in FRAMEWORKS_DIR.glob("*.json") if path.stem.isdigit()}
    if years is None:
        return [files[year] for year in sorted(files)]
    wanted = sorted(set(years))
    missing = [year for year in wanted if year not in files]
    if missing:
        raise ValidationError(
            _("ไม่มีไฟล์กรอบการประเมินของปี %(years)s ใน %(dir)s")
            % {"years": ", ".join(map(str, missing)), "dir": FRAMEWORKS_DIR},
            code="missing_framework",
        )
    return [files[year] for year in wanted]


def read_framework_file(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValidationError(
            _("%(file)s: อ่านไฟล์ไม่ได้ (%(error)s)") % {"file": path.name, "error": error}, code="unreadable_framework"
        ) from error
    if not isinstance(data, dict) or data.get("fiscal_year") != int(path.stem):
        raise ValidationError(
            _("%(file)s: fiscal_year ในไฟล์ต้องตรงกับชื่อไฟล์") % {"file": path.name}, code="invalid_framework"
        )
    return data


@transaction.atomic
def load_all(
    *,
    replace: bool = False,
    years: list[int] | None = None,
    warn: Warn | None = None,
    keep_local_edits: bool = True,
) -> list[tuple[FrameworkEdition, bool]]:
    """Load every edition file (or those of ``years``) in year order, all or nothing."""
    return [
        load_edition(
            read_framework_file(path), replace=replace, source=path.name, warn=warn, keep_local_edits=keep_local_edits
        )
        for path in framework_files(years)
    ]


# --- a new year ----------------------------------------------------------------------------------------------


def _unconfirmed(certainty: str) -> str:
    """Nothing is confirmed for a year nobody has checked yet: what was sure becomes likely."""
    return Certainty.LIKELY if certainty == Certainty.SURE else certainty


@transaction.atomic
def edition_copy(*, source: FrameworkEdition, fiscal_year: int) -> FrameworkEdition:
    """A new year as a copy of ``source``: tools, indicators, items and level rules, all to be checked.

    Raises ``ValidationError`` if that year exists or is not a Buddhist-era year.
    """
    if FrameworkEdition.objects.filter(fiscal_year=fiscal_year).exists():
        raise ValidationError(_("มีกรอบการประเมินปี %(year)s อยู่แล้ว") % {"year": fiscal_year}, code="edition_exists")
    notes = _(
        "คัดลอกจากกรอบการประเมินปี %(source)s: ต้องตรวจสอบเครื่องมือ น้ำหนัก ตัวชี้วัด ข้อคำถาม และเกณฑ์ระดับ "
        "กับคู่มือการประเมิน ITA ปี %(year)s ก่อนใช้ และกรอกคะแนนเฉลี่ยระดับประเทศเมื่อประกาศแล้ว"
    ) % {"source": source.fiscal_year, "year": fiscal_year}
    if source.notes:
        notes += "\n\n" + _("หมายเหตุของปี %(source)s:") % {"source": source.fiscal_year} + "\n" + source.notes
    edition = FrameworkEdition(
        fiscal_year=fiscal_year,
        name=source.name.replace(str(source.fiscal_year), str(fiscal_year)),
        level_system=source.level_system,
        national_average=None,
        notes=notes,
        certainty=Certainty.OPEN,
    )
    edition.full_clean()
    edition.save()

    tools = list(source.tools.all())
    new_tools = Tool.objects.bulk_create(
        [
            Tool(
                edition=edition,
                code=t.code,
                name_th=t.name_th,
                name_en=t.name_en,
                weight=t.weight,
                order=t.order,
                certainty=_unconfirmed(t.certainty),
            )
            for t in tools
        ]
    )
    tool_map = {old.pk: new for old, new in zip(tools, new_tools, strict=True)}
    indicators = list(source.indicators.all())
    new_indicators = Indicator.objects.bulk_create(
        [
            Indicator(
                edition=edition,
                tool=tool_map[i.tool_id],
                number=i.number,
                name_th=i.name_th,
                name_en=i.name_en,
                aliases=i.aliases,
                weight=i.weight,
                certainty=_unconfirmed(i.certainty),
            )
            for i in indicators
        ]
    )
    indicator_map = {old.pk: new for old, new in zip(indicators, new_indicators, strict=True)}
    Item.objects.bulk_create(
        [
            Item(
                edition=edition,
                indicator=indicator_map[i.indicator_id],
                code=i.code,
                title=i.title,
                sub_indicator=i.sub_indicator,
                criteria=i.criteria,
                responsible_kind=i.responsible_kind,
                order=i.order,
                certainty=_unconfirmed(i.certainty),
            )
            for i in source.items.all()
        ]
    )
    LevelRule.objects.bulk_create(
        [
            LevelRule(
                edition=edition,
                label=r.label,
                min_total=r.min_total,
                min_each_tool=r.min_each_tool,
                order=r.order,
                passes=r.passes,
                certainty=_unconfirmed(r.certainty),
            )
            for r in source.level_rules.all()
        ]
    )
    return edition
