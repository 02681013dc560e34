"""Checking a score file: read it, and list every problem with its row and column; nothing is saved.

Lookups are gathered once per file, not per row: the editions with their structure, the agencies of the
provinces named, the user's rights (``assessments.permissions``) and the assessments that already exist.
Then each row goes through the same named steps: where (agency, province, year), the published figures,
the indicator scores, the item scores, and which agency (and may this user import it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _

from agencies.models import Agency
from assessments import permissions
from assessments.models import Assessment, FrameworkEdition
from assessments.transfer import values as v
from assessments.transfer.errors import ImportPlan, NewAgency, PlannedRow, RowError
from assessments.transfer.header import Columns, indicator_number, missing_columns, read_header
from assessments.transfer.table import TableError, open_table


def editions_by_year() -> dict[int, FrameworkEdition]:
    editions = FrameworkEdition.objects.with_structure().prefetch_related("items")
    return {edition.fiscal_year: edition for edition in editions}


def check_file(file_obj: IO, filename: str, *, user=None, create_agencies: bool = False) -> ImportPlan:
    """Read and check the whole file; nothing is saved. The plan lists every error found.

    With ``user``, each row's agency must be one where the user may write scores
    (``assessments.permissions.importable_agency_ids``). For an agency the user cannot see, the message is
    the same whether it exists or not. Agencies are created for unknown names only with ``create_agencies``
    and when there is no user or the user is a superuser (a creation would otherwise reveal which agencies
    exist). The file is read within bounds (``assessments.transfer.table``): only the columns the header
    names, up to the first long run of blank rows.
    """
    plan = ImportPlan()
    editions = editions_by_year()
    try:
        with open_table(file_obj, filename) as table:
            columns = read_header(table.header, editions.values(), plan.errors)
            columns, positions = columns.compacted()
            rows = list(enumerate(table.rows(positions), start=2))
    except TableError as exc:
        plan.errors = [RowError(0, "", str(exc))]
        return plan

    check = _FileCheck(
        columns, editions, plan, user=user, may_create=permissions.may_create_agencies(user, create_agencies)
    )
    data_rows = [(number, values) for number, values in rows if not all(map(v.blank, values))]
    check.gather(data_rows)
    plan.errors.extend(missing_columns(columns, [editions[y] for y in sorted(check.years_named) if y in editions]))
    if not data_rows:
        plan.errors.append(RowError(0, "", _("ไม่มีข้อมูลในไฟล์ (มีเพียงแถวชื่อคอลัมน์)")))
        return plan
    for number, values in data_rows:
        check.row(number, values)
    plan.agencies_to_create = len(plan.new_agencies)
    plan.assessments_to_update = sum(1 for planned in plan.rows if planned.updates)
    plan.assessments_to_create = len(plan.rows) - plan.assessments_to_update
    return plan


@dataclass
class _Row:
    """What one row says, as it is checked step by step."""

    number: int
    values: list[Any]
    errors: list[RowError] = field(default_factory=list)
    name: str = ""
    province: str = ""
    agency_type: str = ""
    type_written: Any = None
    year: int | None = None
    edition: FrameworkEdition | None = None
    published_given: Any = None
    published_total: Decimal | None = None
    level_written: Any = None
    published_level: str = ""
    indicator_scores: dict[int, Decimal] = field(default_factory=dict)
    item_scores: dict[str, Decimal] = field(default_factory=dict)
    agency: Agency | None = None
    new_key: tuple[str, str] | None = None


class _FileCheck:
    """The lookups of one file and the checks of its rows."""

    def __init__(self, columns: Columns, editions: dict[int, FrameworkEdition], plan: ImportPlan, *, user, may_create):
        self.columns = columns
        self.editions = editions
        self.plan = plan
        self.may_create = may_create
        self.importable = permissions.importable_agency_ids(user)
        self.visible: set[int] = set()
        if self.importable is not None:
            self.visible = set(Agency.objects.visible_to(user).values_list("pk", flat=True))
        self.types = v.agency_types()
        self.levels = {
            year: {v.header_key(rule.label): rule.label for rule in e.level_rules.all()}
            for year, e in editions.items()
        }
        self.agencies: dict[tuple[str, str], Agency] = {}
        self.existing: dict[tuple[int, int], bool] = {}
        self.years_named: set[int] = set()
        self.seen: dict[tuple[str, str, int], int] = {}

    def cell(self, values: list[Any], key: str) -> Any:
        position = self.columns.index.get(key)
        if position is None or position >= len(values):
            return None
        value = values[position]
        return None if v.blank(value) else value

    # Lookups for the whole file --------------------------------------------------------------------

    def gather(self, data_rows: list[tuple[int, list[Any]]]) -> None:
        """What the rows name, so that every lookup is one query for the whole file."""
        provinces = set()
        for _number, values in data_rows:
            written = v.text(self.cell(values, "province"))
            provinces |= {v.province_key(written), written}
            try:
                self.years_named.add(v.fiscal_year(self.cell(values, "fiscal_year")))
            except v.CellError:
                pass
        provinces.discard("")
        for agency in Agency.objects.filter(province__in=provinces).only("pk", "name", "province", "type"):
            self.agencies[(v.text(agency.name), v.province_key(agency.province))] = agency
        edition_ids = [self.editions[year].pk for year in self.years_named if year in self.editions]
        if provinces and edition_ids:
            for pair in Assessment.objects.filter(edition__in=edition_ids, agency__province__in=provinces).values_list(
                "agency_id", "edition_id"
            ):
                self.existing[pair] = True

    # One row ---------------------------------------------------------------------------------------

    def row(self, number: int, values: list[Any]) -> None:
        row = _Row(number, values)
        self._where(row)
        self._duplicate(row)
        self._published(row)
        self._indicator_scores(row)
        self._item_scores(row)
        self._agency(row)
        self.plan.errors.extend(row.errors)
        if row.errors or row.edition is None:
            return
        if row.new_key is not None and row.new_key not in self.plan.new_agencies:
            return
        self.plan.rows.append(
            PlannedRow(
                row=number,
                agency=row.agency,
                new_agency=row.new_key,
                edition=row.edition,
                indicator_scores=row.indicator_scores,
                item_scores=row.item_scores,
                published_total=row.published_total,
                published_level=row.published_level,
                updates=row.agency is not None and (row.agency.pk, row.edition.pk) in self.existing,
                published_given=row.published_given is not None,
                level_given=row.level_written is not None,
            )
        )

    def _error(self, row: _Row, key: str, message: str) -> None:
        row.errors.append(RowError(row.number, self.columns.name(key), message))

    def _where(self, row: _Row) -> None:
        """Agency name, province, type and year."""
        row.name = v.text(self.cell(row.values, "agency"))
        row.province = v.province_key(v.text(self.cell(row.values, "province")))
        if self.columns.has("agency") and not row.name:
            self._error(row, "agency", _("ต้องระบุชื่อหน่วยงาน"))
        elif len(row.name) > 200:
            self._error(row, "agency", _("ชื่อหน่วยงานยาวเกิน 200 ตัวอักษร"))
        if self.columns.has("province") and not row.province:
            self._error(row, "province", _("ต้องระบุจังหวัด"))
        elif len(row.province) > 100:
            self._error(row, "province", _("ชื่อจังหวัดยาวเกิน 100 ตัวอักษร"))
        row.type_written = self.cell(row.values, "agency_type")
        if row.type_written is not None:
            row.agency_type = self.types.get(v.header_key(row.type_written), "")
            if not row.agency_type:
                self._error(
                    row,
                    "agency_type",
                    _("ไม่รู้จักประเภทหน่วยงาน “%(value)s” (ใช้ เช่น sao หรือ องค์การบริหารส่วนตำบล)")
                    % {"value": v.text(row.type_written)},
                )
        self._year(row)

    def _year(self, row: _Row) -> None:
        if not self.columns.has("fiscal_year"):
            return
        written = self.cell(row.values, "fiscal_year")
        if written is None:
            self._error(row, "fiscal_year", _("ต้องระบุปีงบประมาณ (พ.ศ.)"))
            return
        try:
            row.year = v.fiscal_year(written)
        except v.CellError as exc:
            self._error(row, "fiscal_year", str(exc))
            return
        row.edition = self.editions.get(row.year)
        if row.edition is None:
            self._error(row, "fiscal_year", _("ไม่มีกรอบการประเมินของปีงบประมาณ %(year)s ในระบบ") % {"year": row.year})

    def _duplicate(self, row: _Row) -> None:
        """The same agency and year twice: the second row names the first."""
        if not (row.name and row.province and row.year is not None):
            return
        key = (row.name, row.province, row.year)
        if key in self.seen:
            self._error(
                row,
                "agency",
                _("หน่วยงาน “%(name)s” ปี %(year)s ซ้ำกับแถวที่ %(other)s")
                % {"name": row.name, "year": row.year, "other": self.seen[key]},
            )
        else:
            self.seen[key] = row.number

    def _published(self, row: _Row) -> None:
        row.published_given = self.cell(row.values, "published_overall")
        if row.published_given is not None:
            try:
                row.published_total = v.score(row.published_given)
            except v.CellError as exc:
                self._error(row, "published_overall", str(exc))
        row.level_written = self.cell(row.values, "published_level")
        if row.level_written is None or row.edition is None:
            return
        levels = self.levels[row.year]
        row.published_level = levels.get(v.header_key(row.level_written), "")
        if not row.published_level:
            self._error(
                row,
                "published_level",
                _("“%(value)s” ไม่ใช่ระดับของปี %(year)s (%(levels)s)")
                % {"value": v.text(row.level_written), "year": row.year, "levels": ", ".join(levels.values())},
            )

    def _indicator_scores(self, row: _Row) -> None:
        """All of the year's indicators, unless the row gives the published total only."""
        numbers = {i.number for i in row.edition.indicators.all()} if row.edition else set()
        keys = self.columns.indicator_keys()
        none_given = all(self.cell(row.values, key) is None for key in keys)
        if none_given and row.published_given is None and keys:
            self._error(
                row,
                keys[0],
                _("แถวนี้ไม่มีทั้งคะแนนตัวชี้วัดและคะแนนรวมที่ประกาศ (published_overall) ต้องระบุอย่างใดอย่างหนึ่ง"),
            )
        for key in keys:
            indicator = indicator_number(key)
            value = self.cell(row.values, key)
            if value is None:
                if row.published_given is None and not none_given and indicator in numbers:
                    self._error(row, key, _("ต้องระบุคะแนนตัวชี้วัด (หรือระบุ published_overall สำหรับคะแนนรวมอย่างเดียว)"))
                continue
            try:
                score = v.score(value)
            except v.CellError as exc:
                self._error(row, key, str(exc))
                continue
            if row.edition is not None and indicator not in numbers:
                self._error(row, key, _("ปี %(year)s ไม่มีตัวชี้วัดที่ %(number)s") % {"year": row.year, "number": indicator})
                continue
            row.indicator_scores[indicator] = score

    def _item_scores(self, row: _Row) -> None:
        """Item scores, by the codes of the row's year."""
        codes = {item.code.lower(): item.code for item in row.edition.items.all()} if row.edition else {}
        for key in self.columns.item_keys():
            value = self.cell(row.values, key)
            if value is None:
                continue
            try:
                score = v.score(value)
            except v.CellError as exc:
                self._error(row, key, str(exc))
                continue
            code = key.removeprefix("item:")
            if row.edition is None:
                continue
            if code not in codes:
                self._error(
                    row, key, _("ปี %(year)s ไม่มีข้อคำถาม %(code)s") % {"year": row.year, "code": self.columns.name(key)}
                )
                continue
            row.item_scores[codes[code]] = score

    def _agency(self, row: _Row) -> None:
        """Which agency, and may this user import it."""
        if not (row.name and row.province):
            return
        row.agency = self.agencies.get((row.name, row.province))
        hidden = _("ไม่พบหน่วยงาน “%(name)s” จังหวัด%(province)s หรือท่านไม่มีสิทธิ์นำเข้าข้อมูลของหน่วยงานนี้") % {
            "name": row.name,
            "province": row.province,
        }
        if row.agency is None:
            if self.importable is not None:
                self._error(row, "agency", hidden)
            elif self.may_create:
                self._new_agency(row)
            else:
                self._error(
                    row,
                    "agency",
                    _("ไม่พบหน่วยงาน “%(name)s” จังหวัด%(province)s ในระบบ (เลือกสร้างหน่วยงานใหม่หากต้องการเพิ่ม)")
                    % {"name": row.name, "province": row.province},
                )
        elif self.importable is not None and row.agency.pk not in self.importable:
            if row.agency.pk in self.visible:
                self._error(
                    row,
                    "agency",
                    _("ท่านไม่ได้เป็นผู้ประสานงาน ITA ของ “%(name)s” จึงนำเข้าข้อมูลของหน่วยงานนี้ไม่ได้") % {"name": row.name},
                )
            else:
                self._error(row, "agency", hidden)

    def _new_agency(self, row: _Row) -> None:
        row.new_key = (row.name, row.province)
        planned = self.plan.new_agencies.get(row.new_key)
        if planned is None:
            if row.type_written is None:
                self._error(
                    row,
                    "agency_type",
                    _("ต้องระบุประเภทหน่วยงาน (agency_type) เพื่อสร้างหน่วยงาน “%(name)s”") % {"name": row.name},
                )
            elif row.agency_type:
                self.plan.new_agencies[row.new_key] = NewAgency(row.name, row.province, row.agency_type, row.number)
        elif row.agency_type and row.agency_type != planned.type:
            self._error(
                row,
                "agency_type",
                _("ประเภทหน่วยงานไม่ตรงกับแถวที่ %(other)s ของหน่วยงานเดียวกัน") % {"other": planned.row},
            )
