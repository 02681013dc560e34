"""The embedded worker of ``JOBS_BACKEND=embedded`` (``make run``): one daemon thread in the development server.

Why a thread with the database as queue (see ``ita_tracker.jobs``): ``make run`` must run every feature with
nothing but Python and SQLite. The ``Job`` table already holds each job's state, so the thread takes the oldest
queued job by a conditional update (two threads never take the same one), and a job left queued, or cut off
while running, when the server stopped is taken up when it starts again. Notifications wait in memory with
their retries: in development a lost mail on restart is acceptable; in production Celery holds them.
Once a day (from ``REMINDERS_HOUR``) the same thread runs the daily reminders, as Celery beat does in production.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time

from django.db import close_old_connections

from ita_tracker.models import Job

logger = logging.getLogger(__name__)

POLL_SECONDS = 2.0
CLEAR_EVERY_SECONDS = 600.0

_wake = threading.Event()
_stop = threading.Event()
_lock = threading.Lock()
_thread: threading.Thread | None = None
_calls: list[tuple[float, int, str, dict, int]] = []  # (not before, order, channel, message, attempt)
_order = itertools.count()


def running() -> bool:
    return _thread is not None and _thread.is_alive()


def wake() -> None:
    _wake.set()


def defer_delivery(channel: str, message: dict, attempt: int = 0, delay: float = 0.0) -> None:
    with _lock:
        heapq.heappush(_calls, (time.monotonic() + delay, next(_order), channel, message, attempt))
    _wake.set()


def requeue_interrupted() -> int:
    """Jobs that were running when the previous server stopped start again."""
    # A batch's parent is never queued: its children are (ita_tracker.batches).
    return Job.objects.filter(status=Job.Status.RUNNING, child_count=0).update(status=Job.Status.QUEUED, progress=0)


def claim_next() -> int | None:
    """The oldest queued job, taken by a conditional update so that it is run once."""
    for pk in (
        Job.objects.filter(status=Job.Status.QUEUED).order_by("created_at", "pk").values_list("pk", flat=True)[:5]
    ):
        if Job.objects.filter(pk=pk, status=Job.Status.QUEUED).update(status=Job.Status.RUNNING):
            return pk
    return None


def _due_delivery():
    with _lock:
        if _calls and _calls[0][0] <= time.monotonic():
            return heapq.heappop(_calls)
    return None


def _deliver_one(item) -> None:
    from ita_tracker import notify

    _when, _n, channel, message, attempt = item
    try:
        notify.deliver(channel, message)
    except Exception as exc:
        if attempt + 1 >= notify.MAX_ATTEMPTS:
            logger.error("notification %s via %s not delivered: %s", message.get("kind"), channel, exc)
        else:
            defer_delivery(channel, message, attempt + 1, notify.retry_delay(attempt))


def work_once() -> bool:
    """Deliver one due notification or run one queued job; False when there was nothing to do."""
    from ita_tracker.jobs import job_run

    item = _due_delivery()
    if item is not None:
        _deliver_one(item)
        return True
    pk = claim_next()
    if pk is None:
        return False
    job_run(pk, reraise=False)
    return True


_reminded_on = None  # the day the daily reminders last ran in this process


def reminders_due(now=None) -> bool:
    """Once a day, from ``REMINDERS_HOUR`` local time (the sent-log also keeps a restart from sending twice)."""
    from django.conf import settings
    from django.utils import timezone

    now = timezone.localtime(now)
    return _reminded_on != now.date() and now.hour >= settings.REMINDERS_HOUR


def run_reminders_if_due(now=None) -> bool:
    global _reminded_on
    if not reminders_due(now):
        return False
    from django.utils import timezone

    from ita_tracker.reminders import send_reminders

    _reminded_on = timezone.localtime(now).date()
    send_reminders(today=_reminded_on)
    return True


def _loop() -> None:
    from ita_tracker.housekeeping import housekeeping_run
    from ita_tracker.jobs import jobs_clear_expired

    try:
        close_old_connections()
        taken = requeue_interrupted()
        if taken:
            logger.warning("embedded worker: %s interrupted job(s) queued again", taken)
    except Exception:
        logger.exception("embedded worker: could not read the job table")
    last_clear = 0.0
    while not _stop.is_set():
        _wake.clear()
        busy = False
        try:
            close_old_connections()
            if time.monotonic() - last_clear > CLEAR_EVERY_SECONDS:
                jobs_clear_expired()
                housekeeping_run()
                last_clear = time.monotonic()
            run_reminders_if_due()
            busy = work_once()
        except Exception:  # the worker must outlive any one job or a database hiccup
            logger.exception("embedded worker: error")
        finally:
            close_old_connections()
        if not busy:
            _wake.wait(POLL_SECONDS)


def start() -> threading.Thread:
    """Start the worker thread once per process (the development server calls this)."""
    global _thread
    if not running():
        _stop.clear()
        _thread = threading.Thread(target=_loop, name="ita-embedded-worker", daemon=True)
        _thread.start()
    return _thread


def stop(timeout: float = 10.0) -> None:
    """Stop the thread after its current job (tests; the server itself just exits, the thread being a daemon)."""
    _stop.set()
    _wake.set()
    if _thread is not None:
        _thread.join(timeout)
