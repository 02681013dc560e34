"""The installation-wide averages are kept as scores change (issue 17): the charts read them in one query,
whatever the years, and they always equal the average of the stored scores."""

import os
import subprocess
import sys
from decimal import Decimal as D

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.db.models import Avg
from django.test.utils import CaptureQueriesContext

from assessments.averages import indicator_averages_rebuild
from assessments.frameworks import load_all
from assessments.models import Assessment, FrameworkEdition, IndicatorAverage, IndicatorScore
from assessments.scoring import round2
from assessments.selectors import indicator_averages
from assessments.services import assessment_refresh, assessment_save
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editions(db):
    load_all()
    return {e.fiscal_year: e for e in FrameworkEdition.objects.all()}


def _scanned(edition_ids) -> dict:
    """What the averages were before issue 17: a grouped scan of every score."""
    rows = (
        IndicatorScore.objects.filter(indicator__edition_id__in=edition_ids)
        .values("indicator__edition__fiscal_year", "indicator__number")
        .annotate(avg=Avg("score"))
        .order_by()
    )
    return {(r["indicator__edition__fiscal_year"], r["indicator__number"]): round2(D(r["avg"])) for r in rows}


def test_saves_updates_and_removals_keep_the_averages_equal_to_the_scores(editions):
    edition = editions[2566]
    a, b = AgencyFactory(code="a"), AgencyFactory(code="b")
    assessment_save(agency=a, edition=edition, indicator_scores={1: D("90.00"), 2: D("80.00")})
    assessment_save(agency=b, edition=edition, indicator_scores={1: D("71.25")})
    assert indicator_averages([edition.pk]) == {(2566, 1): D("80.63"), (2566, 2): D("80.00")}
    # b changes its score, a removes one, and a third agency arrives.
    assessment_save(agency=b, edition=edition, indicator_scores={1: D("70.00"), 3: D("50.00")})
    assessment_save(agency=a, edition=edition, indicator_scores={2: None})
    assessment_save(agency=AgencyFactory(code="c"), edition=edition, indicator_scores={2: D("60.00")})
    expected = _scanned([edition.pk])
    assert expected == {(2566, 1): D("80.00"), (2566, 2): D("60.00"), (2566, 3): D("50.00")}
    assert indicator_averages([edition.pk]) == expected
    average = IndicatorAverage.objects.get(indicator__edition=edition, indicator__number=1)
    assert (average.total, average.count) == (D("160.00"), 2)


def test_writes_past_the_service_are_counted_again(editions, django_capture_on_commit_callbacks):
    edition = editions[2566]
    agency = AgencyFactory(code="a")
    assessment = assessment_save(agency=agency, edition=edition, indicator_scores={1: D("90.00")})
    assessment_save(agency=AgencyFactory(code="b"), edition=edition, indicator_scores={1: D("50.00")})
    # The admin's inline edits write the score, then refresh the assessment.
    IndicatorScore.objects.filter(assessment=assessment).update(score=D("10.00"))
    assessment_refresh(assessment=assessment)
    assert indicator_averages([edition.pk]) == {(2566, 1): D("30.00")}
    # A deleted assessment takes its scores with it.
    with django_capture_on_commit_callbacks(execute=True):
        Assessment.objects.get(pk=assessment.pk).delete()
    assert indicator_averages([edition.pk]) == {(2566, 1): D("50.00")}


def test_the_charts_read_every_year_in_one_query(editions):
    agencies = [AgencyFactory(code=f"x{n}") for n in range(3)]
    for year in (2564, 2565, 2566):
        for n, agency in enumerate(agencies):
            assessment_save(agency=agency, edition=editions[year], indicator_scores={1: D(60 + n), 2: D(70 + n)})
    edition_ids = [editions[y].pk for y in (2564, 2565, 2566)]
    with CaptureQueriesContext(connection) as ctx:
        averages = indicator_averages(edition_ids)
    assert len(ctx.captured_queries) == 1
    assert "indicatorscore" not in ctx.captured_queries[0]["sql"].lower()  # not a scan of the scores
    assert averages == _scanned(edition_ids) and averages[(2565, 2)] == D("71.00")
    assert indicator_averages_rebuild(edition_ids=edition_ids) == 6
    assert indicator_averages(edition_ids) == averages


def test_production_shares_a_redis_cache_and_development_keeps_process_memory():
    def caches(**env):
        code = "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default'])"
        environment = {k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "REDIS_URL", "DEBUG")}
        environment |= {"DJANGO_SETTINGS_MODULE": "ita_tracker.settings", **env}
        out = subprocess.run(
            [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True,
            cwd=django_settings.BASE_DIR,
        )  # fmt: skip
        return out.stdout

    production = {"DEBUG": "0", "SECRET_KEY": "k" * 40 + "Zq8!x" * 4, "ALLOWED_HOSTS": "ita.example"}
    shared = caches(**production, REDIS_URL="redis://queue:6379/0")
    assert "RedisCache" in shared and "redis://queue:6379/0" in shared
    assert "redis://cache:6379/1" in caches(**production, CACHE_URL="redis://cache:6379/1")
    assert "LocMemCache" in caches(DEBUG="1")
