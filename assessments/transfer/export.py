"""Export of scores as CSV or XLSX: one row per assessment, the columns of the editions exported."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from assessments.models import Assessment, Indicator, IndicatorScore, ToolScore
from assessments.transfer.header import BASE_COLUMNS, OPTIONAL_COLUMNS, indicator_key
from assessments.transfer.values import TWO_PLACES

EXPORT_CHUNK = 2000  # rows per query: reading scores in chunks keeps a many-year export within SQL limits
MISMATCH = Decimal("0.02")  # as Assessment.mismatch: more than rounding explains


def export_queryset(queryset: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """The assessments a file lists, as plain tuples (``EXPORT_FIELDS``), ordered by year, province, agency.

    Tuples, not model instances: 40,000 assessments of a national export as objects with their 400,000
    scores took 29.5 s and 100 MiB in one request; as tuples read in chunks the job stays flat."""
    return queryset.order_by("edition__fiscal_year", "agency__province", "agency__name", "pk").values_list(
        *EXPORT_FIELDS
    )


EXPORT_FIELDS = (
    "pk",
    "agency__name",
    "agency__type",
    "agency__province",
    "edition__fiscal_year",
    "total",
    "level",
    "published_total",
    "published_level",
)


def export_structure(queryset: QuerySet[Assessment]) -> tuple[list[int], list[str]]:
    """The indicator numbers and tool codes of the editions the assessments belong to (one query): the
    columns of the export. Years whose editions differ give the union, in order."""
    edition_ids = queryset.order_by().values("edition_id").distinct()
    pairs = (
        Indicator.objects.filter(edition_id__in=edition_ids)
        .order_by("tool__order", "number")
        .values_list("number", "tool__code")
        .distinct()
    )
    numbers, codes = set(), {}
    for number, code in pairs:
        numbers.add(number)
        codes.setdefault(code, None)
    return sorted(numbers), list(codes)


def export_header(numbers: list[int], codes: list[str]) -> list[str]:
    return [
        *BASE_COLUMNS,
        *(indicator_key(n) for n in numbers),
        *(code.lower() for code in codes),
        "overall",
        "level",
        *OPTIONAL_COLUMNS,
        "mismatch",
    ]


def export_rows(queryset: QuerySet[Assessment]) -> Iterator[list[Any]]:
    """The header, then one row per assessment, as Python values: ``Decimal`` scores, ``bool`` mismatch,
    ``None`` for a missing score. The writers turn them into text or cells. A file we export can be imported
    again: its computed columns (the tools, ``overall``, ``level``, ``mismatch``) are columns the import
    ignores, since ``overall`` is ours and ``published_overall`` is the NACC's.

    Three queries per chunk of ``EXPORT_CHUNK`` assessments (the rows, their indicator scores, their tool
    scores), all as tuples."""
    numbers, codes = export_structure(queryset)
    yield export_header(numbers, codes)
    chunk: list[tuple] = []
    for row in export_queryset(queryset).iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(row)
        if len(chunk) == EXPORT_CHUNK:
            yield from _chunk_rows(chunk, numbers, codes)
            chunk = []
    if chunk:
        yield from _chunk_rows(chunk, numbers, codes)


def _chunk_rows(chunk: list[tuple], numbers: list[int], codes: list[str]) -> Iterator[list[Any]]:
    ids = [row[0] for row in chunk]
    scores: dict[int, dict[int, Decimal]] = {}
    for assessment_id, number, score in (
        IndicatorScore.objects.filter(assessment_id__in=ids)
        .order_by()
        .values_list("assessment_id", "indicator__number", "score")
    ):
        scores.setdefault(assessment_id, {})[number] = score
    tools: dict[int, dict[str, Decimal]] = {}
    for assessment_id, code, score in (
        ToolScore.objects.filter(assessment_id__in=ids).order_by().values_list("assessment_id", "tool__code", "score")
    ):
        tools.setdefault(assessment_id, {})[code] = score
    for pk, name, agency_type, province, year, total, level, published_total, published_level in chunk:
        by_number, by_code = scores.get(pk, {}), tools.get(pk, {})
        mismatch = total is not None and published_total is not None and abs(total - published_total) > MISMATCH
        yield [
            name,
            agency_type,
            province,
            year,
            *(by_number.get(n) for n in numbers),
            *(by_code.get(code) for code in codes),
            total,
            level,
            published_total,
            published_level,
            mismatch,
        ]


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value.quantize(TWO_PLACES):.2f}"
    return str(value)


def write_csv(rows: Iterable[list[Any]], fh: IO[str]) -> int:
    """Write rows to a text file handle opened with ``newline=""`` and plain UTF-8 (this writes the BOM
    itself, so that Excel opens Thai text correctly). Returns the number of data rows."""
    writer = csv.writer(fh)
    fh.write("\ufeff")
    count = -1
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
        count += 1
    return max(count, 0)


_XLSX_WIDTHS = {
    "agency": 46,
    "agency_type": 24,
    "province": 18,
    "fiscal_year": 12,
    "level": 22,
    "published_overall": 18,
    "published_level": 22,
    "mismatch": 11,
}


_XLSX_KINDS = {"agency": "text", "agency_type": "text", "province": "text", "fiscal_year": "int", "level": "text"}
_XLSX_KINDS.update({"published_level": "text", "mismatch": "text"})


def write_xlsx(rows: Iterable[list[Any]], path_or_fh: Any) -> int:
    """Write rows to an .xlsx workbook, header in row 1 so the file imports again, numbers as numbers shown with
    two decimals, ``mismatch`` as a boolean, in the workbook base's Thai font, print setup and row heights.
    Returns the number of data rows.

    Written with XlsxWriter in ``constant_memory`` mode rather than through the workbook base
    (``ita_tracker.xlsx``, openpyxl): this is the biggest workbook of the product, a national viewer's every
    year, 40,000 rows × 22 columns. Through the base its job took 32.3 s and +32 MiB over the process at 8,000
    agencies × 5 years (load average 7.5 on two shared cores); with XlsxWriter 20.0 s and +29 MiB (load 8.9), the
    same figures for the same rows (bench/README.md, "National exports"). openpyxl builds and
    styles one cell object per value, XlsxWriter writes each row's XML as it comes and keeps one row in memory.
    It keeps the base's promises: text is always written as a string (``write_string``: a name beginning with
    ``=`` stays text), the same font, A4 print setup, header repeated on every page and row heights from the
    base's ``row_height``. Every other workbook stays on the base."""
    import xlsxwriter

    from ita_tracker.xlsx import BODY_PT, print_font, row_height

    rows = iter(rows)
    header = next(rows, None) or export_header([], [])
    font = print_font()
    book = xlsxwriter.Workbook(path_or_fh, {"constant_memory": True, "in_memory": False})
    base = {"font_name": font.family, "font_size": round(BODY_PT * font.scale, 1), "valign": "top"}
    formats = {
        "header": book.add_format({**base, "bold": True, "bg_color": "#DDE4F0", "border": 1, "border_color": "#999999",
                                   "text_wrap": True, "align": "center", "valign": "vcenter"}),
        "text": book.add_format({**base, "text_wrap": True}),
        "number": book.add_format({**base, "num_format": "0.00"}),
        "int": book.add_format({**base, "num_format": "0"}),
        "bool": book.add_format(base),
    }  # fmt: skip
    sheet = book.add_worksheet(_("ผลการประเมิน ITA")[:31])
    widths = [_XLSX_WIDTHS.get(name, 10) for name in header]
    kinds = [_XLSX_KINDS.get(name, "number") for name in header]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    sheet.repeat_rows(0)
    sheet.repeat_columns(0, 0)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.6, right=0.6, top=0.6, bottom=0.7)
    sheet.center_horizontally()
    sheet.set_footer(f'&C&"{font.family}"หน้า &P / &N', {"margin": 0.4})
    sheet.set_row(0, row_height(header, widths))
    for col, name in enumerate(header):
        sheet.write_string(0, col, name, formats["header"])
    # The inner loop runs 880,000 times for a national export: one pass per row with the writer's methods, the
    # formats and the column kinds looked up once; row heights from the text columns only (a number never wraps),
    # remembered by the row's texts (names, types, provinces and levels repeat from year to year).
    text_columns = [col for col, kind in enumerate(kinds) if kind == "text"]
    text_widths = [widths[col] for col in text_columns]
    numeric = [formats[kind] if kind in ("number", "int") else None for kind in kinds]
    text_format, bool_format = formats["text"], formats["bool"]
    write_number, write_string, write_boolean = sheet.write_number, sheet.write_string, sheet.write_boolean
    heights: dict[tuple, float] = {}
    count = 0
    for count, values in enumerate(rows, start=1):
        if len(values) != len(kinds):
            raise ValueError(f"row {count} has {len(values)} values for {len(kinds)} columns")
        texts = tuple(values[col] for col in text_columns)
        height = heights.get(texts)
        if height is None:
            if len(heights) >= HEIGHTS_KEPT:
                heights.clear()
            height = heights[texts] = row_height(texts, text_widths)
        sheet.set_row(count, height)
        for col, value in enumerate(values):
            if value is None:
                continue
            if value is True or value is False:
                write_boolean(count, col, value, bool_format)
            elif numeric[col] is not None and isinstance(value, NUMBERS):
                write_number(count, col, float(value), numeric[col])
            else:
                write_string(count, col, str(value), text_format)
    book.close()
    return count


NUMBERS = (int, float, Decimal)
HEIGHTS_KEPT = 20_000  # row heights remembered at most (a few MiB), then forgotten and worked out again
