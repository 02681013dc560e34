"""The OIT checklist: opening a year, who sees which items, evidence, review and notifications."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import Membership
from ita_tracker.models import Notification
from measures.oit import services
from measures.oit.models import OitEvidence, OitState
from measures.oit.services import checklist_open, default_department
from tests.factories import MembershipFactory
from tests.measures.oit.helpers import EXE, PDF, YEAR, entry

pytestmark = pytest.mark.django_db


def test_opening_a_year_lists_every_oit_item_with_its_usual_division(checklist, divisions):
    entries = list(checklist.entries.select_related("item", "department").order_by("item__order"))
    assert [e.item.code for e in entries] == [f"o{n}" for n in range(1, 27)]
    by_code = {e.item.code: e.department for e in entries}
    assert by_code["o1"] == divisions["office"]  # office
    assert by_code["o11"] == divisions["finance"]  # finance
    assert by_code["o5"] == divisions["strategy"]  # strategy
    assert by_code["o3"] == divisions["office"]  # public relations: no such division, so สำนักปลัด
    assert all(e.state == OitState.NOT_STARTED for e in entries)
    assert checklist.deadline == checklist.edition.oit_deadline


def test_a_year_opens_once(checklist, agency_a, people):
    with pytest.raises(ValidationError) as exc:
        checklist_open(agency=agency_a, fiscal_year=YEAR, by=people["coordinator"])
    assert exc.value.code == "exists"


def test_only_the_coordinator_opens_a_year(agency_a, people):
    with pytest.raises(PermissionDenied):
        checklist_open(agency=agency_a, fiscal_year=YEAR, by=people["finance"])


def test_division_name_matching_prefers_the_name_that_begins_with_the_word(agency_a):
    from agencies.models import Department

    pr = Department(agency=agency_a, name="งานประชาสัมพันธ์ สำนักปลัดเทศบาล")
    office = Department(agency=agency_a, name="สำนักปลัดเทศบาล")
    assert default_department("office", [pr, office]) == office
    assert default_department("pr", [office, pr]) == pr
    assert default_department("all", [office, pr]) is None


def test_staff_see_only_their_divisions_items(client, checklist, people):
    client.force_login(people["finance"])
    page = client.get(reverse("measures:oit_checklist", args=[checklist.pk]))
    codes = [row.item.code for row in page.context["rows"]]
    assert codes == ["o11", "o12"]
    assert "แสดงเฉพาะข้อของส่วนราชการของคุณ" in page.content.decode()
    office_item = entry(checklist, "o1")
    assert client.get(reverse("measures:oit_entry", args=[office_item.pk])).status_code == 404


def test_viewers_see_every_item_but_cannot_act(client, checklist, people):
    client.force_login(people["viewer"])
    page = client.get(reverse("measures:oit_checklist", args=[checklist.pk]))
    assert len(page.context["rows"]) == 26
    o1 = entry(checklist, "o1")
    detail = client.get(reverse("measures:oit_entry", args=[o1.pk]))
    assert detail.context["review_form"] is None and detail.context["evidence_form"] is None
    response = client.post(reverse("measures:oit_review", args=[o1.pk]), {"decision": "pass", "version": o1.version})
    assert response.status_code == 403


def test_another_agencys_checklist_items_and_files_are_404(client, checklist, coordinator_b, people):
    o11 = entry(checklist, "o11")
    evidence = services.evidence_add_file(entry=o11, upload=SimpleUploadedFile("สรุป.pdf", PDF), by=people["finance"])
    client.force_login(coordinator_b)
    for url in [
        reverse("measures:oit_checklist", args=[checklist.pk]),
        reverse("measures:oit_entry", args=[o11.pk]),
        reverse("measures:oit_evidence", args=[evidence.pk]),
        reverse("measures:oit_itas", args=[checklist.pk, "csv"]),
    ]:
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("measures:oit_review", args=[o11.pk]), {"decision": "pass", "version": 1})
    assert response.status_code == 404


def test_assigning_tells_the_divisions_staff(checklist, divisions, people, django_capture_on_commit_callbacks):
    o1 = entry(checklist, "o1")
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_assign(
            entry=o1, department=divisions["works"], due=None, by=people["coordinator"], version=o1.version
        )
    note = Notification.objects.get(recipient=people["works"], kind="oit_assigned")
    assert "O1" in note.title and "กองช่าง" in note.title
    assert note.url == reverse("measures:oit_entry", args=[o1.pk])


def test_an_assignment_from_a_stale_page_is_refused(checklist, divisions, people):
    o1 = entry(checklist, "o1")
    services.entry_assign(entry=o1, department=divisions["works"], due=None, by=people["coordinator"], version=1)
    with pytest.raises(ValidationError) as exc:
        services.entry_assign(entry=o1, department=divisions["finance"], due=None, by=people["coordinator"], version=1)
    assert exc.value.code == "stale"
    o1.refresh_from_db()
    assert o1.department == divisions["works"]


def test_an_item_due_date_cannot_be_after_the_lists(checklist, divisions, people):
    o1 = entry(checklist, "o1")
    late = checklist.deadline.replace(day=checklist.deadline.day + 1 if checklist.deadline.day < 28 else 1)
    if late <= checklist.deadline:
        late = late.replace(month=late.month + 1)
    with pytest.raises(ValidationError) as exc:
        services.entry_assign(entry=o1, department=None, due=late, by=people["coordinator"], version=o1.version)
    assert exc.value.code == "after_deadline"


def test_evidence_files_are_checked_by_content(client, checklist, people):
    o11 = entry(checklist, "o11")
    client.force_login(people["finance"])
    url = reverse("measures:oit_evidence_add", args=[o11.pk])
    response = client.post(url, {"file": SimpleUploadedFile("สรุป.pdf", EXE)}, follow=True)
    assert "ไม่ใช่ไฟล์ที่รับได้" in response.content.decode()
    assert not OitEvidence.objects.exists()
    client.post(url, {"file": SimpleUploadedFile("สรุป.pdf", PDF), "title": "สรุปผลเดือนตุลาคม"})
    stored = OitEvidence.objects.get()
    assert stored.kind == "file" and stored.content_type == "application/pdf"
    o11.refresh_from_db()
    assert o11.state == OitState.IN_PROGRESS
    download = client.get(reverse("measures:oit_evidence", args=[stored.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_links_must_be_http_or_https(client, checklist, people):
    o11 = entry(checklist, "o11")
    client.force_login(people["finance"])
    url = reverse("measures:oit_evidence_add", args=[o11.pk])
    for bad in ["javascript:alert(1)", "ftp://example.org/a.pdf", "www.example.org"]:
        response = client.post(url, {"url": bad}, follow=True)
        assert "ต้องขึ้นต้นด้วย http:// หรือ https://" in response.content.decode(), bad
    assert not OitEvidence.objects.exists()
    client.post(url, {"url": "https://bangpu.go.th/procurement/2569"})
    assert OitEvidence.objects.get().url == "https://bangpu.go.th/procurement/2569"


def test_a_file_and_a_link_together_are_refused(client, checklist, people):
    o11 = entry(checklist, "o11")
    client.force_login(people["finance"])
    response = client.post(
        reverse("measures:oit_evidence_add", args=[o11.pk]),
        {"file": SimpleUploadedFile("a.pdf", PDF), "url": "https://bangpu.go.th/"},
        follow=True,
    )
    assert "แนบไฟล์หรือระบุลิงก์อย่างใดอย่างหนึ่ง" in response.content.decode()
    assert not OitEvidence.objects.exists()


def test_the_checklists_storage_quota_is_kept(checklist, people, settings):
    settings.OIT_EVIDENCE_QUOTA = len(PDF) + 10
    o11 = entry(checklist, "o11")
    services.evidence_add_file(entry=o11, upload=SimpleUploadedFile("a.pdf", PDF), by=people["finance"])
    with pytest.raises(ValidationError) as exc:
        services.evidence_add_file(entry=o11, upload=SimpleUploadedFile("b.pdf", PDF), by=people["finance"])
    assert exc.value.code == "quota"
    assert OitEvidence.objects.count() == 1


def test_another_divisions_staff_cannot_add_evidence(checklist, people):
    o11 = entry(checklist, "o11")
    with pytest.raises(PermissionDenied):
        services.evidence_add_link(entry=o11, url="https://bangpu.go.th/", by=people["works"])


def test_review_sends_back_with_a_comment_and_passes(checklist, people, sent):
    o11 = entry(checklist, "o11")
    with pytest.raises(ValidationError) as exc:
        services.entry_submit(entry=o11, by=people["finance"], version=o11.version)
    assert exc.value.code == "no_evidence"
    services.evidence_add_link(entry=o11, url="https://bangpu.go.th/p", by=people["finance"])
    o11.refresh_from_db()
    with sent():
        o11 = services.entry_submit(entry=o11, by=people["finance"], version=o11.version)
    assert o11.state == OitState.IN_REVIEW
    assert Notification.objects.filter(recipient=people["coordinator"], kind="oit_submitted").exists()
    with pytest.raises(ValidationError):
        services.entry_review(entry=o11, by=people["coordinator"], passed=False, comment=" ", version=o11.version)
    with sent():
        o11 = services.entry_review(
            entry=o11, by=people["coordinator"], passed=False, comment="ยังไม่มีรายการเดือนพฤศจิกายน", version=o11.version
        )
    assert o11.state == OitState.NEEDS_FIX
    sent_back = Notification.objects.get(recipient=people["finance"], kind="oit_sent_back")
    assert sent_back.body == "ยังไม่มีรายการเดือนพฤศจิกายน"
    o11 = services.entry_submit(entry=o11, by=people["finance"], version=o11.version)
    with sent():
        o11 = services.entry_review(entry=o11, by=people["coordinator"], passed=True, version=o11.version)
    assert o11.state == OitState.PASSED
    assert Notification.objects.filter(recipient=people["finance"], kind="oit_passed").exists()
    with pytest.raises(ValidationError) as exc:
        services.evidence_add_link(entry=o11, url="https://bangpu.go.th/x", by=people["finance"])
    assert exc.value.code == "not_movable"


def test_rights_are_checked_when_acting_not_when_the_page_was_drawn(checklist, people):
    o11 = entry(checklist, "o11")
    services.evidence_add_link(entry=o11, url="https://bangpu.go.th/p", by=people["finance"])
    o11.refresh_from_db()
    Membership.objects.filter(user=people["coordinator"]).update(is_coordinator=False, is_viewer=True)
    with pytest.raises(PermissionDenied):
        services.entry_review(entry=o11, by=people["coordinator"], passed=True, version=o11.version)
    o11.refresh_from_db()
    assert o11.state == OitState.IN_PROGRESS


def test_staff_moved_to_another_division_lose_the_item(checklist, divisions, people):
    o11 = entry(checklist, "o11")
    Membership.objects.filter(user=people["finance"]).update(department=divisions["works"])
    with pytest.raises(PermissionDenied):
        services.evidence_add_link(entry=o11, url="https://bangpu.go.th/p", by=people["finance"])


def test_the_checklist_page_shows_states_and_filters(client, checklist, people):
    o11 = entry(checklist, "o11")
    services.evidence_add_link(entry=o11, url="https://bangpu.go.th/p", by=people["finance"])
    client.force_login(people["coordinator"])
    page = client.get(reverse("measures:oit_checklist", args=[checklist.pk]), {"state": "in_progress"})
    assert [r.item.code for r in page.context["rows"]] == ["o11"]
    counts = {state: n for state, _label, n in page.context["counts"]}
    assert counts == {"not_started": 25, "in_progress": 1, "in_review": 0, "passed": 0, "needs_fix": 0}
    assert "สรุปผลการจัดซื้อจัดจ้างรายเดือน" in page.content.decode()


def test_the_coordinator_opens_a_year_through_the_page(client, agency_a, divisions):
    coordinator = MembershipFactory(agency=agency_a, department=divisions["office"], is_coordinator=True).user
    client.force_login(coordinator)
    page = client.get(reverse("measures:oit_index"))
    assert YEAR in [y for y, _label in page.context["form"].fields["fiscal_year"].choices]
    response = client.post(reverse("measures:oit_open"), {"fiscal_year": YEAR})
    opened = agency_a.oit_checklists.get()
    assert response.url == reverse("measures:oit_checklist", args=[opened.pk])
    assert opened.entries.count() == 26
