"""The background jobs of the scores app, registered in ``AssessmentsConfig.ready()``:

- ``import_scores``: a large score file, checked again on the worker (the data may have changed since the
  upload) and saved all or nothing;
- ``export_scores``: the scores of every agency a person follows (a national viewer: 8,000 agencies × every
  year), which took 29.5 s and 100 MiB inside a request before it moved here (issue 17)."""

from __future__ import annotations

import io

from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Role
from agencies.permissions import agency_coverage, sees_every_agency_of_job
from assessments import transfer
from assessments.models import Assessment
from ita_tracker.jobs import JobKind, Progress, register_job_kind
from ita_tracker.models import Job

IMPORT_SCORES = "import_scores"
EXPORT_SCORES = "export_scores"


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


def export_filename(year: int | None, kind: str) -> str:
    return _("ผลการประเมิน-ITA-%(year)s.%(kind)s") % {"year": year if year is not None else _("ทุกปี"), "kind": kind}


def _export_scores(job: Job, progress: Progress) -> tuple[str, bytes]:
    """Rows as tuples in chunks (``transfer.export_rows``); the workbook streams through the workbook base."""
    year, kind = job.params.get("year"), job.params.get("format", "xlsx")
    assessments = Assessment.objects.visible_to(job.created_by)
    if year is not None:
        assessments = assessments.for_year(year)
    progress(10, _("กำลังเขียนไฟล์"))
    if kind == "csv":
        text = io.StringIO(newline="")
        transfer.write_csv(transfer.export_rows(assessments), text)
        name, data = export_filename(year, "csv"), text.getvalue().encode("utf-8")
    else:
        buffer = io.BytesIO()
        transfer.write_xlsx(transfer.export_rows(assessments), buffer)
        name, data = export_filename(year, "xlsx"), buffer.getvalue()
    # Which agencies the file covers, so a download re-checks that the person still sees every one of them.
    job.params.update(agency_coverage(job.created_by, Agency.objects.filter(pk__in=assessments.values("agency_id"))))
    return name, data


def may_see_every_agency_of_the_file(user, job: Job) -> bool:
    """The file records the agencies it covers (``agencies.permissions.agency_coverage``): it is served only while
    the person still sees every one of them, checked in bounded work (``sees_every_agency_of_job``)."""
    return sees_every_agency_of_job(user, job)


def register() -> None:
    register_job_kind(
        JobKind(
            name=EXPORT_SCORES,
            label=_("ส่งออกผลคะแนน (ทุกหน่วยงานที่ติดตาม)"),
            run=_export_scores,
            may_access=may_see_every_agency_of_the_file,
        )
    )
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
