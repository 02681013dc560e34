"""Reminders for the staff who report progress: a progress round due soon, steps past their end date, and
measures with no progress for a while. Registered in ``MeasuresConfig.ready()``; run daily by
``ita_tracker.reminders`` (whose sent-log keeps each to its ``repeat_days``)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Membership
from ita_tracker.notify import NotificationKind, register_kind
from ita_tracker.reminders import Reminder, register_reminder
from ita_tracker.thai import (
    digit_style,
    fiscal_year,
    fiscal_year_range,
    format_date,
    half_year_end,
    shorten,
    thai_digits,
    use_thai_digits,
)
from measures.models import Measure, MeasurePlan, MeasureStep, Status
from measures.oit.reminders import oit_reminder_source

CLOSED = (Status.DONE, Status.CANCELLED)

KINDS = (
    NotificationKind("progress_round_due", _("รอบรายงานความก้าวหน้าใกล้ถึงกำหนด")),
    NotificationKind("steps_overdue", _("ขั้นตอนของมาตรการเลยกำหนด")),
    NotificationKind("measure_stale", _("มาตรการที่ไม่มีการรายงานความก้าวหน้านาน")),
    NotificationKind("oit_due_soon", _("ข้อ OIT ใกล้ถึงกำหนด")),
    NotificationKind("oit_overdue", _("ข้อ OIT เลยกำหนด")),
    NotificationKind("oit_assigned", _("ได้รับมอบหมายข้อ OIT")),
    NotificationKind("oit_submitted", _("ข้อ OIT ส่งให้ตรวจ")),
    NotificationKind("oit_sent_back", _("ข้อ OIT ถูกส่งกลับแก้ไข")),
    NotificationKind("oit_passed", _("ข้อ OIT ผ่านการตรวจ")),
)


def _site(path: str) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def _digits(agency):
    return digit_style("thai" if agency.use_thai_digits else "arabic")


def _staff_by_agency(agency_ids) -> dict[int, list[int]]:
    staff = defaultdict(list)
    for agency_id, user_id in Membership.objects.filter(
        agency_id__in=list(agency_ids), is_active=True, is_staff_member=True, user__is_active=True
    ).values_list("agency_id", "user_id"):
        staff[agency_id].append(user_id)
    return staff


def rounds_due(today: date):
    """Staff of every agency with a plan for the year, ``REMINDER_ROUND_DAYS`` before each round (31 March,
    30 September), once per round."""
    year = fiscal_year(today)
    window = settings.REMINDER_ROUND_DAYS
    due = [r for r in (half_year_end(year), fiscal_year_range(year)[1]) if 0 <= (r - today).days <= window]
    if not due:
        return
    plans = list(MeasurePlan.objects.filter(fiscal_year=year).select_related("agency"))
    staff = _staff_by_agency({p.agency_id for p in plans})
    for plan in plans:
        for day in due:
            with _digits(plan.agency):
                when = format_date(day)
            yield Reminder(
                kind="progress_round_due",
                key=f"progress_round:{plan.pk}:{day.isoformat()}",
                recipients=staff[plan.agency_id],
                title=f"[ITA Tracker] รายงานความก้าวหน้ามาตรการภายในวันที่ {when}",
                body=f"{plan.title}\nรายงานความก้าวหน้าของมาตรการภายในวันที่ {when}",
                url=_site(plan.get_absolute_url()),
            )


def _owners(measures) -> dict[int, list[int]]:
    """Each measure's responsible people, or the staff of its agency when it names none."""
    named = defaultdict(list)
    for measure_id, user_id in Measure.responsible_people.through.objects.filter(
        measure_id__in=[m.pk for m in measures], membership__is_active=True
    ).values_list("measure_id", "membership__user_id"):
        named[measure_id].append(user_id)
    staff = _staff_by_agency({m.plan.agency_id for m in measures})
    return {m.pk: named[m.pk] or staff[m.plan.agency_id] for m in measures}


def _open_measures(today: date):
    return Measure.objects.filter(plan__fiscal_year__gte=fiscal_year(today) - 1, starts__lte=today).exclude(
        status__in=CLOSED
    )


def steps_overdue(today: date):
    """The owners of a measure with steps past their end date and not done, weekly."""
    late = defaultdict(int)
    for measure_id in MeasureStep.objects.filter(
        measure__in=_open_measures(today), ends__lt=today, completed_on__isnull=True
    ).values_list("measure_id", flat=True):
        late[measure_id] += 1
    measures = list(Measure.objects.filter(pk__in=list(late)).select_related("plan__agency"))
    owners = _owners(measures)
    for measure in measures:
        with _digits(measure.plan.agency):
            count, label = _count(late[measure.pk]), _measure_label(measure)
        yield Reminder(
            kind="steps_overdue",
            key=f"steps_overdue:{measure.pk}",
            recipients=owners[measure.pk],
            title=f"[ITA Tracker] ขั้นตอนเลยกำหนด {count} ขั้นตอน: {label}",
            body=f"{measure.title}\nมีขั้นตอนที่เลยวันสิ้นสุดแล้วแต่ยังไม่เสร็จ {count} ขั้นตอน",
            url=_site(measure.get_absolute_url()),
            repeat_days=7,
        )


def measures_stale(today: date):
    """The owners of a running measure with no progress recorded for ``REMINDER_STALE_DAYS`` days, again every
    as many days."""
    days = settings.REMINDER_STALE_DAYS
    since = today - timedelta(days=days)
    measures = list(
        _open_measures(today)
        .filter(starts__lte=since)
        .annotate(last=Max("updates__reported_on"))
        .filter(Q(last__isnull=True) | Q(last__lte=since))
        .select_related("plan__agency")
    )
    owners = _owners(measures)
    for measure in measures:
        with _digits(measure.plan.agency):
            count, label = _count(days), _measure_label(measure)
        yield Reminder(
            kind="measure_stale",
            key=f"measure_stale:{measure.pk}",
            recipients=owners[measure.pk],
            title=f"[ITA Tracker] ไม่มีการรายงานความก้าวหน้า {count} วัน: {label}",
            body=f"{measure.title}\nยังไม่มีการรายงานความก้าวหน้ามาแล้วอย่างน้อย {count} วัน",
            url=_site(measure.get_absolute_url()),
            repeat_days=days,
        )


def _count(value: int) -> str:
    return thai_digits(value) if use_thai_digits() else str(value)


def _measure_label(measure) -> str:
    """ "(๔) its title, shortened between words… (ปี ๒๕๖๙)": measures of the same name in this and last year's
    plans gave two notifications with one title, and a title cut at 80 characters ended mid-word."""
    return f"({_count(measure.number)}) {shorten(measure.title, 70)} (ปี {_count(measure.plan.fiscal_year)})"


def register() -> None:
    for kind in KINDS:
        register_kind(kind)
    register_reminder("progress_round_due", rounds_due)
    register_reminder("steps_overdue", steps_overdue)
    register_reminder("measure_stale", measures_stale)
    register_reminder("oit_items", oit_reminder_source)
