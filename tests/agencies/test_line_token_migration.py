"""The migration that encrypts the LINE channel token: a token saved in plain text before it is encrypted in place
(the column no longer holds it) and reads back the same; going back decrypts it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from agencies.models import Agency

BEFORE = [("agencies", "0011_audit_oit_entries")]
AFTER = [("agencies", "0012_encrypt_line_channel_token")]
TOKEN = "plain-line-token-" + "Ab3" * 50  # about the length of a long-lived channel access token


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def stored(pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT line_channel_token FROM agencies_agency WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_saved_tokens_are_encrypted_in_place_and_decrypted_going_back():
    migrate(BEFORE)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO agencies_agency (name, province, type, code, line_channel_token, use_thai_digits, "
            "plan_due_days, report_due_days, require_verified_identity, district, address, phone, email, emblem, "
            "created_at, updated_at) VALUES ('ทดสอบ', 'ยะลา', 'sao', 'mig-line', %s, true, 92, 30, false, '', '', "
            "'', '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
            [TOKEN],
        )
    pk = Agency.objects.values_list("pk", flat=True).get(code="mig-line")
    try:
        migrate(AFTER)
        assert stored(pk) and "plain-line-token" not in stored(pk)
        assert Agency.objects.get(pk=pk).line_channel_token == TOKEN
        migrate(BEFORE)
        assert stored(pk) == TOKEN
    finally:
        Agency.objects.filter(pk=pk).delete()
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # leave the database as the others expect
