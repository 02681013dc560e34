from __future__ import annotations

import re
from dataclasses import dataclass, field

from ita_tracker.thai import format_period, local_digits
from ita_tracker.xlsx import Sheet
from measures.models import MeasurePlan
from measures.selectors import measures_for_list
from reports.documents.base import (
    Document,
    fitted_widths,
    official_total,
    total_note,
    two_lines,
    unbroken_share,
)
from reports.templatetags.documents import exact_period
from reports.texts import DocumentText, Texts, texts_for

PLAN_DEFAULTS = {
    "title": "{plan_title}",
    "subtitle": "{agency} {location}",
    "lead": "{agency} ได้วิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
    "ประจำปีงบประมาณ พ.ศ. {assessment_year} ซึ่งได้คะแนน {total} คะแนน{level_phrase} "
    "และกำหนดมาตรการเพื่อขับเคลื่อนการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ดังนี้",
    # A period of a plan written a row per method (seed 004), as the analysis's part 2 words it.
    "period": "{period}",
}
# A plan's lead with no result to cite. Not the plan's "ความนำ" (MeasurePlan.introduction): that is the lead
# of the results report (seeds 001 and 003, "…โดยได้มีการดำเนินการขับเคลื่อน… ดังต่อไปนี้"), past tense.
PLAN_LEAD_WITHOUT_ASSESSMENT = (
    "{agency} กำหนดมาตรการเพื่อขับเคลื่อนการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
    "ประจำปีงบประมาณ พ.ศ. {year} โดยมีขั้นตอน ผู้รับผิดชอบ และระยะเวลาดำเนินการ ดังนี้"
)


# ---------------------------------------------------------------- the measure table (plan, analysis part 2)


def _spans(steps, key) -> list[tuple[str, object]]:
    """Consecutive steps that share a value, as ("๑–๒", value) pairs, so a table says which steps an owner
    or a period belongs to without repeating it for each step."""
    out: list[tuple[list[int], object]] = []
    for step in steps:
        value = key(step)
        if not value:
            continue
        if out and out[-1][1] == value and out[-1][0][-1] == step.order - 1:
            out[-1][0].append(step.order)
        else:
            out.append(([step.order], value))
    return [(f"{o[0]}" if len(o) == 1 else f"{o[0]}–{o[-1]}", value) for o, value in out]


def _owner(step) -> str:
    if step.owner:
        return step.owner
    return step.department.name if step.department_id else ""


def _dates(step):
    return (step.starts, step.ends) if step.starts or step.ends else None


@dataclass
class MeasureRow:
    """One measure as the plan tables print it: its description kept beside its steps (seed 004's
    "วิธีการนำผลวิเคราะห์ไปสู่การปฏิบัติ", seed 003's sub-points), each step's owner and exact dates."""

    measure: object
    steps: list
    owners: list = field(default_factory=list)  # [(steps label, owner)]
    periods: list = field(default_factory=list)  # [(steps label, (start, end))]

    @property
    def owner_label(self) -> str:
        return self.measure.responsible_label


def measure_rows(measures) -> list[MeasureRow]:
    rows = []
    for m in measures:
        steps = list(m.steps.all())
        rows.append(MeasureRow(measure=m, steps=steps, owners=_spans(steps, _owner), periods=_spans(steps, _dates)))
    return rows


def _chars(text) -> int:
    return len(str(text or ""))


# Columns of the measure table: key, header, the narrowest share (per cent) it may get.
COLUMNS = [
    ("measure", "มาตรการ", 14),
    ("description", "ขั้นตอนหรือวิธีการ", 16),
    ("owner", "ผู้รับผิดชอบ", 12),
    ("steps", "ขั้นตอน/วิธีปฏิบัติ", 16),
    ("period", "ระยะเวลาดำเนินการ", 15),
    ("monitoring", "การกำกับติดตาม", 11),
]


def _column_chars(rows: list[MeasureRow]) -> dict[str, int]:
    chars = dict.fromkeys([key for key, _h, _m in COLUMNS], 0)
    for row in rows:
        m = row.measure
        chars["measure"] += _chars(m.title) + 6
        chars["description"] += _chars(m.description)
        chars["owner"] += sum(_chars(o) + 12 for _l, o in row.owners) or _chars(m.responsible_label)
        chars["steps"] += sum(_chars(s.title) + 3 for s in row.steps)
        chars["period"] += 18 + 36 * len(row.periods)
        chars["monitoring"] += _chars(m.monitoring)
    return chars


