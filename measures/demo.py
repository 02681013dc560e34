"""The seeds' measure plans for the demo (``fixtures/demo/measures.json``), run by ``load_demo``.

Writes only through :mod:`measures.services`, so every plan, measure, step and progress update is
validated as if entered by hand, and each measure's current status follows its latest update. Safe to run
again: a plan that exists is kept as it is, and measures are added only to a plan that has none (a plan
with measures may have been changed by an administrator, and is left alone).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction

from agencies.models import Agency, Department, Membership
from assessments.models import AnalysisIssue, FrameworkEdition
from measures.models import Measure, MeasurePlan
from measures.services import StepSpec, measure_create, plan_create, progress_record

DATA_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo" / "measures.json"


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _agency(code: str) -> Agency:
    try:
        return Agency.objects.get(code=code)
    except Agency.DoesNotExist as exc:
        raise CommandError(f"{DATA_FILE.name}: no agency with code {code!r}") from exc


class _Lookups:
    """Divisions, reporting users and framework rows of one plan, named as the file names them."""

    def __init__(self, plan: MeasurePlan):
        self.plan = plan
        self.departments = {d.name: d for d in Department.objects.filter(agency=plan.agency)}
        self.users = {
            m.user.username: m.user
            for m in Membership.objects.filter(agency=plan.agency, is_active=True).select_related("user")
        }
        self.edition = FrameworkEdition.objects.filter(fiscal_year=plan.fiscal_year).first() or (
            plan.assessment.edition if plan.assessment else None
        )

    def department(self, name: str | None) -> Department | None:
        if not name:
            return None
        try:
            return self.departments[name]
        except KeyError as exc:
            raise CommandError(f"{DATA_FILE.name}: {self.plan.agency.code} has no division {name!r}") from exc

    def user(self, username: str):
        try:
            return self.users[username]
        except KeyError as exc:
            raise CommandError(f"{DATA_FILE.name}: {username!r} is not a member of {self.plan.agency.code}") from exc

    def indicators(self, numbers: list[int]):
        if not numbers or self.edition is None:
            return None
        return list(self.edition.indicators.filter(number__in=numbers))

    def items_of_issue(self, number: int | None):
        """The items of the analysis issue a measure answers, in the plan year's edition."""
        if number is None or self.plan.assessment is None or self.edition is None:
            return None
        issue = AnalysisIssue.objects.filter(assessment=self.plan.assessment, number=number).first()
        if issue is None:
            return None
        codes = list(issue.items.values_list("code", flat=True))
        return list(self.edition.items.filter(code__in=codes))


def _measure(plan: MeasurePlan, spec: dict, lookups: _Lookups) -> Measure:
    measure = measure_create(
        plan=plan,
        fields={
            "number": spec["number"],
            "title": spec["title"],
            "description": spec.get("description", ""),
            "all_departments": spec.get("all_departments", False),
            "starts": _day(spec["starts"]),
            "ends": _day(spec["ends"]),
            "monitoring": spec.get("monitoring", ""),
            "anticorruption_dimension": spec.get("anticorruption_dimension", ""),
            "budget": Decimal(spec["budget"]) if spec.get("budget") else None,
        },
        departments=[lookups.department(name) for name in spec.get("departments", [])],
        indicators=lookups.indicators(spec.get("indicators", [])),
        items=lookups.items_of_issue(spec.get("issue")),
        steps=[
            StepSpec(
                title=step["title"],
                department=lookups.department(step.get("department")),
                owner=step.get("owner", ""),
                starts=_day(step.get("starts")),
                ends=_day(step.get("ends")),
                completed_on=_day(step.get("completed_on")),
                method=step.get("method"),
            )
            for step in spec.get("steps", [])
        ],
    )
    # Oldest first, so that each update is the latest when it is recorded, as it was in real life.
    for update in sorted(spec.get("updates", []), key=lambda u: u["reported_on"]):
        progress_record(
            measure=measure,
            by=lookups.user(update["by"]),
            reported_on=_day(update["reported_on"]),
            status=update["status"],
            percent=update["percent"],
            summary=update.get("summary", ""),
            outcome=update.get("outcome", ""),
            obstacles=update.get("obstacles", ""),
            cancel_reason=update.get("cancel_reason", ""),
        )
    return measure


def _plan(spec: dict) -> tuple[MeasurePlan, bool]:
    agency = _agency(spec["agency"])
    plan = MeasurePlan.objects.filter(agency=agency, fiscal_year=spec["fiscal_year"]).first()
    if plan is not None:
        return plan, False
    plan = plan_create(
        agency=agency,
        fiscal_year=spec["fiscal_year"],
        title=spec.get("title", ""),
        introduction=spec.get("introduction", ""),
    )
    return plan, True


@transaction.atomic
def load(command) -> None:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    new_plans = filled = measures = steps = updates = 0
    for spec in data["plans"]:
        plan, created = _plan(spec)
        new_plans += created
        if plan.measures.exists():
            continue
        filled += 1
        lookups = _Lookups(plan)
        for measure_spec in spec["measures"]:
            _measure(plan, measure_spec, lookups)
            measures += 1
            steps += len(measure_spec.get("steps", []))
            updates += len(measure_spec.get("updates", []))
    from measures.oit import demo as oit_demo

    oit_demo.load(command)
    command.stdout.write(
        f"Demo measures: {len(data['plans'])} plans ({new_plans} new, {filled} filled), {measures} measures, "
        f"{steps} steps, {updates} progress updates added."
    )
