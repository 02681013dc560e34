"""The public OIT page and its files, the ITAS export, the provincial overview, and their query counts."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ita_tracker.models import Job
from measures.oit import services
from measures.oit.services import checklist_open
from tests.factories import AgencyFactory, DepartmentFactory, MembershipFactory
from tests.measures.oit.helpers import PDF, YEAR, entry

pytestmark = pytest.mark.django_db


def passed(checklist, code, people, *, by_key="coordinator", url=None, upload=None):
    item = entry(checklist, code)
    actor = people[by_key]
    if upload is not None:
        services.evidence_add_file(entry=item, upload=upload, by=actor, title="เอกสาร " + code)
    else:
        services.evidence_add_link(entry=item, url=url or f"https://bangpu.go.th/{code}", by=actor)
    item.refresh_from_db()
    return services.entry_review(entry=item, by=people["coordinator"], passed=True, version=item.version)


@pytest.fixture
def published(checklist, people):
    """O1 passed with a file, O11 passed with a link, O12 waiting for review, O2 with evidence but not reviewed."""
    passed(checklist, "o1", people, upload=SimpleUploadedFile("โครงสร้าง.pdf", PDF))
    passed(checklist, "o11", people, by_key="finance", url="https://bangpu.go.th/procurement")
    o12 = entry(checklist, "o12")
    services.evidence_add_link(entry=o12, url="https://bangpu.go.th/secret-draft", by=people["finance"])
    o12.refresh_from_db()
    services.entry_submit(entry=o12, by=people["finance"], version=o12.version)
    services.evidence_add_file(
        entry=entry(checklist, "o2"), upload=SimpleUploadedFile("ร่าง.pdf", PDF), by=people["coordinator"]
    )
    return checklist


def test_the_public_page_lists_only_passed_items_in_order_without_login(client, published, agency_a):
    page = client.get(reverse("oit_public:list", args=[agency_a.code, YEAR]))
    assert page.status_code == 200
    codes = [e.item.code for e in page.context["entries"]]
    assert codes == ["o1", "o11"]
    html = page.content.decode()
    assert "โครงสร้าง หน้าที่และอำนาจ" in html and "https://bangpu.go.th/procurement" in html
    assert "secret-draft" not in html and "ร่าง.pdf" not in html
    assert "คู่มือหรือแนวทางการขอรับบริการ" not in html  # O9: not passed, not shown


def test_the_public_page_may_be_framed_and_other_pages_may_not(client, published, agency_a, people):
    page = client.get(reverse("oit_public:list", args=[agency_a.code, YEAR]))
    assert "X-Frame-Options" not in page
    assert "frame-ancestors http: https:" in page["Content-Security-Policy"]
    item = client.get(reverse("oit_public:item", args=[agency_a.code, YEAR, "o1"]))
    assert "X-Frame-Options" not in item and "frame-ancestors http: https:" in item["Content-Security-Policy"]
    client.force_login(people["coordinator"])
    private = client.get(reverse("measures:oit_checklist", args=[published.pk]))
    assert private["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in private["Content-Security-Policy"]


def test_each_passed_item_has_its_own_public_address(client, published, agency_a):
    page = client.get(reverse("oit_public:item", args=[agency_a.code, YEAR, "o11"]))
    assert page.status_code == 200 and "https://bangpu.go.th/procurement" in page.content.decode()
    assert client.get(reverse("oit_public:item", args=[agency_a.code, YEAR, "o12"])).status_code == 404
    assert client.get(reverse("oit_public:item", args=[agency_a.code, YEAR, "o99"])).status_code == 404


def test_only_files_of_passed_items_download_publicly(client, published, agency_a):
    o1 = entry(published, "o1")
    evidence = o1.evidence.get()
    url = reverse("oit_public:file", args=[agency_a.code, YEAR, "o1", evidence.pk])
    response = client.get(url)
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    draft = entry(published, "o2").evidence.get()
    assert client.get(reverse("oit_public:file", args=[agency_a.code, YEAR, "o2", draft.pk])).status_code == 404
    # The passed item's address with another item's file: still 404.
    assert client.get(reverse("oit_public:file", args=[agency_a.code, YEAR, "o1", draft.pk])).status_code == 404
    # Another agency's code with this agency's file: 404.
    other = AgencyFactory(code="other")
    assert client.get(reverse("oit_public:file", args=[other.code, YEAR, "o1", evidence.pk])).status_code == 404


def test_the_itas_export_gives_every_item_its_public_address_in_order(client, published, agency_a, people):
    client.force_login(people["coordinator"])
    response = client.get(reverse("measures:oit_itas", args=[published.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4) if row[0].value]
    assert [r[0] for r in rows] == [f"O{n}" for n in range(1, 27)]
    by_code = {r[0]: r for r in rows}
    assert by_code["O1"][2] == f"http://testserver/public/oit/{agency_a.code}/{YEAR}/o1/"
    assert by_code["O1"][3] == "เผยแพร่แล้ว" and by_code["O12"][3] == "รอตรวจ"
    assert by_code["O11"][1] == "สรุปผลการจัดซื้อจัดจ้างรายเดือน"
    text = client.get(reverse("measures:oit_itas", args=[published.pk, "csv"])).content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][0] == "ข้อ" and len(lines) == 27
    assert lines[1][:3] == ["O1", "โครงสร้าง หน้าที่และอำนาจ", f"http://testserver/public/oit/{agency_a.code}/{YEAR}/o1/"]
    # The address works.
    assert client.get(lines[1][2].replace("http://testserver", "")).status_code == 200


def _agencies_with_checklists(n: int, province: str, viewer):
    for i in range(n):
        agency = AgencyFactory(province=province, name=f"อบต.ทดสอบ{province}{i}")
        coordinator = MembershipFactory(agency=agency, is_coordinator=True, is_staff_member=False).user
        DepartmentFactory(agency=agency, name="สำนักปลัด")
        checklist = checklist_open(agency=agency, fiscal_year=YEAR, by=coordinator)
        if i % 2 == 0:
            o1 = entry(checklist, "o1")
            services.evidence_add_link(entry=o1, url="https://example.go.th/", by=coordinator)
            o1.refresh_from_db()
            services.entry_review(entry=o1, by=coordinator, passed=True, version=o1.version)
        MembershipFactory(user=viewer, agency=agency, department=None, is_viewer=True, is_staff_member=False)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_overview_shows_each_agencys_share_and_exports_it(client, django_user_model):
    viewer = django_user_model.objects.create_user("province.viewer", password="x")
    _agencies_with_checklists(3, "เพชรบุรี", viewer)
    client.force_login(viewer)
    page = client.get(reverse("measures:oit_overview"), {"year": YEAR})
    rows = {a.name: (a.oit_passed, a.oit_total, a.oit_percent) for a in page.context["page"].object_list}
    assert rows["อบต.ทดสอบเพชรบุรี0"] == (1, 26, 4)
    assert rows["อบต.ทดสอบเพชรบุรี1"] == (0, 26, 0)
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("measures:oit_overview_export"), {"year": YEAR}).content)
    ).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=4) if row[0].value]
    assert ["เพชรบุรี", "อบต.ทดสอบเพชรบุรี0", 26, 1, 4] in values and len(values) == 3


def test_the_overview_answers_in_the_same_number_of_queries_at_two_sizes(client, django_user_model):
    viewer = django_user_model.objects.create_user("province.viewer", password="x")
    _agencies_with_checklists(2, "ปัตตานี", viewer)
    client.force_login(viewer)
    url = reverse("measures:oit_overview") + f"?year={YEAR}"
    small = (_queries(client, url), _queries(client, url))  # the count and provinces computed, then kept
    _agencies_with_checklists(12, "ยะลา", viewer)
    cache.clear()
    assert (_queries(client, url), _queries(client, url)) == small
    assert small[1] < small[0]


def test_the_overview_keeps_its_count_and_says_how_old_it_is(client, django_user_model):
    viewer = django_user_model.objects.create_user("province.viewer", password="x")
    _agencies_with_checklists(2, "ปัตตานี", viewer)
    client.force_login(viewer)
    url = reverse("measures:oit_overview") + f"?year={YEAR}"
    html = client.get(url).content.decode()
    assert "๒ หน่วยงาน" in html and "ตัวเลขสรุป ณ " in html and "ปรับทุก ๕ นาที" in html
    _agencies_with_checklists(1, "ยะลา", viewer)
    page = client.get(url)
    assert "๒ หน่วยงาน" in page.content.decode()  # the kept figure
    assert len(page.context["page"].object_list) == 3  # the rows, live
    assert "๑ หน่วยงาน" in client.get(url + "&province=ยะลา").content.decode()  # a filter has figures of its own


def test_the_checklist_answers_in_the_same_number_of_queries_at_two_sizes(client, checklist, people, agency_a):
    client.force_login(people["coordinator"])
    url = reverse("measures:oit_checklist", args=[checklist.pk])
    passed(checklist, "o1", people)
    small = _queries(client, url)
    for code in ["o2", "o3", "o4", "o5", "o6"]:
        passed(checklist, code, people, upload=SimpleUploadedFile(f"{code}.pdf", PDF))
        services.evidence_add_link(
            entry=entry(checklist, "o7"), url=f"https://bangpu.go.th/{code}", by=people["coordinator"]
        )
    other = AgencyFactory()
    checklist_open(agency=other, fiscal_year=YEAR, by=None)
    assert _queries(client, url) == small
    staff = people["finance"]
    client.force_login(staff)
    assert _queries(client, url) <= small


def test_the_dashboard_panel_counts_items_by_state_and_what_is_overdue(client, agency_a, people, divisions):
    from django.utils import timezone

    from ita_tracker.thai import fiscal_year

    year = fiscal_year(timezone.localdate())
    current = checklist_open(agency=agency_a, fiscal_year=year, by=people["coordinator"])
    o1 = entry(current, "o1")
    services.evidence_add_link(entry=o1, url="https://bangpu.go.th/", by=people["coordinator"])
    current.entries.filter(item__code="o2").update(
        due=timezone.localdate().replace(year=timezone.localdate().year - 1)
    )
    client.force_login(people["coordinator"])
    page = client.get(reverse("dashboard"))
    panel = next(data for p, data in page.context["panels"] if p.key == "oit")
    states = {s: n for s, _label, n in panel["states"]}
    assert states["in_progress"] == 1 and states["not_started"] == 25
    assert [e.item.code for e in panel["late"]] == ["o2"]
    html = page.content.decode()
    assert "เลยกำหนด ๑ ข้อ" in html
    assert current.get_absolute_url() in html


def test_a_national_overview_export_runs_as_a_job_never_in_the_request(
    client, django_user_model, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """Over ``EXPORT_INLINE_MAX_AGENCIES`` the page offers a button that starts a job (the file of 8,000 agencies
    took about 2 s in the request); a GET builds nothing; the job's file lists exactly the followed agencies and
    is refused to another person."""
    from measures.oit import exports

    settings.EXPORT_INLINE_MAX_AGENCIES = 2
    viewer = django_user_model.objects.create_user("national.viewer", password="x")
    _agencies_with_checklists(3, "เพชรบุรี", viewer)
    client.force_login(viewer)
    url = reverse("measures:oit_overview_export")

    page = client.get(reverse("measures:oit_overview"), {"year": YEAR}).content.decode()
    assert f'<form method="post" action="{url}"' in page and f'href="{url}?' not in page

    built = exports.overview_workbook
    monkeypatch.setattr(exports, "overview_workbook", lambda *a, **k: pytest.fail("built inside the request"))
    response = client.get(url, {"year": YEAR})
    said = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert response.status_code == 302 and "ส่งออก Excel" in said

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, {"year": YEAR, "province": ""})
    job = Job.objects.get(kind="oit_overview_export")
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    monkeypatch.setattr(exports, "overview_workbook", built)  # on the worker it builds the file
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    download = client.get(reverse("jobs:download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    names = sorted(row[1].value for row in sheet.iter_rows(min_row=4) if row[0].value)
    assert names == ["อบต.ทดสอบเพชรบุรี0", "อบต.ทดสอบเพชรบุรี1", "อบต.ทดสอบเพชรบุรี2"]

    client.force_login(django_user_model.objects.create_user("someone.else", password="x"))
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
