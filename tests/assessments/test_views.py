"""Score entry, analysis and comparison pages: what people see, who may act, bounded queries."""

from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.urls import reverse

from agencies.models import Agency, Membership
from assessments.frameworks import load_all
from assessments.models import Assessment, FrameworkEdition, IndicatorScore, ToolScore
from assessments.services import assessment_save
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SATENG_NOK_2566 = ["93.60", "80.28", "88.69", "82.71", "81.64", "80.09", "73.50", "79.89", "100.00", "73.75"]


@pytest.fixture
def editions(db):
    load_all()
    return {e.fiscal_year: e for e in FrameworkEdition.objects.all()}


def entry_data(values, **extra):
    data = {f"ind{n}": v for n, v in enumerate(values, start=1)}
    data.update(extra)
    return data


def save(agency, edition, values, **kwargs):
    return assessment_save(
        agency=agency, edition=edition, indicator_scores={n: D(v) for n, v in enumerate(values, start=1)}, **kwargs
    )


def test_coordinator_enters_scores_and_sees_total_and_level(client, coordinator_a, agency_a, editions):
    client.force_login(coordinator_a)
    url = reverse("assessments:entry", args=[2566])
    page = client.get(url)
    assert page.status_code == 200
    assert "การปฏิบัติหน้าที่" in page.content.decode()
    response = client.post(url, entry_data(SATENG_NOK_2566, published_total="83.72"), follow=True)
    assessment = Assessment.objects.get(agency=agency_a, edition__fiscal_year=2566)
    assert assessment.total == D("83.71")
    assert assessment.level == "ต้องปรับปรุง"
    assert not assessment.mismatch
    content = response.content.decode()
    assert "๘๓.๗๑" in content
    assert "ต้องปรับปรุง" in content


@pytest.mark.parametrize(
    "bad,message",
    [("101", "ตัวชี้วัดที่ 3 การใช้อำนาจ: คะแนนต้องไม่เกิน 100"), ("9O", "ตัวชี้วัดที่ 3 การใช้อำนาจ: “9O” ไม่ใช่ตัวเลข")],
)
def test_bad_scores_are_refused_naming_the_field_and_nothing_saved(client, coordinator_a, editions, bad, message):
    client.force_login(coordinator_a)
    values = list(SATENG_NOK_2566)
    values[2] = bad
    response = client.post(reverse("assessments:entry", args=[2566]), entry_data(values))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Assessment.objects.exists()


def test_thai_digits_are_accepted(client, coordinator_a, agency_a, editions):
    client.force_login(coordinator_a)
    values = ["๙๓.๖๐", *SATENG_NOK_2566[1:]]
    client.post(reverse("assessments:entry", args=[2566]), entry_data(values))
    assert Assessment.objects.get(agency=agency_a).total == D("83.71")


def test_incomplete_indicators_are_refused(client, coordinator_a, editions):
    client.force_login(coordinator_a)
    response = client.post(reverse("assessments:entry", args=[2566]), entry_data(SATENG_NOK_2566[:9]))
    assert "ยังขาดตัวชี้วัดที่ ๑๐" in response.content.decode()
    assert not Assessment.objects.exists()


def test_published_total_only(client, coordinator_a, agency_a, editions):
    client.force_login(coordinator_a)
    client.post(reverse("assessments:entry", args=[2563]), {"published_total": "81.49", "published_level": "B"})
    assessment = Assessment.objects.get(agency=agency_a)
    assert assessment.total is None
    assert assessment.display_total == D("81.49") and assessment.display_level == "B"


def test_mismatch_is_shown_with_both_totals(client, coordinator_a, agency_a, editions):
    bang_kao_2564 = ["98.66", "98.51", "98.81", "95.09", "98.96", "81.02", "87.98", "80.47", "86.28", "93.75"]
    assessment = save(agency_a, editions[2564], bang_kao_2564, published_total=D("92.44"))
    assert assessment.mismatch
    client.force_login(coordinator_a)
    content = client.get(assessment.get_absolute_url()).content.decode()
    assert "ไม่ตรงกับคะแนนที่คำนวณ" in content
    assert "๙๒.๔๔" in content and "๙๐.๓๕" in content


def test_staff_and_viewers_cannot_enter_scores(client, staff_a, agency_a, editions):
    client.force_login(staff_a)
    assert client.get(reverse("assessments:entry", args=[2566])).status_code == 403
    viewer = MembershipFactory(agency=agency_a, is_viewer=True, is_staff_member=False, department=None).user
    client.force_login(viewer)
    assert client.post(reverse("assessments:entry", args=[2566]), entry_data(SATENG_NOK_2566)).status_code == 403
    assert not Assessment.objects.exists()


def test_other_agencys_assessment_is_404(client, coordinator_a, agency_b, editions):
    assessment = save(agency_b, editions[2566], SATENG_NOK_2566)
    client.force_login(coordinator_a)
    assert client.get(assessment.get_absolute_url()).status_code == 404
    assert client.get(reverse("assessments:analysis", args=[assessment.pk])).status_code == 404


