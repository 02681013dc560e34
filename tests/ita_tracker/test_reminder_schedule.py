"""The daily run's schedule: the embedded worker runs the reminders once a day from ``REMINDERS_HOUR``; Celery
beat has the task; a broken reminder source does not stop the others."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from ita_tracker import reminders, worker
from ita_tracker.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
BANGKOK = ZoneInfo("Asia/Bangkok")


@pytest.fixture
def sources(monkeypatch):
    person = UserFactory()
    calls = []

    def fine(today):
        calls.append(today)
        yield reminders.Reminder(kind="test_kind", key=f"test:{today}", recipients=[person], title="ทดสอบ")

    def broken(today):
        raise RuntimeError("a bug in one source")

    monkeypatch.setattr(reminders, "_sources", {"broken": broken, "fine": fine})
    monkeypatch.setattr(worker, "_reminded_on", None)
    return person, calls


def test_the_embedded_worker_runs_them_once_a_day_from_the_hour(sources, settings, django_capture_on_commit_callbacks):
    person, calls = sources
    settings.REMINDERS_HOUR = 7
    with django_capture_on_commit_callbacks(execute=True):
        assert worker.run_reminders_if_due(datetime(2026, 3, 20, 6, 59, tzinfo=BANGKOK)) is False
        assert worker.run_reminders_if_due(datetime(2026, 3, 20, 7, 0, tzinfo=BANGKOK)) is True
        assert worker.run_reminders_if_due(datetime(2026, 3, 20, 15, 0, tzinfo=BANGKOK)) is False
        assert worker.run_reminders_if_due(datetime(2026, 3, 21, 8, 0, tzinfo=BANGKOK)) is True
    assert [d.isoformat() for d in calls] == ["2026-03-20", "2026-03-21"]
    assert Notification.objects.filter(recipient=person, kind="test_kind").count() == 2  # the broken one logged


def test_celery_beat_runs_the_reminders_and_the_digest_daily():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks == {"ita_tracker.send_reminders", "ita_tracker.send_digests"}
    from ita_tracker.celery import app

    app.loader.import_default_modules()
    assert {"ita_tracker.send_reminders", "ita_tracker.send_digests"} <= set(app.tasks)
