"""Sessions are not written on every request, and expired sessions and (when a retention is set) old audit
entries are cleared by the workers' housekeeping (issue 17)."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import AuditEntry
from ita_tracker.housekeeping import housekeeping_run

pytestmark = pytest.mark.django_db


def _session_writes(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return sum(1 for q in ctx.captured_queries if "django_session" in q["sql"] and q["sql"].startswith("UPDATE"))


def test_an_ordinary_page_does_not_write_the_session_until_its_expiry_has_aged(client, coordinator_a):
    client.force_login(coordinator_a)
    client.get(reverse("dashboard"))
    assert _session_writes(client, reverse("dashboard")) == 0
    # Six minutes later (the stored expiry is six minutes nearer): the next page pushes it an hour ahead.
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=54))
    assert _session_writes(client, reverse("dashboard")) == 1
    assert Session.objects.get().expire_date > timezone.now() + timedelta(minutes=59)


def test_housekeeping_clears_expired_sessions_once_an_hour_in_the_installation(client, coordinator_a, settings):
    client.force_login(coordinator_a)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert housekeeping_run() is True
    assert not Session.objects.exists()
    assert housekeeping_run() is False  # the lock in the shared cache: once an hour


def test_audit_entries_past_the_retention_are_pruned_and_the_rest_kept(agency_a, settings):
    old = AuditEntry.objects.create(
        agency=agency_a, action="update", object_type="measure", object_id=1, summary="old",
        created_at=timezone.now() - timedelta(days=400),
    )  # fmt: skip
    recent = AuditEntry.objects.create(
        agency=agency_a, action="update", object_type="measure", object_id=1, summary="new"
    )
    settings.AUDIT_RETENTION_DAYS = None
    assert housekeeping_run(force=True)
    assert AuditEntry.objects.filter(pk=old.pk).exists()  # kept whole by default
    settings.AUDIT_RETENTION_DAYS = 365
    assert housekeeping_run(force=True)
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == [recent.pk]


def test_prune_audit_refuses_nonsense_and_counts_in_a_dry_run(agency_a, capsys):
    AuditEntry.objects.create(
        agency=agency_a, action="update", object_type="measure", object_id=1, summary="old",
        created_at=timezone.now() - timedelta(days=40),
    )  # fmt: skip
    call_command("prune_audit", older_than=30, dry_run=True)
    assert "1 entries" in capsys.readouterr().out and AuditEntry.objects.count() == 1
    with pytest.raises(Exception, match="at least 1 day"):
        call_command("prune_audit", older_than=0)