def measure_columns(
    rows: list[MeasureRow],
    headers: dict[str, str] | None = None,
    *,
    monitoring_in_period: bool = False,
    orientation: str | None = None,
    whole_owners: bool = False,
    period_text: list[str] | None = None,
) -> list[dict]:
    """The columns worth printing (none always empty) with widths fitted to what they hold: a share that
    grows with the column's text, never below a readable minimum (equal widths left satengnok's plan at
    8 pages). Given the page's ``orientation``, no column is so narrow that its header, an owner's name or
    the period breaks inside a word, and the measure keeps a fifth of the width (หนองเสม็ด's plan printed
    it about six letters wide: "๑. การ / ปฏิบัติงาน / หรือการให้ / บริการ"). ``whole_owners``: an owner's
    words are not cut either (seed 004's part 2: "สำนักปลัดเทศบาล", not "สำนักปลัด / เทศบาล").
    ``period_text``: the lines the period column prints, where the agency words its periods (seed 004's
    "วันเริ่มต้น … วันสิ้นสุด …", its timing notes with them), counted instead of the dates alone."""
    chars = _column_chars(rows)
    has_steps = any(r.steps for r in rows)
    if monitoring_in_period:  # seed 004's part 2 writes "เดือนละ 1 ครั้ง…" under the period
        chars["period"] = sum(map(_chars, period_text)) if period_text else chars["period"] + chars["monitoring"]
        chars["monitoring"] = 0
    shown = [(key, header, minimum) for key, header, minimum in COLUMNS if key in ("measure", "period") or chars[key]]
    headers = headers or {}
    if has_steps and "description" not in headers:
        headers = {**headers, "description": "วิธีการดำเนินการ"}
    minimums = {key: m for key, _h, m in shown}
    if orientation:
        words = {
            "owner": [
                word if whole_owners else two_lines(word)
                for r in rows
                for _label, owner in r.owners or [("", r.measure.responsible_label)]
                for word in owner.split()
            ],
            "period": [format_period(r.measure.starts, r.measure.ends) for r in rows],
        }
        for key, header, minimum in shown:
            unbroken = unbroken_share(headers.get(key, header), words.get(key, []), orientation)
            narrowest = minimum * 0.6 if key in words else minimum  # owner, period: as wide as their words
            if monitoring_in_period and key == "period":  # it holds the timing notes too (seed 004)
                narrowest = minimum
            if key == "measure":
                narrowest = 14 if orientation == "landscape" else 20
            minimums[key] = max(narrowest, unbroken)
    widths = fitted_widths({key: chars[key] for key, _h, _m in shown}, minimums, strict=bool(orientation))
    return [
        {
            "key": key,
            "header": headers.get(key, header),
            "width": widths[key],
            "with_monitoring": monitoring_in_period and key == "period",
            "unbroken": bool(orientation),  # its header's short words printed unbroken: the width holds them
        }
        for key, header, _m in shown
    ]


# ---------------------------------------------------------------- a row per method (seed 004)


_STEP_NOTE = re.compile(r"^\s*ขั้นตอนที่\s*(\d+)(?:\s*[–-]\s*\d+)?\s*:\s*(.*)$")


def _label(numbers: list[int]) -> str:
    return str(numbers[0]) if len(numbers) == 1 else f"{numbers[0]}–{numbers[-1]}"


@dataclass
class MethodRow:
    """One method of a measure as seed 004's part 2 prints it: its bullets, its unit, its steps numbered
    from 1 and its period, a sub-row of the measure's row."""

    bullets: list[str]
    owners: list[str]
    steps: list  # [(number within the method, step)]
    periods: list  # [{"label", "starts", "ends", "notes"}]

    @property
    def keyed(self) -> bool:
        return len(self.periods) > 1


