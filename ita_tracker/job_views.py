"""Pages of background jobs: one job's progress, its status for polling, its download, and "my downloads".

Every look re-checks the person's current right to the job (``ita_tracker.jobs.job_accessible``): someone
removed from the agency since gets a 404, as for any object they may not see. Results are served until
``JOBS_RESULT_TTL`` after they finished, then deleted.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from ita_tracker.jobs import job_accessible, job_give_up_if_stale
from ita_tracker.middleware import session_passive
from ita_tracker.models import Job

MY_JOBS_SHOWN = 50


def job_started_redirect(request, job: Job):
    """Where a view goes after ``job_start``: the job's page, with the reason when it could not start."""
    if job.status == Job.Status.FAILED:
        messages.error(request, job.message)
    return redirect(job)


def _job_or_404(request, pk) -> Job:
    job = get_object_or_404(Job.objects.select_related("created_by"), pk=pk)
    if not job_accessible(request.user, job):
        raise Http404("no such job")
    return job


def _download_url(job: Job) -> str:
    if job.status == Job.Status.DONE and job.result and not job.is_expired:
        return reverse("jobs:download", args=[job.pk])
    return ""


def job_detail(request, pk):
    job = job_give_up_if_stale(_job_or_404(request, pk))
    return render(request, "ita_tracker/job_detail.html", {"job": job, "download_url": _download_url(job)})


@never_cache
@session_passive
def job_status(request, pk):
    """Polled by the job page every few seconds. ``final`` tells the page to stop: the job is done, failed, or
    will never finish. Polling does not keep the session alive (``session_passive``)."""
    job = job_give_up_if_stale(_job_or_404(request, pk))
    return JsonResponse(
        {
            "status": job.status,
            "status_label": str(job.get_status_display()),
            "progress": job.progress,
            "message": job.message,
            "final": job.is_finished,
            "download": _download_url(job),
        }
    )


def job_download(request, pk):
    job = _job_or_404(request, pk)
    if not _download_url(job):
        raise Http404("not ready or expired")
    try:
        handle = job.result.open("rb")
    except FileNotFoundError as exc:
        raise Http404("result deleted") from exc
    return FileResponse(handle, as_attachment=True, filename=job.result_name)


def my_jobs(request):
    """The person's own jobs, newest first, with state and result (one query). Without their parameters, which
    the list does not show: a national export's list the 8,000 agencies it covers (issue 17)."""
    jobs = list(
        Job.objects.filter(created_by=request.user).defer("params").order_by("-created_at", "-pk")[:MY_JOBS_SHOWN]
    )
    rows = [(job, _download_url(job)) for job in jobs]
    return render(request, "ita_tracker/my_jobs.html", {"rows": rows})
