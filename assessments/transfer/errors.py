"""What a check of a score file produces: its errors, and the plan of what saving it will do."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from agencies.models import Agency
from assessments.models import FrameworkEdition


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
    """One checked row, typed: what ``assessment_save`` will be called with. ``published_given`` and
    ``level_given`` say whether the file had a value: a blank cell keeps what is stored *when saving*."""

    row: int
    agency: Agency | None
    new_agency: tuple[str, str] | None  # key into ImportPlan.new_agencies when the agency is created
    edition: FrameworkEdition
    indicator_scores: dict[int, Decimal]
    item_scores: dict[str, Decimal]
    published_total: Decimal | None
    published_level: str
    updates: bool
    published_given: bool = True
    level_given: bool = True


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
