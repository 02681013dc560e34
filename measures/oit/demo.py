"""The demo's OIT checklists: this fiscal year's list for every seed agency, with items in every state.

Run by ``measures.demo.load`` (so by ``load_demo``), relative to today: the year is the fiscal year of the day it
runs, whose edition ``migrate`` installed. Written through the services as a coordinator and the divisions' staff
would, so every file is checked and every state reached by its legal moves. An agency whose checklist of the year
exists is left as it is.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from agencies.models import Agency, Membership
from assessments.models import FrameworkEdition
from ita_tracker.thai import fiscal_year
from measures.oit import services
from measures.oit.models import OitChecklist, OitState

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
# The target state of each item by its position in the list (1-based); the rest stay not started.
PASSED = range(1, 11)
IN_REVIEW = range(11, 15)
NEEDS_FIX = range(15, 17)
IN_PROGRESS = range(17, 21)


def _target(position: int) -> str:
    for positions, state in (
        (PASSED, OitState.PASSED),
        (IN_REVIEW, OitState.IN_REVIEW),
        (NEEDS_FIX, OitState.NEEDS_FIX),
        (IN_PROGRESS, OitState.IN_PROGRESS),
    ):
        if position in positions:
            return state
    return OitState.NOT_STARTED


def _evidence(entry, coordinator, position: int) -> None:
    code = entry.item.code
    if position == 1:  # the structure chart: a file that stays valid next year
        upload = ContentFile(DEMO_PDF, name="แผนผังโครงสร้าง.pdf")
        services.evidence_add_file(
            entry=entry, upload=upload, by=coordinator, title="แผนผังโครงสร้างองค์กร", standing=True
        )
        return
    agency = entry.checklist.agency
    url = f"https://www.example.org/{agency.code}/ita/{entry.checklist.fiscal_year}/{code}"
    services.evidence_add_link(entry=entry, url=url, by=coordinator, title=entry.item.title)


def _fill(checklist: OitChecklist, coordinator) -> None:
    entries = list(checklist.entries.select_related("item", "checklist__agency", "checklist__edition"))
    for position, entry in enumerate(sorted(entries, key=lambda e: e.item.order), start=1):
        target = _target(position)
        if target == OitState.NOT_STARTED:
            continue
        _evidence(entry, coordinator, position)
        entry.refresh_from_db()
        if target == OitState.IN_PROGRESS:
            continue
        entry = services.entry_submit(entry=entry, by=coordinator, version=entry.version)
        if target == OitState.PASSED:
            services.entry_review(entry=entry, by=coordinator, passed=True, version=entry.version)
        elif target == OitState.NEEDS_FIX:
            comment = "ลิงก์ยังเปิดไม่ได้ และข้อมูลยังไม่ครอบคลุมปีงบประมาณปัจจุบัน กรุณาแก้ไข"
            services.entry_review(entry=entry, by=coordinator, passed=False, comment=comment, version=entry.version)


def seed_codes() -> list[str]:
    """The seed agencies of ``fixtures/demo/agencies.json`` (never the thousands ``generate_data`` adds)."""
    data = json.loads((Path(settings.BASE_DIR) / "fixtures" / "demo" / "agencies.json").read_text(encoding="utf-8"))
    return [agency["code"] for agency in data["agencies"]]


def load(command) -> None:
    year = fiscal_year(timezone.localdate())
    if not FrameworkEdition.objects.filter(fiscal_year=year).exists():
        command.stdout.write(f"Demo OIT: no edition {year}; skipped.")
        return
    opened = 0
    for agency in Agency.objects.filter(code__in=seed_codes()).order_by("pk"):
        if OitChecklist.objects.filter(agency=agency, edition__fiscal_year=year).exists():
            continue
        membership = Membership.objects.active().filter(agency=agency, is_coordinator=True).order_by("pk").first()
        if membership is None:
            continue
        checklist = services.checklist_open(agency=agency, fiscal_year=year, by=membership.user)
        _fill(checklist, membership.user)
        opened += 1
    command.stdout.write(f"Demo OIT: {opened} checklists of {year} opened, items in every state.")
