"""The library of measures (คลังมาตรการ) and drafting a plan from the analysis with it.

The seeds' measures live in ``fixtures/library/measures.json`` and are installed by ``migrate`` (a
``post_migrate`` handler, :func:`install_library`), as the framework editions are: the file stays the one
source, a release that improves it updates the entries on the next ``migrate`` (matched by ``key``), and every
test database has them after its flush. ``load_demo`` is not used because a real installation, with no demo,
needs the library as much as the demo does.

Drafting (:func:`proposals_for` then :func:`plan_adopt`) proposes, for every indicator in the urgent and raise
bands, the library's measures and last year's measures that serve it, ranked by how many of those indicators
they serve; the coordinator ticks, edits and assigns them, and every measure created carries its steps and an
owner (a division, or ทุกกอง), never a placeholder.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.utils import OperationalError, ProgrammingError
from django.utils.translation import gettext as _

from agencies.models import Department, Membership
from assessments.models import FrameworkEdition, ResponsibleKind, TargetBands
from assessments.selectors import analysis_for
from ita_tracker.thai import fiscal_year_range
from measures.models import LibraryMeasure, LibraryStep, Measure, MeasurePlan

logger = logging.getLogger(__name__)

LIBRARY_FILE = Path(settings.BASE_DIR) / "fixtures" / "library" / "measures.json"

# Words in a division's name that tell its kind: agencies name divisions differently (สำนักปลัดเทศบาล,
# สำนักปลัด อบต.), so a library kind is matched against the names, falling back to the first division.
KIND_WORDS = {
    ResponsibleKind.OFFICE: ("ปลัด",),
    ResponsibleKind.STRATEGY: ("ยุทธศาสตร์", "แผน"),
    ResponsibleKind.FINANCE: ("คลัง",),
    ResponsibleKind.WORKS: ("ช่าง",),
    ResponsibleKind.EDUCATION: ("การศึกษา",),
    ResponsibleKind.HEALTH: ("สาธารณสุข", "สิ่งแวดล้อม"),
    ResponsibleKind.PERSONNEL: ("การเจ้าหน้าที่", "บุคคล", "ปลัด"),
    ResponsibleKind.LEGAL: ("นิติ", "ปลัด"),
    ResponsibleKind.PUBLIC_RELATIONS: ("ประชาสัมพันธ์", "ปลัด"),
}


# ---------------------------------------------------------------- installing the seeds' library


def install_library(*, using: str = DEFAULT_DB_ALIAS, path: Path | None = None, **kwargs) -> int:
    """``post_migrate``: write every entry of the library file (matched by ``key``); returns how many."""
    if using != DEFAULT_DB_ALIAS:
        return 0
    try:
        LibraryMeasure.objects.exists()
    except (OperationalError, ProgrammingError):  # migrated back below the table
        return 0
    data = json.loads((path or LIBRARY_FILE).read_text(encoding="utf-8"))
    with transaction.atomic():
        for entry in data["measures"]:
            _install_entry(entry)
    return len(data["measures"])


def _install_entry(entry: dict) -> None:
    measure, _created = LibraryMeasure.objects.update_or_create(
        key=entry["key"],
        defaults={
            "agency": None,
            "title": entry["title"],
            "description": entry.get("description", ""),
            "responsible_kind": entry["responsible_kind"],
            "start_month": entry["start_month"],
            "end_month": entry["end_month"],
            "monitoring": entry.get("monitoring", ""),
            "indicator_numbers": entry.get("indicators", []),
            "item_codes": entry.get("items", []),
            "source": entry.get("source", ""),
        },
    )
    measure.full_clean()
    measure.steps.all().delete()
    LibraryStep.objects.bulk_create(
        LibraryStep(
            measure=measure,
            order=order,
            title=step["title"],
            responsible_kind=step.get("responsible_kind", ""),
            start_month=step.get("start_month"),
            end_month=step.get("end_month"),
        )
        for order, step in enumerate(entry["steps"], start=1)
    )


# ---------------------------------------------------------------- months and divisions


def month_start(fiscal_year: int, month: int) -> date:
    """The first day of month ``month`` (1 = ตุลาคม) of fiscal year ``fiscal_year`` (BE)."""
    starts, _ends = fiscal_year_range(fiscal_year)
    index = starts.month - 1 + month - 1
    return date(starts.year + index // 12, index % 12 + 1, 1)


def month_end(fiscal_year: int, month: int) -> date:
    if month >= 12:
        return fiscal_year_range(fiscal_year)[1]
    following = month_start(fiscal_year, month + 1)
    return date.fromordinal(following.toordinal() - 1)


def department_for(kind: str, departments: list[Department]) -> Department | None:
    """The agency's division that matches a library kind, else its first division (usually สำนักปลัด)."""
    for word in KIND_WORDS.get(kind, ()):
        for department in departments:
            if word in department.name:
                return department
    return departments[0] if departments else None


