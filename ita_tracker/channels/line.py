"""The LINE channel: a push message through the LINE Messaging API (LINE Notify closed in 2025).

Each agency that wants it turns it on with its LINE Official Account's channel access token (stored on the
agency's settings); each person links their LINE user id on their notification settings page. The foundation
knows no agencies, so the agencies app tells this module which token reaches whom (``set_token_source``).
``settings.LINE_API_BASE`` is the API's address: tests point it at a fake server on loopback.

Registered as ``notify.register_channel("line", line.send)``; add ``line`` to ``NOTIFY_CHANNELS`` to use it.
Only the people who want the kind "now" get it, as with mail.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable, Iterable

from django.conf import settings

from ita_tracker.models import Delivery, LineLink
from ita_tracker.notify import wanting

PUSH_PATH = "/v2/bot/message/push"
TEXT_MAX = 5000  # the Messaging API's limit for one text message

# user ids → [(channel access token, [user ids])], given by the agencies app.
_token_source: Callable[[list[int]], Iterable[tuple[str, list[int]]]] | None = None


def set_token_source(source: Callable[[list[int]], Iterable[tuple[str, list[int]]]]) -> None:
    global _token_source
    _token_source = source


def text_of(message: dict) -> str:
    parts = [message["title"], message.get("url", "")]
    return "\n".join(p for p in parts if p)[:TEXT_MAX]


def push(token: str, to: str, text: str) -> None:
    """One push message; raises (``urllib.error.URLError``/``HTTPError``) on failure so the queue retries."""
    body = json.dumps({"to": to, "messages": [{"type": "text", "text": text}]}).encode()
    request = urllib.request.Request(
        settings.LINE_API_BASE.rstrip("/") + PUSH_PATH,
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=settings.LINE_TIMEOUT_SECONDS) as response:
        response.read()


def send(message: dict) -> None:
    if _token_source is None:
        return
    links = dict(
        LineLink.objects.filter(user_id__in=wanting(message, Delivery.NOW)).values_list("user_id", "line_user_id")
    )
    if not links:
        return
    text = text_of(message)
    for token, user_ids in _token_source(sorted(links)):
        for user_id in user_ids:
            push(token, links[user_id], text)
