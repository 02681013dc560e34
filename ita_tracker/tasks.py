"""Celery tasks. They only call ``ita_tracker.jobs`` and ``ita_tracker.notify`` functions on a worker; settings
make them acknowledged after they finish, requeued when their worker dies, and stopped at a time limit."""

import logging

from celery import shared_task

from ita_tracker import jobs, notify
from ita_tracker.housekeeping import housekeeping_run

logger = logging.getLogger(__name__)


@shared_task(name="ita_tracker.run_job")
def run_job(job_id: int) -> None:
    jobs.job_run(job_id)
    jobs.jobs_clear_expired()
    housekeeping_run()  # at most once an hour in the whole installation (a lock in the shared cache)


@shared_task(bind=True, name="ita_tracker.deliver", max_retries=notify.MAX_ATTEMPTS - 1, acks_late=True)
def deliver(self, channel: str, message: dict) -> None:
    """One notification through one channel; retried with growing pauses, logged when it gives up."""
    try:
        notify.deliver(channel, message)
    except Exception as exc:
        if self.request.retries >= self.max_retries:
            logger.error("notification %s via %s not delivered: %s", message.get("kind"), channel, exc)
            return
        raise self.retry(exc=exc, countdown=notify.retry_delay(self.request.retries)) from exc


@shared_task(name="ita_tracker.send_reminders")
def send_reminders() -> dict:
    """The daily reminders and digests (``CELERY_BEAT_SCHEDULE``); idempotent per day."""
    from ita_tracker.reminders import send_reminders as run

    return run()


@shared_task(name="ita_tracker.send_digests")
def send_digests() -> int:
    """The daily digest mails (idempotent: each row is mailed once)."""
    from ita_tracker.reminders import send_digests as run

    return run()
