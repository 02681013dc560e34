"""The memo notifications people choose how to receive, and the daily reminder of memos left waiting.

Registered in ``ReportsConfig.ready()`` (``ita_tracker.notify.register_kind``, ``ita_tracker.reminders``)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ita_tracker.notify import NotificationKind, register_kind
from ita_tracker.reminders import Reminder, register_reminder
from ita_tracker.thai import digit_style, shorten
from reports.models import Memo, MemoStep
from reports.services import _memo_url

KINDS = (
    NotificationKind("memo_waiting", _("บันทึกรอท่านพิจารณา")),
    NotificationKind("memo_waiting_reminder", _("เตือนบันทึกที่รอท่านพิจารณาหลายวัน")),
    NotificationKind("memo_returned", _("บันทึกของท่านถูกส่งคืนแก้ไข")),
    NotificationKind("memo_approved", _("บันทึกของท่านได้รับอนุมัติ")),
    NotificationKind("memo_comment", _("ความเห็นต่อบันทึกของท่าน")),
)


def memos_waiting(today: date):
    """Approvers of a memo that has waited at their step ``REMINDER_WAITING_DAYS`` or more, again every as many
    days. Waiting since: the memo's last event (the move that brought it to this step)."""
    days = settings.REMINDER_WAITING_DAYS
    cutoff = timezone.make_aware(datetime.combine(today - timedelta(days=days - 1), time.min))
    memos = (
        Memo.objects.filter(status=Memo.Status.PENDING)
        .annotate(waiting_since=Max("events__created_at"))
        .filter(waiting_since__lt=cutoff)
        .select_related("agency")
    )
    memos = {m.pk: m for m in memos}
    steps = MemoStep.objects.filter(memo_id__in=list(memos)).prefetch_related(
        "approvers__user", "acting_approvers__user"
    )
    for step in steps:
        memo = memos[step.memo_id]
        if step.order != memo.current_step:
            continue
        people = [m.user for m in [*step.approvers.all(), *step.acting_approvers.all()] if m.is_active]
        waited = (today - timezone.localtime(memo.waiting_since).date()).days
        with digit_style("thai" if memo.agency.use_thai_digits else "arabic"):
            body = render_to_string(
                "reports/email/memo_waiting_reminder.txt", {"memo": memo, "days": waited, "url": _memo_url(memo)}
            )
        yield Reminder(
            kind="memo_waiting_reminder",
            key=f"memo_waiting:{memo.pk}:{step.order}",
            recipients=[p for p in people if p.pk != memo.author_id],
            title=f"[ITA Tracker] เตือน: บันทึกรอท่านพิจารณา {shorten(memo.subject, 80)}",
            body=body,
            url=_memo_url(memo),
            repeat_days=days,
        )


def register() -> None:
    for kind in KINDS:
        register_kind(kind)
    register_reminder("memo_waiting", memos_waiting)
