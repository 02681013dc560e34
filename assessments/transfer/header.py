"""The header of a score file: which column is which, and which columns the file's years require.

Columns are recognised by name before the rows are read: the base columns by their English or Thai names,
indicator columns as ``ind<n>`` or ``ตัวชี้วัดที่ <n>`` for any number (so an edition with a twelfth
indicator needs no change here) or by an indicator's name in any edition, and item columns by their codes.
Which indicator columns are *required* depends on the years the rows name: the indicators of those years'
editions (:func:`missing_columns`), never every number any edition ever had.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from assessments.models import FrameworkEdition
from assessments.transfer.errors import RowError
from assessments.transfer.values import header_key, text
from ita_tracker.thai import arabic_digits

BASE_COLUMNS = ("agency", "agency_type", "province", "fiscal_year")
OPTIONAL_COLUMNS = ("published_overall", "published_level")
REQUIRED_BASE = ("agency", "province", "fiscal_year")

# Column names people write in Thai for the columns that are not indicators or items.
_BASE_ALIASES: dict[str, tuple[str, ...]] = {
    "agency": ("agency", "หน่วยงาน", "ชื่อหน่วยงาน"),
    "agency_type": ("agency_type", "ประเภทหน่วยงาน", "ประเภท"),
    "province": ("province", "จังหวัด"),
    "fiscal_year": ("fiscal_year", "ปีงบประมาณ", "ปีงบประมาณ (พ.ศ.)", "ปี พ.ศ."),
    "published_overall": ("published_overall", "คะแนนรวมที่ประกาศ"),
    "published_level": ("published_level", "ระดับที่ประกาศ"),
}
_NUMBERED = re.compile(r"(?:ind|ตัวชี้วัดที่)\s*(\d{1,3})")


def indicator_key(number: int) -> str:
    return f"ind{number}"


def indicator_number(key: str) -> int | None:
    return int(key[3:]) if key.startswith("ind") and key[3:].isdigit() else None


def import_header(edition: FrameworkEdition) -> list[str]:
    """The columns of an import file for ``edition``'s year, in order (the template's header line)."""
    numbers = [indicator.number for indicator in edition.indicators.all()]
    return [*BASE_COLUMNS, *(indicator_key(n) for n in numbers), *OPTIONAL_COLUMNS]


@dataclass
class Columns:
    """Where each known column is: ``index[key]`` is the position of column ``key`` (``agency``, ``ind3``,
    ``item:o42``, …), ``label[key]`` its name as written in the file."""

    index: dict[str, int] = field(default_factory=dict)
    label: dict[str, str] = field(default_factory=dict)

    def has(self, key: str) -> bool:
        return key in self.index

    def name(self, key: str) -> str:
        return self.label.get(key, key)

    def indicator_keys(self) -> list[str]:
        return sorted((k for k in self.index if indicator_number(k) is not None), key=indicator_number)

    def item_keys(self) -> list[str]:
        return [k for k in self.index if k.startswith("item:")]

    def compacted(self) -> tuple[Columns, list[int]]:
        """The same columns numbered 0, 1, 2… in file order, and the file positions to read for them: rows
        are then read as only the cells of known columns."""
        positions = sorted(self.index.values())
        slot = {position: i for i, position in enumerate(positions)}
        return Columns({key: slot[p] for key, p in self.index.items()}, dict(self.label)), positions


def _names(editions: Iterable[FrameworkEdition]) -> dict[str, set[str]]:
    """Every name a column may have (other than ``ind<n>``), mapped to the column keys it could mean."""
    names: dict[str, set[str]] = defaultdict(set)
    for key, aliases in _BASE_ALIASES.items():
        for alias in aliases:
            names[header_key(alias)].add(key)
    # Names of indicators vary between years; since the header is read before the rows say which year,
    # the names of every edition are accepted. Exact names win over names that only match an alias.
    alias_names: dict[str, set[str]] = defaultdict(set)
    for edition in editions:
        for indicator in edition.indicators.all():
            key = indicator_key(indicator.number)
            names_of = indicator.names
            names[header_key(names_of[0])].add(key)
            if indicator.name_en:
                alias_names[header_key(indicator.name_en)].add(key)
            for alias in names_of[1:]:
                alias_names[header_key(alias)].add(key)
        for item in edition.items.all():
            names[header_key(item.code)].add(f"item:{item.code.lower()}")
    for name, keys in alias_names.items():
        if name not in names:
            names[name] = keys
    return names


def _keys_for(written: str, names: dict[str, set[str]]) -> set[str]:
    numbered = _NUMBERED.fullmatch(arabic_digits(written))
    if numbered:
        return {indicator_key(int(numbered.group(1)))}
    return names.get(written, set())


def read_header(headers: list[str], editions: Iterable[FrameworkEdition], errors: list[RowError]) -> Columns:
    """Map the header's columns to keys; ambiguous and duplicate names are errors (row 1). Unknown columns
    (notes, our own computed columns) are ignored."""
    names = _names(editions)
    columns = Columns()
    for position, header in enumerate(headers):
        keys = _keys_for(header_key(header), names)
        if not keys:
            continue
        written = text(header)
        if len(keys) > 1:
            errors.append(
                RowError(
                    1,
                    written,
                    _("ชื่อคอลัมน์นี้ตรงกับตัวชี้วัดหลายตัว (%(columns)s) กรุณาใช้ ind ตามด้วยหมายเลขตัวชี้วัด เช่น ind1")
                    % {"columns": ", ".join(sorted(keys))},
                )
            )
            continue
        (key,) = keys
        if key in columns.index:
            errors.append(RowError(1, written, _("คอลัมน์ซ้ำกับคอลัมน์ “%(other)s”") % {"other": columns.label[key]}))
            continue
        columns.index[key] = position
        columns.label[key] = written
    return columns


def missing_columns(columns: Columns, editions: Iterable[FrameworkEdition]) -> list[RowError]:
    """The required columns the header lacks: the base columns and the indicators of the editions of the
    years the file's rows name."""
    numbers = sorted({indicator.number for edition in editions for indicator in edition.indicators.all()})
    required = [*REQUIRED_BASE, *(indicator_key(n) for n in numbers)]
    return [
        RowError(1, key, _("ไม่มีคอลัมน์ “%(column)s” ซึ่งต้องมี") % {"column": key})
        for key in required
        if key not in columns.index
    ]
