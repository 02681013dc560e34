"""Daily reminders on OIT items, for the daily job to call: ``oit_reminders(today)``.

Two reminders, as for measures: fourteen days before an item's due date, and when it is overdue (the day after,
then once a week, so a late item is not forgotten but nobody is told the same thing every morning). The division's
staff are told (the coordinator, when the item has no division or its division no staff); the coordinator is
told of overdue items too. Passed items are never reminded.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.db.models import Q
from django.utils.translation import gettext as _

from ita_tracker.notify import notify
from ita_tracker.reminders import Reminder
from ita_tracker.thai import format_date
from measures.oit import access
from measures.oit.models import OitEntry

DUE_SOON_DAYS = 14
OVERDUE_EVERY_DAYS = 7


def _deadline_is(day: date) -> Q:
    """Entries whose effective deadline (own due, else the checklist's, else the edition's) is ``day``."""
    return (
        Q(due=day)
        | Q(due__isnull=True, checklist__due=day)
        | Q(due__isnull=True, checklist__due__isnull=True, checklist__edition__oit_deadline=day)
    )


def _overdue_days(today: date) -> list[date]:
    """The deadlines whose items are reminded today: yesterday, and every seventh day before it (one year)."""
    return [today - timedelta(days=1 + OVERDUE_EVERY_DAYS * n) for n in range(53)]


def due_soon(today: date):
    return OitEntry.objects.open().filter(_deadline_is(today + timedelta(days=DUE_SOON_DAYS)))


def overdue(today: date):
    condition = Q()
    for day in _overdue_days(today):
        condition |= _deadline_is(day)
    return OitEntry.objects.open().filter(condition)


def oit_reminder_source(today: date) -> Iterator[Reminder]:
    """Today's OIT reminders for the daily job (``ita_tracker.reminders``, registered in ``measures.reminders``):
    its sent-log keeps a second run of the same day from sending anything twice, and each person's choice of
    delivery for the two kinds applies."""
    for entry in due_soon(today).select_related("item", "checklist__edition", "checklist__agency"):
        yield Reminder(
            kind="oit_due_soon",
            key=f"oit_due_soon:{entry.pk}:{entry.deadline.isoformat()}",
            recipients=access.division_staff(entry) or access.coordinators(entry.checklist.agency_id),
            title=_("ข้อ OIT %(code)s ครบกำหนดในอีก %(n)s วัน") % {"code": entry.code, "n": DUE_SOON_DAYS},
            body=f"{entry.item.title} ({format_date(entry.deadline)})",
            url=entry.get_absolute_url(),
        )
    for entry in overdue(today).select_related("item", "checklist__edition", "checklist__agency"):
        yield Reminder(
            kind="oit_overdue",
            key=f"oit_overdue:{entry.pk}:{today.isoformat()}",
            recipients=[*access.division_staff(entry), *access.coordinators(entry.checklist.agency_id)],
            title=_("ข้อ OIT %(code)s เลยกำหนดแล้ว") % {"code": entry.code},
            body=f"{entry.item.title} ({format_date(entry.deadline)})",
            url=entry.get_absolute_url(),
            repeat_days=OVERDUE_EVERY_DAYS - 1,
        )


def oit_reminders(today: date) -> int:
    """Send today's OIT reminders at once (tests and a manual run); returns how many items were reminded. The
    daily job goes through :func:`oit_reminder_source` instead."""
    count = 0
    for reminder in oit_reminder_source(today):
        notify(
            kind=reminder.kind,
            recipients=reminder.recipients,
            title=reminder.title,
            body=reminder.body,
            url=reminder.url,
        )
        count += 1
    return count
