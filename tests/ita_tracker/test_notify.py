"""The notification dispatcher: after commit, through every channel, retried on the queue, never into a request."""

import logging

import pytest
from django.core import mail

from ita_tracker import notify, worker
from ita_tracker.models import Notification
from tests.factories import UserFactory


@pytest.fixture
def flaky_channel():
    """A channel that fails ``failures`` times, then works; removed afterwards."""
    state = {"failures": 0, "calls": 0, "sent": []}

    def send(message):
        state["calls"] += 1
        if state["calls"] <= state["failures"]:
            raise ConnectionError("the gateway is down")
        state["sent"].append(message)

    notify.register_channel("flaky", send)
    yield state
    notify._channels.pop("flaky", None)


@pytest.mark.django_db
def test_a_subject_with_line_breaks_is_sent_on_one_line_in_app_and_by_mail(django_capture_on_commit_callbacks):
    person = UserFactory(email="head@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        notify.notify(
            kind="memo_waiting",
            recipients=[person],
            title="บันทึกรอท่านพิจารณา: รายงาน\r\nBcc: everyone@example.org",
            body="เปิดบันทึก",
            url="/reports/memos/1/",
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "บันทึกรอท่านพิจารณา: รายงาน Bcc: everyone@example.org"
    assert mail.outbox[0].to == ["head@example.org"] and mail.outbox[0].bcc == []
    note = Notification.objects.get(recipient=person)
    assert note.title == mail.outbox[0].subject and note.url == "/reports/memos/1/" and note.read_at is None


@pytest.mark.django_db
def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify.notify(kind="x", recipients=[UserFactory()], title="t")
    assert len(callbacks) == 3  # in-app, mail and LINE, waiting for the commit
    assert mail.outbox == [] and not Notification.objects.exists()


@pytest.mark.django_db
def test_a_failing_channel_is_logged_and_never_reaches_the_caller(
    flaky_channel, caplog, django_capture_on_commit_callbacks
):
    flaky_channel["failures"] = 99
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        notify.notify(kind="memo_returned", recipients=[UserFactory()], title="t", channels=["flaky", "inapp"])
    assert "memo_returned via flaky not delivered" in caplog.text
    assert Notification.objects.count() == 1  # the other channel is not held up


@pytest.mark.django_db
def test_celery_retries_a_delivery_and_logs_when_it_gives_up(flaky_channel, caplog):
    from ita_tracker.tasks import deliver

    person = UserFactory()
    message = {"kind": "memo_waiting", "recipients": [person.pk], "title": "t", "body": "", "url": ""}
    flaky_channel["failures"] = 2
    deliver.apply(args=["flaky", message])  # eager: the retries run at once
    assert flaky_channel["calls"] == 3 and len(flaky_channel["sent"]) == 1

    flaky_channel.update(failures=99, calls=0)
    with caplog.at_level(logging.ERROR):
        deliver.apply(args=["flaky", message])
    assert flaky_channel["calls"] == notify.MAX_ATTEMPTS
    assert "not delivered" in caplog.text


@pytest.mark.django_db
def test_the_embedded_worker_retries_a_delivery_later(flaky_channel):
    flaky_channel["failures"] = 1
    message = {"kind": "k", "recipients": [UserFactory().pk], "title": "t", "body": "", "url": ""}
    worker.defer_delivery("flaky", message)
    assert worker.work_once()  # fails, and is put back with a pause
    assert flaky_channel["sent"] == [] and len(worker._calls) == 1
    assert worker._calls[0][0] > 0 and worker._calls[0][4] == 1
    worker._calls[:] = [(0.0, *worker._calls[0][1:])]  # the pause is over
    assert worker.work_once()
    assert flaky_channel["sent"] == [message] and worker._calls == []


def test_a_new_channel_is_one_module_and_one_registration_line():
    assert {"inapp", "mail"} <= set(notify.channels())


@pytest.mark.django_db
def test_the_notification_list_shows_only_my_notifications_and_opens_them(client):
    me, other = UserFactory(), UserFactory()
    mine = Notification.objects.create(recipient=me, kind="k", title="บันทึกของฉัน", url="/measures/")
    Notification.objects.create(recipient=other, kind="k", title="ของคนอื่น")
    client.force_login(me)
    page = client.get("/notifications/").content.decode()
    assert "บันทึกของฉัน" in page and "ของคนอื่น" not in page
    response = client.post(f"/notifications/{mine.pk}/open/")
    assert response.status_code == 302 and response.url == "/measures/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    evil = Notification.objects.create(recipient=me, kind="k", title="x", url="https://evil.example/phish")
    assert client.post(f"/notifications/{evil.pk}/open/").url == "/phish"
