"""Memo kinds and the document sections they carry, as specs in a registry.

A *kind* (``base.MemoKind``) says what a memo is about: its label, what it is drawn from (a measure plan, an
assessment or nothing), its default subject and text, and the sections it carries. A *section*
(``base.Section``) is one part printed after the memo's text (the plan table, the progress table, the
analysis summary): it builds the data frozen at submission and renders it on screen and in the PDF (one
template, as the screen and the PDF share ``_memo_paper.html``) and in Excel (a ``Sheet``).

Adding a kind or a section is one new module in this package plus one line below (docs/architecture.md). The
modules are imported on first use, not here, because ``reports.models`` reads the kind choices from this
package while the section modules read the models.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reports.kinds.base import MemoKind, Section

# One line per kind module (each exports KINDS, in the order the form offers them) ...
KIND_MODULES = (
    "reports.kinds.progress",
    "reports.kinds.plan",
    "reports.kinds.analysis",
    "reports.kinds.results",
    "reports.kinds.general",
)
# ... and one line per section module (each exports SECTION).
SECTION_MODULES = (
    "reports.kinds.sections.plan_table",
    "reports.kinds.sections.progress_table",
    "reports.kinds.sections.analysis_summary",
    "reports.kinds.sections.attachments",
    "reports.kinds.sections.results_table",
)

_kinds: dict[str, MemoKind] = {}
_sections: dict[str, Section] = {}


def _load() -> None:
    if _kinds:
        return
    sections = {}
    for path in SECTION_MODULES:
        section = import_module(path).SECTION
        sections[section.key] = section
    kinds = {}
    for path in KIND_MODULES:
        for kind in import_module(path).KINDS:
            missing = [key for key in kind.sections if key not in sections]
            if missing:
                raise LookupError(f"memo kind {kind.key!r} carries unregistered sections {missing}")
            kinds[kind.key] = kind
    _sections.update(sections)
    _kinds.update(kinds)


def kinds() -> list[MemoKind]:
    _load()
    return list(_kinds.values())


def kind(key: str) -> MemoKind:
    """The spec of a kind. An unknown key (a kind removed from the registry) reads as a general memo."""
    _load()
    return _kinds.get(key) or _kinds["free"]


def section(key: str) -> Section | None:
    _load()
    return _sections.get(key)


def kind_choices() -> list[tuple[str, str]]:
    """``Memo.kind``'s choices (a callable, so a new kind needs no migration)."""
    return [(k.key, k.label) for k in kinds()]
