"""The background jobs of the documents app: the annual documents of an agency-year as one ZIP, and the
multi-agency score table. Registered with the foundation's job registry in ``ReportsConfig.ready()``;
``ita_tracker.jobs`` queues and runs them, ``ita_tracker.job_views`` shows and serves them."""

from __future__ import annotations

import io
import logging
import zipfile

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from agencies.permissions import agency_coverage
from assessments.jobs import may_see_every_agency_of_the_file
from assessments.models import Assessment
from ita_tracker.batches import batch_start
from ita_tracker.jobs import JobKind, Progress, register_job_kind
from ita_tracker.models import Job
from measures.models import MeasurePlan
from reports import seal
from reports.documents import AnalysisDocument, MemoDocument, ScoreTableDocument
from reports.hooks import plan_documents
from reports.models import Memo

logger = logging.getLogger(__name__)

AGENCY_DOCUMENTS = "agency_documents"
SCORE_TABLE = "score_table"
DOCUMENTS_PACK = "documents_pack"


def _agency_documents(job: Job, progress: Progress) -> tuple[str, bytes]:
    """The agency-year's official documents: those the plan page's document menu offers for the year's plan
    (``reports.hooks.plan_documents``: plan, results, O23, O24), the analyses, and the approved memos.

    Only approved memos. A draft has no number or date, and a pending or returned memo is nobody's decision yet:
    zipped beside the approved ones they read as official documents (the new-user walk found
    memo-bangpu-draft-6.pdf in the pack). They stay on the memo pages, where their state is shown."""
    agency = Agency.objects.get(pk=job.params["agency"])
    year = int(job.params["year"])
    documents = []
    plan = MeasurePlan.objects.filter(agency=agency, fiscal_year=year).first()
    if plan is not None:
        documents += plan_documents(plan)
    documents += [
        AnalysisDocument(a)
        for a in Assessment.objects.filter(agency=agency, edition__fiscal_year__in=[year - 1, year])
    ]
    memos = Memo.objects.filter(agency=agency, status=Memo.Status.APPROVED).filter(
        Q(plan__fiscal_year=year) | Q(assessment__edition__fiscal_year=year - 1)
    )
    documents += [MemoDocument(m) for m in memos.order_by("pk")]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, document in enumerate(documents, start=1):
            progress(int(100 * (number - 1) / max(len(documents), 1)), document.filename("pdf"))
            archive.writestr(*_pdf(document))
            archive.writestr(document.filename("xlsx"), document.render_xlsx())
    return f"ita-{agency.code}-{year}.zip", buffer.getvalue()


UNSEALED_SUFFIX = "-unsealed"


def _pdf(document) -> tuple[str, bytes]:
    """(file name, PDF): an approved memo's sealed file as stored (reports.seal), never a new rendering; the
    others rendered.

    A memo approved but not sealed yet (its seal job still queued or failed, or the memo approved before sealing
    existed) is sealed here, now: it is one of the year's documents, and its downloads carry the verification
    code. When it cannot be sealed (no certificate installed, or an unreadable one) the memo is rendered from its
    data, as its page serves a memo approved before sealing existed, and its file name says it is not sealed
    (``…-unsealed.pdf``): one certificate problem must not take the whole year's documents down with it, nor
    hide an approved memo from them. The memo's page seals it once the certificate is there."""
    if not isinstance(document, MemoDocument):
        return document.filename("pdf"), document.render_pdf()
    try:
        record = seal.seal_now(memo=document.memo)
    except seal.SealError as exc:
        logger.warning("memo %s is approved but could not be sealed for the year's ZIP: %s", document.memo.pk, exc)
        stem = document.filename("pdf").removesuffix(".pdf")
        return f"{stem}{UNSEALED_SUFFIX}.pdf", document.render_pdf()
    with record.file.open("rb") as handle:
        return document.filename("pdf"), handle.read()


def _may_see_agency(user, job: Job) -> bool:
    """The ZIP holds one agency's documents: only while the person may still see that agency."""
    return Agency.objects.visible_to(user).filter(pk=job.params.get("agency")).exists()


def score_table_agencies(user, params: dict):
    agencies = Agency.objects.visible_to(user)
    if params.get("province"):
        agencies = agencies.filter(province=params["province"])
    if params.get("type"):
        agencies = agencies.filter(type=params["type"])
    return agencies


def _score_table(job: Job, progress: Progress) -> tuple[str, bytes]:
    document = ScoreTableDocument(
        job.created_by,
        int(job.params["year"]),
        province=job.params.get("province", ""),
        agency_type=job.params.get("type", ""),
    )
    progress(10, document.filename("xlsx"))
    data = document.render_xlsx()
    # Which agencies the table covers, so a download re-checks that the person still sees every one of them.
    job.params.update(agency_coverage(job.created_by, score_table_agencies(job.created_by, job.params)))
    return document.filename("xlsx"), data


def pack_start(user, params: dict) -> Job:
    """Every followed agency's annual documents of a year (optionally one province or type): one
    ``agency_documents`` job per agency under a ``documents_pack`` parent (``ita_tracker.batches``)."""
    agencies = list(score_table_agencies(user, params).order_by("province", "name").values_list("pk", flat=True))
    year = int(params["year"])
    return batch_start(
        kind=DOCUMENTS_PACK,
        child_kind=AGENCY_DOCUMENTS,
        children=[{"agency": pk, "year": year} for pk in agencies],
        params={
            **params,
            "year": year,
            **agency_coverage(user, score_table_agencies(user, params)),
            "name": f"ita-pack-{year}",
        },
        by=user,
    )


def _pack_is_never_run(job: Job, progress: Progress) -> tuple[str, bytes]:
    raise RuntimeError("a pack is assembled from its children (ita_tracker.batches), never run itself")


def register() -> None:
    register_job_kind(
        JobKind(
            name=DOCUMENTS_PACK,
            label=_("ชุดเอกสารประจำปีของทุกหน่วยงานที่ติดตาม (ZIP)"),
            run=_pack_is_never_run,
            may_access=may_see_every_agency_of_the_file,
        )
    )
    register_job_kind(
        JobKind(
            name=AGENCY_DOCUMENTS,
            label=_("ชุดเอกสารประจำปีของหน่วยงาน (ZIP)"),
            run=_agency_documents,
            may_access=_may_see_agency,
        )
    )
    register_job_kind(
        JobKind(
            name=SCORE_TABLE,
            label=_("ตารางคะแนนหลายหน่วยงาน (Excel)"),
            run=_score_table,
            may_access=may_see_every_agency_of_the_file,
        )
    )
