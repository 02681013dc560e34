"""Issue 14 item 4: the coordinator edits the agency's wording of its documents in the app."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from agencies.models import AuditEntry
from measures.models import MeasurePlan
from reports.documents import ResultsDocument
from reports.models import DocumentText
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def url(code="chorakha", year=2566, *part):
    if part:
        return reverse("reports:wording_edit", args=[code, year, *part])
    return reverse("reports:wording_list", args=[code, year])


def test_page_lists_each_documents_parts_with_the_agencys_text_the_default_and_placeholders(demo, client):
    client.login(username="chorakha.plan", password="ita-demo-2567")
    page = client.get(url()).content.decode()
    stored = DocumentText.objects.get(agency__code="chorakha", fiscal_year=2566, document="results", key="title")
    assert stored.text.splitlines()[0] in page  # the agency's own title (seed 001)
    assert "ของหน่วยงาน" in page and "ตั้งต้น" in page
    assert "{assessment_phrase}" in page and "{target_level}" in page  # placeholders of results and analysis
    assert url("chorakha", 2566, "results", "lead") in page


def test_coordinator_changes_a_part_it_prints_and_is_audited_then_returns_to_default(demo, client):
    client.login(username="chorakha.plan", password="ita-demo-2567")
    plan = MeasurePlan.objects.get(agency__code="chorakha", fiscal_year=2566)
    response = client.post(url("chorakha", 2566, "results", "subtitle"), {"text": "{agency} ฉบับทดสอบ"})
    assert response.status_code == 302
    assert f"{plan.agency.name} ฉบับทดสอบ" in ResultsDocument(plan).render_html()
    entry = AuditEntry.objects.filter(object_type=AuditEntry.ObjectType.DOCUMENT_TEXT).latest("pk")
    assert entry.after == {"subtitle": "{agency} ฉบับทดสอบ"} and entry.agency == plan.agency
    client.post(url("chorakha", 2566, "results", "subtitle"), {"reset": "1"})
    assert not DocumentText.objects.filter(agency=plan.agency, fiscal_year=2566, key="subtitle").exists()
    assert "ฉบับทดสอบ" not in ResultsDocument(plan).render_html()


def test_too_long_text_is_refused_in_thai_and_nothing_saved(demo, client):
    client.login(username="chorakha.plan", password="ita-demo-2567")
    page = client.post(url("chorakha", 2566, "results", "lead"), {"text": "ก" * 5001})
    assert page.status_code == 200 and "ยาวได้ไม่เกิน" in page.content.decode()
    assert not DocumentText.objects.filter(agency__code="chorakha", key="lead").exists()


def test_unknown_part_is_404(demo, client):
    client.login(username="chorakha.plan", password="ita-demo-2567")
    assert client.get(url("chorakha", 2566, "results", "nonsense")).status_code == 404
    assert client.get(url("chorakha", 2566, "memo", "title")).status_code == 404
    assert client.get(url("chorakha", 2566, "analysis", "limitation_3_title")).status_code == 200


def test_another_agency_is_404_and_staff_is_403(demo, client):
    client.login(username="bangpu.plan", password="ita-demo-2567")
    assert client.get(url()).status_code == 404
    assert client.post(url("chorakha", 2566, "results", "lead"), {"text": "x"}).status_code == 404
    plan = MeasurePlan.objects.get(agency__code="chorakha", fiscal_year=2566)
    staff = MembershipFactory(agency=plan.agency).user
    client.force_login(staff)
    assert client.get(url()).status_code == 403
    assert client.post(url("chorakha", 2566, "results", "lead"), {"text": "x"}).status_code == 403
    assert not DocumentText.objects.filter(agency=plan.agency, key="lead").exists()
