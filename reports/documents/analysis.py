from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from assessments.models import Assessment, FrameworkEdition, ItemScore, TargetBands
from assessments.selectors import analysis_for
from ita_tracker.thai import format_number, local_digits
from ita_tracker.xlsx import Sheet
from measures.models import MeasurePlan
from measures.selectors import measures_for_list
from reports.documents.base import Document, fitted_widths, official_total, total_note
from reports.documents.plan import measure_columns, measure_rows, method_table, printed_periods
from reports.texts import DocumentText, Texts, texts_for

# Neutral wording where the agency has stored none (reports.texts). The seeds' own wording is the demo's
# (fixtures/demo/document_texts.json); every text may name the figures in braces.
DEFAULTS = {
    "title": "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ\nประจำปีงบประมาณ พ.ศ. {year}",
    "subtitle": "{agency} {location}",
    "opening": "คะแนนภาพรวมของ{agency} ได้ {total} คะแนน{level_phrase} โดยแบ่งคะแนนตามตัวชี้วัดดังต่อไปนี้",
    # Said as a sentence, not a system note in brackets: why the report shows the total alone.
    "opening_total_only": "คะแนนภาพรวมของ{agency} ได้ {total} คะแนน{level_phrase} ทั้งนี้ ยังไม่ได้บันทึกคะแนน"
    "รายตัวชี้วัดของปี {year} รายงานนี้จึงแสดงเฉพาะคะแนนภาพรวม",
    "opening_issues": "คะแนนภาพรวมของ{agency} ได้ {total} คะแนน{level_phrase} โดยแบ่งคะแนนตามประเด็นดังต่อไปนี้",
    "comparison_heading": "วิเคราะห์คะแนน ITA ปี {year} ของ{agency}",
    "target": "ในปีงบประมาณ พ.ศ. {next_year} {agency} ตั้งเป้าหมายคะแนนการประเมินคุณธรรมและความโปร่งใส"
    "ในการดำเนินงานไว้ที่ระดับ {target_level} ({target_condition})",
    "band_maintain": "ดำเนินการเช่นเดิม แต่ยังคงตรวจสอบให้ครบถ้วนสมบูรณ์ และเป็นไปตามหลักเกณฑ์ที่ปรับปรุงใหม่ของ ITA (หากมี)",
    "band_raise": "ปรับปรุงให้ดียิ่งขึ้น เพื่อให้ได้คะแนนถึงระดับเป้าหมาย ({target})",
    "band_urgent": "ต้องแก้ไขจุดอ่อน/ข้อบกพร่องอย่างเร่งด่วน เพื่อให้ได้คะแนนไม่ต่ำกว่า {raise_from}",
    "bands_heading": "ผลคะแนนตามตัวชี้วัดในปี {year} และระดับมาตรการที่จะใช้ในปี {next_year}",
    "tools_heading": "วิเคราะห์คะแนนตามแบบประเมินในปี {year} พร้อมมาตรการที่จะดำเนินการในปี {next_year}",
    "tool": "{tool_number}.{tool_name} ({tool_code}) ประกอบด้วย {indicator_count} ตัวชี้วัด ได้คะแนน {tool_score}",
    "tool_columns": "สิ่งที่ทำได้ดี\nข้อบกพร่อง / ประเด็นที่ต้องพัฒนา\nมาตรการที่จะดำเนินการ",
    "part1": "ส่วนที่ ๑ ข้อมูลรายละเอียดการวิเคราะห์ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {year}",
    "part2": "ส่วนที่ ๒ การนำผลการวิเคราะห์แต่ละประเด็นไปสู่การปฏิบัติ ในปีงบประมาณ พ.ศ. {next_year}",
    "part3": "ส่วนที่ ๓ การวิเคราะห์ข้อจำกัดของหน่วยงานในการดำเนินการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ",
    "limitation_title": "ข้อจำกัด{issue_title}",
    # A period of part 2, in the agency's words (seed 004: "วันเดือนปีที่ดำเนินการ {starts}" over "วันเริ่มต้น
    # {starts} วันสิ้นสุด {ends}"); ``measure_<n>_period`` words one measure's (the seed words its topics three
    # ways). A line a line of the cell; {period} is the span as other documents print it.
    "period": "{period}",
}

