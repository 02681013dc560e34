"""Writes to measure plans, measures and progress. Each runs in one transaction and validates the
whole object first, so a refused write saves nothing."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.audit import audit_diff, audit_record
from agencies.models import Agency, AuditEntry, Department, Membership
from assessments.models import Assessment, FrameworkEdition
from ita_tracker.thai import local_digits
from measures import evidence as evidence_checks
from measures import permissions
from measures.models import Evidence, Measure, MeasurePlan, MeasureStep, ProgressUpdate, Status

DEFAULT_MONITORING = "รายงานความก้าวหน้าและสรุปผล ณ สิ้นปีงบประมาณ"


class PlanExists(ValidationError):
    """The agency already has a plan for that year: usually the same form sent twice (a double click, a
    second tab). ``plan`` is the existing one, so the caller can answer with it instead of an error."""

    def __init__(self, plan: MeasurePlan):
        super().__init__(_("มีแผนมาตรการปี %(year)s อยู่แล้ว") % {"year": plan.fiscal_year}, code="plan_exists")
        self.plan = plan


@transaction.atomic
def plan_create(
    *, agency: Agency, fiscal_year: int, assessment: Assessment | None = None, title: str = "", introduction: str = ""
) -> MeasurePlan:
    """Raises :class:`PlanExists` when the year has a plan already. The agency row is locked first, so two
    requests for the same year queue here and the second finds the first's plan, rather than both passing
    ``full_clean`` and one failing on the unique constraint (a 500)."""
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    existing = MeasurePlan.objects.filter(agency=agency, fiscal_year=fiscal_year).first()
    if existing is not None:
        raise PlanExists(existing)
    if assessment is None:
        assessment = Assessment.objects.filter(agency=agency, edition__fiscal_year=fiscal_year - 1).first()
    plan = MeasurePlan(
        agency=agency,
        fiscal_year=fiscal_year,
        assessment=assessment,
        title=title or MeasurePlan.default_title(fiscal_year),
        introduction=introduction,
    )
    plan.full_clean()
    plan.save()
    return plan


def _lock_plan(plan: MeasurePlan) -> None:
    """Serialise the writes that number a plan's measures: two coordinators adding a measure at the same
    moment would otherwise both read the same highest number and one would fail on the unique constraint."""
    MeasurePlan.objects.select_for_update().filter(pk=plan.pk).first()


def _next_number(plan: MeasurePlan) -> int:
    """The number after the plan's highest; call with the plan locked (:func:`_lock_plan`)."""
    return (plan.measures.order_by("-number").values_list("number", flat=True).first() or 0) + 1


@transaction.atomic
def plan_draft_from_analysis(*, plan: MeasurePlan, by=None) -> list[Measure]:
    """Adopt, without asking, the best library or last-year measure for each indicator in the urgent and
    raise bands (what the drafting page ticks at first): owned measures with steps, never placeholders.
    The coordinator's page (``measures:plan_draft``) offers the same proposals to pick from by hand."""
    from measures import library

    proposals = library.proposals_for(plan)
    return library.plan_adopt(plan=plan, picks=library.default_picks(plan, proposals), by=by)


def shift_year(day: date | None, years: int) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def plan_copy(*, source: MeasurePlan, fiscal_year: int) -> MeasurePlan:
    """Start a year's plan as a copy of an earlier one: measures, steps, divisions, people and targets,
    dates moved by the years between, status and progress reset."""
    years = fiscal_year - source.fiscal_year
    plan = plan_create(agency=source.agency, fiscal_year=fiscal_year, introduction=source.introduction)
    edition = FrameworkEdition.objects.filter(fiscal_year=fiscal_year).first()
    for old in source.measures.prefetch_related("steps", "departments", "responsible_people", "indicators", "items"):
        new = Measure(
            plan=plan,
            number=old.number,
            title=old.title,
            description=old.description,
            all_departments=old.all_departments,
            starts=shift_year(old.starts, years),
            ends=shift_year(old.ends, years),
            monitoring=old.monitoring,
            budget=old.budget,
        )
        new.full_clean()
        new.save()
        new.departments.set(old.departments.all())
        new.responsible_people.set(old.responsible_people.all())
        if edition is not None:
            new.indicators.set(edition.indicators.filter(number__in=[i.number for i in old.indicators.all()]))
            new.items.set(edition.items.filter(code__in=[i.code for i in old.items.all()]))
        MeasureStep.objects.bulk_create(
            MeasureStep(
                measure=new,
                order=step.order,
                title=step.title,
                department=step.department,
                owner=step.owner,
                starts=shift_year(step.starts, years),
                ends=shift_year(step.ends, years),
                method=step.method,
            )
            for step in old.steps.all()
        )
    return plan


