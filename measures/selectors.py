"""Reads for the measure pages, with a fixed number of queries whatever the number of measures."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from measures.models import Measure, MeasurePlan, MeasureStep, ProgressUpdate, Status


def visible_plan_or_404(user, pk) -> MeasurePlan:
    try:
        return MeasurePlan.objects.visible_to(user).select_related("agency", "assessment__edition").get(pk=pk)
    except (MeasurePlan.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such plan") from exc


def visible_measure_or_404(user, pk) -> Measure:
    try:
        return Measure.objects.visible_to(user).select_related("plan__agency").get(pk=pk)
    except (Measure.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such measure") from exc


def measures_for_list(queryset: QuerySet) -> QuerySet:
    """What a list of measures shows, prefetched: divisions, steps, indicators (a handful of queries)."""
    return queryset.select_related("plan__agency").prefetch_related(
        "departments",
        "indicators",
        Prefetch("steps", queryset=MeasureStep.objects.select_related("department").order_by("order")),
    )


@dataclass(frozen=True)
class MeasureState:
    """A measure as it stood on a day: from its latest update reported on or before that day."""

    measure: Measure
    status: str
    percent: int
    update: ProgressUpdate | None

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def summary(self) -> str:
        return self.update.summary if self.update else ""

    @property
    def outcome(self) -> str:
        return self.update.outcome if self.update else ""


def plan_state_as_of(plan: MeasurePlan, day: date) -> list[MeasureState]:
    """The state of every measure of ``plan`` on ``day``, from the update history: reports of a past
    round (31 March, 30 September) stay right when later updates arrive. Three queries."""
    measures = list(measures_for_list(plan.measures.all()).order_by("number"))
    updates = (
        ProgressUpdate.objects.filter(measure__plan=plan, reported_on__lte=day)
        .order_by("measure_id", "reported_on", "created_at", "pk")
        .prefetch_related("evidence")
    )
    latest: dict[int, ProgressUpdate] = {}
    for update in updates:
        latest[update.measure_id] = update  # ordered oldest first: the last one wins
    states = []
    for measure in measures:
        update = latest.get(measure.pk)
        if update is None:
            states.append(MeasureState(measure, Status.NOT_STARTED, 0, None))
        else:
            states.append(MeasureState(measure, update.status, update.percent, update))
    return states


def counts_by_status(measures) -> dict[str, int]:
    counts = Counter(m.status for m in measures)
    return {status: counts.get(status, 0) for status in Status.values}


def counts_by_department(measures) -> list[tuple[str, int]]:
    counts: Counter = Counter()
    for measure in measures:
        if measure.all_departments:
            counts["ทุกกอง"] += 1
        for department in measure.departments.all():
            counts[department.name] += 1
    return counts.most_common()


def measures_not_ready(plan: MeasurePlan) -> list[tuple[Measure, list[str]]]:
    """Measures that cannot go into an approved plan yet, with what each lacks (Thai): an owner (a division,
    ทุกกอง or a person) or steps. Three queries whatever the number of measures."""
    problems = []
    measures = plan.measures.prefetch_related("departments", "responsible_people", "steps").order_by("number")
    for measure in measures:
        missing = []
        if not (measure.all_departments or measure.departments.all() or measure.responsible_people.all()):
            missing.append(gettext("ไม่มีผู้รับผิดชอบ"))
        if not measure.steps.all():
            missing.append(gettext("ไม่มีขั้นตอน"))
        if missing:
            problems.append((measure, missing))
    return problems
