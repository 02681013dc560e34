"""The dashboard's measures panel: this fiscal year's plan of the current agency, and what is late."""

from django.utils import timezone

from ita_tracker.thai import fiscal_year
from measures.models import Measure, MeasurePlan, Status


def plan_progress(request):
    agency = request.workspace.agency
    if agency is None:
        return None
    today = timezone.localdate()
    year = fiscal_year(today)
    plan = MeasurePlan.objects.filter(agency=agency, fiscal_year=year).first()
    if plan is None:
        return {"plan": None, "year": year}
    measures = plan.measures.all()
    counts = {status: 0 for status in Status.values}
    for status in measures.values_list("status", flat=True):
        counts[status] += 1
    return {
        "plan": plan,
        "year": year,
        "total": sum(counts.values()),
        "done": counts[Status.DONE],
        "in_progress": counts[Status.IN_PROGRESS],
        "late": Measure.objects.filter(plan=plan).overdue(today=today).count(),
    }
