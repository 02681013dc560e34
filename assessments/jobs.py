"""The background job of the scores app: a large score file, checked again on the worker (the data may have
changed since the upload) and saved all or nothing. Registered in ``AssessmentsConfig.ready()``."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Role
from assessments import transfer
from ita_tracker.jobs import JobKind, Progress, register_job_kind
from ita_tracker.models import Job

IMPORT_SCORES = "import_scores"


def _import_scores(job: Job, progress: Progress) -> tuple[str, bytes]:
    """The uploaded file is deleted afterwards, saved or not."""
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


def _discard_upload(job: Job) -> None:
    path = job.params.get("path")
    if path and default_storage.exists(path):
        default_storage.delete(path)


def _may_import(user, job: Job) -> bool:
    return user.is_superuser or Agency.objects.with_role(user, Role.COORDINATOR).exists()


def register() -> None:
    register_job_kind(
        JobKind(
            name=IMPORT_SCORES,
            label=_("นำเข้าผลคะแนนจากไฟล์"),
            run=_import_scores,
            may_access=_may_import,
            discard=_discard_upload,
            refusals=(transfer.ImportRefused,),
        )
    )
