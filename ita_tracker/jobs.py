"""Background jobs: long documents, multi-agency exports and large imports run outside the request.

The registry
    An app declares what a kind of job does in its ``AppConfig.ready()``::

        from ita_tracker.jobs import JobKind, register_job_kind
        register_job_kind(JobKind(name="agency_documents", label=_("..."), run=_agency_documents,
                                  may_access=_may_see_agency))

    ``run(job, progress)`` returns ``(file name, bytes)``, the result people download; ``may_access(user, job)``
    is asked again at every look and download (rights are checked at the moment of acting: a viewer removed from
    the agency gets a 404); ``discard(job)`` removes what the job was given (an uploaded file) when it fails or
    cannot start; exceptions in ``refusals`` carry a message for people and are shown as they are.

The queue (``settings.JOBS_BACKEND``)
    ``celery``   production: Celery with Redis. Why Celery rather than the django-tasks backport: a job whose
                 worker dies must be retried, not lost. With ``acks_late`` and ``reject_on_worker_lost`` Celery puts
                 the message back when the process running it dies, while django-tasks' database backend leaves such
                 a task "running" for ever (its issue #46). Workers may run on several machines.
    ``embedded`` ``make run``: no broker. The ``Job`` table is the queue and a thread started with the development
                 server takes the oldest queued job (``ita_tracker.worker``). A thread rather than a child process:
                 nothing more to start, stop or reload, and the development server already runs one process;
                 the database as queue means jobs left queued (or cut off mid-run) by a previous run are picked up
                 when the server starts again.
    ``inline``   tests and one-off commands: the job runs in the callback after commit.

A job is queued only when the transaction that created it commits. If the queue cannot be reached the job is
marked failed at once with a message that says so, and its inputs are discarded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ita_tracker.models import Job

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]

QUEUE_DOWN = "ระบบคิวงานเบื้องหลังไม่พร้อมใช้งานในขณะนี้ งานนี้จึงยังไม่ได้เริ่ม กรุณาลองใหม่ภายหลังหรือแจ้งผู้ดูแลระบบ"
GAVE_UP = "งานไม่เสร็จภายในเวลาที่กำหนด (เครื่องที่ทำงานหยุดทำงานหลายครั้งหรือไม่มีเครื่องทำงาน) กรุณาสั่งใหม่"
TOO_LONG = "งานใช้เวลานานเกินกำหนด จึงหยุดทำ กรุณาแบ่งงานให้เล็กลงแล้วสั่งใหม่"


def _always(user, job) -> bool:
    return True


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    run: Callable[[Job, Progress], tuple[str, bytes]]
    may_access: Callable = _always  # (user, job) -> bool, re-checked at every look and download
    discard: Callable[[Job], None] | None = None  # removes the job's inputs when it fails or cannot start
    refusals: tuple[type[Exception], ...] = ()  # their message is for people: shown as is


_kinds: dict[str, JobKind] = {}


def register_job_kind(kind: JobKind) -> None:
    _kinds[kind.name] = kind


def job_kind(name: str) -> JobKind | None:
    return _kinds.get(name)


def job_kinds() -> list[JobKind]:
    return list(_kinds.values())


# ---------------------------------------------------------------- starting


class QueueUnavailable(Exception):
    """The broker could not be reached."""


def _enqueue(job_id: int) -> None:
    backend = settings.JOBS_BACKEND
    if backend == "celery":
        from ita_tracker.tasks import run_job

        try:
            run_job.apply_async(args=[job_id], retry=False)
        except Exception as exc:  # kombu/redis raise many kinds; all mean "not queued"
            raise QueueUnavailable(str(exc)) from exc
    elif backend == "embedded":
        from ita_tracker import worker

        worker.wake()
    else:
        job_run(job_id, reraise=False)


def job_start(*, kind: str, params: dict, by) -> Job:
    """Record the job and queue it once the transaction commits (a rolled-back request queues nothing).

    When the queue is down the job is marked failed with a Thai message and its inputs are discarded; callers
    show ``job.message`` when ``job.status`` is failed (see ``job_started_redirect``)."""
    if kind not in _kinds:
        raise LookupError(f"unknown job kind {kind!r}")
    job = Job.objects.create(kind=kind, params=params, created_by=by)

    def enqueue():
        try:
            _enqueue(job.pk)
        except QueueUnavailable as exc:
            logger.error("job %s (%s) could not be queued: %s", job.pk, kind, exc)
            _fail(job, QUEUE_DOWN)

    transaction.on_commit(enqueue)
    return job


def _fail(job: Job, message: str) -> None:
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, message=message[:500], finished_at=timezone.now())
    job.status, job.message = Job.Status.FAILED, message[:500]
    if job.parent_id:
        from ita_tracker.batches import batch_child_finished

        batch_child_finished(job)
    kind = _kinds.get(job.kind)
    if kind and kind.discard:
        try:
            kind.discard(job)
        except Exception:
            logger.exception("job %s: could not discard its inputs", job.pk)


# ---------------------------------------------------------------- running


def _message_for(kind: JobKind, exc: Exception) -> str:
    if kind.refusals and isinstance(exc, kind.refusals):
        return str(exc)
    if type(exc).__name__ == "SoftTimeLimitExceeded":
        return TOO_LONG
    return f"{type(exc).__name__}: {exc}"


def job_run(job_id: int, *, reraise: bool = True) -> Job:
    """Run a job to the end (on a worker). Safe to run again: a redelivered job starts over, up to
    ``JOBS_MAX_ATTEMPTS`` times (a job that kills its worker every time is then marked failed, not retried
    for ever). A finished job is never run again: a message delivered twice (the broker redelivers what a
    worker took but had not acknowledged when it died, even if the job had finished) must not turn a done job
    of a pack back into a running one, rebuild its file or count it twice towards its parent."""
    claimed = (
        Job.objects.filter(pk=job_id)
        .exclude(status__in=[Job.Status.DONE, Job.Status.FAILED])
        .update(
            status=Job.Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1, progress=0, message=""
        )
    )
    job = Job.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        logger.warning("job %s (%s) is already %s: not run again", job_id, job.kind, job.status)
        return job
    kind = _kinds.get(job.kind)
    if kind is None or job.attempts > settings.JOBS_MAX_ATTEMPTS:
        _fail(job, GAVE_UP if kind else _("ไม่รู้จักงานประเภทนี้"))
        return job

    def progress(percent: int, message: str) -> None:
        Job.objects.filter(pk=job_id).update(progress=min(max(percent, 0), 99), message=message[:500])

    try:
        name, data = kind.run(job, progress)
    except Exception as exc:
        _fail(job, _message_for(kind, exc))
        if reraise:
            raise
        logger.exception("job %s (%s) failed", job_id, job.kind)
        return job
    job.result.save(name, ContentFile(data), save=False)
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE,
        progress=100,
        message="",
        params=job.params,  # a run may record what it used (e.g. the agencies a table covers)
        result=job.result.name,
        result_name=name,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    if job.parent_id:
        from ita_tracker.batches import batch_child_finished

        batch_child_finished(job)
    return job


def job_give_up_if_stale(job: Job) -> Job:
    """A job queued or running for longer than any job may take will not finish: mark it failed, so its page
    stops polling and "my downloads" says why."""
    if job.is_stale:
        _fail(job, GAVE_UP)
    elif job.child_count and not job.is_finished:
        limit = timezone.now() - timedelta(seconds=settings.JOBS_GIVE_UP_AFTER)
        for child in job.children.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING], created_at__lt=limit):
            _fail(child, GAVE_UP)
        job.refresh_from_db()
    return job


# ---------------------------------------------------------------- access and expiry


def job_accessible(user, job: Job) -> bool:
    """Who may see a job now: the person who started it (or a superuser), if the kind still lets them."""
    if not user.is_authenticated or not user.is_active:
        return False
    if job.created_by_id != user.pk and not user.is_superuser:
        return False
    kind = _kinds.get(job.kind)
    return kind is not None and bool(kind.may_access(user, job))


def jobs_clear_expired(now=None) -> int:
    """Delete finished jobs older than ``JOBS_RESULT_TTL`` with their result files; returns how many.
    Run by the workers after each job, by the embedded worker, and by ``manage.py clear_jobs`` (cron)."""
    count = 0
    for job in Job.objects.expired(now).only("pk", "result", "kind", "params"):
        if job.result:
            job.result.delete(save=False)
        job.delete()
        count += 1
    return count
