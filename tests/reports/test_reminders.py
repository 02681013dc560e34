"""The daily reminders with a fixed clock: who gets what, in the application and by mail, each person's choice
(now, in-app, digest, off) respected, and a second run the same day sending nothing."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from assessments.models import FrameworkEdition
from ita_tracker import notify
from ita_tracker.models import Delivery, Notification, NotificationPreference, ReminderLog
from ita_tracker.thai import shorten, thai_digits
from measures.models import ProgressUpdate, Status
from measures.services import StepSpec, measure_create, plan_create
from reports.models import Memo, MemoEvent
from reports.services import memo_create
from reports.workflow import memo_transition
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 20)  # fiscal year 2569: the 6-month round (31 March 2026) is 11 days away


def at(day: date, hour: int = 10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def calendar():
    """This year's OIT deadline five days ahead; every other date of the two editions cleared."""
    cleared = {
        f: None
        for f in (
            "registration_starts",
            "registration_ends",
            "oit_deadline",
            "survey_starts",
            "survey_ends",
            "results_date",
        )
    }
    FrameworkEdition.objects.filter(fiscal_year__in=[2569, 2570]).update(**cleared)
    FrameworkEdition.objects.filter(fiscal_year=2569).update(oit_deadline=date(2026, 3, 25))


@pytest.fixture
def world(agency_a, office, chain, approvers, author, calendar):
    head, palat, _mayor = approvers
    memo = memo_create(
        agency=agency_a,
        author=author,
        fields={"kind": "free", "department": office, "chain": chain, "subject": "รายงานผล", "addressee": "นายก"},
    )
    memo = memo_transition(memo=memo, action=Memo.Action.SUBMIT, by=author)
    MemoEvent.objects.filter(memo=memo).update(created_at=at(date(2026, 3, 15)))  # waiting five days

    owner = MembershipFactory(agency=agency_a, department=office, position_title="นักวิชาการ")
    digester = MembershipFactory(agency=agency_a, department=office, position_title="นิติกร")
    bystander = MembershipFactory(agency=agency_a, department=office, is_staff_member=False, is_viewer=True)
    plan = plan_create(agency=agency_a, fiscal_year=2569)
    fields = {"title": "เปิดเผยข้อมูลการจัดซื้อจัดจ้าง", "starts": date(2025, 10, 1), "ends": date(2026, 9, 30)}
    late = measure_create(
        plan=plan,
        fields=fields,
        departments=[office],
        responsible_people=[owner, digester],
        steps=[StepSpec(title="ประกาศแผน", ends=date(2026, 3, 1)), StepSpec(title="รายงาน", ends=date(2026, 9, 1))],
    )
    fresh = measure_create(
        plan=plan, fields={**fields, "title": "คู่มือการปฏิบัติงาน"}, departments=[office], responsible_people=[owner]
    )
    ProgressUpdate.objects.create(
        measure=fresh, reported_on=date(2026, 3, 10), status=Status.IN_PROGRESS, percent=40, created_by=owner.user
    )
    NotificationPreference.objects.create(user=digester.user, kind="steps_overdue", delivery=Delivery.OFF)
    NotificationPreference.objects.create(user=digester.user, kind="measure_stale", delivery=Delivery.DIGEST)
    return {
        "memo": memo,
        "head": head.user,
        "palat": palat.user,
        "author": author,
        "owner": owner.user,
        "digester": digester.user,
        "bystander": bystander.user,
        "late": late,
        "fresh": fresh,
    }


