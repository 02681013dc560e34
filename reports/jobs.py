"""Background jobs: long documents and multi-agency exports run outside the request.

Why Celery with Redis rather than the django-tasks backport: the issue asks that a job whose worker dies
is retried, not lost. With ``acks_late`` and ``reject_on_worker_lost`` Celery puts the message back on the
queue when the process running it dies (and Redis redelivers an unacknowledged message after the
visibility timeout if the whole machine goes), while django-tasks' database backend leaves such a task
"running" forever (its issue #46, open when this was written). Workers are plain processes
(``celery -A ita_tracker worker``) that can run on several machines sharing the database and Redis.

The job's state lives in the ``Job`` table, so the page that started it can show progress, and the result
is a private file served through a permission check. Functions here do the work; ``reports.tasks`` only
runs them on a worker.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from agencies.models import Agency
from assessments import transfer
from assessments.models import Assessment
from measures.models import MeasurePlan
from reports.documents import AnalysisDocument, MemoDocument, PlanDocument, ResultsDocument, ScoreTableDocument
from reports.models import Job, Memo

Progress = Callable[[int, str], None]


def job_start(*, kind: str, params: dict, by, agency: Agency | None = None) -> Job:
    """Record the job and queue it once the transaction commits (a rolled-back request queues nothing)."""
    job = Job.objects.create(kind=kind, params=params, created_by=by, agency=agency)

    def enqueue():
        from reports.tasks import run_job

        run_job.delay(job.pk)

    transaction.on_commit(enqueue)
    return job


def _agency_documents(job: Job, progress: Progress) -> tuple[str, bytes]:
    agency = Agency.objects.get(pk=job.params["agency"])
    year = int(job.params["year"])
    documents = []
    plan = MeasurePlan.objects.filter(agency=agency, fiscal_year=year).first()
    if plan is not None:
        documents += [PlanDocument(plan), ResultsDocument(plan)]
    documents += [
        AnalysisDocument(a)
        for a in Assessment.objects.filter(agency=agency, edition__fiscal_year__in=[year - 1, year])
    ]
    memos = Memo.objects.filter(agency=agency).filter(
        Q(plan__fiscal_year=year) | Q(assessment__edition__fiscal_year=year - 1)
    )
    documents += [MemoDocument(m) for m in memos.order_by("pk")]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, document in enumerate(documents, start=1):
            progress(int(100 * (number - 1) / max(len(documents), 1)), document.filename("pdf"))
            archive.writestr(document.filename("pdf"), document.render_pdf())
            archive.writestr(document.filename("xlsx"), document.render_xlsx())
    return f"ita-{agency.code}-{year}.zip", buffer.getvalue()


def _score_table(job: Job, progress: Progress) -> tuple[str, bytes]:
    document = ScoreTableDocument(
        job.created_by,
        int(job.params["year"]),
        province=job.params.get("province", ""),
        agency_type=job.params.get("type", ""),
    )
    progress(10, document.filename("xlsx"))
    return document.filename("xlsx"), document.render_xlsx()


def _import_scores(job: Job, progress: Progress) -> tuple[str, bytes]:
    """A large score file, checked again on the worker (the data may have changed since the upload) and saved
    all or nothing. The uploaded file is deleted afterwards, saved or not."""
    path = job.params["path"]
    try:
        with default_storage.open(path, "rb") as handle:
            plan = transfer.check_file(
                handle,
                job.params["filename"],
                user=job.created_by,
                create_agencies=job.params.get("create_agencies", False),
            )
        if plan.errors:
            shown = "; ".join(f"แถว {e.row} คอลัมน์ {e.column}: {e.message}" for e in plan.errors[:5])
            raise transfer.ImportRefused(f"ไฟล์มีข้อผิดพลาด {len(plan.errors)} รายการ ไม่ได้บันทึกข้อมูลใด ๆ: {shown}")
        progress(20, f"ตรวจแล้ว {len(plan.rows)} แถว กำลังบันทึก")
        summary = transfer.apply_plan(plan, by=job.created_by)
    finally:
        default_storage.delete(path)
    report = (
        f"ไฟล์: {job.params['filename']}\n"
        f"เพิ่มผลการประเมิน: {summary.assessments_created}\n"
        f"ปรับปรุงผลการประเมิน: {summary.assessments_updated}\n"
        f"สร้างหน่วยงานใหม่: {summary.agencies_created}\n"
    )
    return "import-report.txt", report.encode("utf-8")


RUNNERS: dict[str, Callable[[Job, Progress], tuple[str, bytes]]] = {
    Job.Kind.AGENCY_DOCUMENTS: _agency_documents,
    Job.Kind.SCORE_TABLE: _score_table,
    Job.Kind.IMPORT_SCORES: _import_scores,
}


def job_run(job_id: int) -> Job:
    """Run a job to the end (called on a worker). Safe to run again: a redelivered job starts over."""
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1, progress=0, message=""
    )
    job = Job.objects.select_related("created_by").get(pk=job_id)

    def progress(percent: int, message: str) -> None:
        Job.objects.filter(pk=job_id).update(progress=min(max(percent, 0), 99), message=message[:500])

    try:
        name, data = RUNNERS[job.kind](job, progress)
    except Exception as exc:
        # A refused file is the person's to fix: show its message as is. Anything else names the error.
        text = str(exc) if isinstance(exc, transfer.ImportRefused) else f"{type(exc).__name__}: {exc}"
        Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, message=text[:500], finished_at=timezone.now())
        raise
    job.result.save(name, ContentFile(data), save=False)
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE,
        progress=100,
        message="",
        result=job.result.name,
        result_name=name,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job
