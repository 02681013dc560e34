"""A provincial or national pack of documents is one job per agency under a parent job (issue 17): the children
run on any worker, the parent reports the share finished, and the last child assembles one ZIP."""

import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from agencies.models import Agency
from ita_tracker.jobs import job_run
from ita_tracker.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(client, settings):
    call_command("load_demo", stdout=io.StringIO())
    settings.JOBS_BACKEND = "celery"  # queued, not run: the test plays the workers
    user = get_user_model().objects.get(username="province.viewer")
    client.force_login(user)
    return user


def test_a_pack_is_split_per_agency_and_assembled_by_the_last_child(
    client, viewer, django_capture_on_commit_callbacks
):
    expected = set(Agency.objects.visible_to(viewer).values_list("code", flat=True))
    assert len(expected) >= 2
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("reports:job_documents_pack"), {"year": "2564"})
    parent = Job.objects.get(kind="documents_pack")  # load_demo queues the seal jobs of its approved memos too
    assert response.status_code == 302 and response.url == parent.get_absolute_url()
    children = list(parent.children.order_by("pk"))
    assert len(children) == parent.child_count == len(expected)
    assert {c.kind for c in children} == {"agency_documents"}
    assert all(c.status == Job.Status.QUEUED for c in children)

    job_run(children[0].pk)  # one worker finishes one agency
    status = client.get(reverse("jobs:status", args=[parent.pk])).json()
    assert status["status"] == "running" and status["progress"] == 100 // len(children)
    for child in children[1:]:  # others finish the rest
        job_run(child.pk)
    parent.refresh_from_db()
    assert parent.status == Job.Status.DONE and parent.progress == 100
    download = client.get(reverse("jobs:download", args=[parent.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = set(archive.namelist())
    assert {f"ita-{code}-2564.zip" for code in expected} <= names
    inner = zipfile.ZipFile(io.BytesIO(archive.read("ita-bangpu-2564.zip")))
    assert {"plan-bangpu-2564.pdf", "results-bangpu-2564.xlsx"} <= set(inner.namelist())  # the agency's own
    assert f"สำเร็จ {len(expected)} งาน ไม่สำเร็จ 0 งาน" in archive.read("รายงานชุดงาน.txt").decode()


def test_a_failed_child_is_reported_and_the_pack_still_finishes(client, viewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("reports:job_documents_pack"), {"year": "2564"})
    parent = Job.objects.get(kind="documents_pack")  # load_demo queues the seal jobs of its approved memos too
    children = list(parent.children.order_by("pk"))
    broken = children[0]
    broken.params = {"agency": 0, "year": 2564}  # an agency that no longer exists
    broken.save()
    for child in children:
        job_run(child.pk, reraise=False)
    parent.refresh_from_db()
    assert (parent.status, parent.progress) == (Job.Status.DONE, 100), parent.message
    assert "ไม่สำเร็จ 1 งาน" in parent.message


def test_a_pack_of_another_agency_is_not_offered(client, viewer):
    stranger = get_user_model().objects.create_user("stranger", password="x-Very-long-1")
    client.force_login(stranger)
    assert client.post(reverse("reports:job_documents_pack"), {"year": "2564"}).status_code == 404
    assert not Job.objects.filter(kind__in=["documents_pack", "agency_documents"]).exists()


def test_a_child_delivered_twice_is_run_once(client, viewer, django_capture_on_commit_callbacks, monkeypatch):
    """The broker hands a message again when the worker that took it died before acknowledging it, even if the
    job had finished: the finished child stays as it was (its file, its attempts, its pack's count)."""
    from dataclasses import replace

    from ita_tracker import jobs

    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("reports:job_documents_pack"), {"year": "2564"})
    parent = Job.objects.get(kind="documents_pack")
    children = list(parent.children.order_by("pk"))
    job_run(children[0].pk)
    first = Job.objects.get(pk=children[0].pk)
    with first.result.open("rb") as handle:
        made = handle.read()

    def broken(job, progress):
        raise RuntimeError("a second run")

    monkeypatch.setitem(jobs._kinds, "agency_documents", replace(jobs._kinds["agency_documents"], run=broken))
    again = job_run(first.pk)  # delivered again, to another worker
    assert (again.status, again.attempts, again.result.name) == (Job.Status.DONE, 1, first.result.name)
    status = client.get(reverse("jobs:status", args=[parent.pk])).json()
    assert status["status"] == "running" and status["progress"] == 100 // len(children)
    assert b"".join(client.get(reverse("jobs:download", args=[first.pk])).streaming_content) == made