# ---------------------------------------------------------------- proposals


@dataclass
class Candidate:
    """One measure the coordinator may adopt: from the library or from last year's plan."""

    ref: str  # "lib-<pk>" or "prev-<pk>", the checkbox value
    title: str
    description: str
    kind: str
    source_label: str
    serves: list[int]  # the urgent/raise indicators it serves
    steps: list[tuple[str, str, int | None, int | None]]  # (title, kind, start month, end month)
    start_month: int = 1
    end_month: int = 12
    monitoring: str = ""
    item_codes: list[str] = field(default_factory=list)
    library: LibraryMeasure | None = None
    previous: Measure | None = None

    @property
    def rank(self) -> tuple:
        return (-len(self.serves), 0 if self.previous else 1, self.ref)


@dataclass
class Proposals:
    bands: dict[int, str]  # indicator number -> band (urgent or raise)
    indicators: list  # analysis rows in the urgent and raise bands
    candidates: list[Candidate]

    def for_indicator(self, number: int) -> list[Candidate]:
        return [c for c in self.candidates if number in c.serves]


def proposals_for(plan: MeasurePlan) -> Proposals:
    """Library and last-year measures serving the plan's urgent and raise indicators, best first."""
    if plan.assessment is None:
        raise ValidationError(_("แผนนี้ยังไม่ได้ระบุผลการประเมินที่ใช้วิเคราะห์"), code="no_assessment")
    analysis = analysis_for(plan.assessment)
    rows = [r for r in analysis.rows if r.band in (TargetBands.Band.URGENT, TargetBands.Band.RAISE)]
    bands = {r.indicator.number: r.band for r in rows}
    wanted = set(bands)
    candidates = []
    library = LibraryMeasure.objects.offered_to(plan.agency).prefetch_related("steps").select_related("agency")
    for entry in library:
        serves = sorted(wanted.intersection(entry.indicator_numbers or []))
        if serves:
            candidates.append(_from_library(entry, serves))
    previous = (
        Measure.objects.filter(plan__agency=plan.agency, plan__fiscal_year=plan.fiscal_year - 1)
        .select_related("plan")
        .prefetch_related("indicators", "steps__department")
        .order_by("number")
    )
    for old in previous:
        serves = sorted(wanted.intersection(i.number for i in old.indicators.all()))
        if serves:
            candidates.append(_from_previous(old, serves))
    served = {n for c in candidates for n in c.serves}
    candidates.extend(_from_items(row) for row in rows if row.indicator.number not in served)
    candidates.sort(key=lambda c: c.rank)
    return Proposals(bands=bands, indicators=rows, candidates=candidates)


