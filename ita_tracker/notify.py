"""Notifications: one call, many channels.

    notify(kind="memo_waiting", recipients=[user, ...], title="...", body="...", url="https://...")

``notify`` records nothing and sends nothing in the request: once the transaction commits, each channel's
delivery goes onto the job queue (Celery in production, the embedded worker under ``make run``), where it is
retried ``MAX_ATTEMPTS`` times with growing pauses and logged when it gives up. A failure never reaches the
request, and no channel is ever called with ``fail_silently``.

Each person chooses, per registered kind (``register_kind`` in an app's ``ready()``), how to hear of it
(``ita_tracker.models.Delivery``: now, in-app only, daily digest, off); the channels read that choice when they
send (``wanting``), so callers never do.

Channels are registered by name: ``inapp`` (a ``Notification`` row, read in the application) and ``mail``
(``ita_tracker.channels``). A new channel is one module with ``send(message)`` and one registration line,
``register_channel("line", line.send)``, in an ``AppConfig.ready()``; ``settings.NOTIFY_CHANNELS`` lists the
channels used when a call names none. ``message`` is plain JSON (it travels through the broker):
``{"kind", "recipients": [user ids], "title", "body", "url"}``; channels read the people again when they send.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
TITLE_MAX = 200

_channels: dict[str, Callable[[dict], None]] = {}
_kinds: dict[str, NotificationKind] = {}

# Channels that deliver "now" (the person chose mail/LINE for the kind); "inapp" serves every choice but "off".
IMMEDIATE = "now"


@dataclass(frozen=True)
class NotificationKind:
    """A kind of notification people may choose how to receive (the preferences page lists them)."""

    name: str
    label: str
    default: str = IMMEDIATE  # a ``Delivery`` value
    group: str = ""


def register_kind(kind: NotificationKind) -> None:
    """Called from an app's ``ready()``, like ``register_job_kind``."""
    _kinds[kind.name] = kind


def kinds() -> list[NotificationKind]:
    return list(_kinds.values())


def deliveries(kind: str, user_ids) -> dict[int, str]:
    """Each active recipient's choice for ``kind`` (one query each for people and preferences)."""
    from django.contrib.auth import get_user_model

    from ita_tracker.models import NotificationPreference

    ids = list(get_user_model().objects.filter(pk__in=list(user_ids), is_active=True).values_list("pk", flat=True))
    default = _kinds[kind].default if kind in _kinds else IMMEDIATE
    chosen = dict(NotificationPreference.objects.filter(kind=kind, user_id__in=ids).values_list("user_id", "delivery"))
    return {pk: chosen.get(pk, default) for pk in ids}


def wanting(message: dict, *choices: str) -> list[int]:
    """The recipients of ``message`` whose choice for its kind is one of ``choices``, in id order."""
    return sorted(pk for pk, choice in deliveries(message["kind"], message["recipients"]).items() if choice in choices)


def register_channel(name: str, send: Callable[[dict], None]) -> None:
    _channels[name] = send


def channels() -> list[str]:
    return list(_channels)


def register_builtin_channels() -> None:
    from ita_tracker.channels import inapp, mail

    register_channel("inapp", inapp.send)
    register_channel("mail", mail.send)


def single_line(text: str, limit: int = TITLE_MAX) -> str:
    """A subject on one line: line breaks (which make ``BadHeaderError`` in mail) become spaces."""
    return " ".join(str(text).split())[:limit]


def retry_delay(attempt: int) -> float:
    """Seconds before the next attempt: 30 s, 2 min, 8 min."""
    return 30.0 * (4**attempt)


def deliver(channel: str, message: dict) -> None:
    """Send one message through one channel, now (on a worker). Raises on failure, so the queue retries."""
    _channels[channel](message)


def _deliver_logged(channel: str, message: dict) -> None:
    try:
        deliver(channel, message)
    except Exception:
        logger.exception("notification %s via %s not delivered", message.get("kind"), channel)


def _dispatch(channel: str, message: dict) -> None:
    backend = settings.JOBS_BACKEND
    if backend == "celery":
        from ita_tracker.tasks import deliver as deliver_task

        try:
            deliver_task.apply_async(args=[channel, message], retry=False)
            return
        except Exception as exc:
            logger.error("notification queue unavailable (%s): sending %s via %s now", exc, message["kind"], channel)
    elif backend == "embedded":
        from ita_tracker import worker

        if worker.running():
            worker.defer_delivery(channel, message)
            return
    _deliver_logged(channel, message)


def notify(
    *,
    kind: str,
    recipients: Iterable,
    title: str,
    body: str = "",
    url: str = "",
    channels: Iterable[str] | None = None,
) -> None:
    """Tell ``recipients`` (users) something, through ``channels`` (default ``settings.NOTIFY_CHANNELS``), after
    the current transaction commits. Never raises into the caller for a delivery problem."""
    ids = sorted({getattr(r, "pk", r) for r in recipients if r is not None})
    if not ids:
        return
    message = {"kind": kind, "recipients": ids, "title": single_line(title), "body": str(body), "url": str(url)}
    names = [c for c in (channels if channels is not None else settings.NOTIFY_CHANNELS) if c in _channels]
    for name in names:
        transaction.on_commit(lambda name=name: _dispatch(name, message))
