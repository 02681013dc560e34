"""The OIT checklist's changes are in the agency's audit trail: who gave an item to which division, who added and
removed evidence, and who sent it for review, sent it back or passed it, with the state before and after."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import AuditEntry
from measures.oit import services
from tests.measures.oit.helpers import PDF, entry

pytestmark = pytest.mark.django_db


def _trail(agency):
    return [
        (e.object_type, e.action, e.actor.username, e.before, e.after)
        for e in AuditEntry.objects.filter(agency=agency, object_type__startswith="oit").order_by("pk")
    ]


def test_assignment_evidence_and_review_of_an_item_are_in_the_trail(client, agency_a, checklist, divisions, people):
    coordinator, works = people["coordinator"], people["works"]
    o1 = entry(checklist, "o1")
    o1 = services.entry_assign(entry=o1, department=divisions["works"], due=None, by=coordinator, version=o1.version)
    services.evidence_add_file(entry=o1, upload=SimpleUploadedFile("ผังโครงสร้าง.pdf", PDF), by=works)
    link = services.evidence_add_link(entry=o1, url="https://example.go.th/structure", by=works, title="หน้าเว็บ")
    services.evidence_remove(evidence=link, by=works)
    o1.refresh_from_db()
    o1 = services.entry_submit(entry=o1, by=works, version=o1.version)
    o1 = services.entry_review(entry=o1, by=coordinator, passed=False, comment="แนบฉบับลงนาม", version=o1.version)
    services.entry_review(entry=o1, by=coordinator, passed=True, version=o1.version)

    no_flags = {"evidence_title": "", "standing": False, "proposed": False}
    assert _trail(agency_a) == [
        ("oit_entry", "update", coordinator.username, {"department": "สำนักปลัดเทศบาล"}, {"department": "กองช่าง"}),
        ("oit_evidence", "create", works.username, {}, {"evidence": "ผังโครงสร้าง.pdf", **no_flags}),
        ("oit_entry", "transition", works.username, {"state": "ยังไม่เริ่ม"}, {"state": "กำลังจัดทำ"}),
        ("oit_evidence", "create", works.username, {},
         {"evidence": "https://example.go.th/structure", **no_flags, "evidence_title": "หน้าเว็บ"}),
        ("oit_evidence", "delete", works.username,
         {"evidence": "https://example.go.th/structure", **no_flags, "evidence_title": "หน้าเว็บ"}, {}),
        ("oit_entry", "transition", works.username, {"state": "กำลังจัดทำ"}, {"state": "รอตรวจ"}),
        ("oit_entry", "transition", coordinator.username, {"state": "รอตรวจ", "review_comment": ""},
         {"state": "ต้องแก้ไข", "review_comment": "แนบฉบับลงนาม"}),
        ("oit_entry", "transition", coordinator.username, {"state": "ต้องแก้ไข", "review_comment": "แนบฉบับลงนาม"},
         {"state": "ผ่านการตรวจ", "review_comment": ""}),
    ]  # fmt: skip

    client.force_login(coordinator)
    page = client.get(reverse("agencies:audit", args=[agency_a.pk]), {"type": "oit_entry"}).content.decode()
    for text in ["ข้อ OIT", "O1", "ส่วนราชการ", "กองช่าง", "สถานะ", "ต้องแก้ไข", "ความเห็นการตรวจ", "แนบฉบับลงนาม",
                 "ผ่านการตรวจ"]:  # fmt: skip
        assert text in page, text
    assert "ผังโครงสร้าง.pdf" not in page  # evidence is its own type
    evidence_page = client.get(reverse("agencies:audit", args=[agency_a.pk]), {"type": "oit_evidence"})
    assert "หลักฐาน OIT" in evidence_page.content.decode() and "ผังโครงสร้าง.pdf" in evidence_page.content.decode()


def test_a_refused_change_leaves_no_entry(agency_a, checklist, divisions, people):
    o1 = entry(checklist, "o1")
    with pytest.raises(PermissionDenied):  # not this item's division
        services.evidence_add_file(entry=o1, upload=SimpleUploadedFile("x.pdf", PDF), by=people["finance"])
    assert _trail(agency_a) == []
