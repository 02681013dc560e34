"""Framework editions as reference data, and the national administrator who keeps them.

Editions are installed by ``migrate`` (:func:`install_missing_editions`, a ``post_migrate`` handler) rather than
by a data migration, for two reasons: the yearly files in ``fixtures/frameworks/`` stay the one source (a
release that adds ``2571.json`` installs it on the next ``migrate`` without a new migration), and
``post_migrate`` also runs after the test runner's ``flush``, so every test database, transactional or not,
has them. Editions already in the database are never touched here: ``load_frameworks`` updates them, and
keeps those edited in the application.

Who may edit editions is a Django permission, ``assessments.change_frameworkedition``, granted through the
group :data:`FRAMEWORK_ADMINS_GROUP`: it belongs to the person (a national administrator at the NACC or the
DLA), not to a membership of an agency, and superusers hold it already.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.audit import audit_diff, audit_record
from agencies.models import AuditEntry
from assessments.frameworks import CALENDAR_DATES, load_all, load_edition
from assessments.models import Assessment, Certainty, FrameworkEdition, IndicatorScore
from assessments.services import assessment_recompute, tool_scores_store

logger = logging.getLogger(__name__)

FRAMEWORK_ADMINS_GROUP = "ผู้ดูแลกรอบการประเมิน"
EDIT_PERMISSION = "assessments.change_frameworkedition"


def can_edit_frameworks(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(EDIT_PERMISSION))


def framework_admins_group() -> Group:
    """The group of national administrators, with the permission to change editions (created when missing)."""
    group, _ = Group.objects.get_or_create(name=FRAMEWORK_ADMINS_GROUP)
    content_type = ContentType.objects.get_for_model(FrameworkEdition)
    permission, _ = Permission.objects.get_or_create(
        codename="change_frameworkedition",
        content_type=content_type,
        defaults={"name": "Can change กรอบการประเมินประจำปี"},
    )
    group.permissions.add(permission)
    return group


def _fully_migrated(using: str) -> bool:
    """Loading uses today's models: after ``migrate assessments 0002`` the columns they need do not exist."""
    connection = connections[using]
    executor = MigrationExecutor(connection)
    targets = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "assessments"]
    return not executor.migration_plan(targets)


def install_missing_editions(*, using: str = DEFAULT_DB_ALIAS, **kwargs) -> list[int]:
    """``post_migrate``: load every edition file whose year is not in the database yet; returns those years."""
    if using != DEFAULT_DB_ALIAS or not _fully_migrated(using):
        return []
    results = load_all()
    added = [edition.fiscal_year for edition, written in results if written]
    if added:
        logger.info("Installed ITA framework editions %s", added)
    return added


# --- an edition as data, and what differs between two -----------------------------------------------------------


def edition_to_data(edition: FrameworkEdition) -> dict:
    """The edition in the shape of its fixture file, so the editor writes through the same checks and the same
    natural-key updates as ``load_frameworks`` (:func:`assessments.frameworks.load_edition`)."""
    tools = list(edition.tools.all())
    indicators = list(edition.indicators.all())
    code_of = {tool.pk: tool.code for tool in tools}
    number_of = {indicator.pk: indicator.number for indicator in indicators}
    calendar = {}
    for key, fields in CALENDAR_DATES.items():
        names = ("starts", "ends") if len(fields) == 2 else ("date",)
        calendar[key] = {name: getattr(edition, field) for field, name in zip(fields, names, strict=True)}
        calendar[key]["certainty"] = getattr(edition, f"{key}_certainty")
    return {
        "fiscal_year": edition.fiscal_year,
        "name": edition.name,
        "level_system": edition.level_system,
        "national_average": edition.national_average,
        "certainty": edition.certainty,
        "notes": edition.notes,
        "calendar": calendar,
        "tools": [{f: getattr(t, f) for f in ("code", "name_th", "name_en", "weight", "certainty")} for t in tools],
        "indicators": [
            {
                "number": i.number,
                "tool": code_of[i.tool_id],
                "name_th": i.name_th,
                "name_en": i.name_en,
                "aliases": [alias for alias in i.aliases.split("|") if alias],
                "weight": i.weight,
                "certainty": i.certainty,
            }
            for i in indicators
        ],
        "items": [
            {"indicator": number_of[i.indicator_id], **{f: getattr(i, f) for f in ITEM_DATA_FIELDS}}
            for i in edition.items.all()
        ],
        "levels": [
            {f: getattr(r, f) for f in ("label", "min_total", "min_each_tool", "passes", "certainty")}
            for r in edition.level_rules.all()
        ],
    }


ITEM_DATA_FIELDS = ("code", "title", "sub_indicator", "criteria", "responsible_kind", "certainty")

