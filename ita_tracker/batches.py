"""Batches: one job per agency under a parent job, so a national or provincial pack runs on every worker there is
(issue 17). A pack of 8,000 agencies' documents (1.4 s each) is two hours on one worker; split, it is as many
workers as the installation runs, on as many machines, each child a job of its own with its own retries.

``batch_start(kind=…, child_kind=…, children=[params, …], params=…, by=user)`` records the parent (running,
never queued itself) and its children (queued, like any job), and answers the parent for
``job_started_redirect``. The parent's page shows the share of children finished. Whichever worker finishes the
last child assembles the parent's result, under a lock on the parent row so that it happens once: a ZIP of the
children's files (stored as they are, streamed through a temporary file, so memory stays flat whatever the
number of agencies), with a list of the agencies whose documents failed. Both kinds are registered as usual
(``register_job_kind``); the parent kind's ``may_access`` guards the assembled file, and its ``run`` is never
called.
"""

from __future__ import annotations

import tempfile
import zipfile

from django.core.files import File
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ita_tracker.models import Job

REPORT_NAME = "รายงานชุดงาน.txt"


def batch_start(*, kind: str, child_kind: str, children: list[dict], params: dict, by) -> Job:
    from ita_tracker.jobs import _enqueue, _kinds

    if kind not in _kinds or child_kind not in _kinds:
        raise LookupError(f"unknown job kind {kind!r} or {child_kind!r}")
    if not children:
        raise ValueError("a batch needs at least one child")
    parent = Job.objects.create(
        kind=kind,
        params=params,
        created_by=by,
        status=Job.Status.RUNNING,
        started_at=timezone.now(),
        child_count=len(children),
        message=_("งานย่อย %(count)s งาน รอคิว") % {"count": len(children)},
    )
    created = Job.objects.bulk_create(
        [Job(kind=child_kind, params=p, created_by=by, parent=parent) for p in children], batch_size=1000
    )

    def enqueue():
        from ita_tracker.jobs import QueueUnavailable, _fail

        for child in created:
            try:
                _enqueue(child.pk)
            except QueueUnavailable as exc:
                _fail(child, str(exc))

    transaction.on_commit(enqueue)
    return parent


def batch_child_finished(child: Job) -> None:
    """Count the parent's finished children; the last one assembles the result (once: the parent row is locked)."""
    with transaction.atomic():
        parent = Job.objects.select_for_update().get(pk=child.parent_id)
        if parent.is_finished:
            return
        counts = parent.children.aggregate(
            done=Count("pk", filter=Q(status=Job.Status.DONE)), failed=Count("pk", filter=Q(status=Job.Status.FAILED))
        )
        finished = counts["done"] + counts["failed"]
        if finished < parent.child_count:
            Job.objects.filter(pk=parent.pk).update(
                progress=min(99, 100 * finished // parent.child_count),
                message=_("เสร็จแล้ว %(finished)s จาก %(count)s งาน")
                % {"finished": finished, "count": parent.child_count},
            )
            return
        _assemble(parent, failed=counts["failed"])


def _assemble(parent: Job, *, failed: int) -> None:
    children = parent.children.order_by("pk").only("pk", "status", "result", "result_name", "message", "params")
    lines = []
    with tempfile.TemporaryFile() as handle:
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            for child in children.iterator(chunk_size=500):
                if child.status == Job.Status.DONE and child.result:
                    with child.result.open("rb") as source, archive.open(child.result_name, "w") as target:
                        for block in iter(lambda s=source: s.read(1 << 20), b""):
                            target.write(block)
                else:
                    lines.append(f"{child.params}: {child.message}")
            summary = _("สำเร็จ %(done)s งาน ไม่สำเร็จ %(failed)s งาน") % {
                "done": parent.child_count - failed,
                "failed": failed,
            }
            archive.writestr(REPORT_NAME, "\n".join([summary, *lines]) + "\n")
        handle.seek(0)
        name = f"{parent.params.get('name', parent.kind)}.zip"
        parent.result.save(name, File(handle), save=False)
    Job.objects.filter(pk=parent.pk).update(
        status=Job.Status.DONE if failed < parent.child_count else Job.Status.FAILED,
        progress=100,
        message=summary,
        result=parent.result.name,
        result_name=name,
        finished_at=timezone.now(),
    )
