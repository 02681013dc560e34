"""What the agency gives ITAS (item, title, public address, in item order) and the provincial overview, as
workbooks (``ita_tracker.xlsx``) and CSV."""

from __future__ import annotations

import csv
import io

from django.urls import reverse
from django.utils.translation import gettext as _

from ita_tracker.xlsx import Sheet, workbook_bytes
from measures.oit.models import OitChecklist, OitState
from measures.oit.selectors import percent


def public_item_path(agency_code: str, year: int, item_code: str) -> str:
    return reverse("oit_public:item", args=[agency_code, year, item_code.lower()])


def itas_rows(checklist: OitChecklist, absolute) -> list[list]:
    """One row per item of the checklist: code, title, public address and whether it is published yet."""
    entries = checklist.entries.select_related("item").order_by("item__order")
    return [
        [
            entry.item.code.upper(),
            entry.item.title,
            absolute(public_item_path(checklist.agency.code, checklist.fiscal_year, entry.item.code)),
            str(_("เผยแพร่แล้ว") if entry.state == OitState.PASSED else OitState(entry.state).label),
        ]
        for entry in entries
    ]


def itas_headers() -> list[str]:
    return [_("ข้อ"), _("ชื่อข้อ"), _("ที่อยู่สาธารณะ (URL) สำหรับกรอกใน ITAS"), _("สถานะ")]


def itas_workbook(checklist: OitChecklist, absolute) -> bytes:
    headers = itas_headers()
    widths = (8, 60, 70, 16)
    heading = _("รายการข้อมูลเปิดเผยต่อสาธารณะ (OIT) ปี %(year)s %(agency)s") % {
        "year": checklist.fiscal_year,
        "agency": checklist.agency.name,
    }
    sheet = Sheet(
        title="ITAS",
        heading=heading,
        columns=[(h, "text", w) for h, w in zip(headers, widths, strict=True)],
        rows=itas_rows(checklist, absolute),
    )
    # The heading's year in the agency's digits; the codes and addresses are copied into ITAS as they are.
    return workbook_bytes([sheet], thai_digits=checklist.agency.use_thai_digits)


def itas_csv(checklist: OitChecklist, absolute) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(itas_headers())
    writer.writerows(itas_rows(checklist, absolute))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM lets Excel read Thai


def overview_workbook(agencies, year: int) -> bytes:
    """Every agency of the overview (a queryset from ``selectors.overview``), streamed."""

    def rows():
        for agency in agencies.iterator(chunk_size=500):
            total, passed = agency.oit_total, agency.oit_passed
            yield [agency.province, agency.name, total, passed, percent(passed, total)]

    sheet = Sheet(
        title=_("ความพร้อม OIT"),
        heading=_("ความพร้อมของข้อมูล OIT ปี %(year)s") % {"year": year},
        columns=[
            (_("จังหวัด"), "text", 18),
            (_("หน่วยงาน"), "text", 40),
            (_("จำนวนข้อ"), "int", 12),
            (_("ผ่านการตรวจ"), "int", 14),
            (_("ร้อยละที่พร้อม"), "percent", 14),
        ],
        rows=rows(),
        label_columns=2,
    )
    return workbook_bytes([sheet])
