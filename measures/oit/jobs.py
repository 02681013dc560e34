"""The OIT overview's workbook as a background job (registered in ``MeasuresConfig.ready()``): for a national
viewer it covers 8,000 agencies and took about 2 s inside the request at 8,000 × 5 (bench/README.md, issue 17:
no national work in a request). Few agencies (``EXPORT_INLINE_MAX_AGENCIES``) are still answered at once."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from agencies.permissions import agency_coverage
from assessments.jobs import may_see_every_agency_of_the_file
from ita_tracker.jobs import JobKind, Progress, register_job_kind
from ita_tracker.models import Job
from measures.oit import exports, selectors

OIT_OVERVIEW_EXPORT = "oit_overview_export"


def _overview_export(job: Job, progress: Progress) -> tuple[str, bytes]:
    year, province = job.params["year"], job.params.get("province", "")
    agencies = selectors.overview(job.created_by, year=year, province=province)
    progress(10, _("กำลังเขียนไฟล์"))
    data = exports.overview_workbook(agencies, year)
    # Which agencies the file covers, so a download re-checks that the person still sees every one of them.
    job.params.update(agency_coverage(job.created_by, agencies))
    return f"OIT-{year}.xlsx", data


def register() -> None:
    register_job_kind(
        JobKind(
            name=OIT_OVERVIEW_EXPORT,
            label=_("ส่งออกความพร้อมของข้อมูล OIT (ทุกหน่วยงานที่ติดตาม)"),
            run=_overview_export,
            may_access=may_see_every_agency_of_the_file,
        )
    )
