"""Background jobs: progress where they were started, results as downloads, and a real worker that takes
over a job whose process died."""

import io
import os
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from ita_tracker.jobs import job_run
from ita_tracker.models import Job
from measures.models import MeasurePlan
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def login(client, username):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))


@pytest.mark.django_db
def test_agency_documents_job_zips_every_document(demo, client, django_capture_on_commit_callbacks, settings):
    settings.JOBS_BACKEND = "celery"
    login(client, "bangpu.plan")
    plan = MeasurePlan.objects.get(agency__code="bangpu", fiscal_year=2564)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("reports:job_agency_documents", args=[plan.pk]))
    job = Job.objects.get(kind="agency_documents")  # not the demo's memo_seal job
    assert response.url == job.get_absolute_url()
    assert len(callbacks) == 1  # queued only when the request's transaction commits
    assert client.get(reverse("jobs:status", args=[job.pk])).json()["status"] == "queued"

    job_run(job.pk)  # what the worker does
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status["status"] == "done" and status["progress"] == 100 and status["download"]
    download = client.get(status["download"])
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = set(archive.namelist())
    assert {"plan-bangpu-2564.pdf", "plan-bangpu-2564.xlsx", "results-bangpu-2564.pdf"} <= names
    assert any(n.startswith("memo-bangpu-") and n.endswith(".pdf") for n in names)
    assert archive.read("plan-bangpu-2564.pdf").startswith(b"%PDF")


@pytest.mark.django_db
def test_a_job_is_only_for_the_person_who_started_it(demo, client):
    login(client, "bangpu.plan")
    plan = MeasurePlan.objects.get(agency__code="bangpu", fiscal_year=2564)
    client.post(reverse("reports:job_agency_documents", args=[plan.pk]))
    job = Job.objects.get(kind="agency_documents")
    client.force_login(UserFactory())
    for name in ["jobs:detail", "jobs:status", "jobs:download"]:
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    login(client, "bangkao.plan")
    assert client.post(reverse("reports:job_agency_documents", args=[plan.pk])).status_code == 404


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def _wait(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_jobs_and_retries_one_whose_process_died(client, tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("a worker in another process needs the shared PostgreSQL test database")
    if not _redis_up():
        if os.environ.get("CI"):
            pytest.fail("CI must run the worker test: Redis is not running on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    settings.JOBS_BACKEND = "celery"
    call_command("load_demo", stdout=io.StringIO())
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "DATA_DIR": str(Path(settings.MEDIA_ROOT).parent),
        "DJANGO_SETTINGS_MODULE": "ita_tracker.settings",
        "JOBS_BACKEND": "celery",
    }
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "ita_tracker", "purge", "-f"],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        timeout=60,
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ita_tracker",
            "worker",
            "--pool",
            "prefork",
            "-c",
            "1",
            "-l",
            "info",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=open(tmp_path / "worker.log", "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        login(client, "bangpu.plan")
        plan = MeasurePlan.objects.get(agency__code="bangpu", fiscal_year=2564)
        client.post(reverse("reports:job_agency_documents", args=[plan.pk]))
        first = Job.objects.latest("pk")
        assert _wait(lambda: Job.objects.get(pk=first.pk).status == "done", 120), (tmp_path / "worker.log").read_text()

        # A second job: kill the process running it, as if it crashed; the worker takes it up again.
        client.post(reverse("reports:job_agency_documents", args=[plan.pk]))
        second = Job.objects.latest("pk")
        assert _wait(lambda: Job.objects.get(pk=second.pk).status == "running", 60)
        children = subprocess.run(["pgrep", "-P", str(worker.pid)], capture_output=True, text=True).stdout.split()
        assert children, "the prefork pool has a child process"
        for pid in children:
            os.kill(int(pid), signal.SIGKILL)
        assert _wait(lambda: Job.objects.get(pk=second.pk).status == "done", 180), (
            tmp_path / "worker.log"
        ).read_text()
        assert Job.objects.get(pk=second.pk).attempts >= 2
        download = client.get(reverse("jobs:download", args=[second.pk]))
        assert download.status_code == 200
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)


CSV_HEADER = "agency,agency_type,province,fiscal_year," + ",".join(f"ind{n}" for n in range(1, 11))


@pytest.mark.django_db
def test_a_large_score_file_is_saved_in_the_background(demo, client, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments.models import Assessment

    login(client, "bangpu.plan")
    good = f"{CSV_HEADER}\nเทศบาลตำบลบางปู,,ปัตตานี,2564," + ",".join(["90.50"] * 10) + "\n"
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("assessments:import_background"), {"file": SimpleUploadedFile("scores.csv", good.encode())}
        )
    job = Job.objects.get(kind="import_scores")
    assert response.url == job.get_absolute_url()
    assert not Assessment.objects.filter(agency__code="bangpu", edition__fiscal_year=2564).exists()
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == "done"
    assert Assessment.objects.get(agency__code="bangpu", edition__fiscal_year=2564).total == 90.5
    report = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content).decode()
    assert "เพิ่มผลการประเมิน: 1" in report
    from django.core.files.storage import default_storage

    assert not default_storage.exists(job.params["path"])  # the upload does not outlive the job