def kinds_of(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def mails_to(user, containing: str = "") -> list:
    return [m for m in mail.outbox if user.email in m.to and containing in m.subject]


def test_daily_reminders_reach_the_right_people_by_their_chosen_way(world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--today", TODAY.isoformat())

    # The approver at the memo's step, waiting five days (more than REMINDER_WAITING_DAYS = 3).
    assert "memo_waiting_reminder" in kinds_of(world["head"])
    assert "memo_waiting_reminder" not in kinds_of(world["palat"])  # the memo is not at their step yet
    reminder = mails_to(world["head"], "เตือน: บันทึกรอท่านพิจารณา")
    assert len(reminder) == 1 and "๕ วัน" in reminder[0].body and "รายงานผล" in reminder[0].subject

    # The measure's owner: steps overdue and no progress for 30 days, in the application and by mail.
    owner = world["owner"]
    assert kinds_of(owner).count("steps_overdue") == 1  # the late measure only; the fresh one has no late step
    assert kinds_of(owner).count("measure_stale") == 1  # the fresh measure was updated ten days ago
    assert "progress_round_due" in kinds_of(owner)
    assert len(mails_to(owner, "ขั้นตอนเลยกำหนด ๑ ขั้นตอน")) == 1
    # Named by number, title and plan year: measures of one name in two years' plans are told apart.
    late = Notification.objects.get(recipient=owner, kind="steps_overdue")
    assert late.title.endswith(f"({thai_digits(world['late'].number)}) เปิดเผยข้อมูลการจัดซื้อจัดจ้าง (ปี ๒๕๖๙)")
    round_mail = mails_to(owner, "รายงานความก้าวหน้ามาตรการภายในวันที่")
    assert len(round_mail) == 1 and "๓๑ มีนาคม ๒๕๖๙" in round_mail[0].subject

    # The person who turned "steps overdue" off and takes "no progress" as a digest.
    digester = world["digester"]
    assert "steps_overdue" not in kinds_of(digester)
    assert not mails_to(digester, "ขั้นตอนเลยกำหนด") and not mails_to(digester, "ไม่มีการรายงานความก้าวหน้า")
    stale = Notification.objects.get(recipient=digester, kind="measure_stale")
    assert stale.in_digest and stale.digested_at is not None
    digest = mails_to(digester, "สรุปการแจ้งเตือนประจำวัน")
    assert len(digest) == 1 and stale.title in digest[0].body
    assert not mails_to(owner, "สรุปการแจ้งเตือนประจำวัน")  # nobody else chose a digest

    # Coordinators hear of the OIT deadline; a viewer hears of nothing.
    assert "cycle_deadline" in kinds_of(world["author"])
    deadline = mails_to(world["author"], "วันสุดท้ายของการเผยแพร่ข้อมูล OIT")
    assert len(deadline) == 1 and "ITA ๒๕๖๙" in deadline[0].subject and "๒๕ มีนาคม ๒๕๖๙" in deadline[0].subject
    assert kinds_of(world["bystander"]) == []


def test_a_second_run_the_same_day_sends_nothing_and_repeats_follow_their_interval(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--today", TODAY.isoformat())
    notes, mails, logs = Notification.objects.count(), len(mail.outbox), ReminderLog.objects.count()
    assert notes > 0 and logs > 0
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--today", TODAY.isoformat())
    assert (Notification.objects.count(), len(mail.outbox), ReminderLog.objects.count()) == (notes, mails, logs)

    # Three days later the memo (still waiting) reminds again; the round and the deadline do not, overdue steps
    # wait a week.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--today", date(2026, 3, 23).isoformat())
    assert kinds_of(world["head"]).count("memo_waiting_reminder") == 2
    assert kinds_of(world["owner"]).count("steps_overdue") == 1
    assert kinds_of(world["owner"]).count("progress_round_due") == 1
    assert kinds_of(world["author"]).count("cycle_deadline") == 1


def test_nothing_is_due_far_from_any_deadline(world, django_capture_on_commit_callbacks):
    world["late"].steps.update(completed_on=date(2026, 2, 1))
    ProgressUpdate.objects.create(
        measure=world["late"],
        reported_on=date(2026, 3, 1),
        status=Status.IN_PROGRESS,
        percent=50,
        created_by=world["owner"],
    )
    Memo.objects.filter(pk=world["memo"].pk).update(status=Memo.Status.APPROVED, current_step=None)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--today", "2026-03-05")  # round 26 days away, OIT deadline 20 days
    assert Notification.objects.count() == 0 and mail.outbox == []


def test_the_author_hears_of_comments_and_the_approval_in_app_and_by_mail(
    agency_a, office, chain, approvers, author, django_capture_on_commit_callbacks
):
    head, palat, mayor = approvers
    memo = memo_create(
        agency=agency_a,
        author=author,
        fields={"kind": "free", "department": office, "chain": chain, "subject": "ขออนุมัติ", "addressee": "นายก"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        memo = memo_transition(memo=memo, action=Memo.Action.SUBMIT, by=author)
        memo = memo_transition(memo=memo, action=Memo.Action.AGREE, by=head.user, step=1)  # no comment: silent
        memo = memo_transition(memo=memo, action=Memo.Action.AGREE, by=palat.user, step=2, comment="เห็นควรอนุมัติ")
    assert kinds_of(author) == ["memo_comment"]
    assert "เห็นควรอนุมัติ" in mails_to(author, "มีความเห็นต่อบันทึก")[0].body
    NotificationPreference.objects.create(user=author, kind="memo_approved", delivery=Delivery.INAPP)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        memo_transition(memo=memo, action=Memo.Action.APPROVE, by=mayor.user, step=3)
    assert kinds_of(author) == ["memo_approved", "memo_comment"]
    assert mails_to(author) == []  # in-app only, by the author's choice


def test_the_notification_list_counts_unread_and_marks_read(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--today", TODAY.isoformat())
    owner = world["owner"]
    unread = Notification.objects.filter(recipient=owner, read_at__isnull=True).count()
    assert unread == 3
    client.force_login(owner)
    page = client.get("/notifications/").content.decode()
    assert 'data-unread="3"' in page and "๓" in page
    first = Notification.objects.filter(recipient=owner).first()
    client.post(f"/notifications/{first.pk}/read/")
    assert 'data-unread="2"' in client.get("/notifications/").content.decode()
    other = Notification.objects.filter(recipient=world["head"]).first()
    assert client.post(f"/notifications/{other.pk}/read/").status_code == 404  # another person's
    client.post("/notifications/read-all/")
    assert Notification.objects.filter(recipient=owner, read_at__isnull=True).count() == 0
    assert "data-unread" not in client.get("/notifications/").content.decode()
    assert Notification.objects.filter(recipient=world["head"], read_at__isnull=True).exists()


def test_the_settings_page_stores_each_choice_and_the_line_id(client, world):
    owner = world["owner"]
    client.force_login(owner)
    page = client.get("/notifications/settings/").content.decode()
    assert "ขั้นตอนของมาตรการเลยกำหนด" in page and "บันทึกรอท่านพิจารณา" in page
    bad = client.post("/notifications/settings/", {"kind_steps_overdue": "off", "line_user_id": "me-on-line"})
    assert "LINE user ID ขึ้นต้นด้วย U" in bad.content.decode()
    assert not NotificationPreference.objects.filter(user=owner).exists()  # nothing half-saved
    data = {f"kind_{k.name}": k.default for k in notify.kinds()}
    data.update({"kind_steps_overdue": "off", "kind_measure_stale": "digest", "line_user_id": "U" + "a" * 32})
    response = client.post("/notifications/settings/", data)
    assert response.status_code == 302
    chosen = dict(NotificationPreference.objects.filter(user=owner).values_list("kind", "delivery"))
    assert chosen["steps_overdue"] == "off" and chosen["measure_stale"] == "digest"
    assert owner.line_link.line_user_id == "U" + "a" * 32


def test_a_long_title_is_shortened_between_words_and_says_it_goes_on():
    title = "รายงานผลการดำเนินงานตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ"
    assert shorten(title, 200) == title
    short = shorten(title, 80)
    assert short.endswith("…") and len(short) <= 80
    assert title.startswith(short[:-1]) and short[:-1].rstrip().endswith("ประจำ")  # not "ประจ" nor "ปร"
    assert shorten("x" * 100, 10) == "x" * 9 + "…"  # one word longer than the room is cut inside it
