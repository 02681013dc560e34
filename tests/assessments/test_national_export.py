"""No national work inside a request (issue 17): the assessments index's "ส่งออก Excel" and the score table
are built by jobs once a person follows more agencies than ``EXPORT_INLINE_MAX_AGENCIES``; the request only
records the job and answers with a redirect to its page."""

import io
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assessments import transfer
from assessments.frameworks import load_all
from assessments.models import FrameworkEdition
from assessments.services import assessment_save
from ita_tracker.models import Job
from reports.documents import ScoreTableDocument
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer_of_three(settings):
    """A viewer of three agencies, scored for 2566 (one also for 2565), with the inline limit at two."""
    settings.EXPORT_INLINE_MAX_AGENCIES = 2
    load_all()
    editions = {e.fiscal_year: e for e in FrameworkEdition.objects.all()}
    viewer = UserFactory()
    for number in range(3):
        agency = AgencyFactory(name=f"อบต.ทดสอบ{number}", province="ปัตตานี", code=f"t{number}")
        MembershipFactory(user=viewer, agency=agency, is_viewer=True, is_staff_member=False)
        assessment_save(
            agency=agency,
            edition=editions[2566],
            indicator_scores={1: D("90.00"), 2: D("80.00")},
            published_total=None,
        )
    assessment_save(agency=agency, edition=editions[2565], indicator_scores={1: D("70.00")}, published_total=None)
    AgencyFactory(name="อบต.ที่ไม่ได้ติดตาม", code="other")
    return viewer


def _refuse(*args, **kwargs):
    raise AssertionError("a national export was built inside the request")


def test_the_index_offers_a_background_export_to_a_viewer_of_many_agencies(client, viewer_of_three):
    client.force_login(viewer_of_three)
    page = client.get(reverse("assessments:index")).content.decode()
    assert f'<form method="post" action="{reverse("assessments:export")}"' in page
    assert f'href="{reverse("assessments:export")}?format=xlsx"' not in page


def test_a_get_over_the_limit_builds_nothing_and_sends_the_person_to_the_button(client, viewer_of_three, monkeypatch):
    monkeypatch.setattr(transfer, "export_rows", _refuse)
    monkeypatch.setattr(transfer, "write_xlsx", _refuse)
    client.force_login(viewer_of_three)
    response = client.get(reverse("assessments:export"), {"format": "xlsx"})
    assert response.status_code == 302 and response.url == reverse("assessments:index")
    assert not Job.objects.exists()
    assert "สร้างในเบื้องหลัง" in client.get(response.url).content.decode()


