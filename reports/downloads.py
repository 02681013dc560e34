"""Download views for the documents, and the public evidence page.

Every download starts from what the person may see (another agency's object is a 404). The public page
needs no login: it is the stable address an agency gives ITAS as its OIT evidence for o42/o43, and it
shows only the memos the agency chose to publish, and only approved ones.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_POST

from agencies.models import Agency
from assessments.models import Assessment
from ita_tracker.job_views import job_started_redirect
from ita_tracker.jobs import job_start
from measures.models import MeasurePlan
from reports import jobs
from reports.documents import (
    AnalysisDocument,
    AntiCorruptionPlanDocument,
    AntiCorruptionReportDocument,
    MemoDocument,
    PlanDocument,
    ResultsDocument,
    ScoreTableDocument,
)
from reports.models import Memo

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _respond(document, fmt: str, *, inline: bool = False) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404("No such format")
    data = document.render_pdf() if fmt == "pdf" else document.render_xlsx()
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    disposition = "inline" if inline and fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{escape_uri_path(document.filename(fmt))}"
    return response


def memo_document(request, pk, fmt):
    memo = get_object_or_404(Memo.objects.visible_to(request.user), pk=pk)
    return _respond(MemoDocument(memo), fmt, inline=True)


def plan_document(request, pk, fmt):
    plan = get_object_or_404(MeasurePlan.objects.visible_to(request.user), pk=pk)
    return _respond(PlanDocument(plan), fmt)


def results_document(request, pk, fmt):
    plan = get_object_or_404(MeasurePlan.objects.visible_to(request.user), pk=pk)
    return _respond(ResultsDocument(plan), fmt)


def anticorruption_plan_document(request, pk, fmt):
    plan = get_object_or_404(MeasurePlan.objects.visible_to(request.user), pk=pk)
    return _respond(AntiCorruptionPlanDocument(plan), fmt)


def anticorruption_report_document(request, pk, fmt):
    plan = get_object_or_404(MeasurePlan.objects.visible_to(request.user), pk=pk)
    return _respond(AntiCorruptionReportDocument(plan), fmt)


def analysis_document(request, pk, fmt):
    assessment = get_object_or_404(Assessment.objects.visible_to(request.user).select_related("edition"), pk=pk)
    return _respond(AnalysisDocument(assessment), fmt)


def score_table(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError as exc:
        raise Http404("year") from exc
    document = ScoreTableDocument(
        request.user, year, province=request.GET.get("province", ""), agency_type=request.GET.get("type", "")
    )
    return _respond(document, "xlsx")


def _published(agency: Agency, year: int):
    return (
        Memo.objects.filter(agency=agency, status=Memo.Status.APPROVED, is_published=True)
        .filter(Q(plan__fiscal_year=year) | Q(assessment__edition__fiscal_year=year - 1))
        .select_related("plan", "assessment__edition", "department")
        .order_by("date", "pk")
    )


@login_not_required
def public_evidence(request, code, year):
    agency = get_object_or_404(Agency, code=code)
    return render(
        request,
        "reports/public_evidence.html",
        {"agency": agency, "year": year, "memos": list(_published(agency, year))},
    )


@login_not_required
def public_memo_pdf(request, code, year, pk):
    agency = get_object_or_404(Agency, code=code)
    memo = get_object_or_404(_published(agency, year), pk=pk)
    return _respond(MemoDocument(memo), "pdf", inline=True)


# ---------------------------------------------------------------- background jobs (ita_tracker.jobs)


@require_POST
def job_agency_documents(request, pk):
    """Every document of a plan's agency-year, zipped, built in the background."""
    plan = get_object_or_404(MeasurePlan.objects.visible_to(request.user), pk=pk)
    job = job_start(
        kind=jobs.AGENCY_DOCUMENTS, params={"agency": plan.agency_id, "year": plan.fiscal_year}, by=request.user
    )
    return job_started_redirect(request, job)


@require_POST
def job_score_table(request):
    try:
        year = int(request.POST.get("year", ""))
    except ValueError as exc:
        raise Http404("year") from exc
    job = job_start(
        kind=jobs.SCORE_TABLE,
        params={"year": year, "province": request.POST.get("province", ""), "type": request.POST.get("type", "")},
        by=request.user,
    )
    return job_started_redirect(request, job)
