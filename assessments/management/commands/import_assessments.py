"""Import ITA scores from a .csv or .xlsx file: the same checks and writes as the web page.

    python manage.py import_assessments scores-2566.xlsx [--create-agencies]

The whole file is checked first; if any row is wrong every error is printed as
``row N, column C: message`` and nothing is saved.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments import transfer


class Command(BaseCommand):
    help = "Import ITA scores (agency, province, fiscal_year, ind1..ind10, …) from a .csv or .xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to a .csv or .xlsx file")
        parser.add_argument(
            "--create-agencies",
            action="store_true",
            help="create agencies that are not in the database (needs the agency_type column)",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        with path.open("rb") as fh:
            plan = transfer.check_file(fh, path.name, create_agencies=options["create_agencies"])
        if plan.errors:
            for error in plan.errors:
                if error.row:
                    self.stderr.write(f"row {error.row}, column {error.column}: {error.message}")
                else:
                    self.stderr.write(f"file: {error.message}")
            raise CommandError(f"{len(plan.errors)} error(s) in {path.name}; nothing was saved")
        summary = transfer.apply_plan(plan)
        self.stdout.write(
            self.style.SUCCESS(
                f"imported {path.name}: {summary.assessments_created} assessment(s) created, "
                f"{summary.assessments_updated} updated, {summary.agencies_created} agency(ies) created"
            )
        )