def _from_items(row) -> Candidate:
    """For an indicator nothing in the library serves (a new edition's indicator): a measure whose steps are
    the edition's items of that indicator, weakest first, each given to the kind of division that usually
    answers for it, and the improvements the analysis wrote as its description."""
    indicator = row.indicator
    scored = sorted(row.items, key=lambda pair: pair[1])
    items = [item for item, _score in scored] or list(indicator.items.all())
    steps = [
        (
            _("ดำเนินการตามเกณฑ์ข้อ %(code)s %(what)s")
            % {"code": item.code, "what": (item.criteria or item.title)[:300]},
            item.responsible_kind or ResponsibleKind.OFFICE,
            1,
            12,
        )
        for item in items[:8]
    ] or [(_("ทบทวนเกณฑ์ตัวชี้วัด%(name)s และกำหนดผู้รับผิดชอบ") % {"name": indicator.name_th}, "office", 1, 2)]
    steps.append((_("ติดตามผลและรายงานผู้บริหารรอบ 6 เดือนและสิ้นปีงบประมาณ"), ResponsibleKind.OFFICE, 6, 12))
    kinds = {kind for _t, kind, _a, _b in steps}
    return Candidate(
        ref=f"ind-{indicator.number}",
        title=_("ยกระดับผลการดำเนินงานด้าน%(name)s ตามเกณฑ์การประเมิน") % {"name": indicator.name_th},
        description="\n".join(f.improvements for f in row.findings if f.improvements),
        kind=kinds.pop() if len(kinds) == 1 else ResponsibleKind.OFFICE,
        source_label=_("ข้อคำถามของตัวชี้วัด"),
        serves=[indicator.number],
        steps=steps,
        item_codes=[item.code for item in items],
    )


def _from_library(entry: LibraryMeasure, serves: list[int]) -> Candidate:
    if entry.agency_id is None:
        label = _("คลังมาตรการ")
    else:
        label = _("คลังมาตรการของ%(agency)s") % {"agency": entry.agency.name}
    return Candidate(
        ref=f"lib-{entry.pk}",
        title=entry.title,
        description=entry.description,
        kind=entry.responsible_kind,
        source_label=label,
        serves=serves,
        steps=[
            (s.title, s.responsible_kind or entry.responsible_kind, s.start_month, s.end_month)
            for s in entry.steps.all()
        ],
        start_month=entry.start_month,
        end_month=entry.end_month,
        monitoring=entry.monitoring,
        item_codes=list(entry.item_codes or []),
        library=entry,
    )


def _from_previous(old: Measure, serves: list[int]) -> Candidate:
    return Candidate(
        ref=f"prev-{old.pk}",
        title=old.title,
        description=old.description,
        kind=ResponsibleKind.ALL if old.all_departments else "",
        source_label=_("แผนปี %(year)s") % {"year": old.plan.fiscal_year},
        serves=serves,
        steps=[(s.title, "", None, None) for s in old.steps.all()],
        monitoring=old.monitoring,
        previous=old,
    )


# ---------------------------------------------------------------- adopting


@dataclass(frozen=True)
class Pick:
    """What the coordinator kept of a candidate: its (edited) title and the division that owns it."""

    candidate: Candidate
    title: str
    department: Department | None  # None: ทุกกอง


@transaction.atomic
def plan_adopt(*, plan: MeasurePlan, picks: list[Pick], by=None) -> list[Measure]:
    """Create the picked measures with their steps, owners and targets. Refuses a pick without steps."""
    # Imported here: measures.services imports this module (plan_draft_from_analysis).
    from measures.services import StepSpec, measure_create

    departments = list(plan.agency.departments.order_by("order", "name"))
    edition = FrameworkEdition.objects.filter(fiscal_year=plan.fiscal_year).first() or (
        plan.assessment.edition if plan.assessment else None
    )
    created = []
    for pick in picks:
        candidate = pick.candidate
        if not candidate.steps:
            raise ValidationError(
                _("มาตรการ “%(title)s” ยังไม่มีขั้นตอน เพิ่มขั้นตอนก่อนนำมาใช้") % {"title": pick.title[:80]},
                code="no_steps",
            )
        steps = [
            StepSpec(
                title=title,
                department=pick.department or department_for(kind, departments),
                starts=month_start(plan.fiscal_year, start) if start else None,
                ends=month_end(plan.fiscal_year, end) if end else None,
            )
            for title, kind, start, end in candidate.steps
        ]
        if candidate.previous is not None:
            steps = _previous_steps(candidate.previous, plan, pick)
        measure = measure_create(
            plan=plan,
            fields={
                "title": pick.title,
                "description": candidate.description,
                "all_departments": pick.department is None,
                "starts": month_start(plan.fiscal_year, candidate.start_month),
                "ends": month_end(plan.fiscal_year, candidate.end_month),
                "monitoring": candidate.monitoring or _("รายงานความก้าวหน้าและสรุปผล ณ สิ้นปีงบประมาณ"),
                "library_source": candidate.library,
            },
            departments=[pick.department] if pick.department else [],
            indicators=edition.indicators.filter(number__in=candidate.serves) if edition else None,
            items=edition.items.filter(code__in=candidate.item_codes) if edition and candidate.item_codes else None,
            steps=steps,
            by=by,
        )
        created.append(measure)
    return created


