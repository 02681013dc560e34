"""The migration from the three columns ``iit/eit/oit`` to one ``ToolScore`` row per tool moves the stored
values, and moving back puts them into the columns again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("assessments", "0002_add_score_by_indicator_index")]
AFTER = [("assessments", "0003_tool_scores_as_rows_and_version")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_tool_columns_become_rows_and_back():
    apps = migrate(BEFORE)
    Agency = apps.get_model("agencies", "Agency")
    Edition = apps.get_model("assessments", "FrameworkEdition")
    Tool = apps.get_model("assessments", "Tool")
    Assessment = apps.get_model("assessments", "Assessment")
    edition = Edition.objects.create(fiscal_year=2500, name="ทดสอบ", level_system="rating")
    for order, (code, weight) in enumerate([("IIT", 30), ("EIT", 30), ("OIT", 40)], start=1):
        Tool.objects.create(edition=edition, code=code, name_th=code, weight=weight, order=order)
    agency = Agency.objects.create(name="ทดสอบ", province="ยะลา", type="sao", code="mig-1")
    other = Agency.objects.create(name="ทดสอบสอง", province="ยะลา", type="sao", code="mig-2")
    full = Assessment.objects.create(agency=agency, edition=edition, iit="85.38", eit="77.83", oit="86.88")
    published_only = Assessment.objects.create(agency=other, edition=edition, published_total="81.49")

    apps = migrate(AFTER)
    ToolScore = apps.get_model("assessments", "ToolScore")
    rows = {(r.assessment_id, r.tool.code): str(r.score) for r in ToolScore.objects.select_related("tool")}
    assert rows == {(full.pk, "IIT"): "85.38", (full.pk, "EIT"): "77.83", (full.pk, "OIT"): "86.88"}
    assert not ToolScore.objects.filter(assessment_id=published_only.pk).exists()

    apps = migrate(BEFORE)
    Assessment = apps.get_model("assessments", "Assessment")
    back = Assessment.objects.get(pk=full.pk)
    assert (str(back.iit), str(back.eit), str(back.oit)) == ("85.38", "77.83", "86.88")
    assert Assessment.objects.get(pk=published_only.pk).iit is None

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # leave the database as the others expect
