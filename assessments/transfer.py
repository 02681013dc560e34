"""Import and export of ITA scores as CSV or XLSX, shared by the web pages and the management commands.

An import is two steps, so that nothing is half-saved: :func:`check_file` reads the whole file and
returns an :class:`ImportPlan` listing *every* problem with its spreadsheet row and column (people fix
a national file of 8,000 rows in one pass, not one error at a time); :func:`apply_plan` then writes a
clean plan in one transaction through ``assessments.services.assessment_save``, so the stored tool
scores, total and level follow the year's rules exactly as they do for scores typed on the entry page.

Lookups are gathered once per file, not per row: the editions with their structure, the agencies of
the provinces named, the user's roles and the assessments that already exist. The writes are
``assessment_save``'s own.

A blank cell means "not in this file": it leaves the stored value as it is. A file of published totals
only therefore never wipes indicator scores typed earlier, and a file of indicator scores never wipes
the published total; clearing a value is done on the entry page.

Export writes one row per assessment with the columns of :data:`EXPORT_HEADER`. A file we export can be
imported again: its computed columns (``iit``, ``eit``, ``oit``, ``overall``, ``level``, ``mismatch``)
are simply columns the import ignores, since ``overall`` is ours and ``published_overall`` is the NACC's.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from agencies.models import Agency, Role
from assessments.models import Assessment, FrameworkEdition, IndicatorScore
from assessments.services import assessment_save
from ita_tracker.thai import arabic_digits

__all__ = [
    "EXPORT_HEADER",
    "IMPORT_HEADER",
    "ImportPlan",
    "ImportRefused",
    "ImportSummary",
    "PlannedRow",
    "RowError",
    "TableError",
    "apply_plan",
    "check_file",
    "export_queryset",
    "export_rows",
    "parse_table",
    "write_csv",
    "write_xlsx",
]

INDICATOR_NUMBERS = tuple(range(1, 11))
INDICATOR_COLUMNS = tuple(f"ind{n}" for n in INDICATOR_NUMBERS)
IMPORT_HEADER = ("agency", "agency_type", "province", "fiscal_year", *INDICATOR_COLUMNS)
OPTIONAL_COLUMNS = ("published_overall", "published_level")
EXPORT_HEADER = (
    *IMPORT_HEADER,
    "iit",
    "eit",
    "oit",
    "overall",
    "level",
    "published_overall",
    "published_level",
    "mismatch",
)

MAX_ROWS = 20_000  # a national file has about 8,300; more is a wrong file (or a zip bomb), not data
HUNDRED = Decimal("100")
TWO_PLACES = Decimal("0.01")
IMPORTED_CODE_PREFIX = "imp-"

# Column names people write in Thai for the columns that are not indicators or items.
_BASE_ALIASES: dict[str, tuple[str, ...]] = {
    "agency": ("agency", "หน่วยงาน", "ชื่อหน่วยงาน"),
    "agency_type": ("agency_type", "ประเภทหน่วยงาน", "ประเภท"),
    "province": ("province", "จังหวัด"),
    "fiscal_year": ("fiscal_year", "ปีงบประมาณ", "ปีงบประมาณ (พ.ศ.)", "ปี พ.ศ."),
    "published_overall": ("published_overall", "คะแนนรวมที่ประกาศ"),
    "published_level": ("published_level", "ระดับที่ประกาศ"),
}
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


class TableError(ValueError):
    """The file cannot be read as a table at all (wrong type, broken, empty). The message is Thai."""


class ImportRefused(ValueError):
    """``apply_plan`` was given a plan that still has errors."""


@dataclass
class RowError:
    """One problem of the file. ``row`` is the spreadsheet row number (the header is row 1; 0 for the
    file as a whole), ``column`` the column's name as written in the file."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message
        return _("แถว %(row)s คอลัมน์ %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class NewAgency:
    name: str
    province: str
    type: str
    row: int


@dataclass
class PlannedRow:
    """One checked row, typed: what ``assessment_save`` will be called with."""

    row: int
    agency: Agency | None
    new_agency: tuple[str, str] | None  # key into ImportPlan.new_agencies when the agency is created
    edition: FrameworkEdition
    indicator_scores: dict[int, Decimal]
    item_scores: dict[str, Decimal]
    published_total: Decimal | None
    published_level: str
    updates: bool


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    agencies_to_create: int = 0
    assessments_to_create: int = 0
    assessments_to_update: int = 0
    new_agencies: dict[tuple[str, str], NewAgency] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportSummary:
    agencies_created: int
    assessments_created: int
    assessments_updated: int


# ---------------------------------------------------------------------------------------------------
# Reading a table


def parse_table(file_obj: IO, filename: str) -> tuple[list[str], list[list[Any]]]:
    """The header and the data rows of a .csv or .xlsx file, as read (strings, numbers, ``None``).

    Rows keep their position: ``rows[i]`` is spreadsheet row ``i + 2``, blank rows included, so error
    messages name the row people see in Excel. CSV is read as UTF-8 with or without a BOM (Excel's
    "CSV UTF-8"), then as Windows Thai (cp874: Excel's plain "CSV" on a Thai Windows).
    """
    name = (filename or "").lower()
    if name.endswith(".csv"):
        table = _read_csv(file_obj)
    elif name.endswith(".xlsx"):
        table = _read_xlsx(file_obj)
    elif name.endswith(".xls"):
        raise TableError(_("ไม่รองรับไฟล์ .xls รุ่นเก่า กรุณาบันทึกเป็น .xlsx หรือ .csv (UTF-8) แล้วนำเข้าอีกครั้ง"))
    else:
        raise TableError(_("รองรับเฉพาะไฟล์ .csv และ .xlsx"))
    rows = iter(table)
    header = next(rows, None)
    if header is None or all(_blank(cell) for cell in header):
        raise TableError(_("ไฟล์ว่างเปล่า: แถวแรกต้องเป็นชื่อคอลัมน์"))
    data = []
    for row in rows:
        data.append(list(row))
        if len(data) > MAX_ROWS:
            raise TableError(_("ไฟล์มีข้อมูลเกิน %(max)s แถว กรุณาแบ่งเป็นหลายไฟล์") % {"max": f"{MAX_ROWS:,}"})
    headers = ["" if cell is None else str(cell) for cell in header]
    return headers, data


def _read_csv(file_obj: IO) -> Iterable[list[Any]]:
    raw = file_obj.read()
    if isinstance(raw, str):
        text = raw.lstrip("\ufeff")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("cp874")
            except UnicodeDecodeError:
                raise TableError(_("อ่านไฟล์ CSV ไม่ได้ กรุณาบันทึกเป็น CSV UTF-8")) from None
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise TableError(_("อ่านไฟล์ CSV ไม่ได้: %(error)s") % {"error": exc}) from None


def _read_xlsx(file_obj: IO) -> Iterable[list[Any]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    unreadable = _("อ่านไฟล์ Excel ไม่ได้ ไฟล์อาจเสียหรือไม่ใช่ไฟล์ .xlsx")
    try:
        workbook = load_workbook(file_obj, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise TableError(unreadable) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    except Exception:  # a damaged sheet fails in openpyxl's parser in many ways; all mean the same to people
        raise TableError(unreadable) from None
    finally:
        workbook.close()


# ---------------------------------------------------------------------------------------------------
# Normalising what people type


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.translate(_INVISIBLE).strip())


def _text(value: Any) -> str:
    """Trimmed text with runs of spaces made one and invisible characters (zero-width spaces, pasted
    from web pages between Thai words) removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).translate(_INVISIBLE).split())


def _header_key(value: Any) -> str:
    return _text(value).lower()


def _province_key(value: str) -> str:
    text = _text(value)
    for prefix in ("จังหวัด", "จ."):
        if text.startswith(prefix):
            text = text[len(prefix) :].strip()
    return text


class _CellError(ValueError):
    pass


def _decimal(value: Any) -> Decimal:
    """A number from a cell: 85, "85.5", "๘๕.๕๐", a float from Excel. A comma decimal is refused."""
    if isinstance(value, bool):
        raise _CellError(_("ต้องเป็นตัวเลข"))
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
    text = arabic_digits(_text(value)).replace(" ", "")
    if "," in text and _NUMBER_RE.fullmatch(text.replace(",", ".")):
        raise _CellError(_("“%(value)s” ใช้จุลภาคเป็นจุดทศนิยม กรุณาใช้จุด เช่น 85.50") % {"value": _text(value)})
    if not _NUMBER_RE.fullmatch(text):
        raise _CellError(_("“%(value)s” ไม่ใช่ตัวเลข") % {"value": _text(value)})
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only what Decimal reads
        raise _CellError(_("“%(value)s” ไม่ใช่ตัวเลข") % {"value": _text(value)}) from None


def _score(value: Any) -> Decimal:
    number = _decimal(value)
    if not number.is_finite() or number < 0 or number > HUNDRED:
        raise _CellError(_("คะแนน %(value)s อยู่นอกช่วง 0–100") % {"value": _text(value)})
    if number != number.quantize(TWO_PLACES):
        raise _CellError(_("คะแนน %(value)s มีทศนิยมเกิน 2 ตำแหน่ง") % {"value": _text(value)})
    return number.quantize(TWO_PLACES)


def _fiscal_year(value: Any) -> int:
    text = arabic_digits(_text(value))
    if not _INTEGER_RE.fullmatch(text):
        raise _CellError(_("“%(value)s” ไม่ใช่ปีงบประมาณ (ปี พ.ศ. เช่น 2566)") % {"value": _text(value)})
    year = int(Decimal(text))
    if 1900 <= year <= 2200:
        raise _CellError(_("%(year)s ดูเหมือนเป็นปี ค.ศ. กรุณาใช้ปี พ.ศ. (เช่น %(be)s)") % {"year": year, "be": year + 543})
    return year


def _agency_types() -> dict[str, str]:
    """Type values, their Thai (and English) labels and the usual abbreviations, keyed lower-case."""
    types: dict[str, str] = {}
    for value, _label in Agency.Type.choices:
        types[value.lower()] = value
    for language in ("th", "en"):
        with translation.override(language):
            for member in Agency.Type:
                types[_header_key(str(member.label))] = member.value
    types.update({key.lower(): value for key, value in _TYPE_ABBREVIATIONS.items()})
    return types


# ---------------------------------------------------------------------------------------------------
# Header


@dataclass
class _Columns:
    """Where each known column is: ``index[key]`` is the position of column ``key`` (``agency``,
    ``ind3``, ``item:o42``, …), ``label[key]`` its name as written in the file."""

    index: dict[str, int] = field(default_factory=dict)
    label: dict[str, str] = field(default_factory=dict)

    def has(self, key: str) -> bool:
        return key in self.index

    def name(self, key: str) -> str:
        return self.label.get(key, key)


def _header_names(editions: list[FrameworkEdition]) -> tuple[dict[str, set[str]], set[int]]:
    """Every name a column may have, mapped to the column keys it could mean."""
    names: dict[str, set[str]] = defaultdict(set)
    for key, aliases in _BASE_ALIASES.items():
        for alias in aliases:
            names[_header_key(alias)].add(key)
    numbers = set(INDICATOR_NUMBERS)
    for edition in editions:
        for indicator in edition.indicators.all():
            numbers.add(indicator.number)
    for number in numbers:
        names[f"ind{number}"].add(f"ind{number}")
        names[_header_key(f"ตัวชี้วัดที่ {number}")].add(f"ind{number}")
    # Names of indicators vary between years; since the header is read before the rows say which year,
    # the names of every edition are accepted. Exact names win over names that only match an alias.
    alias_names: dict[str, set[str]] = defaultdict(set)
    for edition in editions:
        for indicator in edition.indicators.all():
            names_of = indicator.names
            names[_header_key(names_of[0])].add(f"ind{indicator.number}")
            if indicator.name_en:
                alias_names[_header_key(indicator.name_en)].add(f"ind{indicator.number}")
            for alias in names_of[1:]:
                alias_names[_header_key(alias)].add(f"ind{indicator.number}")
        for item in edition.items.all():
            names[_header_key(item.code)].add(f"item:{item.code.lower()}")
    for name, keys in alias_names.items():
        if name not in names:
            names[name] = keys
    return names, numbers


def _read_header(headers: list[str], editions: list[FrameworkEdition], errors: list[RowError]) -> _Columns:
    names, numbers = _header_names(editions)
    columns = _Columns()
    for position, header in enumerate(headers):
        key_text = _header_key(header)
        if not key_text:
            continue
        keys = names.get(key_text)
        if not keys:
            continue  # other columns are ignored: notes, our own computed columns, …
        written = _text(header)
        if len(keys) > 1:
            errors.append(
                RowError(
                    1,
                    written,
                    _("ชื่อคอลัมน์นี้ตรงกับตัวชี้วัดหลายตัว (%(columns)s) กรุณาใช้ ind1–ind10")
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
    required = ["agency", "province", "fiscal_year", *(f"ind{n}" for n in sorted(numbers))]
    for key in required:
        if key not in columns.index:
            errors.append(RowError(1, key, _("ไม่มีคอลัมน์ “%(column)s” ซึ่งต้องมี") % {"column": key}))
    return columns


# ---------------------------------------------------------------------------------------------------
# Checking


def _editions() -> dict[int, FrameworkEdition]:
    editions = FrameworkEdition.objects.with_structure().prefetch_related("items")
    return {edition.fiscal_year: edition for edition in editions}


def check_file(file_obj: IO, filename: str, *, user=None, create_agencies: bool = False) -> ImportPlan:
    """Read and check the whole file; nothing is saved. The plan lists every error found.

    With ``user``, each row's agency must be one where the user is an ITA coordinator (superusers:
    any). For an agency the user cannot see, the message is the same whether it exists or not.
    Agencies are created for unknown names only with ``create_agencies`` and when there is no user
    or the user is a superuser (a creation would otherwise reveal which agencies exist).
    """
    plan = ImportPlan()
    try:
        headers, rows = parse_table(file_obj, filename)
    except TableError as exc:
        plan.errors.append(RowError(0, "", str(exc)))
        return plan

    editions = _editions()
    columns = _read_header(headers, list(editions.values()), plan.errors)
    may_create = create_agencies and (user is None or user.is_superuser)

    def cell(values: list[Any], key: str) -> Any:
        position = columns.index.get(key)
        if position is None or position >= len(values):
            return None
        value = values[position]
        return None if _blank(value) else value

    # First pass: what the rows name, so that every lookup is one query for the whole file.
    data_rows = [(number, values) for number, values in enumerate(rows, start=2) if not all(map(_blank, values))]
    if not data_rows:
        plan.errors.append(RowError(0, "", _("ไม่มีข้อมูลในไฟล์ (มีเพียงแถวชื่อคอลัมน์)")))
        return plan
    provinces = {_province_key(_text(cell(values, "province"))) for _number, values in data_rows}
    provinces |= {_text(cell(values, "province")) for _number, values in data_rows}
    provinces.discard("")
    agencies: dict[tuple[str, str], Agency] = {}
    for agency in Agency.objects.filter(province__in=provinces).only("pk", "name", "province", "type"):
        agencies[(_text(agency.name), _province_key(agency.province))] = agency
    coordinator_of: set[int] | None = None
    visible: set[int] = set()
    if user is not None and not user.is_superuser:
        coordinator_of = set(Agency.objects.with_role(user, Role.COORDINATOR).values_list("pk", flat=True))
        visible = set(Agency.objects.visible_to(user).values_list("pk", flat=True))
    years_named = set()
    for _number, values in data_rows:
        try:
            years_named.add(_fiscal_year(cell(values, "fiscal_year")))
        except _CellError:
            pass
    edition_ids = [editions[year].pk for year in years_named if year in editions]
    existing: dict[tuple[int, int], dict[str, Any]] = {}
    if provinces and edition_ids:
        for values in Assessment.objects.filter(edition__in=edition_ids, agency__province__in=provinces).values(
            "agency_id", "edition_id", "published_total", "published_level"
        ):
            existing[(values["agency_id"], values["edition_id"])] = values
    types = _agency_types()
    levels = {
        year: {_header_key(rule.label): rule.label for rule in e.level_rules.all()} for year, e in editions.items()
    }
    seen: dict[tuple[str, str, int], int] = {}

    for number, values in data_rows:
        errors: list[RowError] = []

        def error(key: str, message: str, number=number, errors=errors) -> None:
            errors.append(RowError(number, columns.name(key), message))

        # Agency, province, year.
        name = _text(cell(values, "agency"))
        province_written = _text(cell(values, "province"))
        province = _province_key(province_written)
        if columns.has("agency") and not name:
            error("agency", _("ต้องระบุชื่อหน่วยงาน"))
        elif len(name) > 200:
            error("agency", _("ชื่อหน่วยงานยาวเกิน 200 ตัวอักษร"))
        if columns.has("province") and not province:
            error("province", _("ต้องระบุจังหวัด"))
        elif len(province) > 100:
            error("province", _("ชื่อจังหวัดยาวเกิน 100 ตัวอักษร"))
        agency_type = ""
        type_written = cell(values, "agency_type")
        if type_written is not None:
            agency_type = types.get(_header_key(type_written), "")
            if not agency_type:
                error(
                    "agency_type",
                    _("ไม่รู้จักประเภทหน่วยงาน “%(value)s” (ใช้ เช่น sao หรือ องค์การบริหารส่วนตำบล)")
                    % {"value": _text(type_written)},
                )
        edition = None
        year = None
        year_written = cell(values, "fiscal_year")
        if columns.has("fiscal_year"):
            if year_written is None:
                error("fiscal_year", _("ต้องระบุปีงบประมาณ (พ.ศ.)"))
            else:
                try:
                    year = _fiscal_year(year_written)
                except _CellError as exc:
                    error("fiscal_year", str(exc))
                else:
                    edition = editions.get(year)
                    if edition is None:
                        error("fiscal_year", _("ไม่มีกรอบการประเมินของปีงบประมาณ %(year)s ในระบบ") % {"year": year})

        # The same agency and year twice: the second row names the first.
        if name and province and year is not None:
            key = (name, province, year)
            if key in seen:
                error(
                    "agency",
                    _("หน่วยงาน “%(name)s” ปี %(year)s ซ้ำกับแถวที่ %(other)s")
                    % {"name": name, "year": year, "other": seen[key]},
                )
            else:
                seen[key] = number

        # Published figures.
        published_total = None
        published_given = cell(values, "published_overall")
        if published_given is not None:
            try:
                published_total = _score(published_given)
            except _CellError as exc:
                error("published_overall", str(exc))
        published_level = ""
        level_written = cell(values, "published_level")
        if level_written is not None and year is not None and edition is not None:
            published_level = levels[year].get(_header_key(level_written), "")
            if not published_level:
                error(
                    "published_level",
                    _("“%(value)s” ไม่ใช่ระดับของปี %(year)s (%(levels)s)")
                    % {"value": _text(level_written), "year": year, "levels": ", ".join(levels[year].values())},
                )

        # Indicator scores: all of the year's, unless the row gives the published total only.
        indicator_scores: dict[int, Decimal] = {}
        numbers = [i.number for i in edition.indicators.all()] if edition else list(INDICATOR_NUMBERS)
        indicator_keys = sorted((k for k in columns.index if k.startswith("ind")), key=lambda k: int(k[3:]))
        none_given = all(cell(values, key) is None for key in indicator_keys)
        if none_given and published_given is None and indicator_keys:
            error(
                indicator_keys[0],
                _("แถวนี้ไม่มีทั้งคะแนนตัวชี้วัดและคะแนนรวมที่ประกาศ (published_overall) ต้องระบุอย่างใดอย่างหนึ่ง"),
            )
        for key in indicator_keys:
            indicator = int(key[3:])
            value = cell(values, key)
            if value is None:
                if published_given is None and not none_given and indicator in numbers:
                    error(key, _("ต้องระบุคะแนนตัวชี้วัด (หรือระบุ published_overall สำหรับคะแนนรวมอย่างเดียว)"))
                continue
            try:
                score = _score(value)
            except _CellError as exc:
                error(key, str(exc))
                continue
            if edition is not None and indicator not in numbers:
                error(key, _("ปี %(year)s ไม่มีตัวชี้วัดที่ %(number)s") % {"year": year, "number": indicator})
                continue
            indicator_scores[indicator] = score

        # Item scores, by the codes of the row's year.
        item_scores: dict[str, Decimal] = {}
        codes = {item.code.lower(): item.code for item in edition.items.all()} if edition else {}
        for key in (k for k in columns.index if k.startswith("item:")):
            value = cell(values, key)
            if value is None:
                continue
            try:
                score = _score(value)
            except _CellError as exc:
                error(key, str(exc))
                continue
            code = key.removeprefix("item:")
            if edition is not None:
                if code not in codes:
                    error(key, _("ปี %(year)s ไม่มีข้อคำถาม %(code)s") % {"year": year, "code": columns.name(key)})
                    continue
                item_scores[codes[code]] = score

        # Which agency, and may this user import it.
        agency = None
        new_key = None
        if name and province:
            agency = agencies.get((name, province))
            hidden = _("ไม่พบหน่วยงาน “%(name)s” จังหวัด%(province)s หรือท่านไม่มีสิทธิ์นำเข้าข้อมูลของหน่วยงานนี้") % {
                "name": name,
                "province": province,
            }
            if agency is None:
                if coordinator_of is not None:
                    error("agency", hidden)
                elif may_create:
                    new_key = (name, province)
                    planned = plan.new_agencies.get(new_key)
                    if planned is None:
                        if type_written is None:
                            error(
                                "agency_type",
                                _("ต้องระบุประเภทหน่วยงาน (agency_type) เพื่อสร้างหน่วยงาน “%(name)s”") % {"name": name},
                            )
                        elif agency_type:
                            plan.new_agencies[new_key] = NewAgency(name, province, agency_type, number)
                    elif agency_type and agency_type != planned.type:
                        error(
                            "agency_type",
                            _("ประเภทหน่วยงานไม่ตรงกับแถวที่ %(other)s ของหน่วยงานเดียวกัน") % {"other": planned.row},
                        )
                else:
                    error(
                        "agency",
                        _("ไม่พบหน่วยงาน “%(name)s” จังหวัด%(province)s ในระบบ (เลือกสร้างหน่วยงานใหม่หากต้องการเพิ่ม)")
                        % {"name": name, "province": province},
                    )
            elif coordinator_of is not None and agency.pk not in coordinator_of:
                if agency.pk in visible:
                    error(
                        "agency",
                        _("ท่านไม่ได้เป็นผู้ประสานงาน ITA ของ “%(name)s” จึงนำเข้าข้อมูลของหน่วยงานนี้ไม่ได้") % {"name": name},
                    )
                else:
                    error("agency", hidden)

        plan.errors.extend(errors)
        if errors or edition is None:
            continue
        if new_key is not None and new_key not in plan.new_agencies:
            continue
        stored = existing.get((agency.pk, edition.pk)) if agency is not None else None
        if stored is not None:
            if published_given is None:
                published_total = stored["published_total"]
            if level_written is None:
                published_level = stored["published_level"]
        plan.rows.append(
            PlannedRow(
                row=number,
                agency=agency,
                new_agency=new_key,
                edition=edition,
                indicator_scores=indicator_scores,
                item_scores=item_scores,
                published_total=published_total,
                published_level=published_level,
                updates=stored is not None,
            )
        )

    plan.agencies_to_create = len(plan.new_agencies)
    plan.assessments_to_update = sum(1 for row in plan.rows if row.updates)
    plan.assessments_to_create = len(plan.rows) - plan.assessments_to_update
    return plan


# ---------------------------------------------------------------------------------------------------
# Saving


def _next_imported_code_number() -> int:
    numbers = [0]
    for code in Agency.objects.filter(code__startswith=IMPORTED_CODE_PREFIX).values_list("code", flat=True):
        suffix = code.removeprefix(IMPORTED_CODE_PREFIX)
        if suffix.isdigit():
            numbers.append(int(suffix))
    return max(numbers) + 1


@transaction.atomic
def apply_plan(plan: ImportPlan, *, by=None) -> ImportSummary:
    """Save a checked plan: create the new agencies, then each row through ``assessment_save``.
    All or nothing. Refuses a plan with errors. ``by`` is the user the audit trail names (``None`` for a command)."""
    if plan.errors:
        raise ImportRefused(_("ไฟล์ยังมีข้อผิดพลาด %(count)s รายการ จึงไม่บันทึกข้อมูล") % {"count": len(plan.errors)})
    created: dict[tuple[str, str], Agency] = {}
    if plan.new_agencies:
        # Thai names do not slugify; imported agencies get "imp-<n>", which an administrator may change.
        counter = _next_imported_code_number()
        for key, new in plan.new_agencies.items():
            agency = Agency(
                name=new.name, province=new.province, type=new.type, code=f"{IMPORTED_CODE_PREFIX}{counter}"
            )
            agency.full_clean(validate_unique=False, validate_constraints=False)  # checked against the file
            agency.save()
            created[key] = agency
            counter += 1
    for row in plan.rows:
        agency = row.agency if row.agency is not None else created[row.new_agency]
        assessment_save(
            agency=agency,
            edition=row.edition,
            indicator_scores=row.indicator_scores,
            item_scores=row.item_scores,
            published_total=row.published_total,
            published_level=row.published_level,
            by=by,
        )
    return ImportSummary(
        agencies_created=len(created),
        assessments_created=plan.assessments_to_create,
        assessments_updated=plan.assessments_to_update,
    )


# ---------------------------------------------------------------------------------------------------
# Export

EXPORT_CHUNK = 2000  # rows per query: prefetching in chunks keeps a many-year export within SQL limits


def export_queryset(queryset: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """The assessments with everything a row needs: agency and edition joined, indicator scores in one
    query per chunk. Ordered by year, province, agency."""
    return (
        queryset.select_related("agency", "edition")
        .prefetch_related(
            Prefetch("indicator_scores", queryset=IndicatorScore.objects.select_related("indicator").order_by())
        )
        .order_by("edition__fiscal_year", "agency__province", "agency__name", "pk")
    )


def export_rows(queryset: QuerySet[Assessment]) -> Iterator[list[Any]]:
    """The header, then one row per assessment, as Python values: ``Decimal`` scores, ``bool`` mismatch,
    ``None`` for a missing score. The writers turn them into text or cells."""
    yield list(EXPORT_HEADER)
    for assessment in export_queryset(queryset).iterator(chunk_size=EXPORT_CHUNK):
        scores = {s.indicator.number: s.score for s in assessment.indicator_scores.all()}
        agency = assessment.agency
        yield [
            agency.name,
            agency.type,
            agency.province,
            assessment.edition.fiscal_year,
            *(scores.get(n) for n in INDICATOR_NUMBERS),
            assessment.iit,
            assessment.eit,
            assessment.oit,
            assessment.total,
            assessment.level,
            assessment.published_total,
            assessment.published_level,
            assessment.mismatch,
        ]


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value.quantize(TWO_PLACES):.2f}"
    return str(value)


def write_csv(rows: Iterable[list[Any]], fh: IO[str]) -> int:
    """Write rows to a text file handle opened with ``newline=""`` and plain UTF-8 (this writes the BOM
    itself, so that Excel opens Thai text correctly). Returns the number of data rows."""
    writer = csv.writer(fh)
    fh.write("\ufeff")
    count = -1
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
        count += 1
    return max(count, 0)


_XLSX_WIDTHS = {
    "agency": 46,
    "agency_type": 24,
    "province": 18,
    "fiscal_year": 12,
    "level": 22,
    "published_overall": 18,
    "published_level": 22,
    "mismatch": 11,
}


_XLSX_KINDS = {"agency": "text", "agency_type": "text", "province": "text", "fiscal_year": "int", "level": "text"}
_XLSX_KINDS.update({"published_level": "text", "mismatch": "text"})


def write_xlsx(rows: Iterable[list[Any]], path_or_fh: Any) -> int:
    """Write rows to an .xlsx workbook through the workbook base (``ita_tracker.xlsx``: streaming, Thai font,
    print setup, names never formulas), header in row 1 so the file imports again, numbers as numbers shown
    with two decimals, and ``mismatch`` as a boolean. Returns the number of data rows."""
    from ita_tracker.xlsx import Sheet, write_workbook

    rows = iter(rows)
    header = next(rows, None) or list(EXPORT_HEADER)
    counted = [0]

    def data():
        for row in rows:
            counted[0] += 1
            yield row

    columns = [(name, _XLSX_KINDS.get(name, "number"), _XLSX_WIDTHS.get(name, 10)) for name in header]
    write_workbook([Sheet(title=_("ผลการประเมิน ITA"), columns=columns, rows=data(), empty_text="")], path_or_fh)
    return counted[0]