def method_rows(measure) -> list[MethodRow]:
    """A measure cut into its methods: the description's paragraphs (separated by an empty line) and the
    steps that name them (``MeasureStep.method``). Periods are the steps' own dates, consecutive equal
    ones once, with the monitoring text's "ขั้นตอนที่ 4–5: …" notes beside the dates of the steps they
    name, in step order; so each method reads as the seed's row does and no period is keyed twice."""
    steps = list(measure.steps.all())
    paragraphs = measure.methods
    count = max([len(paragraphs), 1, *(s.method or 1 for s in steps)])
    methods = [
        MethodRow(bullets=(paragraphs[n].splitlines() if n < len(paragraphs) else []), owners=[], steps=[], periods=[])
        for n in range(count)
    ]
    where: dict[int, tuple[MethodRow, int]] = {}  # the measure's step number -> (method, number in it)
    for step in steps:
        method = methods[(step.method or 1) - 1]
        method.steps.append((len(method.steps) + 1, step))
        where[step.order] = (method, len(method.steps))
        owner = step.owner or (step.department.name if step.department_id else "")
        if owner and owner not in method.owners:
            method.owners.append(owner)
    for method in methods:
        for number, step in method.steps:
            last = method.periods[-1] if method.periods else None
            if not (step.starts or step.ends):
                continue
            same = last and (last["starts"], last["ends"]) == (step.starts, step.ends)
            if same and last["numbers"][-1] == number - 1:
                last["numbers"].append(number)
            else:
                method.periods.append({"numbers": [number], "starts": step.starts, "ends": step.ends, "notes": []})
    loose = []
    for line in (measure.monitoring or "").splitlines():
        match = _STEP_NOTE.match(line)
        if not line.strip():
            continue
        if not match or int(match.group(1)) not in where:
            loose.append(line.strip())
            continue
        method, number = where[int(match.group(1))]
        period = next((p for p in method.periods if number in p["numbers"]), None)
        if period is None:
            period = {"numbers": [number], "starts": None, "ends": None, "notes": []}
            method.periods.append(period)
        period["notes"].append(match.group(2).strip())
    for method in methods:
        method.periods.sort(key=lambda p: p["numbers"][0])
        for period in method.periods:
            period["label"] = _label(period["numbers"])
    if loose:
        methods[0].periods.append({"label": "", "numbers": [], "starts": None, "ends": None, "notes": loose})
    return methods


def period_lines(period: dict, texts: Texts, measure_number: int) -> list[str]:
    """A period of part 2 as the agency words it (``measure_<n>_period``, else ``period``), one entry a line
    of the cell, with its timing notes ("เดือนละ 1 ครั้ง…") after its dates, as seed 004 writes them."""
    starts, ends = period["starts"], period["ends"]
    lines = []
    if starts or ends:
        key = f"measure_{measure_number}_period" if texts.has(f"measure_{measure_number}_period") else "period"
        dates = {
            "starts": exact_period(starts or ends),
            "ends": exact_period(ends or starts),
            "period": exact_period(starts, ends),
        }
        lines = [line.strip() for line in texts.get(key, **dates).splitlines() if line.strip()]
    notes = " ".join(period["notes"])
    if notes and lines:
        lines[-1] = f"{lines[-1]} {notes}"
    elif notes:
        lines = [notes]
    return lines


def method_table(rows: list[MeasureRow], texts: Texts) -> list[dict]:
    """The measures a row per method, each period's lines in the agency's words: seed 004's part 2, and a
    plan written as it. [{"measure", "methods": [MethodRow]}]."""
    out = []
    for r in rows:
        methods = method_rows(r.measure)
        for method in methods:
            for period in method.periods:
                period["lines"] = period_lines(period, texts, r.measure.number)
        out.append({"measure": r.measure, "methods": methods})
    return out


def printed_periods(table: list[dict]) -> list[str]:
    """Every line of a method table's period column (``measure_columns(period_text=…)``)."""
    return [line for p in table for m in p["methods"] for period in m.periods for line in period["lines"]]


# ---------------------------------------------------------------- the document


