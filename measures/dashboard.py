"""The measures' part of the dashboard: this fiscal year's plan, staff's work due soon or late (across
plans, since a measure of last year's plan may still be open), and the "plan drafted" step of the cycle."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.dashboard import CycleStep
from agencies.dashboard import today as dashboard_today
from agencies.models import Agency, Role
from assessments import calendar
from ita_tracker.thai import fiscal_year
from measures.models import Measure, MeasurePlan, MeasureStep, Status

HORIZON_DAYS = 30
CLOSED = (Status.DONE, Status.CANCELLED)


def plan_progress(request):
    agency = request.workspace.agency
    if agency is None:
        return None
    today = dashboard_today(request)
    year = fiscal_year(today)
    plan = MeasurePlan.objects.filter(agency=agency, fiscal_year=year).first()
    if plan is None:
        return {"plan": None, "year": year}
    counts = {status: 0 for status in Status.values}
    for row in plan.measures.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    return {
        "plan": plan,
        "year": year,
        "total": sum(counts.values()),
        "done": counts[Status.DONE],
        "in_progress": counts[Status.IN_PROGRESS],
        "late": Measure.objects.filter(plan=plan).overdue(today=today).count(),
    }


def my_work(request):
    """A staff member's measures and steps ending within 30 days or already late, in every plan of the
    agency; each row links to the progress form. Two queries, twenty rows at most each."""
    workspace = request.workspace
    membership = workspace.membership
    if workspace.agency is None or membership is None or not membership.has_role(Role.STAFF):
        return None
    today = dashboard_today(request)
    horizon = today + timedelta(days=HORIZON_DAYS)
    mine = Q(responsible_people=membership)
    if membership.department_id:
        mine |= Q(departments=membership.department_id) | Q(all_departments=True)
    # This year's plan and last year's (whose late measures are still reported on); older plans are history.
    since = fiscal_year(today) - 1
    measure_ids = (
        Measure.objects.filter(plan__agency=workspace.agency, plan__fiscal_year__gte=since)
        .filter(mine)
        .exclude(status__in=CLOSED)
        .values("pk")
    )
    measures = list(
        Measure.objects.filter(pk__in=measure_ids, ends__lte=horizon)
        .select_related("plan")
        .order_by("ends", "pk")[:20]
    )
    steps = []
    if membership.department_id:
        steps = list(
            MeasureStep.objects.filter(
                measure__plan__agency=workspace.agency,
                measure__plan__fiscal_year__gte=since,
                department_id=membership.department_id,
                completed_on__isnull=True,
                ends__lte=horizon,
            )
            .exclude(measure__status__in=CLOSED)
            .select_related("measure__plan")
            .order_by("ends", "pk")[:20]
        )
    for row in [*measures, *steps]:
        row.is_late = row.ends < today
        row.days = abs((row.ends - today).days)
    return {
        "measures": measures,
        "steps": steps,
        "today": today,
        "horizon": HORIZON_DAYS,
        "late": sum(row.is_late for row in [*measures, *steps]),
    }


def cycle_steps(*, agency: Agency, fiscal_year: int, today: date) -> list[CycleStep]:
    due = calendar.cycle_due_dates(agency, fiscal_year)
    plan = MeasurePlan.objects.filter(agency=agency, fiscal_year=fiscal_year).annotate(n=Count("measures")).first()
    label = _("จัดทำร่างแผนมาตรการ")
    if plan is not None and plan.n:
        return [
            CycleStep(
                "plan_drafted",
                30,
                label,
                due["plan_drafted"],
                True,
                _("%(n)s มาตรการ") % {"n": plan.n},
                url=plan.get_absolute_url(),
                action=_("ดูแผน"),
            )
        ]
    if plan is not None:
        return [
            CycleStep(
                "plan_drafted",
                30,
                label,
                due["plan_drafted"],
                False,
                _("มีแผนแล้ว ยังไม่มีมาตรการ"),
                holder=_("ผู้ประสานงาน ITA"),
                url=reverse("measures:measure_create", args=[plan.pk]),
                action=_("เพิ่มมาตรการ"),
            )
        ]
    return [
        CycleStep(
            "plan_drafted",
            30,
            label,
            due["plan_drafted"],
            False,
            _("ยังไม่ได้เริ่ม"),
            holder=_("ผู้ประสานงาน ITA"),
            url=reverse("measures:index"),
            action=_("เริ่มแผนจากผลการวิเคราะห์"),
        )
    ]