# What the comparison with last year looks at: (section, key, fields). Certainty is left out on purpose: it
# changes every year and says nothing about what agencies must do differently.
DIFF_SECTIONS = (
    ("tools", "code", ("name_th", "weight")),
    ("indicators", "number", ("tool", "name_th", "weight")),
    ("items", "code", ("indicator", "title", "sub_indicator", "criteria", "responsible_kind")),
    ("levels", "label", ("min_total", "min_each_tool", "passes", "order")),
)


@dataclass
class SectionDiff:
    name: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[tuple[str, object, object]]]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def edition_diff(old: dict, new: dict) -> list[SectionDiff]:
    """Tools, indicators, items and level rules added, removed or changed from ``old`` to ``new`` (edition data
    as :func:`edition_to_data` gives it), matched by their natural keys."""
    sections = []
    for section, key, fields in DIFF_SECTIONS:
        before = {row[key]: {**row, "order": n} for n, row in enumerate(old[section], start=1)}
        after = {row[key]: {**row, "order": n} for n, row in enumerate(new[section], start=1)}
        diff = SectionDiff(name=section)
        diff.added = [str(k) for k in after if k not in before]
        diff.removed = [str(k) for k in before if k not in after]
        for k, row in after.items():
            if k in before:
                changes = [(f, before[k][f], row[f]) for f in fields if _differs(before[k][f], row[f])]
                if changes:
                    diff.changed.append((str(k), changes))
        sections.append(diff)
    return sections


def _differs(a, b) -> bool:
    if a in (None, "") and b in (None, ""):
        return False
    return a != b


def previous_edition(edition: FrameworkEdition) -> FrameworkEdition | None:
    return (
        FrameworkEdition.objects.filter(fiscal_year__lt=edition.fiscal_year)
        .order_by("-fiscal_year")
        .prefetch_related("tools", "indicators", "items", "level_rules")
        .first()
    )


def edition_calendar(edition: FrameworkEdition) -> list[dict]:
    """The year's calendar as rows (key, label, starts, ends, certainty) for pages and dashboards."""
    labels = {
        "registration": _("ลงทะเบียนเข้ารับการประเมิน"),
        "oit_deadline": _("วันสุดท้ายของการเผยแพร่ข้อมูล OIT"),
        "survey": _("เก็บแบบวัด IIT และ EIT"),
        "results": _("ประกาศผลการประเมิน"),
    }
    rows = []
    for key, fields in CALENDAR_DATES.items():
        rows.append(
            {
                "key": key,
                "label": labels[key],
                "starts": getattr(edition, fields[0]),
                "ends": getattr(edition, fields[-1]) if len(fields) == 2 else None,
                "certainty": getattr(edition, f"{key}_certainty"),
                "certainty_display": Certainty(getattr(edition, f"{key}_certainty")).label,
            }
        )
    return rows


# --- the editor's writes -------------------------------------------------------------------------------------


def scored_assessments(edition: FrameworkEdition):
    """The assessments whose tool scores, total and level are computed from this edition's rules."""
    return Assessment.objects.filter(edition=edition, pk__in=IndicatorScore.objects.values("assessment_id"))


def _scoring_part(data: dict) -> tuple:
    return (
        [(t["code"], Decimal(t["weight"])) for t in data["tools"]],
        sorted((i["number"], i["tool"], Decimal(i["weight"])) for i in data["indicators"]),
        [
            (
                r["label"],
                Decimal(r["min_total"]),
                None if r["min_each_tool"] in (None, "") else Decimal(r["min_each_tool"]),
            )
            for r in data["levels"]
        ],
    )


def scoring_changes(edition: FrameworkEdition, data: dict) -> bool:
    """Whether saving ``data`` changes how this edition's totals and levels are computed."""
    try:
        return _scoring_part(edition_to_data(edition)) != _scoring_part(data)
    except (InvalidOperation, TypeError, KeyError):
        return True


@transaction.atomic
def edition_update(*, edition: FrameworkEdition, data: dict, by, version: int) -> int:
    """Save the editor's version of ``edition`` (fixture-shaped ``data``) and recompute the results it scores.

    All or nothing: the whole edition is checked as a file is; a tool, indicator or item that agencies' scores,
    findings or issues hang from cannot be removed; a page opened before someone else's save is refused
    (``version``). When weights, tools, indicators or level rules change, every computed result of the year is
    recomputed with :func:`assessments.services.assessment_recompute` and each changed one gets an entry in its
    agency's audit trail. Returns the number of results recomputed.
    """
    locked = FrameworkEdition.objects.select_for_update().get(pk=edition.pk)
    if locked.version != version:
        raise ValidationError(
            _("มีผู้อื่นบันทึกกรอบการประเมินปี %(year)s ไปแล้วหลังจากที่คุณเปิดหน้านี้ กรุณาเปิดหน้านี้ใหม่แล้วแก้ไขอีกครั้ง (ยังไม่ได้บันทึกสิ่งใด)")
            % {"year": locked.fiscal_year},
            code="stale",
        )
    if data.get("fiscal_year") != locked.fiscal_year:
        raise ValidationError(_("ปีงบประมาณของกรอบการประเมินแก้ไขไม่ได้"), code="year_changed")
    rescore = scoring_changes(locked, data)
    kept: list[str] = []
    load_edition(data, replace=True, keep_local_edits=False, warn=kept.append)
    if kept:
        raise ValidationError(
            [_("%(what)s (ยังไม่ได้บันทึกสิ่งใด)") % {"what": message.replace("ไม่มีในไฟล์", "ถูกลบ")} for message in kept],
            code="in_use",
        )
    locked.refresh_from_db()
    locked.edited_locally = True
    locked.edited_at = timezone.now()
    locked.edited_by = by if by is not None and by.is_authenticated else None
    locked.version += 1
    locked.save(update_fields=["edited_locally", "edited_at", "edited_by", "version"])
    return _recompute(locked, by) if rescore else 0