class Keep(enum.Enum):
    """A value a spec leaves as stored: the step form offers no method when the measure has one."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class StepSpec:
    """A step as a form gives it; ``pk`` names the stored step it edits (kept, with its done record).
    ``method`` is which of the measure's methods the step carries out (``MeasureStep.method``): a number,
    ``None`` for none named, or :data:`KEEP` for whatever the stored step has (a new step: none); ``owner``, the
    unit named in words ("งานนิติการ"), likewise keeps the stored one when :data:`KEEP`."""

    title: str
    department: Department | None = None
    owner: str | Keep = KEEP
    owner_person: Membership | None = None
    starts: date | None = None
    ends: date | None = None
    completed_on: date | None = None
    pk: int | None = None
    method: int | Keep | None = KEEP


class StaleEdit(Exception):
    """The measure changed since the form was opened. ``changes`` lists (field label, theirs, yours)."""

    def __init__(self, current: Measure, changes: list[tuple[str, str]]):
        super().__init__("measure changed since the form was opened")
        self.current = current
        self.changes = changes


MEASURE_FIELDS = (
    "number",
    "title",
    "description",
    "all_departments",
    "starts",
    "ends",
    "monitoring",
    "budget",
    "anticorruption_dimension",
)


def _set_relations(measure, *, departments, responsible_people, indicators, items, steps) -> None:
    if departments is not None:
        measure.departments.set(departments)
    if responsible_people is not None:
        measure.responsible_people.set(responsible_people)
    if indicators is not None:
        measure.indicators.set(indicators)
    if items is not None:
        measure.items.set(items)
    if steps is not None:
        _save_steps(measure, steps)


def _save_steps(measure: Measure, specs: Sequence[StepSpec]) -> None:
    """Make the measure's steps exactly ``specs``, in order: edited steps keep their row (and their done
    record and evidence), removed ones go, new ones are added. Orders are moved out of the way first so
    a reorder never meets the unique (measure, order) rule half-way."""
    existing = {step.pk: step for step in measure.steps.all()}
    kept = {spec.pk for spec in specs if spec.pk in existing}
    measure.steps.exclude(pk__in=kept).delete()
    measure.steps.update(order=F("order") + 1000)
    for order, spec in enumerate(specs, start=1):
        step = existing.get(spec.pk) or MeasureStep(measure=measure)
        # A stored step keeps its done record: ticking is its own act (step_complete), not a form field.
        skip = {"pk", "completed_on"} if step.pk else {"pk"}
        if spec.owner is KEEP:
            skip.add("owner")  # a caller that does not name the unit in words keeps what the step has
        if spec.method is KEEP:
            skip.add("method")  # a form without the choice keeps the method (seed 004's sub-rows) as it is
        elif spec.method is not None and spec.method != step.method:
            _check_method(measure, spec.method)
        values = {k: v for k, v in spec.__dict__.items() if k not in skip}
        for name, value in values.items():
            setattr(step, name, value)
        step.order = order
        step.full_clean(exclude=["measure"])
        step.save()


def _check_method(measure: Measure, method: int) -> None:
    """A method newly given to a step must be one of the measure's methods as its description now reads
    (:func:`measures.models.split_methods`); a method stored earlier is left alone even if the text has
    since lost that paragraph, as the documents still print it (an empty row) rather than lose the step."""
    count = len(measure.methods)
    if not 1 <= method <= max(count, 1):
        raise ValidationError(
            _("วิธีการที่ของขั้นตอนต้องเป็นวิธีการของมาตรการนี้ (%(first)s–%(count)s)")
            % {"first": local_digits(1), "count": local_digits(max(count, 1))},
            code="method_out_of_range",
        )


def _check_relations_belong(plan: MeasurePlan, departments, responsible_people, steps=None) -> None:
    if departments is not None and any(d.agency_id != plan.agency_id for d in departments):
        raise ValidationError({"departments": _("ส่วนราชการต้องอยู่ในหน่วยงานเดียวกับแผน")}, code="other_agency")
    people = list(responsible_people or []) + [s.owner_person for s in steps or () if s.owner_person]
    if not all(permissions.may_own(m, plan.agency_id) for m in people):
        raise ValidationError(
            {"responsible_people": _("ผู้รับผิดชอบต้องเป็นบุคลากรของหน่วยงานเดียวกับแผน")}, code="other_agency"
        )
    if any(s.department and s.department.agency_id != plan.agency_id for s in steps or ()):
        raise ValidationError(_("ส่วนราชการต้องอยู่ในหน่วยงานเดียวกับแผน"), code="other_agency")


@transaction.atomic
def measure_create(
    *,
    plan: MeasurePlan,
    fields: dict,
    departments: Iterable[Department] | None = None,
    responsible_people: Iterable[Membership] | None = None,
    indicators=None,
    items=None,
    steps: Sequence[StepSpec] | None = None,
    by=None,
) -> Measure:
    permissions.check_edit_plan(by, plan.agency)
    departments = list(departments) if departments is not None else None
    responsible_people = list(responsible_people) if responsible_people is not None else None
    _check_relations_belong(plan, departments, responsible_people, steps)
    _lock_plan(plan)
    duplicate = _just_created_twin(plan, fields)
    if duplicate is not None:
        return duplicate
    if "number" not in fields or fields["number"] is None:
        fields = {**fields, "number": _next_number(plan)}
    measure = Measure(plan=plan, **fields)
    measure.full_clean()
    measure.save()
    _set_relations(
        measure,
        departments=departments,
        responsible_people=responsible_people,
        indicators=indicators,
        items=items,
        steps=steps,
    )
    _audit(plan.agency_id, measure, by, AuditEntry.Action.CREATE, *audit_diff({}, _audit_state(measure)))
    return measure


DUPLICATE_WINDOW = timedelta(minutes=2)


def _just_created_twin(plan: MeasurePlan, fields: dict) -> Measure | None:
    """The measure this same form made moments ago, if this is that form sent again (a double click, a resent
    POST): every field the same (the number too, when one was typed), created within :data:`DUPLICATE_WINDOW`.
    The caller answers with it, as the first request did, instead of adding a copy under the next number. Read
    under the plan's lock, so two copies sent at the same instant also make one measure."""
    same = {name: value for name, value in fields.items() if name != "number" or value is not None}
    twins = plan.measures.filter(**same, created_at__gte=timezone.now() - DUPLICATE_WINDOW)
    return twins.order_by("-pk").first()