# Seed 004's headers of part 2 (the next year's measures, one per issue).
PART2_HEADERS = {
    "measure": "หัวข้อ",
    "description": "วิธีการนำผลวิเคราะห์ไปสู่การปฏิบัติ",
    "owner": "ผู้รับผิดชอบ/ผู้ที่เกี่ยวข้อง",
    "steps": "ขั้นตอน/วิธีปฏิบัติ",
    "period": "ระยะเวลาดำเนินงาน",
}

_TOOL_PREFIX = re.compile(r"^\s*(IIT|EIT|OIT)\s*[:：]\s*")


@dataclass
class FindingGroup:
    """Indicators of one tool that share the same findings, printed as one row (seed 002 writes the five
    IIT indicators in one row: their text once, not five times)."""

    rows: list = field(default_factory=list)  # IndicatorRow
    findings: list = field(default_factory=list)

    @property
    def strengths(self) -> list[str]:
        return [f.strengths for f in self.findings if f.strengths]

    @property
    def weaknesses(self) -> list[str]:
        return [f.weaknesses for f in self.findings if f.weaknesses]

    @property
    def improvements(self) -> list[str]:
        return [f.improvements for f in self.findings if f.improvements]


def _finding_key(findings) -> tuple:
    return tuple((f.strengths, f.weaknesses, f.improvements) for f in findings)


def group_findings(rows) -> list[FindingGroup]:
    """Indicators with findings, in order; one with none is left out of the findings tables (it stays in
    the score tables). Seed 002's EIT section says "ประกอบด้วย ๓ ตัวชี้วัด" but its table has only
    คุณภาพการดำเนินงาน and ประสิทธิภาพการสื่อสาร: the agency wrote nothing on การปรับปรุงการทำงาน (82.24,
    band แก้ไขเร่งด่วน, so not left out for a good score), and a row of dashes would say nothing."""
    groups: list[FindingGroup] = []
    for row in rows:
        if not row.findings:
            continue
        if groups and _finding_key(groups[-1].findings) == _finding_key(row.findings):
            groups[-1].rows.append(row)
        else:
            groups.append(FindingGroup(rows=[row], findings=list(row.findings)))
    return groups


def _three(columns: str) -> list[str]:
    return [*columns.splitlines(), "", "", ""][:3]


def _finding_tables(rows, columns: str, texts) -> list[dict]:
    """A tool's findings as printed: one table, or more where an indicator has headers of its own
    (``indicator_<number>_columns``): its findings then open a table under those headers, as seed 002 gives
    each OIT indicator its own table ("สิ่งที่คาดว่าจะทำได้ดี" over the first, "สิ่งที่คาดหวังว่าทำได้ดี"
    over the second). Indicators are numbered within their tool (seed 002: "๑.คุณภาพการดำเนินงาน" is EIT's
    first). Each table: {"columns", "groups": [{"group", "rows": [(number, row)]}]}."""
    numbers = {row.indicator.pk: n for n, row in enumerate(rows, start=1)}
    tables: list[dict] = []
    for group in group_findings(rows):
        own = texts.get(f"indicator_{group.rows[0].indicator.number}_columns")
        if own or not tables:
            tables.append({"columns": _three(own or columns), "groups": []})
        numbered = [(numbers[r.indicator.pk], r) for r in group.rows]
        # Only a row longer than about half a page may break across pages; a shorter one moves whole (split,
        # it left its score alone at the foot of a page).
        size = sum(len(text) for part in ("strengths", "weaknesses", "improvements") for text in getattr(group, part))
        tables[-1]["groups"].append({"group": group, "rows": numbered, "long": size > 600})
    return tables


def finding_widths(tables: list[dict]) -> list[str]:
    """One layout for every findings table of the document, as seed 002 draws its four: the three text
    columns share 68% of the width by how much they hold over all the tables, each header counted twice
    at its longest (a long header must not stand a word a line, as IIT's "ประเด็นที่ต้องพัฒนาต่อยอด…" did
    at five lines), and none below 20%."""
    parts = ("strengths", "weaknesses", "improvements")
    chars = {
        part: 2 * max(len(t["columns"][n]) for t in tables)
        + sum(len(text) for t in tables for item in t["groups"] for text in getattr(item["group"], part))
        for n, part in enumerate(parts)
    }
    fitted = fitted_widths(chars, dict.fromkeys(chars, 20))
    return [f"{float(fitted[part][:-1]) * 0.68:.1f}%" for part in chars]


