"""Download views for the documents, and the public evidence page.

Every download starts from what the person may see (another agency's object is a 404). The public page
needs no login: it is the stable address an agency gives ITAS as its OIT evidence for o42/o43, and it
shows only the memos the agency chose to publish, and only approved ones.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_POST

from agencies.models import Agency
from assessments.models import Assessment
from assessments.views.transfer import ImportForm, require_coordinator_somewhere
from measures.models import MeasurePlan
from reports.documents import AnalysisDocument, MemoDocument, PlanDocument, ResultsDocument, ScoreTableDocument
from reports.jobs import job_start
from reports.models import Job, Memo

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


# ---------------------------------------------------------------- background jobs


def _own_job_or_404(request, pk) -> Job:
    jobs = Job.objects.all() if request.user.is_superuser else Job.objects.filter(created_by=request.user)
    return get_object_or_404(jobs, pk=pk)


@require_POST
def job_agency_documents(request, pk):
    """Every document of a plan's agency-year, zipped, built in the background."""
    plan = get_object_or_404(MeasurePlan.objects.visible_to(request.user), pk=pk)
    job = job_start(
        kind=Job.Kind.AGENCY_DOCUMENTS,
        params={"agency": plan.agency_id, "year": plan.fiscal_year},
        by=request.user,
        agency=plan.agency,
    )
    return redirect(job)


@require_POST
def job_score_table(request):
    try:
        year = int(request.POST.get("year", ""))
    except ValueError as exc:
        raise Http404("year") from exc
    job = job_start(
        kind=Job.Kind.SCORE_TABLE,
        params={"year": year, "province": request.POST.get("province", ""), "type": request.POST.get("type", "")},
        by=request.user,
    )
    return redirect(job)


@require_POST
def job_import_scores(request):
    """A large score file, saved in the background: the upload is kept privately until the worker has
    checked and saved it (the import page offers this next to the ordinary import)."""
    require_coordinator_somewhere(request.user)
    form = ImportForm(request.user, request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("assessments:import")
    upload = form.cleaned_data["file"]
    extension = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
    path = default_storage.save(f"imports/{uuid.uuid4().hex}{extension}", upload)
    job = job_start(
        kind=Job.Kind.IMPORT_SCORES,
        params={
            "path": path,
            "filename": upload.name,
            "create_agencies": bool(form.cleaned_data.get("create_agencies")) and request.user.is_superuser,
        },
        by=request.user,
    )
    return redirect(job)


def job_detail(request, pk):
    return render(request, "reports/job_detail.html", {"job": _own_job_or_404(request, pk)})


def job_status(request, pk):
    job = _own_job_or_404(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": str(job.get_status_display()),
            "progress": job.progress,
            "message": job.message,
            "download": reverse("reports:job_download", args=[job.pk]) if job.status == Job.Status.DONE else "",
        }
    )


def job_download(request, pk):
    job = _own_job_or_404(request, pk)
    if job.status != Job.Status.DONE or not job.result:
        raise Http404("not ready")
    return FileResponse(job.result.open("rb"), as_attachment=True, filename=job.result_name)