def test_analysis_compares_with_last_year_and_bands(client, coordinator_a, agency_a, editions):
    save(
        agency_a,
        editions[2565],
        ["83.71", "68.53", "82.80", "73.25", "73.24", "86.27", "86.17", "82.24", "64.63", "37.50"],
    )
    current = save(agency_a, editions[2566], SATENG_NOK_2566)
    client.force_login(coordinator_a)
    response = client.get(reverse("assessments:analysis", args=[current.pk]))
    assert response.status_code == 200
    rows = {row.indicator.number: row for row in response.context["analysis"].rows}
    assert rows[1].previous == D("83.71") and rows[1].change == D("9.89")
    assert rows[1].band == "maintain"  # 93.60 ≥ 90
    assert rows[3].band == "raise"  # 88.69
    assert rows[7].band == "urgent"  # 73.50
    content = response.content.decode()
    assert "แก้ไขเร่งด่วน" in content and "ยกระดับ" in content
    assert 'data-chart="chart-indicators"' in content


def test_agency_bands_change_the_analysis(client, coordinator_a, agency_a, editions):
    current = save(agency_a, editions[2566], SATENG_NOK_2566)
    client.force_login(coordinator_a)
    response = client.post(reverse("assessments:bands"), {"maintain_from": "95", "raise_from": "80"})
    assert response.status_code == 302
    rows = {
        r.indicator.number: r
        for r in client.get(reverse("assessments:analysis", args=[current.pk])).context["analysis"].rows
    }
    assert rows[1].band == "raise"  # 93.60 < 95
    assert rows[2].band == "raise"  # 80.28 ≥ 80


def test_bands_out_of_order_are_refused(client, coordinator_a, agency_a, editions):
    client.force_login(coordinator_a)
    response = client.post(reverse("assessments:bands"), {"maintain_from": "80", "raise_from": "85"})
    assert response.status_code == 200
    assert "ต้องไม่สูงกว่า" in response.content.decode()


def _agencies_with_scores(n, edition, viewer):
    """``n`` agencies followed by ``viewer``, each with the same scores, written in bulk (a thousand
    agencies through the service would make this test slow without testing anything more)."""
    start = Agency.objects.count()
    agencies = Agency.objects.bulk_create(
        Agency(
            name=f"เทศบาลตำบลที่ {start + i}",
            type=Agency.Type.SUBDISTRICT_MUNICIPALITY,
            province="ยะลา" if i % 2 else "ปัตตานี",
            code=f"bulk{start + i}",
        )
        for i in range(n)
    )
    agencies = list(Agency.objects.filter(code__in=[a.code for a in agencies]))
    Membership.objects.bulk_create(Membership(user=viewer, agency=a, is_viewer=True) for a in agencies)
    template = save(agencies[0], edition, SATENG_NOK_2566)
    Assessment.objects.bulk_create(
        Assessment(
            agency=a,
            edition=edition,
            total=template.total,
            level=template.level,
        )
        for a in agencies[1:]
    )
    ToolScore.objects.bulk_create(
        ToolScore(assessment=a, tool=row.tool, score=row.score)
        for a in Assessment.objects.filter(agency__in=agencies[1:])
        for row in template.tool_scores.select_related("tool")
    )
    indicators = list(edition.indicators.all())
    IndicatorScore.objects.bulk_create(
        IndicatorScore(assessment=a, indicator=i, score=D(SATENG_NOK_2566[i.number - 1]))
        for a in Assessment.objects.filter(agency__in=agencies[1:])
        for i in indicators
    )


def _queries_for(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()  # compare cold pages: cached averages would hide what grows with the data
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_analysis_and_comparison_queries_do_not_grow_with_agencies(client, editions, django_assert_max_num_queries):
    viewer = UserFactory()
    client.force_login(viewer)
    _agencies_with_scores(10, editions[2566], viewer)
    first = Assessment.objects.first()
    counts_small = [
        _queries_for(client, reverse("assessments:analysis", args=[first.pk]), django_assert_max_num_queries),
        _queries_for(client, reverse("assessments:compare") + "?year=2566", django_assert_max_num_queries),
    ]
    _agencies_with_scores(990, editions[2566], viewer)
    assert Agency.objects.count() == 1000
    counts_large = [
        _queries_for(client, reverse("assessments:analysis", args=[first.pk]), django_assert_max_num_queries),
        _queries_for(client, reverse("assessments:compare") + "?year=2566", django_assert_max_num_queries),
    ]
    assert counts_small == counts_large
    assert max(counts_large) <= 30


def test_comparison_filters_by_province_and_sorts(client, editions):
    viewer = UserFactory()
    client.force_login(viewer)
    _agencies_with_scores(4, editions[2566], viewer)
    response = client.get(reverse("assessments:compare") + "?year=2566&province=ยะลา&sort=agency")
    names = [a.agency.name for a in response.context["page"]]
    assert len(names) == 2 and names == sorted(names)