def _previous_steps(old: Measure, plan: MeasurePlan, pick: Pick) -> list:
    from measures.services import StepSpec, shift_year

    years = plan.fiscal_year - old.plan.fiscal_year
    return [
        StepSpec(
            title=s.title,
            department=s.department if s.department and s.department.agency_id == plan.agency_id else pick.department,
            owner=s.owner,
            starts=shift_year(s.starts, years),
            ends=shift_year(s.ends, years),
        )
        for s in old.steps.all()
    ]


def default_picks(plan: MeasurePlan, proposals: Proposals, *, per_indicator: int = 1) -> list[Pick]:
    """The best candidate for each urgent/raise indicator not yet served: what the page ticks at first."""
    departments = list(plan.agency.departments.order_by("order", "name"))
    chosen: dict[str, Candidate] = {}
    for row in proposals.indicators:
        for candidate in proposals.for_indicator(row.indicator.number)[:per_indicator]:
            chosen.setdefault(candidate.ref, candidate)
    return [
        Pick(
            candidate=c,
            title=c.title,
            department=None if c.kind == ResponsibleKind.ALL else department_for(c.kind, departments),
        )
        for c in chosen.values()
    ]


# ---------------------------------------------------------------- the agency's own entries and sharing


@transaction.atomic
def library_add_from_measure(*, measure: Measure, by, share: bool = False) -> LibraryMeasure:
    """Keep one of the agency's measures in its library (optionally proposed to the province's list)."""
    if not measure.steps.exists():
        raise ValidationError(_("มาตรการที่จะเก็บในคลังต้องมีขั้นตอน"), code="no_steps")
    entry = LibraryMeasure(
        agency=measure.plan.agency,
        title=measure.title,
        description=measure.description,
        responsible_kind=ResponsibleKind.ALL if measure.all_departments else ResponsibleKind.OFFICE,
        monitoring=measure.monitoring,
        indicator_numbers=sorted({i.number for i in measure.indicators.all()}),
        item_codes=sorted({i.code for i in measure.items.all()}),
        source=_("แผนปี %(year)s") % {"year": measure.plan.fiscal_year},
        sharing=LibraryMeasure.Sharing.PROPOSED if share else LibraryMeasure.Sharing.PRIVATE,
    )
    entry.full_clean()
    entry.save()
    LibraryStep.objects.bulk_create(
        LibraryStep(measure=entry, order=s.order, title=s.title) for s in measure.steps.order_by("order")
    )
    return entry


def provinces_viewed_by(user) -> set[str]:
    """The provinces where ``user`` follows agencies as a viewer: they approve the province's shared list."""
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.active()
        .filter(user=user, is_viewer=True)
        .values_list("agency__province", flat=True)
        .distinct()
    )


@transaction.atomic
def library_decide(*, entry: LibraryMeasure, by, approve: bool) -> LibraryMeasure:
    """A viewer of the entry's province approves it for every agency there, or sends it back to private."""
    current = LibraryMeasure.objects.select_for_update(of=("self",)).select_related("agency").get(pk=entry.pk)
    if current.agency is None or current.agency.province not in provinces_viewed_by(by):
        raise PermissionDenied("only a viewer of the province decides")
    if current.sharing != LibraryMeasure.Sharing.PROPOSED:
        raise ValidationError(_("มาตรการนี้ไม่ได้รอการพิจารณาแล้ว"), code="not_proposed")
    current.sharing = LibraryMeasure.Sharing.APPROVED if approve else LibraryMeasure.Sharing.PRIVATE
    current.decided_by = by
    current.full_clean()
    current.save()
    return current
