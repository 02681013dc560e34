"""Clearing the tables that would otherwise only grow (issue 17): expired sessions here, and what the apps
register (``register_housekeeping``: ``agencies`` prunes audit entries past ``AUDIT_RETENTION_DAYS``, none by
default: see README, "Data retention").

``housekeeping_run()`` is called by every worker after each job and by the embedded worker's loop; a lock in the
shared cache lets one process in the whole installation do it, at most once every ``HOUSEKEEPING_EVERY_SECONDS``.
``manage.py clearsessions`` and ``manage.py prune_audit`` do the same from cron where no worker runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.core.management import call_command

logger = logging.getLogger(__name__)

HOUSEKEEPING_EVERY_SECONDS = 3600
LOCK_KEY = "ita:housekeeping"

_tasks: list[Callable[[], object]] = []


def register_housekeeping(task: Callable[[], object]) -> None:
    """A function run with the sessions' clearing, at most once an hour in the installation."""
    if task not in _tasks:
        _tasks.append(task)


def housekeeping_run(*, force: bool = False) -> bool:
    """Clear expired sessions and run the registered tasks; True when this call did it."""
    if not force and not cache.add(LOCK_KEY, 1, HOUSEKEEPING_EVERY_SECONDS):
        return False  # another process (or this one) did it within the hour
    try:
        call_command("clearsessions")
        for task in _tasks:
            task()
    except Exception:
        logger.exception("housekeeping failed")
        return False
    return True