def test_the_export_button_starts_a_job_whose_file_lists_exactly_the_followed_agencies(
    client, viewer_of_three, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(viewer_of_three)
    real_rows = transfer.export_rows
    monkeypatch.setattr(transfer, "export_rows", _refuse)  # inside the request: must not be called
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("assessments:export"), {"format": "xlsx"})
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert job.kind == "export_scores" and job.status == Job.Status.QUEUED
    monkeypatch.setattr(transfer, "export_rows", real_rows)  # on the worker it builds the file
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    assert sorted(job.params["agencies"]) == sorted(viewer_of_three.memberships.values_list("agency_id", flat=True))
    assert len(queries) < 30  # tuples in chunks: a fixed number of queries, not one per assessment
    download = client.get(reverse("jobs:download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, [c.value for c in r], strict=True)) for r in sheet.iter_rows(min_row=2)]
    assert sorted((r["agency"], r["fiscal_year"]) for r in rows) == [
        ("อบต.ทดสอบ0", 2566),
        ("อบต.ทดสอบ1", 2566),
        ("อบต.ทดสอบ2", 2565),
        ("อบต.ทดสอบ2", 2566),
    ]
    first = next(r for r in rows if r["agency"] == "อบต.ทดสอบ0")
    assert (first["ind1"], first["ind2"], first["ind3"]) == (90, 80, None)
    assert first["mismatch"] is False


def test_the_exported_file_is_refused_once_the_person_no_longer_follows_an_agency_in_it(
    client, viewer_of_three, django_capture_on_commit_callbacks
):
    client.force_login(viewer_of_three)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessments:export"), {"format": "csv"})
    job = Job.objects.get()
    assert job.status == Job.Status.DONE
    text = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content).decode("utf-8-sig")
    assert "อบต.ทดสอบ1" in text and "อบต.ที่ไม่ได้ติดตาม" not in text
    viewer_of_three.memberships.filter(agency__code="t1").delete()
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_the_score_table_over_the_limit_is_not_built_in_the_request(client, viewer_of_three, monkeypatch):
    monkeypatch.setattr(ScoreTableDocument, "render_xlsx", _refuse)
    client.force_login(viewer_of_three)
    response = client.get(reverse("reports:score_table"), {"year": "2566"})
    assert response.status_code == 302
    assert response.url == reverse("assessments:compare") + "?year=2566"
    # Within the limit (one province with one followed agency of the three) it is still answered at once.
    monkeypatch.undo()
    small = client.get(reverse("reports:score_table"), {"year": "2566", "province": "ไม่มี"})
    assert small.status_code == 200


def test_a_coordinator_of_one_agency_still_gets_the_file_at_once(client, viewer_of_three):
    coordinator = MembershipFactory(agency=AgencyFactory(code="solo"), is_coordinator=True).user
    client.force_login(coordinator)
    response = client.get(reverse("assessments:export"), {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert not Job.objects.exists()


def test_job_results_go_through_the_storage_api_and_stream_through_the_permission_check(
    client, viewer_of_three, settings, django_capture_on_commit_callbacks
):
    """Any storage backend (here Django's in-memory one, as S3 would be): no file path is ever assumed."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    client.force_login(viewer_of_three)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessments:export"), {"format": "csv"})
    job = Job.objects.get()
    assert job.status == Job.Status.DONE, job.message
    from django.core.files.storage import default_storage

    assert type(default_storage._wrapped).__name__ == "InMemoryStorage" and default_storage.exists(job.result.name)
    text = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content).decode("utf-8-sig")
    assert "อบต.ทดสอบ0" in text
    client.force_login(UserFactory())
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_s3_is_a_configuration_choice():
    import os
    import subprocess
    import sys

    from django.conf import settings as django_settings

    code = "import django; django.setup(); from django.conf import settings; print(settings.STORAGES['default'])"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("S3_", "STORAGE_"))}
    env |= {"DJANGO_SETTINGS_MODULE": "ita_tracker.settings", "STORAGE_BACKEND": "s3", "S3_BUCKET": "ita-files"}
    env |= {"S3_ENDPOINT_URL": "https://s3.example.go.th"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=django_settings.BASE_DIR
    )
    assert out.returncode == 0, out.stderr
    assert "storages.backends.s3.S3Storage" in out.stdout and "'default_acl': 'private'" in out.stdout
    env.pop("S3_BUCKET")
    refused = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=django_settings.BASE_DIR
    )
    assert refused.returncode != 0 and "S3_BUCKET" in refused.stderr


def test_the_national_workbook_keeps_text_as_text_in_the_thai_font(viewer_of_three, tmp_path):
    """The biggest workbook is written with XlsxWriter (transfer.write_xlsx): the base's promises still hold."""
    from agencies.models import Agency
    from assessments.models import Assessment
    from ita_tracker.xlsx import print_font

    Agency.objects.filter(code="t0").update(name='=HYPERLINK("http://x","y")')
    path = tmp_path / "national.xlsx"
    count = transfer.write_xlsx(transfer.export_rows(Assessment.objects.all()), str(path))
    sheet = load_workbook(path).active
    assert count == 4 and sheet.max_row == 5
    names = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=1) for r in range(2, 6)}
    dangerous = names['=HYPERLINK("http://x","y")']
    assert dangerous.data_type == "s"  # a string, never a formula
    assert dangerous.font.name == print_font().family
    assert sheet.print_title_rows in ("1:1", "$1:$1") and int(sheet.page_setup.paperSize) == 9