def _audit_state(measure: Measure) -> dict:
    """The fields, steps and targets the trail follows: a step or a division changed is a change to the
    measure as printed in the plan."""
    state = {name: getattr(measure, name) for name in MEASURE_FIELDS}
    state["steps"] = [
        _step_state(step)
        for step in MeasureStep.objects.filter(measure=measure).select_related("department").order_by("order")
    ]
    state["departments"] = sorted(measure.departments.values_list("name", flat=True))
    state["indicators"] = sorted(measure.indicators.values_list("number", flat=True))
    state["items"] = sorted(measure.items.values_list("code", flat=True))
    return state


def _step_state(step: MeasureStep) -> str:
    """A step as the trail shows it, with the method it carries out when one is named."""
    parts = (step.title, step.department or "", step.owner, step.starts, step.ends)
    return (
        (_("วิธีการที่ %(n)s: ") % {"n": step.method} if step.method else "")
        + " ".join(str(part) for part in parts if part)
        + (f" ✓{step.completed_on}" if step.completed_on else "")
    )


def _audit(agency_id: int, measure: Measure, by, action: str, before: dict, after: dict) -> None:
    """One audit entry for a measure, unless nothing the trail follows changed."""
    if action == AuditEntry.Action.CREATE or after:
        audit_record(
            agency=agency_id,
            actor=by,
            action=action,
            obj_type=AuditEntry.ObjectType.MEASURE,
            obj_id=measure.pk,
            summary=_("มาตรการที่ %(n)s %(title)s") % {"n": measure.number, "title": measure.title[:200]},
            before=before,
            after=after,
        )


