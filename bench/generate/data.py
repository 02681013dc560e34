"""What the generator keeps in memory about each agency between its phases."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from assessments import scoring
from assessments.models import FrameworkEdition
from bench.generate.constants import BANGKOK


@dataclass
class Person:
    user_id: int
    membership_id: int
    name: str
    position: str
    department_id: int | None


@dataclass
class EditionInfo:
    year: int
    edition: FrameworkEdition
    framework: scoring.Framework
    # (number, indicator id, tool code, name, [item ids])
    indicators: list[tuple[int, int, str, str, list[int]]]
    indicator_ids: dict[int, int]
    national_average: float
    tool_ids: dict[str, int]  # tool code -> id


@dataclass
class AssessmentInfo:
    id: int
    year: int
    total: Decimal
    level: str
    published_total: Decimal | None
    published_level: str
    scores: dict[int, Decimal]
    tools: dict[str, Decimal]


@dataclass
class MeasureInfo:
    number: int
    title: str
    steps: list[str]
    responsible: str
    starts: date
    ends: date
    monitoring: str
    updates: list[tuple]  # (reported_on, status, percent, summary, outcome)


@dataclass
class AgencyInfo:
    number: int
    id: int
    code: str
    name: str
    type: str
    province: str
    district: str
    place: str
    departments: list[tuple[int, str, str]] = field(default_factory=list)  # (id, name, letter code)
    coordinator: Person | None = None
    staff: list[Person] = field(default_factory=list)
    approvers: list[Person] = field(default_factory=list)  # [head?], palat, mayor
    admin: Person | None = None
    chain_id: int = 0
    # (order, position title, comment label, approvers, acting approvers)
    chain: list[tuple[int, str, str, list[Person], list[Person]]] = field(default_factory=list)
    assessments: dict[int, AssessmentInfo] = field(default_factory=dict)
    plans: dict[int, tuple[int, str, list[MeasureInfo]]] = field(default_factory=dict)  # year → (id, title, …)

    @property
    def palat(self) -> Person:
        return self.approvers[-2]

    @property
    def mayor(self) -> Person:
        return self.approvers[-1]


def _d2(value: float) -> Decimal:
    return Decimal(f"{min(100.0, max(0.0, value)):.2f}")


def _at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BANGKOK)


def _allocate(total: int, shares: list[float]) -> list[int]:
    """Split ``total`` by ``shares`` (largest remainder)."""
    raw = [total * s / sum(shares) for s in shares]
    counts = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)[: total - sum(counts)]:
        counts[i] += 1
    return counts