def _lines_by_tool(findings) -> dict[str, list[str]]:
    """A finding of an issue written one line per tool ("IIT: ผ่านเกณฑ์…"), split by tool (seed 004 puts
    each tool's text beside that tool's items); lines with no tool go under ""."""
    out: dict[str, list[str]] = {}
    for finding in findings:
        for text in (finding.strengths, finding.weaknesses, finding.improvements):
            for line in (text or "").splitlines():
                if not line.strip():
                    continue
                match = _TOOL_PREFIX.match(line)
                tool = match.group(1) if match else ""
                out.setdefault(tool, []).append(line[match.end() :] if match else line.strip())
    return out


def issue_tool_groups(issue_row) -> list[dict]:
    """An issue's items grouped by tool, each with its part of the finding text."""
    lines = _lines_by_tool(issue_row.findings)
    groups: list[dict] = []
    for item, score in issue_row.items:
        code = item.indicator.tool.code
        if not groups or groups[-1]["tool"] != code:
            groups.append({"tool": code, "items": [], "lines": lines.pop(code, [])})
        groups[-1]["items"].append((item, score))
    if groups and lines.get(""):
        groups[0]["lines"] = lines.pop("") + groups[0]["lines"]
    for leftover in lines.values():  # text of a tool none of the issue's items belongs to
        if groups:
            groups[-1]["lines"] += leftover
    return groups


def in_agency_order(rows, order: str) -> list:
    """The indicators in the order the agency lists them (``indicator_order``: their numbers, "1 5 3 2 4"),
    each tool's still together; the official order where it lists none. Seed 002 lists its IIT indicators
    การปฏิบัติหน้าที่, การแก้ไขปัญหาการทุจริต, การใช้อำนาจ, การใช้งบประมาณ, การใช้ทรัพย์สินของราชการ (1, 5, 3,
    2, 4) in all three of its tables: not by score, this year's or last (83.71, 73.24, 82.80, 68.53, 73.25),
    nor the framework's, so no rule of ours gives it; it is the agency's choice. Indicators it does not
    list follow those it does, in the official order."""
    listed = [int(n) for n in re.findall(r"\d+", order)]
    tools: dict[int, int] = {}
    for row in rows:
        tools.setdefault(row.indicator.tool_id, len(tools))

    def key(row):
        number = row.indicator.number
        return tools[row.indicator.tool_id], listed.index(number) if number in listed else len(listed) + number

    return sorted(rows, key=key)


def _change_word(score, previous) -> str:
    if score is None or previous is None:
        return ""
    if score < previous:
        return "ลดลง"
    return "เพิ่มขึ้น" if score > previous else "เท่าเดิม"


