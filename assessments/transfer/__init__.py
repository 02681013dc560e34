"""Import and export of ITA scores as CSV or XLSX, shared by the web pages, the background job and the
management commands.

An import is two steps, so that nothing is half-saved: :func:`check_file` reads the whole file and
returns an :class:`ImportPlan` listing *every* problem with its spreadsheet row and column (people fix
a national file of 8,000 rows in one pass, not one error at a time); :func:`apply_plan` then writes a
clean plan in one transaction. The background job (``reports.jobs``) calls the same two functions.

A blank cell means "not in this file": it leaves the stored value as it is (read again when saving). A
file of published totals only therefore never wipes indicator scores typed earlier, and a file of
indicator scores never wipes the published total; clearing a value is done on the entry page.

The columns come from the editions: an import requires the indicators of the years its rows name
(:func:`import_header` gives one year's header line), and an export writes the indicators and tools of
the years exported.

Modules: ``table`` (reading a file within bounds), ``values`` (what people type), ``header`` (which column
is which), ``check``, ``apply``, ``export``.
"""

from assessments.transfer.apply import apply_plan
from assessments.transfer.check import check_file
from assessments.transfer.errors import ImportPlan, ImportRefused, ImportSummary, PlannedRow, RowError
from assessments.transfer.export import export_header, export_queryset, export_rows, write_csv, write_xlsx
from assessments.transfer.header import BASE_COLUMNS, OPTIONAL_COLUMNS, import_header
from assessments.transfer.table import MAX_ROWS, TableError, open_table, parse_table

__all__ = [
    "BASE_COLUMNS",
    "MAX_ROWS",
    "OPTIONAL_COLUMNS",
    "ImportPlan",
    "ImportRefused",
    "ImportSummary",
    "PlannedRow",
    "RowError",
    "TableError",
    "apply_plan",
    "check_file",
    "export_header",
    "export_queryset",
    "export_rows",
    "import_header",
    "open_table",
    "parse_table",
    "write_csv",
    "write_xlsx",
]
