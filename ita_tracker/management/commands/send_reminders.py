"""``manage.py send_reminders [--today YYYY-MM-DD]``: the daily reminders and digest mails, for cron.

Safe to run more than once a day: the sent-log keeps every reminder to one sending (``ita_tracker.reminders``).
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from ita_tracker.reminders import send_reminders


class Command(BaseCommand):
    help = "Send the day's reminders and digest mails (once per day, however often it runs)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to run for, YYYY-MM-DD (Christian era); default: today")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today must be YYYY-MM-DD, not {options['today']!r}") from exc
        counts = send_reminders(today=today)
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