@pytest.mark.django_db
def test_a_background_import_with_errors_saves_nothing_and_says_why(demo, client, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments.models import Assessment

    login(client, "bangpu.plan")
    bad = f"{CSV_HEADER}\nเทศบาลตำบลบางปู,,ปัตตานี,2564," + ",".join(["90.50"] * 9 + ["101"]) + "\n"
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("assessments:import_background"), {"file": SimpleUploadedFile("scores.csv", bad.encode())})
    job = Job.objects.get(kind="import_scores")
    from assessments.transfer import ImportRefused

    with pytest.raises(ImportRefused):
        job_run(job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert "แถว 2 คอลัมน์ ind10" in job.message
    assert not Assessment.objects.filter(agency__code="bangpu", edition__fiscal_year=2564).exists()
    # Staff (no coordinator role anywhere) may not start one.
    login(client, "bangpu.finance")
    assert client.post(reverse("assessments:import_background"), {}).status_code == 403


# ---------------------------------------------------------------- access, expiry, queue down, polling (issue 11)


def _done_job(user, agency, *, finished_at=None):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    job = Job.objects.create(
        kind="agency_documents", params={"agency": agency.pk, "year": 2567}, created_by=user, status="done"
    )
    job.result.save("ita.zip", ContentFile(b"PK-the-documents"), save=False)
    Job.objects.filter(pk=job.pk).update(
        result=job.result.name, result_name="ita.zip", finished_at=finished_at or timezone.now(), progress=100
    )
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_a_viewer_removed_from_the_agency_can_no_longer_download_what_they_made(client, agency_a):
    from tests.factories import MembershipFactory

    membership = MembershipFactory(agency=agency_a, is_viewer=True, is_staff_member=False)
    job = _done_job(membership.user, agency_a)
    client.force_login(membership.user)
    download = reverse("jobs:download", args=[job.pk])
    assert b"".join(client.get(download).streaming_content) == b"PK-the-documents"
    membership.is_active = False
    membership.save()
    for url in [download, job.get_absolute_url(), reverse("jobs:status", args=[job.pk])]:
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_a_score_table_is_downloaded_only_while_every_agency_in_it_is_still_visible(client, agency_a, agency_b):
    from ita_tracker.jobs import job_run
    from tests.factories import AgencyFactory, MembershipFactory

    viewer = MembershipFactory(agency=agency_a, is_viewer=True, is_staff_member=False).user
    second = MembershipFactory(agency=agency_b, user=viewer, is_viewer=True, is_staff_member=False)
    AgencyFactory(code="unfollowed")  # not theirs: the table lists the two it covers
    job = Job.objects.create(kind="score_table", params={"year": 2567}, created_by=viewer)
    job = job_run(job.pk)
    assert sorted(job.params["agencies"]) == sorted([agency_a.pk, agency_b.pk])
    client.force_login(viewer)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 200
    second.is_active = False
    second.save()
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_a_national_viewer_who_lost_the_national_role_can_no_longer_download(client):
    """A national viewer's file records that it covers every agency, and every look checks that they still see
    every agency, in the same queries for a country of 3 agencies as for one of 12; a 404 once they do not."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ita_tracker.jobs import job_run
    from tests.factories import AgencyFactory, MembershipFactory

    viewer = UserFactory()
    memberships = [
        MembershipFactory(agency=AgencyFactory(code=f"country{n}"), user=viewer, is_viewer=True, is_staff_member=False)
        for n in range(3)
    ]

    def status_queries(job):
        client.get(reverse("jobs:status", args=[job.pk]))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("jobs:status", args=[job.pk])).json()["download"]
        return len(ctx.captured_queries)

    client.force_login(viewer)
    small = job_run(Job.objects.create(kind="score_table", params={"year": 2567}, created_by=viewer).pk)
    assert "agencies" not in small.params and small.params["every_agency_upto"] == memberships[-1].agency_id
    for n in range(3, 12):
        memberships.append(
            MembershipFactory(
                agency=AgencyFactory(code=f"country{n}"), user=viewer, is_viewer=True, is_staff_member=False
            )
        )
    national = job_run(Job.objects.create(kind="score_table", params={"year": 2567}, created_by=viewer).pk)
    assert status_queries(small) == status_queries(national)
    download = reverse("jobs:download", args=[national.pk])
    assert client.get(download).status_code == 200
    AgencyFactory(code="newer")  # an agency created since, which they do not follow, is not in the file
    assert client.get(download).status_code == 200
    for membership in memberships[:-1]:  # the national role is taken away: their viewer memberships end
        membership.is_active = False
        membership.save()
    for url in [download, national.get_absolute_url(), reverse("jobs:status", args=[national.pk])]:
        assert client.get(url).status_code == 404, url
    memberships[-1].is_active = False  # and the very last one too
    memberships[-1].save()
    assert client.get(download).status_code == 404


@pytest.mark.django_db
def test_results_expire_and_clear_jobs_deletes_them_with_their_files(client, coordinator_a, agency_a, settings):
    from datetime import timedelta

    from django.core.files.storage import default_storage
    from django.utils import timezone

    settings.JOBS_RESULT_TTL = timedelta(hours=2)
    fresh = _done_job(coordinator_a, agency_a)
    old = _done_job(coordinator_a, agency_a, finished_at=timezone.now() - timedelta(hours=3))
    client.force_login(coordinator_a)
    assert client.get(reverse("jobs:download", args=[fresh.pk])).status_code == 200
    assert client.get(reverse("jobs:download", args=[old.pk])).status_code == 404
    assert "หมดอายุ" in client.get(old.get_absolute_url()).content.decode()
    out = io.StringIO()
    call_command("clear_jobs", stdout=out)
    assert "Deleted 1" in out.getvalue()
    assert list(Job.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not default_storage.exists(old.result.name) and default_storage.exists(fresh.result.name)


@pytest.mark.django_db(transaction=True)
def test_with_the_queue_down_a_background_import_fails_at_once_with_a_thai_message(client, settings, monkeypatch):
    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile
    from kombu.exceptions import OperationalError

    from ita_tracker import tasks
    from tests.factories import AgencyFactory, MembershipFactory

    settings.JOBS_BACKEND = "celery"

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.run_job, "apply_async", broker_down)
    coordinator = MembershipFactory(agency=AgencyFactory(), is_coordinator=True).user
    client.force_login(coordinator)
    good = f"{CSV_HEADER}\nเทศบาลตำบลบางปู,,ปัตตานี,2564," + ",".join(["90.50"] * 10) + "\n"
    response = client.post(
        reverse("assessments:import_background"),
        {"file": SimpleUploadedFile("scores.csv", good.encode())},
        follow=True,
    )
    assert response.status_code == 200
    job = Job.objects.get()
    assert job.status == "failed" and "ระบบคิวงานเบื้องหลังไม่พร้อมใช้งาน" in job.message
    assert "ระบบคิวงานเบื้องหลังไม่พร้อมใช้งาน" in response.content.decode()
    assert not default_storage.exists(job.params["path"])  # the upload is not left on disk
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status["final"] is True and status["status"] == "failed"


@pytest.mark.django_db
def test_polling_does_not_keep_the_session_alive(client, coordinator_a, agency_a):
    from datetime import timedelta

    from django.conf import settings as django_settings
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    job = Job.objects.create(
        kind="agency_documents", params={"agency": agency_a.pk, "year": 2567}, created_by=coordinator_a
    )
    client.force_login(coordinator_a)
    client.get(reverse("jobs:mine"))
    soon = timezone.now() + timedelta(minutes=5)
    Session.objects.update(expire_date=soon)
    response = client.get(reverse("jobs:status", args=[job.pk]))
    assert response.status_code == 200 and response.json()["final"] is False
    assert django_settings.SESSION_COOKIE_NAME not in response.cookies
    assert Session.objects.get().expire_date == soon
    client.get(reverse("jobs:mine"))  # an ordinary page does extend it
    assert Session.objects.get().expire_date > soon


@pytest.mark.django_db
def test_a_job_that_can_no_longer_finish_is_given_up_and_polling_stops(client, coordinator_a, agency_a, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.JOBS_GIVE_UP_AFTER = 60
    job = Job.objects.create(
        kind="agency_documents", params={"agency": agency_a.pk, "year": 2567}, created_by=coordinator_a
    )
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    client.force_login(coordinator_a)
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status["final"] is True and status["status"] == "failed"
    assert "ไม่เสร็จภายในเวลาที่กำหนด" in status["message"]
    # The page of a finished job does not start polling at all.
    assert 'data-final="1"' in client.get(job.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_job_that_kills_its_worker_every_time_is_failed_not_retried_for_ever(coordinator_a, agency_a, settings):
    settings.JOBS_MAX_ATTEMPTS = 2
    job = Job.objects.create(
        kind="agency_documents", params={"agency": agency_a.pk, "year": 2567}, created_by=coordinator_a, attempts=2
    )
    job = job_run(job.pk)
    assert job.status == "failed" and "ไม่เสร็จ" in job.message and not job.result


def test_the_celery_worker_has_time_and_memory_limits():
    from django.conf import settings

    from ita_tracker.celery import app

    assert app.conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT > 0
    assert 0 < app.conf.task_soft_time_limit < app.conf.task_time_limit
    assert app.conf.worker_max_memory_per_child == settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD > 0
    # Redis must not hand a job still within its time limit to a second worker.
    assert app.conf.broker_transport_options["visibility_timeout"] > app.conf.task_time_limit


@pytest.mark.django_db
def test_my_downloads_lists_my_jobs_with_state_and_result(
    client, coordinator_a, agency_a, django_assert_max_num_queries
):
    done = _done_job(coordinator_a, agency_a)
    failed = Job.objects.create(
        kind="import_scores", params={}, created_by=coordinator_a, status="failed", message="ไฟล์มีข้อผิดพลาด 3 รายการ"
    )
    someone_else = _done_job(UserFactory(), agency_a)
    client.force_login(coordinator_a)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("jobs:mine")).content.decode()
    assert reverse("jobs:download", args=[done.pk]) in page
    assert "ไฟล์มีข้อผิดพลาด 3 รายการ" in page and failed.get_absolute_url() in page
    assert someone_else.get_absolute_url() not in page


# ---------------------------------------------------------------- the embedded worker (make run)


@pytest.mark.django_db
def test_the_embedded_worker_takes_queued_and_interrupted_jobs_from_the_database(coordinator_a, agency_a):
    from ita_tracker import worker

    queued = Job.objects.create(kind="score_table", params={"year": 2567}, created_by=coordinator_a)
    interrupted = Job.objects.create(
        kind="score_table", params={"year": 2566}, created_by=coordinator_a, status="running", attempts=1
    )
    assert worker.requeue_interrupted() == 1  # what the server does when it starts
    assert worker.work_once() and worker.work_once()
    assert not worker.work_once()  # nothing left
    for job in (queued, interrupted):
        job.refresh_from_db()
        assert job.status == "done" and job.result_name.endswith(".xlsx")
    interrupted.refresh_from_db()
    assert interrupted.attempts == 2


def test_make_run_without_a_broker_uses_the_embedded_worker_and_production_keeps_celery():
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "JOBS_BACKEND", "DEBUG")}
    code = "from django.conf import settings; print(settings.JOBS_BACKEND)"

    def backend(**extra):
        return (
            subprocess.run(
                [sys.executable, "manage.py", "shell", "-c", code],
                cwd=ROOT,
                env={**env, **extra},
                capture_output=True,
                text=True,
                check=True,
                timeout=120,
            )
            .stdout.strip()
            .splitlines()[-1]
        )

    assert backend() == "embedded"
    assert backend(REDIS_URL="redis://127.0.0.1:6379/9") == "celery"
    assert backend(JOBS_BACKEND="embedded", REDIS_URL="redis://127.0.0.1:6379/9") == "embedded"
    makefile = (ROOT / "Makefile").read_text()
    assert "JOBS_BACKEND=$(JOBS_BACKEND)" in makefile and "JOBS_BACKEND ?= embedded" in makefile


@pytest.mark.django_db(transaction=True)
def test_the_development_server_starts_the_embedded_worker(settings, coordinator_a, agency_a):
    from unittest import mock

    from django.core.management import get_commands, load_command_class

    from ita_tracker import worker

    assert get_commands()["runserver"] == "ita_tracker"
    settings.JOBS_BACKEND = "embedded"
    command = load_command_class("ita_tracker", "runserver")
    with mock.patch("django.contrib.staticfiles.management.commands.runserver.Command.inner_run") as serve:
        command.inner_run(use_threading=True)
    try:
        assert serve.called and worker.running()
        job = Job.objects.create(kind="score_table", params={"year": 2567}, created_by=coordinator_a)
        worker.wake()
        assert _wait(lambda: Job.objects.get(pk=job.pk).status == "done", 60)
    finally:
        worker.stop()
    assert not worker.running()
