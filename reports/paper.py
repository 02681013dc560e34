"""What a memo prints, fixed at submission, and read back the same way for every memo ever frozen.

At submission :func:`freeze` stores in ``Memo.table``::

    {"schema": 2, "kind": "progress_6",
     "header": {"agency_name", "department_name", "phone", "email"},
     "route": {"allow_same_approver": false},
     "sections": [{"section": "plan_table", ...data}, {"section": "progress_table", ...data}]}

so a renamed division, a new phone number or later progress never changes a submitted memo (issue 11 item 13).
Memos frozen before schema 2 hold one table, ``{"kind": "progress" | "plan" | "analysis", ...}``, and no
header: :func:`paper_for` reads them as one section under today's header, as they always printed. A draft
has nothing frozen: it shows what would be frozen if submitted now.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from reports import kinds
from reports.kinds.base import Section
from reports.models import Memo

SCHEMA = 2

# The table kinds of schema 1 and the sections that render them now.
LEGACY_SECTIONS = {"progress": "progress_table", "plan": "plan_table", "analysis": "analysis_summary"}


@dataclass
class Part:
    section: Section
    data: dict

    @property
    def template(self) -> str:
        return self.section.template


@dataclass
class Paper:
    header: dict
    parts: list[Part] = field(default_factory=list)
    schema: int = SCHEMA
    is_live: bool = False

    @property
    def head_parts(self) -> list[Part]:
        return [p for p in self.parts if p.section.placement == "head"]

    @property
    def body_parts(self) -> list[Part]:
        return [p for p in self.parts if p.section.placement != "head"]


def header_of(memo: Memo) -> dict:
    department = memo.department
    return {
        "agency_name": memo.agency.name,
        "department_name": department.name,
        "phone": department.phone,
        "email": department.email,
    }


def build_sections(memo: Memo, *, today: date | None = None) -> list[dict]:
    today = today or timezone.localdate()
    built = []
    for key in kinds.kind(memo.kind).sections:
        data = kinds.section(key).build(memo, today=today)
        if data is not None:
            built.append({"section": key, **data})
    return built


def freeze(memo: Memo, *, today: date | None = None) -> dict:
    """Everything the memo prints besides its own fields and its steps, as JSON."""
    return {
        "schema": SCHEMA,
        "kind": memo.kind,
        "header": header_of(memo),
        "route": {"allow_same_approver": memo.chain.allow_same_approver},
        "sections": build_sections(memo, today=today),
    }


def _parts(sections: list[dict]) -> list[Part]:
    parts = []
    for data in sections:
        section = kinds.section(data.get("section", ""))
        if section is not None:  # a section removed from the registry is left out rather than failing
            parts.append(Part(section, data))
    return parts


def paper_for(memo: Memo) -> Paper:
    frozen = memo.table
    if frozen is None:
        return Paper(
            header=header_of(memo),
            parts=_parts(build_sections(memo)),
            is_live=True,
        )
    if "schema" not in frozen:  # schema 1: one table, no header
        key = LEGACY_SECTIONS.get(frozen.get("kind", ""))
        parts = _parts([{"section": key, **frozen}]) if key else []
        return Paper(header=header_of(memo), parts=parts, schema=1)
    return Paper(
        header=frozen["header"],
        parts=_parts(frozen.get("sections", [])),
        schema=frozen["schema"],
    )


def allows_same_approver(memo: Memo) -> bool:
    """Whether one person may decide several steps of this memo: fixed at submission from its chain; for a
    memo frozen before schema 2, its chain's setting now."""
    frozen = memo.table or {}
    if "schema" in frozen:
        return bool(frozen.get("route", {}).get("allow_same_approver", False))
    return memo.chain.allow_same_approver


def repeat_signers(steps, *, unexplained: bool = False) -> bool:
    """Whether one person decided several steps (possible only where the chain allows it: the memo's page says
    so). ``unexplained``: for the paper, only where the blocks themselves do not explain it. A person who
    decides again acting for the next level signs as "… รักษาราชการแทน …" (seed 000's ปลัด, acting for the
    mayor), which is the official form and needs no note, as the seed prints none."""
    deciders = [s.decided_by_id for s in steps if s.decided_by_id and s.decision and not (unexplained and s.acting)]
    return len(deciders) != len(set(deciders))
