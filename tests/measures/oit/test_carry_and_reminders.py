"""Opening next year proposes standing evidence on the renumbered items; reminders before and after the due date."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ita_tracker.models import Notification
from measures.oit import services
from measures.oit.carry import match_titles
from measures.oit.models import OitEvidence, OitState
from measures.oit.reminders import oit_reminders
from tests.measures.oit.helpers import PDF, YEAR, entry

pytestmark = pytest.mark.django_db


def test_titles_match_across_renumbering_and_rewording():
    old = {1: "โครงสร้างและอำนาจหน้าที่", 2: "ข้อมูลผู้บริหาร", 3: "ข้อมูลการติดต่อ", 4: "ข่าวประชาสัมพันธ์"}
    new = {
        11: "โครงสร้าง หน้าที่และอำนาจ",
        12: "ข้อมูลผู้บริหาร",
        13: "ข้อมูลการติดต่อและช่องทางการสอบถาม",
        14: "ข่าวประชาสัมพันธ์",
        15: "คู่มือหรือแนวทางการปฏิบัติงานของเจ้าหน้าที่",
    }
    assert match_titles(old, new) == {1: 11, 2: 12, 3: 13, 4: 14}
    # Renumbered: the same title under another number is still the same item.
    assert match_titles({1: "การขับเคลื่อนจริยธรรม"}, {7: "ข่าวประชาสัมพันธ์", 9: "การขับเคลื่อนจริยธรรม"}) == {1: 9}
    # Nothing alike: no match rather than a guess.
    assert match_titles({1: "สถิติเรื่องร้องเรียน"}, {2: "แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน"}) == {}


def test_opening_next_year_proposes_standing_evidence_on_the_item_of_the_same_title(
    agency_a, divisions, people, checklist
):
    # This year's O1 (structure chart, standing) and O11 (monthly procurement, not standing).
    o1 = entry(checklist, "o1")
    chart = services.evidence_add_file(
        entry=o1, upload=SimpleUploadedFile("แผนผังโครงสร้าง.pdf", PDF), by=people["coordinator"], standing=True
    )
    services.evidence_add_link(entry=o1, url="https://bangpu.go.th/structure", by=people["coordinator"], standing=True)
    services.evidence_add_link(entry=entry(checklist, "o11"), url="https://bangpu.go.th/p/2569", by=people["finance"])
    # Next year's list renumbers: the structure item moves to o3 under the same title.
    nxt = services.checklist_open(agency=agency_a, fiscal_year=YEAR + 1, by=people["coordinator"])
    proposals = OitEvidence.objects.filter(entry__checklist=nxt)
    assert {(p.entry.item.code, p.kind, p.proposed) for p in proposals} == {("o1", "file", True), ("o1", "link", True)}
    copied = proposals.get(kind="file")
    assert copied.file.name != chart.file.name and copied.file.read() == PDF
    target = entry(nxt, "o1")
    assert target.state == OitState.NOT_STARTED
    # A proposal is not evidence until kept.
    with pytest.raises(ValidationError):
        services.entry_submit(entry=target, by=people["coordinator"], version=target.version)
    services.evidence_keep(evidence=copied, by=people["coordinator"])
    target.refresh_from_db()
    assert target.state == OitState.IN_PROGRESS
    assert services.entry_submit(entry=target, by=people["coordinator"], version=target.version).state == "in_review"


def test_renumbered_items_receive_their_proposals(agency_a, divisions, people, checklist):
    """2570's list (a copy of 2569) with O1 renumbered to O27 by an administrator: found by title."""
    from assessments.models import Item

    services.evidence_add_link(
        entry=entry(checklist, "o1"), url="https://bangpu.go.th/structure", by=people["coordinator"], standing=True
    )
    Item.objects.filter(edition__fiscal_year=YEAR + 1, code="o1").update(code="o27")
    nxt = services.checklist_open(agency=agency_a, fiscal_year=YEAR + 1, by=people["coordinator"])
    assert OitEvidence.objects.get(entry__checklist=nxt).entry.item.code == "o27"


def test_reminders_fourteen_days_before_and_when_overdue(checklist, people, sent):
    deadline = checklist.deadline
    o11, o12, o1 = entry(checklist, "o11"), entry(checklist, "o12"), entry(checklist, "o1")
    checklist.entries.filter(pk=o12.pk).update(due=deadline - timedelta(days=20))
    checklist.entries.exclude(pk__in=[o11.pk, o12.pk, o1.pk]).update(state=OitState.PASSED)
    with sent():
        assert oit_reminders(deadline - timedelta(days=14)) == 2  # o1 and o11 share the list's deadline
    soon = Notification.objects.filter(kind="oit_due_soon")
    # O11 to its division's staff; O1's division (สำนักปลัด) has no staff here, so to the coordinator.
    assert {(n.recipient, n.title.split()[2]) for n in soon} == {
        (people["finance"], "O11"),
        (people["coordinator"], "O1"),
    }
    assert any("O11" in n.title and "14" in n.title for n in soon)
    # o12 fell due six days before: reminded the day after its due date, then a week later; not in between.
    with sent():
        assert oit_reminders(deadline - timedelta(days=19)) == 1
    with sent():
        assert oit_reminders(deadline - timedelta(days=18)) == 0
    with sent():
        assert oit_reminders(deadline - timedelta(days=12)) == 1
    overdue = Notification.objects.filter(kind="oit_overdue", recipient=people["coordinator"])
    assert overdue.count() == 2 and "O12" in overdue.first().title
    # Passed items are never reminded.
    checklist.entries.update(state=OitState.PASSED)
    with sent():
        assert oit_reminders(deadline + timedelta(days=1)) == 0
