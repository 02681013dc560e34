"""Measure plans, measures, their steps, divisions, targets and progress updates."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model

from bench.generate.constants import CANCEL_REASONS, MEASURE_POOL, MONITORING, STEP_POOL
from bench.generate.data import AgencyInfo, MeasureInfo, _at
from ita_tracker.thai import fiscal_year_range
from measures.models import Measure, MeasurePlan, MeasureStep, ProgressUpdate, Status

User = get_user_model()


class PlansMixin:
    """Part of :class:`bench.generate.core.Generator`."""

    # ----------------------------------------------------------------------------------------- measures

    def _measures(self, part: list[AgencyInfo]) -> None:
        plan_rows, measure_rows, step_rows, update_rows = [], [], [], []
        dept_rows, indicator_rows, people_rows = [], [], []
        for info in part:
            rng = self._rng("measures", info.number)
            reporters = [info.coordinator, *info.staff]
            for year in self.years:
                year_start, year_end = fiscal_year_range(year)
                plan_id = self.ids.take(MeasurePlan)
                previous = info.assessments.get(year - 1)
                title = MeasurePlan.default_title(year)
                plan_created = _at(year_start + timedelta(days=rng.randint(5, 60)), 10)
                plan_rows.append(
                    (
                        plan_id, info.id, year, title, previous.id if previous else None,
                        f"{info.name} ได้วิเคราะห์ผลการประเมิน ITA และกำหนดมาตรการเพื่อยกระดับคะแนนในปีงบประมาณ {year}",
                        plan_created, plan_created,
                    )
                )  # fmt: skip
                edition = self.editions[year - 1] if previous else self.editions[year]
                measures = []
                for number, (measure_title, indicator_numbers) in enumerate(
                    rng.sample(MEASURE_POOL, rng.randint(10, 20)), start=1
                ):
                    measure_id = self.ids.take(Measure)
                    starts = year_start + timedelta(days=rng.randint(0, 150))
                    ends = min(year_end, starts + timedelta(days=rng.randint(60, 330)))
                    span = (ends - starts).days
                    # Steps: consecutive slices of the measure's period.
                    n_steps = rng.randint(2, 5)
                    bounds = [0, *sorted(rng.sample(range(1, max(span, n_steps)), n_steps - 1)), span]
                    step_titles = rng.sample(STEP_POOL, n_steps)
                    all_departments = rng.random() < 0.1
                    depts = [] if all_departments else rng.sample(info.departments, rng.randint(1, 2))
                    # Progress: 2–6 updates, dates increasing, statuses moving forward.
                    n_updates = rng.randint(2, 6)
                    window_end = min(year_end, ends + timedelta(days=20))
                    window = max((window_end - starts).days, n_updates)
                    days = sorted(rng.sample(range(window + 1), n_updates))
                    outcome = rng.choices(["done", "in_progress", "cancelled"], [84, 12, 4])[0]
                    percents = sorted(rng.sample(range(5, 96, 5), n_updates))
                    updates = []
                    reporter = rng.choice(reporters)
                    percent = 0
                    for k, day_offset in enumerate(days):
                        reported_on = starts + timedelta(days=day_offset)
                        last = k == n_updates - 1
                        cancel_reason = ""
                        if k == 0 and rng.random() < 0.3:
                            status, percent = Status.NOT_STARTED, 0
                        elif last and outcome == "done":
                            status, percent = Status.DONE, 100
                        elif last and outcome == "cancelled":
                            status = Status.CANCELLED  # stopped where it stood
                            cancel_reason = rng.choice(CANCEL_REASONS)
                        else:
                            status, percent = Status.IN_PROGRESS, percents[k]
                        summary = f"ดำเนินการแล้วร้อยละ {percent}" if status != Status.CANCELLED else "ยกเลิกมาตรการ"
                        result = "บรรลุเป้าหมายของมาตรการ" if status == Status.DONE else ""
                        created = _at(reported_on, 14, rng.randint(0, 59))
                        update_rows.append(
                            (measure_id, reported_on, status, percent, summary, result, "", cancel_reason,
                             reporter.user_id, created)
                        )  # fmt: skip
                        updates.append((reported_on, status, percent, summary, result))
                    last_day, last_update = updates[-1][0], update_rows[-1]
                    for order in range(1, n_steps + 1):
                        step_starts = starts + timedelta(days=bounds[order - 1])
                        step_ends = starts + timedelta(days=bounds[order])
                        completed = None
                        if step_ends <= last_day and (status == Status.DONE or rng.random() < 0.8):
                            completed = max(step_starts, min(last_day, step_ends + timedelta(days=rng.randint(-5, 5))))
                        elif status == Status.DONE:
                            completed = max(step_starts, last_day)
                        dept = depts[0][0] if depts and rng.random() < 0.7 else None
                        step_rows.append(
                            (measure_id, order, step_titles[order - 1], dept, "", step_starts, step_ends, completed)
                        )
                    responsible = "ทุกกอง" if all_departments else ", ".join(d[1] for d in depts)
                    monitoring = rng.choice(MONITORING)
                    measure_rows.append(
                        (
                            measure_id, plan_id, number, measure_title, "\n".join(f"-{s}" for s in step_titles),
                            all_departments, starts, ends, monitoring,
                            Decimal(rng.randrange(5000, 200000, 500)) if rng.random() < 0.5 else None,
                            status, cancel_reason, percent, 1, plan_created, last_update[9],
                        )
                    )  # fmt: skip
                    dept_rows.extend((measure_id, d[0]) for d in depts)
                    indicator_rows.extend(
                        (measure_id, edition.indicator_ids[n]) for n in indicator_numbers if n in edition.indicator_ids
                    )
                    if info.staff and rng.random() < 0.5:
                        people_rows.append((measure_id, rng.choice(info.staff).membership_id))
                    measures.append(
                        MeasureInfo(number, measure_title, step_titles, responsible, starts, ends, monitoring, updates)
                    )
                info.plans[year] = (plan_id, title, measures)
        w = self.writer
        w.write(
            MeasurePlan,
            ["id", "agency_id", "fiscal_year", "title", "assessment_id", "introduction", "created_at", "updated_at"],
            plan_rows,
        )
        w.write(
            Measure,
            ["id", "plan_id", "number", "title", "description", "all_departments", "starts", "ends", "monitoring",
             "budget", "status", "cancel_reason", "percent", "version", "created_at", "updated_at"],
            measure_rows,
        )  # fmt: skip
        w.write(
            MeasureStep,
            ["measure_id", "order", "title", "department_id", "owner", "starts", "ends", "completed_on"],
            step_rows,
        )
        w.write(
            ProgressUpdate,
            ["measure_id", "reported_on", "status", "percent", "summary", "outcome", "obstacles", "cancel_reason",
             "created_by_id", "created_at"],
            update_rows,
        )  # fmt: skip
        w.write(Measure.departments.through, ["measure_id", "department_id"], dept_rows)
        w.write(Measure.indicators.through, ["measure_id", "indicator_id"], indicator_rows)
        w.write(Measure.responsible_people.through, ["measure_id", "membership_id"], people_rows)