class PlanDocument(Document):
    """The annual measure plan (seed 000's first table, seeds 003 and 004): measure, its method, steps with
    their owners and dates, period, monitoring, with the indicators each measure targets."""

    template = "reports/pdf/plan.html"
    split_rows = True

    def __init__(self, plan: MeasurePlan):
        super().__init__()
        self.plan = plan

    @property
    def agency(self):
        return self.plan.agency

    @property
    def slug(self) -> str:
        return f"plan-{self.plan.agency.code}-{self.plan.fiscal_year}"

    def gather(self) -> None:
        self.plan = MeasurePlan.objects.select_related("agency", "assessment__edition").get(pk=self.plan.pk)
        self.measures = list(
            measures_for_list(self.plan.measures.all()).prefetch_related("responsible_people__user").order_by("number")
        )
        self.stored_texts = texts_for(self.plan.agency, self.plan.fiscal_year, DocumentText.Document.PLAN)

    def texts(self) -> Texts:
        plan, a = self.plan, self.plan.assessment
        official = official_total(a)
        total = "-" if official.total is None else f"{official.total:.2f}"
        if official.differs:
            total += f" ({total_note(official, 'arabic')})"
        values = {
            "agency": plan.agency.name,
            "location": plan.agency.full_location,
            "year": plan.fiscal_year,
            "plan_title": plan.title,
            "assessment_year": a.edition.fiscal_year if a else plan.fiscal_year - 1,
            "total": total,
            "level_phrase": f" ระดับ {official.level}" if official.level else "",
        }
        defaults = dict(PLAN_DEFAULTS)
        if a is None or official.total is None:
            defaults["lead"] = PLAN_LEAD_WITHOUT_ASSESSMENT
        return Texts(self.stored_texts, defaults, values)

    def context(self) -> dict:
        rows = measure_rows(self.measures)
        texts = self.texts()
        if any(s.method for r in rows for s in r.steps):
            return self._by_method(rows, texts)
        headers = {k: texts.get(f"column_{k}") for k, _h, _m in COLUMNS if texts.get(f"column_{k}")}
        keys = {column["key"] for column in measure_columns(rows, headers)}
        # Landscape for six columns, or for the two long ones side by side (the description and the steps):
        # on a portrait page หนองเสม็ด's five left the measure about six letters wide.
        landscape = len(keys) >= 6 or {"description", "steps"} <= keys
        columns = measure_columns(rows, headers, orientation="landscape" if landscape else "portrait")
        return {
            "plan": self.plan,
            "measures": self.measures,
            "rows": rows,
            "columns": columns,
            "texts": texts,
            "landscape": landscape,
        }

    def _by_method(self, rows: list[MeasureRow], texts: Texts) -> dict:
        """A plan whose steps name their methods (satengnok 2567) printed as the seed it follows prints it
        (seed 004's part 2): a row per method with its unit, steps numbered from 1 and period, the timing
        notes beside the period they belong to, no monitoring column keyed "ขั้นตอนที่ …" and no owner
        followed by "(ขั้นตอนที่ 1–5)"."""
        part2 = method_table(rows, texts)
        headers = {k: texts.get(f"column_{k}") for k, _h, _m in COLUMNS if texts.get(f"column_{k}")}
        columns = measure_columns(
            rows,
            {"description": "วิธีการดำเนินการ", **headers},
            monitoring_in_period=True,
            orientation="landscape",
            whole_owners=True,
            period_text=printed_periods(part2),
        )
        return {
            "plan": self.plan,
            "measures": self.measures,
            "rows": rows,
            "part2": part2,
            "by_method": True,
            "with_indicators": True,
            "columns": columns,
            "texts": texts,
            "landscape": True,
        }

    def sheets(self) -> list[Sheet]:
        heading = f"{self.plan.title} {self.plan.agency.name}"
        rows = measure_rows(self.measures)
        by_method = any(s.method for r in rows for s in r.steps)
        measures = self._method_sheet(rows, heading) if by_method else self._measure_sheet(rows, heading)
        steps = Sheet(
            title="ขั้นตอน",
            heading=heading,
            columns=[
                ("มาตรการที่", "int", 10),
                ("ขั้นที่", "int", 8),
                ("ขั้นตอน", "text", 60),
                ("ผู้รับผิดชอบ", "text", 28),
                ("วันเริ่ม", "date", 14),
                ("วันสิ้นสุด", "date", 14),
                ("เสร็จเมื่อ", "date", 14),
            ],
            rows=[
                [r.measure.number, s.order, s.title, _owner(s), s.starts, s.ends, s.completed_on]
                for r in rows
                for s in r.steps
            ],
            # A blank "เสร็จเมื่อ" says the step is not done yet: the column stays when no step is, as it then says.
            keep_columns=frozenset({6}),
        )
        return [measures, steps]

    def _measure_sheet(self, rows: list[MeasureRow], heading: str) -> Sheet:
        """The measures sheet a row per measure."""
        return Sheet(
            title="มาตรการ",
            heading=heading,
            # The period as its two BE dates (dates a clerk can sort and filter), not again as text beside them;
            # widths that add up to a sheet printed at 75 % or more when fitted to one page wide.
            columns=[
                ("ลำดับ", "int", 6),
                ("มาตรการ", "text", 26),
                ("วิธีการดำเนินการ", "text", 27),
                ("ขั้นตอนหรือวิธีการ", "text", 33),
                ("ผู้รับผิดชอบ", "text", 16),
                ("วันเริ่ม", "date", 13),
                ("วันสิ้นสุด", "date", 13),
                ("การกำกับติดตาม", "text", 21),
                ("ตัวชี้วัด", "text", 9),
                ("งบประมาณ (บาท)", "money", 14),
            ],
            rows=[
                [
                    r.measure.number,
                    r.measure.title,
                    r.measure.description,
                    "\n".join(f"{local_digits(s.order)}. {s.title}" for s in r.steps),
                    "\n".join(f"ขั้นตอนที่ {local_digits(label)}: {owner}" for label, owner in r.owners)
                    if len(r.owners) > 1
                    else (r.owners[0][1] if r.owners else r.measure.responsible_label),
                    r.measure.starts,
                    r.measure.ends,
                    r.measure.monitoring,
                    ", ".join(local_digits(i.number) for i in r.measure.indicators.all()),
                    r.measure.budget,
                ]
                for r in rows
            ],
            totals={9: "SUM"},
        )

    def _method_sheet(self, rows: list[MeasureRow], heading: str) -> Sheet:
        """The measures sheet of a plan printed a row per method (``_by_method``): the same rows as its PDF, a
        method's bullets, unit, steps numbered from 1, dates and timing notes on one row.
        One row per measure left each column's continuation rows out of line (methods 2–3 beside steps 7–9)
        and the owners keyed "ขั้นตอนที่ 1–5". The measure, its indicators and its budget on its first row
        only, so the budget's total counts each measure once."""
        out = []
        for p in method_table(rows, self.texts()):
            measure = p["measure"]
            for index, method in enumerate(p["methods"]):
                first = index == 0
                dates = [d for period in method.periods for d in (period["starts"], period["ends"]) if d]
                # The dates are the date columns; beside them what they cannot say: each period of a method
                # whose steps run at different times (as the PDF keys them), else the timing notes.
                if method.keyed:
                    period_text = [
                        (f"ขั้นตอนที่ {period['label']}: " if period["label"] and n == 0 else "") + line
                        for period in method.periods
                        for n, line in enumerate(period["lines"])
                    ]
                else:
                    period_text = [note for period in method.periods for note in period["notes"]]
                out.append(
                    [
                        measure.number if first else None,
                        measure.title if first else "",
                        "\n".join(method.bullets),
                        "\n".join(f"{local_digits(number)}. {step.title}" for number, step in method.steps),
                        "\n".join(method.owners) or (measure.responsible_label if first else ""),
                        min(dates) if dates else (measure.starts if first else None),
                        max(dates) if dates else (measure.ends if first else None),
                        local_digits("\n".join(period_text)),
                        ", ".join(local_digits(i.number) for i in measure.indicators.all()) if first else "",
                        measure.budget if first else None,
                    ]
                )
        return Sheet(
            title="มาตรการ",
            heading=heading,
            columns=[
                ("ลำดับ", "int", 6),
                ("มาตรการ", "text", 24),
                ("วิธีการดำเนินการ", "text", 27),
                ("ขั้นตอน/วิธีปฏิบัติ", "text", 33),
                ("ผู้รับผิดชอบ", "text", 16),
                ("วันเริ่ม", "date", 13),
                ("วันสิ้นสุด", "date", 13),
                ("ระยะเวลาและการติดตาม", "text", 22),
                ("ตัวชี้วัด", "text", 9),
                ("งบประมาณ (บาท)", "money", 14),
            ],
            rows=out,
            totals={9: "SUM"},
        )
