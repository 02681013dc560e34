"""Coordinators hear of the cycle's next deadline (registration, the OIT publication deadline, the survey,
the results), ``REMINDER_ROUND_DAYS`` before it, from the edition's calendar. Registered in
``AssessmentsConfig.ready()``; run daily by ``ita_tracker.reminders``."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from agencies.models import Membership
from assessments.editions import edition_calendar
from assessments.models import FrameworkEdition
from ita_tracker.notify import NotificationKind, register_kind
from ita_tracker.reminders import Reminder, register_reminder
from ita_tracker.thai import fiscal_year, format_date, thai_digits, use_thai_digits

KIND = NotificationKind("cycle_deadline", _("กำหนดการถัดไปของรอบการประเมิน ITA"))


def next_deadline(today: date) -> tuple[FrameworkEdition, dict, date] | None:
    """The earliest calendar date on or after ``today`` of this year's or next year's edition."""
    found = []
    year = fiscal_year(today)
    for edition in FrameworkEdition.objects.filter(fiscal_year__in=[year, year + 1]):
        for row in edition_calendar(edition):
            for day in (row["starts"], row["ends"]):
                if day is not None and day >= today:
                    found.append((day, edition.fiscal_year, row["key"], edition, row))
    if not found:
        return None
    day, _year, _key, edition, row = min(found, key=lambda f: f[:3])
    return edition, row, day


def deadline_due(today: date):
    found = next_deadline(today)
    if found is None:
        return
    edition, row, day = found
    if (day - today).days > settings.REMINDER_ROUND_DAYS:
        return
    coordinators = Membership.objects.filter(is_active=True, is_coordinator=True, user__is_active=True)
    ends = row["ends"] is not None and day == row["ends"]
    what = f"{row['label']}{' (วันสุดท้าย)' if ends else ''}"
    year = thai_digits(edition.fiscal_year) if use_thai_digits() else str(edition.fiscal_year)
    yield Reminder(
        kind=KIND.name,
        key=f"cycle_deadline:{edition.pk}:{row['key']}:{day.isoformat()}",
        recipients=set(coordinators.values_list("user_id", flat=True)),
        title=f"[ITA Tracker] ITA {year}: {what} {format_date(day)}",
        body=f"ITA {year}\n{what}: {format_date(day)} ({row['certainty_display']})",
        url=getattr(settings, "SITE_URL", "").rstrip("/") + "/",
    )


def register() -> None:
    register_kind(KIND)
    register_reminder("cycle_deadline", deadline_due)
