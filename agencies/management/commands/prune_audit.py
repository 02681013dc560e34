"""Delete audit entries older than a number of days, in batches (README, "Data retention").

    python manage.py prune_audit --older-than 3653

The trail is kept whole by default (``AUDIT_RETENTION_DAYS`` unset): it is the record of who changed an
agency's official figures. An installation that must bound it sets a retention of at least the records
rule it follows; the workers' housekeeping then runs this once an hour. Batches of ``--batch`` rows through
the ``created_at`` index keep each transaction short on a trail of millions of rows.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from agencies.models import AuditEntry


class Command(BaseCommand):
    help = "Delete audit entries older than --older-than days."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, required=True, help="days")
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, older_than: int, batch: int, dry_run: bool, **options):
        if older_than < 1:
            raise CommandError("--older-than must be at least 1 day")
        cutoff = timezone.now() - timedelta(days=older_than)
        old = AuditEntry.objects.filter(created_at__lt=cutoff)
        if dry_run:
            self.stdout.write(f"{old.count()} entries older than {cutoff:%Y-%m-%d} would be deleted")
            return
        deleted = 0
        while True:
            ids = list(old.order_by("created_at").values_list("pk", flat=True)[:batch])
            if not ids:
                break
            deleted += AuditEntry.objects.filter(pk__in=ids).delete()[0]
        if options["verbosity"]:
            self.stdout.write(f"deleted {deleted} audit entries older than {cutoff:%Y-%m-%d}")
