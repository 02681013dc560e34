"""The migrations that add the text limits (issue 11, item 8) truncate nothing: an existing text longer than its new
maximum stops the migration with a message naming the row, and once it is shortened the migration goes through."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("agencies", "0008_agency_require_verified_identity")]
AFTER = [("agencies", "0009_text_max_lengths")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_a_longer_existing_text_stops_the_migration_naming_the_row():
    apps = migrate(BEFORE)
    Agency = apps.get_model("agencies", "Agency")
    agency = Agency.objects.create(name="ทดสอบ", province="ยะลา", type="sao", code="mig-long", address="ก" * 501)
    try:
        with pytest.raises(RuntimeError, match=rf"agency\.address pk={agency.pk}: 501 > 500"):
            migrate(AFTER)
        Agency.objects.filter(pk=agency.pk).update(address="ก" * 500)
        apps = migrate(AFTER)
        assert apps.get_model("agencies", "Agency").objects.get(pk=agency.pk).address == "ก" * 500
    finally:
        Agency.objects.filter(pk=agency.pk).delete()
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # leave the database as the others expect