@transaction.atomic
def measure_update(
    *,
    measure: Measure,
    expected_version: int,
    fields: dict,
    departments: Iterable[Department] | None = None,
    responsible_people: Iterable[Membership] | None = None,
    indicators=None,
    items=None,
    steps: Sequence[StepSpec] | None = None,
    by=None,
) -> Measure:
    """Save an edit made from ``expected_version``. If someone saved in between, raise :class:`StaleEdit`
    with what they changed, and save nothing: the form shows both and keeps what this person typed."""
    current = Measure.objects.select_for_update(of=("self",)).select_related("plan__agency").get(pk=measure.pk)
    permissions.check_edit_plan(by, current.plan.agency)
    if current.version != expected_version:
        raise StaleEdit(current, _changes_since(current, fields))
    departments = list(departments) if departments is not None else None
    responsible_people = list(responsible_people) if responsible_people is not None else None
    _check_relations_belong(current.plan, departments, responsible_people, steps)
    agency_id, before = current.plan.agency_id, _audit_state(current)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    _set_relations(
        current,
        departments=departments,
        responsible_people=responsible_people,
        indicators=indicators,
        items=items,
        steps=steps,
    )
    _audit(agency_id, current, by, AuditEntry.Action.UPDATE, *audit_diff(before, _audit_state(current)))
    if steps is not None:
        _reopen_if_steps_open(current, by)
    return current


def _reopen_if_steps_open(measure: Measure, by) -> None:
    """A measure done by its steps that is given a step not yet done is no longer done: its status and percent
    are what its steps now make, recorded as an update dated today (a done measure with an open step is what the
    progress form refuses). A status set by hand, or a measure not done, is left as it is."""
    if measure.status != Status.DONE or measure.status_by_hand:
        return
    total = measure.steps.count()
    done = measure.steps.filter(completed_on__isnull=False).count()
    if done >= total:
        return
    status, percent = status_from_steps(done, total)
    progress_record(
        measure=measure,
        by=by,
        reported_on=timezone.localdate(),
        status=status,
        percent=percent,
        summary=_("เพิ่มขั้นตอนที่ยังไม่เสร็จ สถานะและร้อยละคำนวณใหม่จากขั้นตอน (เสร็จ %(done)s จาก %(total)s)")
        % {"done": done, "total": total},
        checked=True,
    )
    measure.refresh_from_db()


def _changes_since(current: Measure, submitted: dict) -> list[tuple[str, str, str]]:
    """Fields where the stored measure differs from what this person submitted: (label, theirs, yours)."""
    changes = []
    for name, value in submitted.items():
        stored = getattr(current, name)
        if stored != value:
            label = str(Measure._meta.get_field(name).verbose_name)
            changes.append((label, "" if stored is None else str(stored), "" if value is None else str(value)))
    return changes


