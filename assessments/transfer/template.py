"""The import template: a workbook to fill in, in Thai, with the agency's own rows already there.

The first sheet is what the import reads (header on row 1, one row per agency and year); the example row and
the notes on every column live on a second sheet, so filling in the first and uploading it imports exactly
what was typed. Headers are the Thai names the import accepts (``header._BASE_ALIASES`` and
"ตัวชี้วัดที่ N", which never depends on an edition's indicator names); item columns are the item codes.
"""

from __future__ import annotations

from agencies.models import Agency
from assessments.models import Assessment, FrameworkEdition
from ita_tracker.xlsx import Sheet, workbook_bytes

BASE = [
    ("หน่วยงาน", "ชื่อหน่วยงานตามที่ประกาศผล เช่น เทศบาลตำบลบางปู (ต้องมี)", "เทศบาลตำบลบางปู"),
    ("ประเภทหน่วยงาน", "เช่น เทศบาลตำบล องค์การบริหารส่วนตำบล (ไม่บังคับ)", "เทศบาลตำบล"),
    ("จังหวัด", "ชื่อจังหวัดไม่ต้องมีคำว่า “จังหวัด” (ต้องมี)", "ปัตตานี"),
    ("ปีงบประมาณ", "ปีงบประมาณ พ.ศ. ของผลการประเมิน (ต้องมี)", "2569"),
]
PUBLISHED = [
    ("คะแนนรวมที่ประกาศ", "คะแนนรวมตามที่ ป.ป.ช. ประกาศ ถ้ามี ใช้ตรวจทานกับคะแนนที่คำนวณ (ไม่บังคับ)", "91.25"),
    ("ระดับที่ประกาศ", "ระดับผลการประเมินที่ประกาศ เช่น A, AA (ไม่บังคับ)", "A"),
]


def _agency_values(agency: Agency, edition: FrameworkEdition) -> list:
    return [agency.name, agency.get_type_display(), agency.province, edition.fiscal_year]


def score_template(edition: FrameworkEdition, agencies: list[Agency]) -> bytes:
    """Indicator scores: one column per indicator of ``edition``, the agencies' rows prefilled."""
    indicators = list(edition.indicators.order_by("number"))
    columns = [(h, "text", 28) for h, _n, _e in BASE]
    columns += [(f"ตัวชี้วัดที่ {i.number}", "number", 14) for i in indicators]
    columns += [(h, "text", 16) for h, _n, _e in PUBLISHED]
    scores = _scores(edition, agencies)
    rows = []
    for agency in agencies:
        known = scores.get(agency.pk, {})
        rows.append([*_agency_values(agency, edition), *(known.get(i.number) for i in indicators), None, None])
    notes = [[h, note, example] for h, note, example in BASE]
    notes += [[f"ตัวชี้วัดที่ {i.number}", f"คะแนนตัวชี้วัด{i.name_th} (0–100 ทศนิยมได้ 2 ตำแหน่ง)", "88.50"] for i in indicators]
    notes += [[h, note, example] for h, note, example in PUBLISHED]
    return workbook_bytes([_data_sheet("คะแนนตัวชี้วัด", columns, rows), _notes_sheet(edition, notes)])


def item_template(edition: FrameworkEdition, agencies: list[Agency]) -> bytes:
    """Item scores: one column per item code of ``edition`` (i1 … o43), the agencies' rows prefilled."""
    items = list(edition.items.select_related("indicator").order_by("indicator__number", "order", "code"))
    columns = [(h, "text", 28) for h, _n, _e in BASE] + [(item.code, "number", 9) for item in items]
    rows = [[*_agency_values(agency, edition), *(None for _ in items)] for agency in agencies]
    notes = [[h, note, example] for h, note, example in BASE]
    notes += [
        [item.code, f"ตัวชี้วัดที่ {item.indicator.number} {(item.title or item.criteria)[:200]}".strip(), "100"]
        for item in items
    ]
    return workbook_bytes([_data_sheet("คะแนนรายข้อ", columns, rows), _notes_sheet(edition, notes)])


def _scores(edition: FrameworkEdition, agencies: list[Agency]) -> dict[int, dict[int, object]]:
    """The indicator scores already stored, so a coordinator corrects rather than retypes them."""
    found: dict[int, dict[int, object]] = {}
    assessments = Assessment.objects.filter(edition=edition, agency__in=agencies).prefetch_related(
        "indicator_scores__indicator"
    )
    for assessment in assessments:
        found[assessment.agency_id] = {s.indicator.number: s.score for s in assessment.indicator_scores.all()}
    return found


def _data_sheet(title: str, columns, rows) -> Sheet:
    return Sheet(title=title, columns=columns, rows=rows, empty_text="", label_columns=1)


def _notes_sheet(edition: FrameworkEdition, notes: list[list]) -> Sheet:
    return Sheet(
        title="คำอธิบายและตัวอย่าง",
        heading=f"วิธีกรอกแบบฟอร์มนำเข้าผลคะแนน ITA ปี {edition.fiscal_year}: กรอกในแผ่นแรก หนึ่งแถวต่อหนึ่งหน่วยงาน",
        columns=[("คอลัมน์", "text", 24), ("ความหมาย", "text", 70), ("ตัวอย่าง", "text", 24)],
        rows=notes,
        label_columns=1,
    )
