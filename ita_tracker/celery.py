"""The Celery application: ``celery -A ita_tracker worker`` runs the background jobs (reports.jobs)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_tracker.settings")

app = Celery("ita_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
