"""The dashboard's OIT panel: this fiscal year's items of the current agency by state, and what is overdue."""

from django.utils import timezone

from ita_tracker.thai import fiscal_year
from measures.oit import access
from measures.oit.models import OitChecklist
from measures.oit.selectors import panel_counts, percent


def oit_panel(request):
    agency = request.workspace.agency
    if agency is None:
        return None
    today = timezone.localdate()
    year = fiscal_year(today)
    checklist = OitChecklist.objects.filter(agency=agency, edition__fiscal_year=year).select_related("edition").first()
    if checklist is None:
        return {"checklist": None, "year": year}
    whole_list = request.workspace.has_role(*access.WHOLE_LIST_ROLES)  # the roles held in this very agency
    counts = panel_counts(checklist, request.user, today=today, whole_list=whole_list)
    return {"checklist": checklist, "year": year, "percent": percent(counts["passed"], counts["total"]), **counts}
