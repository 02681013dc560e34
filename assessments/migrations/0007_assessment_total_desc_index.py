"""The comparison's default order, highest total first and no total last (assessments.selectors.SORTS), as an
index on PostgreSQL: a keyset page reads it forward, the last page backward, 51 rows either way. SQLite cannot
index NULLS LAST; its databases are small."""

from django.db import migrations

NAME = "assessment_edition_total_dsc"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON assessments_assessment (edition_id, total DESC NULLS LAST, id)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0006_text_max_lengths"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
