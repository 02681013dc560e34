"""The LINE channel against a fake LINE Messaging API on loopback (never the real one): the request's path,
its bearer token (the agency's), its JSON body; nothing for people who chose otherwise or have no LINE id."""

from __future__ import annotations

import json
import threading
import urllib.error
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import connection

from ita_tracker import notify
from ita_tracker.models import Delivery, LineLink, NotificationPreference
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

LINE_ID = "U" + "0123456789abcdef" * 2


@pytest.fixture
def fake_line(settings):
    """A LINE push endpoint on 127.0.0.1 that records each request (and answers ``status``)."""
    seen: list[dict] = []
    state = {"status": 200}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            seen.append(
                {
                    "path": self.path,
                    "auth": self.headers["Authorization"],
                    "type": self.headers["Content-Type"],
                    "body": json.loads(self.rfile.read(length)),
                }
            )
            self.send_response(state["status"])
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.LINE_API_BASE = f"http://127.0.0.1:{server.server_port}"
    yield {"seen": seen, "state": state}
    server.shutdown()
    server.server_close()


@pytest.fixture
def linked(agency_a):
    agency_a.line_channel_token = "agency-a-channel-token"
    agency_a.save()
    member = MembershipFactory(agency=agency_a)
    LineLink.objects.create(user=member.user, line_user_id=LINE_ID)
    return member.user


def send(recipients, django_capture_on_commit_callbacks, kind="memo_returned"):
    with django_capture_on_commit_callbacks(execute=True):
        notify.notify(
            kind=kind,
            recipients=recipients,
            title="บันทึกถูกส่งคืนแก้ไข: รายงานผล",
            body="แก้ไขตามความเห็น",
            url="https://ita.example.go.th/reports/memos/7/",
            channels=["line"],
        )


def test_a_push_message_goes_to_the_linked_person_with_the_agency_token(
    fake_line, linked, django_capture_on_commit_callbacks
):
    send([linked], django_capture_on_commit_callbacks)
    assert len(fake_line["seen"]) == 1
    request = fake_line["seen"][0]
    assert request["path"] == "/v2/bot/message/push"
    assert request["auth"] == "Bearer agency-a-channel-token"
    assert request["type"] == "application/json"
    assert request["body"] == {
        "to": LINE_ID,
        "messages": [{"type": "text", "text": "บันทึกถูกส่งคืนแก้ไข: รายงานผล\nhttps://ita.example.go.th/reports/memos/7/"}],
    }


def test_nobody_is_pushed_who_chose_otherwise_has_no_line_id_or_whose_agency_has_no_token(
    fake_line, linked, agency_b, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=linked, kind="memo_returned", delivery=Delivery.DIGEST)
    unlinked = MembershipFactory(agency=linked.memberships.first().agency).user
    elsewhere = MembershipFactory(agency=agency_b).user  # agency B has not turned LINE on
    LineLink.objects.create(user=elsewhere, line_user_id="U" + "f" * 32)
    send([linked, unlinked, elsewhere], django_capture_on_commit_callbacks)
    assert fake_line["seen"] == []


def test_a_refused_push_raises_so_the_queue_retries(fake_line, linked):
    fake_line["state"]["status"] = 401
    message = {"kind": "memo_returned", "recipients": [linked.pk], "title": "t", "body": "", "url": ""}
    with pytest.raises(urllib.error.HTTPError):
        notify.deliver("line", message)
    assert len(fake_line["seen"]) == 1


def test_the_agency_admin_turns_line_on_and_the_token_is_never_shown_again(client, agency_a, admin_a):
    client.force_login(admin_a)
    url = f"/agencies/{agency_a.pk}/edit/"
    form = {"district": agency_a.district, "use_thai_digits": "on", "line_channel_token": "secret-token-1"}
    assert client.post(url, form).status_code == 302
    agency_a.refresh_from_db()
    assert agency_a.line_channel_token == "secret-token-1"
    assert "secret-token-1" not in client.get(url).content.decode()
    client.post(url, {**form, "line_channel_token": ""})  # blank keeps it
    agency_a.refresh_from_db()
    assert agency_a.line_channel_token == "secret-token-1"
    client.post(url, {**form, "line_channel_token": "", "line_off": "on"})
    agency_a.refresh_from_db()
    assert agency_a.line_channel_token == ""


def _stored_token(agency) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT line_channel_token FROM agencies_agency WHERE id = %s", [agency.pk])
        return cursor.fetchone()[0]


def test_the_token_is_stored_encrypted_and_still_reaches_line(
    fake_line, client, agency_a, admin_a, django_capture_on_commit_callbacks
):
    client.force_login(admin_a)
    url = f"/agencies/{agency_a.pk}/edit/"
    token = "Xy12" * 43  # a long-lived channel access token is about 172 characters
    form = {"district": agency_a.district, "use_thai_digits": "on", "line_channel_token": token}
    assert client.post(url, form).status_code == 302
    stored = _stored_token(agency_a)
    assert stored and token not in stored and "Xy12" not in stored
    page = client.get(url).content.decode()
    assert token not in page and stored not in page
    assert "บันทึก token ไว้แล้ว" in page
    member = MembershipFactory(agency=agency_a)
    LineLink.objects.create(user=member.user, line_user_id=LINE_ID)
    send([member.user], django_capture_on_commit_callbacks)
    assert [request["auth"] for request in fake_line["seen"]] == [f"Bearer {token}"]


def test_a_secret_key_rotated_with_a_fallback_still_reads_the_token(settings, agency_a):
    agency_a.line_channel_token = "token-before-rotation"
    agency_a.save()
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "k" * 50
    agency_a.refresh_from_db()
    assert agency_a.line_channel_token == "token-before-rotation"
    settings.SECRET_KEY_FALLBACKS = []
    agency_a.refresh_from_db()
    assert agency_a.line_channel_token == ""  # unreadable: LINE is off until the token is entered again
