"""The Celery application: ``celery -A ita_tracker worker`` runs the background jobs and notification deliveries
(``ita_tracker.tasks``; ``ita_tracker.jobs`` says why Celery, and when the embedded worker runs instead)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_tracker.settings")

app = Celery("ita_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
