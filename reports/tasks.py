"""Celery tasks. They only run ``reports.jobs`` functions on a worker; settings make them acknowledged
after they finish and requeued when their worker dies."""

from celery import shared_task

from reports.jobs import job_run


@shared_task(name="reports.run_job")
def run_job(job_id: int) -> None:
    job_run(job_id)
