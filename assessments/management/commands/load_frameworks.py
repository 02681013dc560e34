"""``python manage.py load_frameworks [--replace] [--year Y ...]``: the ITA framework editions from
``fixtures/frameworks/<year>.json``.

Without ``--replace`` an edition that already exists is kept as it is (an administrator may have corrected
it); with ``--replace`` it is brought back in line with its file, keeping what agencies' data hang from,
except an edition edited in the application's framework editor, which only ``--discard-local-edits`` replaces.
``migrate`` installs missing editions by itself (``assessments.editions``): this command is for updates.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments.frameworks import framework_files, load_all
from assessments.models import FrameworkEdition


class Command(BaseCommand):
    help = "Load the ITA framework editions, one JSON file per fiscal year; existing ones are kept unless --replace."

    def add_arguments(self, parser):
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Bring existing editions back in line with their files (except editions edited in the app).",
        )
        parser.add_argument(
            "--discard-local-edits",
            action="store_true",
            help="With --replace: replace editions edited in the application too (their edits are lost).",
        )
        parser.add_argument(
            "--year",
            dest="years",
            type=int,
            action="append",
            metavar="YEAR",
            help="Only this fiscal year (Buddhist era, e.g. 2567); may be repeated.",
        )

    def handle(self, *args, replace: bool = False, years: list[int] | None = None, **options):
        keep_local_edits = not options.get("discard_local_edits", False)
        try:
            wanted = [int(path.stem) for path in framework_files(years)]
            existing = set(
                FrameworkEdition.objects.filter(fiscal_year__in=wanted).values_list("fiscal_year", flat=True)
            )
            results = load_all(replace=replace, years=years, warn=self._warn, keep_local_edits=keep_local_edits)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        for edition, written in results:
            if not written:
                line = f"ITA {edition.fiscal_year}: คงไว้ตามที่แก้ไข / kept as edited"
            elif edition.fiscal_year in existing:
                line = f"ITA {edition.fiscal_year}: แทนที่ตามไฟล์แล้ว / replaced from file"
            else:
                line = f"ITA {edition.fiscal_year}: โหลดแล้ว / loaded"
            self.stdout.write(self.style.SUCCESS(line) if written else line)

    def _warn(self, message: str) -> None:
        self.stderr.write(self.style.WARNING(message))
