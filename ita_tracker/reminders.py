"""The daily reminders and the digest mail, run once a day by Celery beat (``CELERY_BEAT_SCHEDULE``), by the
embedded worker under ``make run``, or by cron through ``manage.py send_reminders``.

Which reminders exist is registered by the apps that know the domain, as job kinds are:

    register_reminder("memo_waiting", memos_waiting)   # in reports/apps.py ready()

A reminder source is ``source(today) -> iterable of Reminder``. Each reminder names the people, the kind (whose
delivery each person chose, ``ita_tracker.notify.register_kind``), and a ``key`` for its subject; ``repeat_days``
says how soon the same key may reach the same person again (``None``: never). The sent-log
(``ReminderLog``) is what makes a second run on the same day (cron and beat both, a retry) send nothing twice.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ita_tracker.models import Notification, ReminderLog
from ita_tracker.notify import notify, single_line
from ita_tracker.thai import format_date

logger = logging.getLogger(__name__)

_sources: dict[str, Callable[[date], Iterable[Reminder]]] = {}


@dataclass
class Reminder:
    kind: str
    key: str
    recipients: list = field(default_factory=list)  # users or user ids
    title: str = ""
    body: str = ""
    url: str = ""
    repeat_days: int | None = None


def register_reminder(name: str, source: Callable[[date], Iterable[Reminder]]) -> None:
    _sources[name] = source


def sources() -> list[str]:
    return list(_sources)


def _already_sent(reminder: Reminder, ids: list[int], today: date) -> set[int]:
    logs = ReminderLog.objects.filter(key=reminder.key[:200], recipient_id__in=ids)
    if reminder.repeat_days is not None:
        logs = logs.filter(day__gt=today - timedelta(days=reminder.repeat_days))
    return set(logs.values_list("recipient_id", flat=True))


def _send_one(reminder: Reminder, today: date) -> int:
    ids = sorted({getattr(r, "pk", r) for r in reminder.recipients if r is not None})
    if not ids:
        return 0
    due = [pk for pk in ids if pk not in _already_sent(reminder, ids, today)]
    if not due:
        return 0
    with transaction.atomic():
        ReminderLog.objects.bulk_create(
            [ReminderLog(key=reminder.key[:200], recipient_id=pk, day=today) for pk in due], ignore_conflicts=True
        )
        notify(kind=reminder.kind, recipients=due, title=reminder.title, body=reminder.body, url=reminder.url)
    return len(due)


def send_reminders(*, today: date | None = None) -> dict[str, int]:
    """Run every registered reminder source for ``today``, then the digest mails; returns how many people each
    source reached."""
    today = today or timezone.localdate()
    counts: dict[str, int] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for name, source in _sources.items():
            try:
                counts[name] = sum(_send_one(reminder, today) for reminder in source(today))
            except Exception:  # one broken source must not stop the others
                logger.exception("reminder source %s failed", name)
                counts[name] = 0
    # After the reminders' own deliveries (which run on commit), so today's digest rows are in today's digest.
    # On Celery they may still be queued: the beat's later "daily-digest" entry sends them the same morning.
    transaction.on_commit(lambda: send_digests(today=today))
    return counts


def send_digests(*, today: date | None = None) -> int:
    """One mail per person with the in-app notifications of the kinds they take as a daily digest, not yet
    mailed. Each row is marked when its mail is sent, so a second run sends nothing."""
    today = today or timezone.localdate()
    pending = Notification.objects.filter(in_digest=True, digested_at__isnull=True).order_by("recipient_id", "pk")
    by_person: dict[int, list[Notification]] = defaultdict(list)
    for note in pending[:5000]:
        by_person[note.recipient_id].append(note)
    people = get_user_model().objects.filter(pk__in=list(by_person), is_active=True).exclude(email="")
    sent = 0
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    for person in people:
        notes = by_person[person.pk]
        body = render_to_string(
            "ita_tracker/email/digest.txt", {"notes": notes, "today": today, "person": person, "base": base}
        )
        subject = single_line(f"[ITA Tracker] สรุปการแจ้งเตือนประจำวัน {format_date(today, 'abbr')}")
        with transaction.atomic():
            Notification.objects.filter(pk__in=[n.pk for n in notes]).update(digested_at=timezone.now())
            EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[person.email]).send()
        sent += 1
    # People without a mail address still read the rows in the application: they are not mailed again.
    Notification.objects.filter(pk__in=[n.pk for pk, ns in by_person.items() for n in ns]).filter(
        digested_at__isnull=True
    ).update(digested_at=timezone.now())
    return sent
