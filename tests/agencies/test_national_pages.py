"""Pages of people who follow many agencies do the page's work, not the country's (issue 17)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from agencies.models import Agency, Department, Membership
from tests.factories import AgencyFactory, DepartmentFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_agency_list_counts_divisions_only_for_the_agencies_of_the_page(client):
    viewer = UserFactory()
    for number in range(60):
        agency = AgencyFactory(name=f"อบต.{number:03d}", province="ปัตตานี", code=f"n{number:03d}")
        MembershipFactory(user=viewer, agency=agency, is_viewer=True, is_staff_member=False)
        for division in range(number % 3):
            DepartmentFactory(agency=agency, name=f"กอง{division}")
    client.force_login(viewer)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("agencies:list"), {"page": 2})
    assert response.status_code == 200
    shown = list(response.context["page"])
    assert [a.name for a in shown] == [f"อบต.{n:03d}" for n in range(50, 60)]
    assert [a.department_count for a in shown] == [Department.objects.filter(agency=a).count() for a in shown]
    assert len({a.department_count for a in shown}) == 3  # the counts differ from agency to agency
    grouped = [q["sql"] for q in ctx.captured_queries if "COUNT(DISTINCT" in q["sql"].upper()]
    assert len(grouped) == 1 and '"agencies_membership"' not in grouped[0]  # only the page's ids, by id


def _follower(username: str, n: int, *, province: str = "ยะลา", prefix: str = "อบต.") -> object:
    """A viewer of ``n`` agencies of their own (bulk-made: tests of people who follow many agencies)."""
    viewer = UserFactory(username=username)
    agencies = Agency.objects.bulk_create(
        [
            Agency(name=f"{prefix}{username} {i:03d}", type=Agency.Type.SAO, province=province, code=f"{username}{i}")
            for i in range(n)
        ]
    )
    Membership.objects.bulk_create([Membership(user=viewer, agency=a, is_viewer=True) for a in agencies])
    return viewer


def _more_agencies(viewer, n: int, tag: str) -> None:
    agencies = Agency.objects.bulk_create(
        [Agency(name=f"ทต.{tag} {i}", type=Agency.Type.TOWN, province="ยะลา", code=f"{tag}{i}") for i in range(n)]
    )
    Membership.objects.bulk_create([Membership(user=viewer, agency=a, is_viewer=True) for a in agencies])


def test_a_viewer_of_many_agencies_sees_kept_figures_with_their_time(client):
    viewer = _follower("nacc", 40)
    client.force_login(viewer)
    html = client.get("/").content.decode()
    assert '<p class="display-6 mb-1">๔๐</p>' in html
    assert "จาก ๔๐ แห่งยังไม่บันทึกผลการประเมินปีที่แล้ว" in html  # the oversight panel's counts
    assert html.count("kept-as-of") == 2 and "ปรับทุก ๕ นาที" in html
    _more_agencies(viewer, 5, "new")
    html = client.get("/").content.decode()
    assert '<p class="display-6 mb-1">๔๐</p>' in html  # kept: the same figures for a few minutes
    assert "จาก ๔๐ แห่ง" in html
    cache.clear()  # five minutes later
    html = client.get("/").content.decode()
    assert '<p class="display-6 mb-1">๔๕</p>' in html and "จาก ๔๕ แห่ง" in html


def test_kept_figures_belong_to_their_person(client):
    first, second = _follower("first", 20), _follower("second", 30)
    client.force_login(first)
    assert "จาก ๒๐ แห่ง" in client.get("/").content.decode()
    assert client.get(reverse("agencies:list")).context["page"].paginator.count == 20
    client.force_login(second)
    html = client.get("/").content.decode()
    assert '<p class="display-6 mb-1">๓๐</p>' in html and "จาก ๓๐ แห่ง" in html
    assert client.get(reverse("agencies:list")).context["page"].paginator.count == 30


def test_a_coordinators_dashboard_stays_live(client, agency_a, coordinator_a):
    client.force_login(coordinator_a)
    html = client.get("/").content.decode()
    assert '<p class="display-6 mb-1">๑</p>' in html and "kept-as-of" not in html
    MembershipFactory(user=coordinator_a, agency=AgencyFactory(name="เทศบาลตำบลข้างเคียง"), is_viewer=True)
    html = client.get("/").content.decode()
    assert '<p class="display-6 mb-1">๒</p>' in html and "kept-as-of" not in html


def test_the_agency_list_keeps_its_count_per_filter_and_reads_late_pages_from_the_end(client):
    viewer = _follower("province", 120)
    client.force_login(viewer)
    shown_order = Agency.objects.visible_to(viewer).order_by("province", "name", "pk")
    expected = list(shown_order.values_list("name", flat=True))
    seen = []
    for number in (1, 2, 3):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("agencies:list"), {"page": number})
        seen += [a.name for a in response.context["page"]]
        assert "kept-as-of" in response.content.decode()
        if number == 3:  # past the middle: 20 rows read backwards, no OFFSET over the first 100
            page_ids = 'SELECT "agencies_agency"."id" AS "pk"'
            ids = next(q["sql"] for q in ctx.captured_queries if q["sql"].startswith(page_ids))
            assert "DESC" in ids and "OFFSET" not in ids
    assert seen == expected
    response = client.get(reverse("agencies:list"), {"q": "province 01"})
    assert response.context["page"].paginator.count == 10  # its own count, not the unfiltered one
    assert [a.name for a in response.context["page"]] == [f"อบต.province {i:03d}" for i in range(10, 20)]


def test_the_assessments_index_of_a_viewer_of_many_agencies(client, settings):
    settings.EXPORT_INLINE_MAX_AGENCIES = 30
    viewer = _follower("region", 20)
    client.force_login(viewer)
    response = client.get(reverse("assessments:index"))
    assert response.context["agency_count"] == 20 and not response.context["export_in_background"]
    assert reverse("assessments:compare") in response.content.decode()
    _more_agencies(viewer, 20, "more")
    response = client.get(reverse("assessments:index"))
    assert response.context["agency_count"] == 31  # counted one past the limit, live
    assert response.context["export_in_background"]


def test_the_kept_figures_time_in_english(client):
    viewer = _follower("english", 20)
    client.force_login(viewer)
    previous = translation.get_language()
    try:
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        html = client.get("/").content.decode()
    finally:  # a request's language stays active in the thread
        translation.activate(previous)
    assert "Summary figures as of" in html and "updated every 5 minutes" in html
