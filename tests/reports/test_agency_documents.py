"""The year's documents ZIP of an agency (job ``agency_documents``, started from the plan page's เอกสาร menu):
the official documents only, that is what the menu offers for the plan (O23/O24 included) and the approved
memos as their sealed files; no draft, pending or returned memo."""

import io
import re
import zipfile
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from ita_tracker.jobs import job_run
from ita_tracker.models import Job
from measures.models import MeasurePlan
from reports.documents import MemoDocument
from reports.models import Memo, SealedRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    call_command("load_demo", stdout=io.StringIO())  # its approved memos' seal jobs stay queued: never run here
    settings.JOBS_BACKEND = "celery"  # queued, not run: the test plays the worker


def _zip(client, username: str, plan: MeasurePlan, django_capture_on_commit_callbacks) -> tuple[Job, str]:
    """The ZIP made as the person asks for it: the button of the plan page's menu, then the worker."""
    client.force_login(get_user_model().objects.get(username=username))
    page = client.get(reverse("measures:plan_detail", args=[plan.pk])).content.decode()
    action = reverse("reports:job_agency_documents", args=[plan.pk])
    assert f'action="{action}"' in page
    with django_capture_on_commit_callbacks(execute=False):
        client.post(action)
    job = job_run(Job.objects.get(kind="agency_documents").pk, reraise=False)
    return job, page


def _names(client, job: Job) -> tuple[zipfile.ZipFile, set[str]]:
    assert job.status == Job.Status.DONE, job.message
    download = client.get(reverse("jobs:download", args=[job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    return archive, set(archive.namelist())


def test_the_years_zip_holds_the_approved_memos_as_sealed_and_no_draft_pending_or_returned_one(
    client, demo, django_capture_on_commit_callbacks
):
    plan = MeasurePlan.objects.get(agency__code="bangpu", fiscal_year=2570)
    memos = Memo.objects.filter(agency__code="bangpu", plan__fiscal_year=2570) | Memo.objects.filter(
        agency__code="bangpu", assessment__edition__fiscal_year=2569
    )
    by_status = {m.status: m for m in memos}
    assert set(by_status) == {"draft", "pending", "returned", "approved"}  # the demo's year has one of each
    approved = by_status["approved"]
    assert not SealedRecord.objects.filter(memo=approved, sealed_at__isnull=False).exists()  # its job not run yet

    job, _page = _zip(client, "bangpu.plan", plan, django_capture_on_commit_callbacks)
    archive, names = _names(client, job)
    memo_files = {n for n in names if n.startswith("memo-")}
    assert memo_files == {f"memo-bangpu-{approved.number_year}-{approved.running_number}.{x}" for x in ("pdf", "xlsx")}
    assert "memo-bangpu-draft-6.pdf" not in names  # what the new-user walk found
    # The approved memo, sealed by the ZIP since its seal job had not run: the stored file, byte for byte.
    record = SealedRecord.objects.get(memo=approved)
    assert record.is_sealed
    with record.file.open("rb") as handle:
        assert archive.read(f"memo-bangpu-{approved.number_year}-{approved.running_number}.pdf") == handle.read()
    # The plan's documents, O23/O24 among them, as the menu offers them for every plan.
    assert {"plan-bangpu-2570.pdf", "results-bangpu-2570.xlsx", "o23-bangpu-2570.pdf", "o24-bangpu-2570.xlsx"} <= names


def test_the_years_zip_holds_every_document_the_plans_menu_offers(client, demo, django_capture_on_commit_callbacks):
    plan = MeasurePlan.objects.get(agency__code="satengnok", fiscal_year=2567)
    assert plan.measures.exclude(anticorruption_dimension="").exists()  # an O23/O24 with projects
    job, page = _zip(client, "satengnok.plan", plan, django_capture_on_commit_callbacks)
    _archive, names = _names(client, job)
    offered = set()
    # Each document of the menu by its Excel link (the PDFs are the same documents, cheaper to name this way):
    # the file name its download gives is in the ZIP, in both formats.
    for href in set(re.findall(r'href="(/reports/plans/\d+/[^"]+\.xlsx)"', page)):
        disposition = client.get(href)["Content-Disposition"]
        offered.add(unquote(disposition.split("''", 1)[1]).removesuffix(".xlsx"))
    assert offered == {f"{code}-satengnok-2567" for code in ("plan", "results", "o23", "o24")}
    assert {f"{slug}.{x}" for slug in offered for x in ("pdf", "xlsx")} <= names


def test_an_approved_memo_that_cannot_be_sealed_is_in_the_zip_marked_unsealed(
    client, demo, settings, tmp_path, django_capture_on_commit_callbacks
):
    """No certificate installed: the ZIP still holds the approved memo, rendered from its data and named as not
    sealed, rather than failing the year's documents or leaving the memo out."""
    settings.SEAL_CERTIFICATE = tmp_path / "none.p12"  # no certificate installed
    plan = MeasurePlan.objects.get(agency__code="bangpu", fiscal_year=2570)
    approved = Memo.objects.get(agency__code="bangpu", plan=plan, status=Memo.Status.APPROVED)
    job, _page = _zip(client, "bangpu.plan", plan, django_capture_on_commit_callbacks)
    archive, names = _names(client, job)
    unsealed = MemoDocument(approved).filename("pdf").removesuffix(".pdf") + "-unsealed.pdf"
    assert unsealed in names and MemoDocument(approved).filename("pdf") not in names
    assert archive.read(unsealed).startswith(b"%PDF")