class AnalysisDocument(Document):
    """The ITA analysis (seeds 002 and 004): scores by indicator and tool, the year before, change, band,
    and the findings by indicator or issue. An assessment analysed by issue prints seed 004's parts
    (cover, ส่วนที่ ๑ by issue, ส่วนที่ ๒ the next year's measures, ส่วนที่ ๓ limitations); one analysed by
    indicator prints seed 002's (comparison with remarks, target, bands, one section per tool)."""

    template = "reports/pdf/analysis.html"

    def __init__(self, assessment: Assessment):
        super().__init__()
        self.assessment = assessment

    @property
    def agency(self):
        return self.assessment.agency

    @property
    def slug(self) -> str:
        return f"analysis-{self.assessment.agency.code}-{self.assessment.edition.fiscal_year}"

    def gather(self) -> None:
        self.assessment = Assessment.objects.select_related("agency", "edition").get(pk=self.assessment.pk)
        self.analysis = analysis_for(self.assessment)
        self.item_scores = list(
            ItemScore.objects.filter(assessment=self.assessment)
            .select_related("item__indicator")
            .order_by("item__order")
        )
        plan = MeasurePlan.objects.filter(assessment=self.assessment).order_by("fiscal_year").first()
        self.next_measures = (
            list(measures_for_list(plan.measures.all()).order_by("number")) if plan is not None else []
        )
        self.target_rule = None
        if self.analysis.bands.pk is None:  # the agency has set no bands of its own
            self._framework_bands()
        year = self.assessment.edition.fiscal_year
        self.stored_texts = texts_for(self.assessment.agency, year, DocumentText.Document.ANALYSIS)
        # The indicators as the agency names them (``indicator_<number>_name``): seed 004 prints the short forms
        # "การแก้ปัญหาการทุจริต" and "การปรับปรุงการทำงาน" of the official names. For this document only: the
        # indicators were read for it, nothing is saved.
        for row in self.analysis.rows:
            name = self.stored_texts.get(f"indicator_{row.indicator.number}_name", "").strip()
            if name:
                row.indicator.name_th = name
        self.analysis.rows = in_agency_order(self.analysis.rows, self.stored_texts.get("indicator_order", ""))

    # ------------------------------------------------------------ figures

    def _framework_bands(self) -> None:
        """Target and bands from the levels of the year the target is for (that year's framework, or this
        one's where it is not loaded yet), where the agency has set no bands of its own: the target is the
        level above the agency's result (the top one kept; a passing one at least), "raise" starts at the
        line below the target.
        The 90/85 defaults are seed 002's บางเก่า policy of the letter years; printed for an agency rated
        ผ่านดีเยี่ยม 99.81 in 2567 they set it a target a level lower, defined by a line the framework does
        not draw (ผ่านดี needs 85 and each tool 85). The indicators' bands follow the same lines."""
        a = self.assessment
        editions = {
            e.fiscal_year: e
            for e in FrameworkEdition.objects.filter(
                fiscal_year__in=[a.edition.fiscal_year, a.edition.fiscal_year + 1]
            ).prefetch_related("level_rules")
        }
        edition = editions.get(a.edition.fiscal_year + 1)
        rules = sorted(edition.level_rules.all(), key=lambda r: r.order) if edition else []
        if not rules:
            rules = sorted(a.edition.level_rules.all(), key=lambda r: r.order)
        official = official_total(a)
        if not rules or official.total is None:
            return
        tools = [t["score"] for t in self.analysis.tools]
        known = bool(tools) and all(score is not None for score in tools)

        def holds(rule) -> bool:
            if official.total < rule.min_total:
                return False
            return rule.min_each_tool is None or not known or all(score >= rule.min_each_tool for score in tools)

        labels = [r.label for r in rules]
        at = (
            labels.index(official.level)
            if official.level in labels
            else next((n for n, r in enumerate(rules) if holds(r)), len(rules) - 1)
        )
        # A plan aims at least at a passing level (ผ่าน, A): one level up from ต้องปรับปรุงโดยด่วน is still a fail.
        passing = max((n for n, r in enumerate(rules) if r.passes), default=0)
        target = rules[min(max(at - 1, 0), passing)]
        below = [r.min_total for r in rules if 0 < r.min_total < target.min_total]
        bands = TargetBands(
            agency=a.agency, maintain_from=target.min_total, raise_from=max(below, default=target.min_total)
        )
        self.analysis.bands, self.target_rule = bands, target
        names = dict(TargetBands.Band.choices)
        for row in self.analysis.rows:
            row.band = bands.band_for(row.score)
            row.band_label = str(names.get(row.band, ""))

    def _target_level(self, target: Decimal) -> str:
        rules = sorted(self.assessment.edition.level_rules.all(), key=lambda r: r.min_total, reverse=True)
        return next((r.label for r in rules if r.min_total <= target), "")

    def _values(self, official, previous_official) -> dict:
        a, bands = self.assessment, self.analysis.bands
        year = a.edition.fiscal_year
        total = format_number(official.total, 2, digits="arabic") if official.total is not None else "-"
        if official.differs:
            total += f" ({total_note(official, 'arabic')})"
        return {
            "agency": a.agency.name,
            "location": a.agency.full_location,
            "year": year,
            "next_year": year + 1,
            "previous_year": year - 1,
            "total": total,
            "level": official.level,
            "level_phrase": f" ระดับผลการประเมิน {official.level}" if official.level else "",
            "previous_total": format_number(previous_official.total, 2, digits="arabic"),
            "target": format_number(bands.maintain_from, 2, digits="arabic"),
            "raise_from": format_number(bands.raise_from, 2, digits="arabic"),
            "target_level": self.target_rule.label if self.target_rule else self._target_level(bands.maintain_from),
            "target_condition": self._target_condition(bands.maintain_from),
        }

    def _target_condition(self, target: Decimal) -> str:
        """ "95.00 หรือสูงกว่า และทุกแบบวัดไม่ต่ำกว่า 95.00": the level's own condition (from 2566 the upper
        levels also ask each tool for a minimum)."""
        text = f"{format_number(target, 2, digits='arabic')} หรือสูงกว่า"
        each = self.target_rule.min_each_tool if self.target_rule else None
        return f"{text} และทุกแบบวัดไม่ต่ำกว่า {format_number(each, 2, digits='arabic')}" if each else text

    def _tool_sections(self, texts: Texts) -> list[dict]:
        sections = []
        for number, t in enumerate(self.analysis.tools, start=1):
            tool = t["tool"]
            rows = [r for r in self.analysis.rows if r.indicator.tool_id == tool.pk]
            extra = {
                "tool_number": number,
                "tool_name": tool.name_th,
                "tool_code": tool.code,
                "indicator_count": len(rows),
                "tool_score": format_number(t["score"], 2, digits="arabic") if t["score"] is not None else "-",
            }
            code = tool.code.lower()
            remark = _change_word(t["score"], t["previous"])
            columns = texts.get(f"tool_{code}_columns") or texts["tool_columns"]
            sections.append(
                {
                    "tool": tool,
                    "score": t["score"],
                    "previous": t["previous"],
                    "rows": rows,
                    "remark": texts.get(f"remark_{code}", f"{tool.code} คะแนน{remark}เมื่อเทียบกับปีก่อน" if remark else ""),
                    "intro": texts.get(f"tool_{code}") or texts.get("tool", **extra),
                    "period": texts.get(f"tool_{code}_period"),
                    "owner": texts.get(f"tool_{code}_owner"),
                    "tables": _finding_tables(rows, columns, texts),
                }
            )
        return sections

    def _issue_sections(self, texts: Texts) -> list[dict]:
        return [
            {
                "row": i,
                "groups": issue_tool_groups(i),
                "size": len(i.items),
                "limitation_title": texts.get(f"limitation_{i.issue.number}_title")
                or texts.get("limitation_title", issue_title=i.issue.title),
                "limitation": texts.get(f"limitation_{i.issue.number}"),
            }
            for i in self.analysis.issues
        ]

    def context(self) -> dict:
        a, analysis = self.assessment, self.analysis
        official, previous_official = official_total(a), official_total(analysis.previous)
        texts = Texts(self.stored_texts, DEFAULTS, self._values(official, previous_official))
        issues = self._issue_sections(texts)
        tool_sections = self._tool_sections(texts)
        tables = [t for section in tool_sections for t in section["tables"]]
        part2 = measure_rows(self.next_measures)
        methods = method_table(part2, texts)
        has_scores = any(r.score is not None for r in analysis.rows)
        return {
            "assessment": a,
            "analysis": analysis,
            "official": official,
            "previous_official": previous_official,
            "official_note": total_note(official, self.digits),
            "previous_note": total_note(previous_official, self.digits),
            "texts": texts,
            "by_issue": bool(analysis.issues),
            # Only the published total (seed 000's 2563): no indicator tables full of dashes.
            "has_scores": has_scores,
            "opening": texts["opening"] if has_scores or texts.has("opening") else texts["opening_total_only"],
            "tool_sections": tool_sections,
            "finding_widths": finding_widths(tables) if tables else [],
            # The indicator column's share of the indicator and score columns (23% and 9% of the table).
            "indicator_share": round(100 * 23 / 32, 2),
            "issue_sections": issues,
            "has_limitations": any(i["limitation"] for i in issues),
            "next_measures": self.next_measures,
            "rows": part2,
            "part2": methods,
            # Landscape: the unit column holds its header's pieces and every owner's word unbroken (seed 004
            # prints "สำนักปลัดเทศบาล งานธุรการ" a line or two, not "สำนักปลัด / เทศบาล งาน / ธุรการ"); the
            # period column is as wide as the agency's wording of its periods needs.
            "columns": measure_columns(
                part2,
                PART2_HEADERS,
                monitoring_in_period=True,
                orientation="landscape",
                whole_owners=True,
                period_text=printed_periods(methods),
            ),
            "band_raise_to": analysis.bands.maintain_from - Decimal("0.01"),
        }

    # ------------------------------------------------------------ workbook

    def sheets(self) -> list[Sheet]:
        a, analysis = self.assessment, self.analysis
        year = a.edition.fiscal_year
        official, previous_official = official_total(a), official_total(analysis.previous)
        heading = f"การวิเคราะห์ผลการประเมิน ITA ปีงบประมาณ พ.ศ. {year} {a.agency.name}"
        total_label = "คะแนนภาพรวมที่ ป.ป.ช. ประกาศ" if official.published else "คะแนนภาพรวม"
        digits = self.digits  # the sheets' text in the agency's digits, as their numbers' formats
        note = " ".join(n for n in (total_note(previous_official, digits), total_note(official, digits)) if n)
        change = (
            official.total - previous_official.total
            if official.total is not None and previous_official.total is not None
            else None
        )
        total_text = (
            f" ({total_label} {format_number(official.total, 2, digits=digits)})" if official.total is not None else ""
        )
        scored = any(r.score is not None or r.previous is not None for r in analysis.rows)
        indicators = Sheet(
            title="คะแนนรายตัวชี้วัด",
            heading=heading,
            # The agency's own scores only: an average across agencies is in no seed (and is the agency's own
            # score when it is alone).
            columns=[
                ("ตัวชี้วัดที่", "int", 10),
                ("ตัวชี้วัด", "text", 34),
                ("เครื่องมือ", "text", 10),
                (f"คะแนน ปี {local_digits(year - 1)}", "number", 14),
                (f"คะแนน ปี {local_digits(year)}", "number", 14),
                ("เปลี่ยนแปลง", "number", 13),
                ("มาตรการที่จะใช้", "text", 30),
            ],
            # No indicator scores at all (a year published as a total only): one line says so, not ten rows of
            # blanks.
            rows=[
                [
                    r.indicator.number,
                    r.indicator.name_th,
                    r.indicator.tool.code,
                    r.previous,
                    r.score,
                    r.change,
                    r.band_label,
                ]
                for r in analysis.rows
            ]
            # The total is the published figure, not an average of the indicators (which weights them
            # equally and gives a third number), and is labelled so; a computed total that differs is said in
            # words.
            + [[None, total_label, None, previous_official.total, official.total, change, note]]
            if scored
            else [],
            empty_text=f"ไม่มีคะแนนรายตัวชี้วัด{total_text}",
        )
        tools_scored = any(t["score"] is not None or t["previous"] is not None for t in analysis.tools)
        tools = Sheet(
            title="คะแนนรายเครื่องมือ",
            heading=heading,
            columns=[
                ("เครื่องมือ", "text", 12),
                ("ชื่อ", "text", 45),
                ("น้ำหนัก", "number", 10),
                (f"ปี {local_digits(year - 1)}", "number", 12),
                (f"ปี {local_digits(year)}", "number", 12),
                ("หมายเหตุ", "text", 40),
            ],
            rows=[
                [t["tool"].code, t["tool"].name_th, t["tool"].weight, t["previous"], t["score"], ""]
                for t in analysis.tools
            ]
            + [["รวม", total_label, None, previous_official.total, official.total, note]]
            if tools_scored
            else [],
            empty_text=f"ไม่มีคะแนนรายเครื่องมือ{total_text}",
        )
        items = Sheet(
            title="คะแนนรายข้อ",
            heading=heading,
            columns=[
                ("ข้อ", "text", 8),
                ("ตัวชี้วัดที่", "int", 10),
                ("ตัวชี้วัดย่อย", "text", 12),
                ("ข้อคำถาม", "text", 50),
                ("คะแนน", "number", 10),
            ],
            rows=[
                [s.item.code, s.item.indicator.number, s.item.sub_indicator, s.item.title, s.score]
                for s in self.item_scores
            ],
            totals={4: "AVERAGE"},
        )
        findings = Sheet(
            title="ผลการวิเคราะห์",
            heading=heading,
            columns=[
                ("ตัวชี้วัด / ประเด็น", "text", 34),
                ("คะแนน", "number", 10),
                ("สิ่งที่ทำได้ดี", "text", 42),
                ("ข้อบกพร่อง", "text", 42),
                ("สิ่งที่ต้องพัฒนา", "text", 42),
            ],
            rows=[
                [
                    f"{local_digits(r.indicator.number)}. {r.indicator.name_th}",
                    r.score,
                    f.strengths,
                    f.weaknesses,
                    f.improvements,
                ]
                for r in analysis.rows
                for f in r.findings
            ]
            + [
                [
                    f"ประเด็นที่ {local_digits(i.issue.number)} {i.issue.title}",
                    i.average,
                    f.strengths,
                    f.weaknesses,
                    f.improvements,
                ]
                for i in analysis.issues
                for f in i.findings
            ],
        )
        return [indicators, tools, items, findings]
