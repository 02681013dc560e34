"""The dashboard's assessment panel: the current agency's latest results."""

from assessments.models import Assessment


def latest_results(request):
    agency = request.workspace.agency
    if agency is None:
        return None
    latest = list(
        Assessment.objects.filter(agency=agency).select_related("edition").order_by("-edition__fiscal_year")[:2]
    )
    return {"latest": latest[0] if latest else None, "previous": latest[1] if len(latest) > 1 else None}
