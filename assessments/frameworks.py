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
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from assessments.framework_parse import (  # noqa: F401  (CALENDAR_DATES: re-exported for the editor and editions)
    CALENDAR_DATES,
    EDITION_FIELDS,
    INDICATOR_FIELDS,
    ITEM_FIELDS,
    LEVEL_FIELDS,
    TOOL_FIELDS,
    Warn,
    parse_edition_data,
)
from assessments.models import Certainty, FrameworkEdition, Indicator, Item, LevelRule, Tool

logger = logging.getLogger(__name__)

FRAMEWORKS_DIR = Path(settings.BASE_DIR) / "fixtures" / "frameworks"


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
    edition_values, tools, indicators, items, levels = parse_edition_data(data, source)
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