RECOMPUTED_FIELDS = ("total", "level")


def _recompute(edition: FrameworkEdition, by) -> int:
    """Recompute every scored result of the edition by its corrected rules: totals and levels in bulk, tool
    scores through :func:`tool_scores_store` (their only writer), one audit entry per agency whose result changed."""
    edition = FrameworkEdition.objects.with_structure().get(pk=edition.pk)
    assessments = list(
        scored_assessments(edition).prefetch_related("indicator_scores__indicator", "tool_scores__tool")
    )
    summary = _("คำนวณผลการประเมินปี %(year)s ใหม่ เพราะแก้ไขกรอบการประเมิน") % {"year": edition.fiscal_year}
    recomputed = []
    for assessment in assessments:
        assessment.edition = edition  # its rules, prefetched once
        stored = list(assessment.tool_scores.all())
        before = {name: getattr(assessment, name) for name in RECOMPUTED_FIELDS}
        before.update({f"tool:{row.tool.code}": row.score for row in stored})
        scores = {row.indicator.number: row.score for row in assessment.indicator_scores.all()}
        tools = assessment_recompute(assessment=assessment, scores=scores)
        after = {name: getattr(assessment, name) for name in RECOMPUTED_FIELDS}
        after.update({f"tool:{code}": score for code, score in tools.items() if score is not None})
        recomputed.append((assessment, tools, stored))
        old, new = audit_diff(before, after)
        if new or old:
            audit_record(
                agency=assessment.agency_id,
                actor=by,
                action=AuditEntry.Action.UPDATE,
                obj_type=AuditEntry.ObjectType.ASSESSMENT,
                obj_id=assessment.pk,
                summary=summary,
                before=old,
                after=new,
            )
    Assessment.objects.bulk_update(assessments, list(RECOMPUTED_FIELDS), batch_size=500)
    for assessment, tools, stored in recomputed:
        tool_scores_store(assessment=assessment, tools=tools, stored=stored)
    return len(assessments)


def _next_year_date(value: date | None) -> date | None:
    if value is None:
        return None
    try:
        return value.replace(year=value.year + 1)
    except ValueError:  # 29 February
        return value.replace(year=value.year + 1, day=28)


def _unconfirmed(certainty: str) -> str:
    return Certainty.LIKELY if certainty == Certainty.SURE else certainty


@transaction.atomic
def edition_open_next(*, source: FrameworkEdition, by) -> FrameworkEdition:
    """Open the year after ``source`` as a copy of it, everything to be checked against that year's manual:
    what was sure becomes likely, the calendar moves one year on and becomes open, the national average is
    unknown. Raises ``ValidationError`` when that year exists already."""
    year = source.fiscal_year + 1
    if FrameworkEdition.objects.filter(fiscal_year=year).exists():
        raise ValidationError(_("มีกรอบการประเมินปี %(year)s อยู่แล้ว") % {"year": year}, code="edition_exists")
    data = edition_to_data(source)
    data["fiscal_year"] = year
    data["name"] = source.name.replace(str(source.fiscal_year), str(year))
    data["national_average"] = None
    data["certainty"] = Certainty.OPEN
    data["notes"] = _(
        "เปิดจากกรอบการประเมินปี %(source)s: ต้องตรวจสอบเครื่องมือ น้ำหนัก ตัวชี้วัด ข้อคำถาม เกณฑ์ระดับ และปฏิทิน "
        "กับคู่มือการประเมิน ITA ปี %(year)s"
    ) % {"source": source.fiscal_year, "year": year}
    for section in ("tools", "indicators", "items", "levels"):
        for row in data[section]:
            row["certainty"] = _unconfirmed(row["certainty"])
    for entry in data["calendar"].values():
        for name in ("starts", "ends", "date"):
            if name in entry:
                entry[name] = _next_year_date(entry[name])
        entry["certainty"] = Certainty.OPEN
    edition, _written = load_edition(data)
    edition.edited_locally = True
    edition.edited_at = timezone.now()
    edition.edited_by = by if by is not None and by.is_authenticated else None
    edition.save(update_fields=["edited_locally", "edited_at", "edited_by"])
    return edition
