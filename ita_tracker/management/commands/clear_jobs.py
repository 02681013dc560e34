"""Delete background jobs whose results have expired (``JOBS_RESULT_TTL``), with their files. Workers do this
after each job; run it from cron too so an idle installation keeps no old results."""

from django.core.management.base import BaseCommand

from ita_tracker.jobs import jobs_clear_expired


class Command(BaseCommand):
    help = "Delete expired background job results (JOBS_RESULT_HOURS)."

    def handle(self, *args, **options):
        count = jobs_clear_expired()
        self.stdout.write(f"Deleted {count} expired job(s).")