@transaction.atomic
def progress_record(
    *,
    measure: Measure,
    by,
    reported_on: date,
    status: str,
    percent: int,
    summary: str = "",
    outcome: str = "",
    obstacles: str = "",
    cancel_reason: str = "",
    files: Sequence[UploadedFile] = (),
    links: Sequence[tuple[str, str]] = (),
    step: MeasureStep | None = None,
    status_reason: str | None = None,
    checked: bool = False,
) -> ProgressUpdate:
    """Record progress with its evidence. The measure's current status and percent follow the update
    that is latest by date (a back-dated update does not overwrite a newer state).

    ``status_reason``: a status set by hand with this reason (ticked steps stop moving it); an empty
    string gives the status back to the steps; ``None`` leaves the choice as it was. With ``step`` the
    caller (``step_complete``) has checked the person's right to that step already; ``checked``: the caller has
    checked another right that carries this update (``measure_update``, the right to edit the plan)."""
    if step is None and not checked:
        permissions.check_report_progress(by, measure)
    if status == Status.DONE and percent != 100:
        percent = 100
    update = ProgressUpdate(
        measure=measure,
        reported_on=reported_on,
        status=status,
        percent=percent,
        summary=summary,
        outcome=outcome,
        obstacles=obstacles,
        cancel_reason=cancel_reason,
        step=step,
        created_by=by,
        created_at=timezone.now(),
    )
    update.full_clean(exclude=["measure", "created_by"])
    if status == Status.CANCELLED and not cancel_reason.strip():
        raise ValidationError({"cancel_reason": _("ระบุเหตุผลที่ยกเลิกมาตรการ")}, code="cancel_without_reason")
    checked = [(upload, evidence_checks.check_upload(upload)) for upload in files]
    evidence_checks.check_quota(agency_id=measure.plan.agency_id, by=by, uploads=files)
    update.save()
    for upload, content_type in checked:
        Evidence.objects.create(
            update=update,
            kind=Evidence.Kind.FILE,
            file=upload,
            original_name=upload.name[:255],
            content_type=content_type,
            size=upload.size,
        )
    for url, title in links:
        link = Evidence(update=update, kind=Evidence.Kind.LINK, url=url, title=title)
        link.full_clean(exclude=["update", "file"])
        link.save()

    before, after = audit_diff(
        {"status": str(Status(measure.status).label), "percent": measure.percent},
        {"status": str(Status(status).label), "percent": percent},
    )
    audit_record(
        agency=measure.plan.agency_id,
        actor=by,
        action=AuditEntry.Action.CREATE,
        obj_type=AuditEntry.ObjectType.PROGRESS,
        obj_id=update.pk,
        summary=_("ความก้าวหน้ามาตรการที่ %(n)s %(title)s") % {"n": measure.number, "title": measure.title[:200]},
        before=before,
        after={**after, "reported_on": reported_on},
    )
    latest = ProgressUpdate.objects.filter(measure=measure).order_by("-reported_on", "-created_at", "-pk").first()
    hand = {}
    if status_reason is not None:
        hand = {"status_by_hand": bool(status_reason.strip()), "status_reason": status_reason.strip()}
    if latest.pk == update.pk:
        Measure.objects.filter(pk=measure.pk).update(
            status=status,
            percent=percent,
            cancel_reason=cancel_reason if status == Status.CANCELLED else "",
            version=F("version") + 1,
            updated_at=timezone.now(),
            **hand,
        )
    elif hand:
        Measure.objects.filter(pk=measure.pk).update(version=F("version") + 1, **hand)
    return update


def status_from_steps(done: int, total: int) -> tuple[str, int]:
    """A measure's status and percent as its ticked steps make them."""
    if total == 0 or done == 0:
        return Status.NOT_STARTED, 0
    if done >= total:
        return Status.DONE, 100
    return Status.IN_PROGRESS, round(100 * done / total)


@transaction.atomic
def step_complete(
    *,
    step: MeasureStep,
    by,
    completed_on: date,
    note: str = "",
    files: Sequence[UploadedFile] = (),
    links: Sequence[tuple[str, str]] = (),
) -> ProgressUpdate:
    """Tick a step done, with its date, note and evidence, as one progress update tied to the step (so the
    as-of reports see it). Checked here, at the moment of acting, with the step locked: only staff of the
    step's division or the step's own person may (``measures.permissions.can_complete_step``)."""
    from measures import permissions as access

    current = (
        MeasureStep.objects.select_for_update(of=("self",)).select_related("measure__plan__agency").get(pk=step.pk)
    )
    if not access.can_complete_step(by, current):
        raise PermissionDenied("not this person's step")
    if current.completed_on is not None:
        raise ValidationError(_("ขั้นตอนนี้บันทึกว่าเสร็จแล้ว"), code="already_done")
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("วันที่เสร็จต้องไม่เป็นวันในอนาคต")}, code="future")
    measure = Measure.objects.select_for_update().get(pk=current.measure_id)
    current.completed_on, current.done_note, current.done_by = completed_on, note.strip(), by
    current.full_clean(exclude=["measure"])
    current.save()
    done = measure.steps.filter(completed_on__isnull=False).count()
    total = measure.steps.count()
    if measure.status_by_hand or measure.status == Status.CANCELLED:
        status, percent = measure.status, measure.percent
    else:
        status, percent = status_from_steps(done, total)
    summary = _("ขั้นตอนที่ %(n)s เสร็จ: %(title)s") % {"n": current.order, "title": current.title[:300]}
    return progress_record(
        measure=measure,
        by=by,
        reported_on=completed_on,
        status=status,
        percent=percent,
        summary=f"{summary}\n{note.strip()}".strip(),
        cancel_reason=measure.cancel_reason,
        files=files,
        links=links,
        step=current,
    )
