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
    job = Job.objects.get()
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
    job = Job.objects.get()
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
