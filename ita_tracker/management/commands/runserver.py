"""``runserver`` that also starts the embedded job worker when ``JOBS_BACKEND=embedded`` (``make run``).

``inner_run`` is the part that serves, in the process the auto-reloader restarts on each code change, so the
worker thread lives (and is restarted) with the server that answers requests."""

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as StaticfilesRunserver


class Command(StaticfilesRunserver):
    def inner_run(self, *args, **options):
        if settings.JOBS_BACKEND == "embedded":
            from ita_tracker import worker

            worker.start()
            self.stdout.write("Background jobs: embedded worker started (JOBS_BACKEND=embedded).")
        return super().inner_run(*args, **options)
