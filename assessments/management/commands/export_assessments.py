"""Export ITA scores, one row per assessment, as the web page's export does.

python manage.py export_assessments --year 2566 --format xlsx --out ita-2566.xlsx
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments import transfer
from assessments.models import Assessment, FrameworkEdition


class Command(BaseCommand):
    help = "Export ITA scores of every agency (optionally one fiscal year) to a .csv or .xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="fiscal year in the Buddhist era, e.g. 2566 (default: all)")
        parser.add_argument("--format", required=True, choices=["csv", "xlsx"], dest="format")
        parser.add_argument("--out", required=True, help="path of the file to write")

    def handle(self, *args, **options):
        year = options["year"]
        assessments = Assessment.objects.all()
        if year is not None:
            if not FrameworkEdition.objects.filter(fiscal_year=year).exists():
                raise CommandError(f"no framework edition for fiscal year {year}")
            assessments = assessments.for_year(year)
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"no such folder: {out.parent}")
        rows = transfer.export_rows(assessments)
        if options["format"] == "csv":
            with out.open("w", encoding="utf-8", newline="") as fh:
                count = transfer.write_csv(rows, fh)
        else:
            count = transfer.write_xlsx(rows, out)
        self.stdout.write(self.style.SUCCESS(f"exported {count} assessment(s) to {out}"))
