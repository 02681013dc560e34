"""The comparison's keyset pages: forward and back through every result once, the last page read directly,
a tampered cursor gives the first page, and the last page costs the same queries as the first."""

from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Agency, Membership
from assessments.models import Assessment, ToolScore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("assessments:compare")
TOTALS = [D("90.00"), D("85.50"), D("85.50"), None, D("70.25"), D("85.50"), D("99.99")]  # ties and NULLs


def _results(n, edition, viewer, start=0):
    agencies = Agency.objects.bulk_create(
        Agency(
            name=f"อบต. {(start + i) % 7}",  # names repeat: pk decides among equal totals and names
            type=Agency.Type.SUBDISTRICT_MUNICIPALITY,
            province=f"จังหวัด {(start + i) // 7}",  # with the name, unique; shared by seven agencies
            code=f"kp{start + i}",
        )
        for i in range(n)
    )
    agencies = list(Agency.objects.filter(code__in=[a.code for a in agencies]))
    Membership.objects.bulk_create(Membership(user=viewer, agency=a, is_viewer=True) for a in agencies)
    assessments = Assessment.objects.bulk_create(
        Assessment(agency=a, edition=edition, total=TOTALS[(start + i) % len(TOTALS)]) for i, a in enumerate(agencies)
    )
    tool = edition.tools.order_by("order").first()
    ToolScore.objects.bulk_create(
        ToolScore(assessment=a, tool=tool, score=TOTALS[(start + i) % 3]) for i, a in enumerate(assessments) if i % 4
    )
    return tool


def _page(client, query):
    response = client.get(URL + "?" + query)
    assert response.status_code == 200
    return response.context["page"], response.content.decode()


def _walk(client, base):
    forward, page = [], _page(client, base)[0]
    while True:
        forward += [a.pk for a in page]
        if not page.has_next:
            break
        page = _page(client, f"{base}&after={page.next_cursor}")[0]
    backward, page = [], _page(client, f"{base}&last=1")[0]
    last_page = [a.pk for a in page]
    while True:
        backward = [a.pk for a in page] + backward
        if not page.has_previous:
            break
        page = _page(client, f"{base}&before={page.previous_cursor}")[0]
    return forward, backward, last_page


@pytest.fixture
def viewer(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.mark.parametrize("sort", ["-total", "total", "agency", "-agency", "province", "tool", "-tool"])
def test_pages_walk_every_result_once_forward_and_back(client, editions, viewer, sort):
    tool = _results(123, editions[2566], viewer)
    if sort.endswith("tool"):
        sort = sort.replace("tool", f"tool:{tool.code}")
    forward, backward, last_page = _walk(client, f"year=2566&sort={sort}")
    everything = set(Assessment.objects.filter(edition=editions[2566]).values_list("pk", flat=True))
    assert len(forward) == len(everything) == 123 and set(forward) == everything
    assert backward == forward
    assert last_page == forward[-50:]  # the last 50 rows: pages are counted back from the end
    if sort in ("-total", "total"):
        totals = dict(Assessment.objects.values_list("pk", "total"))
        shown = [totals[pk] for pk in forward]
        scored = [t for t in shown if t is not None]
        assert scored == sorted(scored, reverse=sort == "-total")
        assert shown[-len(shown) + len(scored) :] == [None] * (len(shown) - len(scored))  # no score: last


def test_links_say_where_they_go_and_count_in_thai_digits(client, editions, viewer):
    _results(60, editions[2566], viewer)
    page, html = _page(client, "year=2566")
    assert 'aria-label="เปลี่ยนหน้า"' in html
    assert "ทั้งหมด ๖๐ รายการ" in html
    assert "หน้าสุดท้าย" in html and "ถัดไป" in html and "ก่อนหน้า" not in html
    page, html = _page(client, "year=2566&last=1")
    assert len(page) == 50 and "หน้าแรก" in html and "ก่อนหน้า" in html and "หน้าสุดท้าย" not in html
    # The count and the charts are kept five minutes per person and filters, and the page says since when.
    assert "ตัวเลขสรุป ณ " in html and "ปรับทุก ๕ นาที" in html
    _results(5, editions[2566], viewer, start=60)
    assert "ทั้งหมด ๖๐ รายการ" in _page(client, "year=2566")[1]
    assert "ทั้งหมด ๖๕ รายการ" in _page(client, "year=2566&sort=agency&type=subdistrict_municipality")[1]


@pytest.mark.parametrize(
    "tampered",
    ["after=garbage", "before=garbage", "after=W10:1abc:xyz", "page=99", "after=&before=x", "last=1&before=zz"],
)
def test_tampered_cursor_gives_first_page(client, editions, viewer, tampered):
    _results(60, editions[2566], viewer)
    first = [a.pk for a in _page(client, "year=2566")[0]]
    page = _page(client, f"year=2566&{tampered}")[0]
    assert [a.pk for a in page] == first


def test_cursor_of_another_sort_gives_first_page(client, editions, viewer):
    _results(60, editions[2566], viewer)
    cursor = _page(client, "year=2566&sort=agency")[0].next_cursor
    first = [a.pk for a in _page(client, "year=2566&sort=-total")[0]]
    assert [a.pk for a in _page(client, f"year=2566&sort=-total&after={cursor}")[0]] == first


def _queries(client, query):
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL + "?" + query).status_code == 200
    return len(ctx.captured_queries)


def test_last_page_costs_the_queries_of_the_first_whatever_the_rows(client, editions, viewer):
    _results(60, editions[2566], viewer)
    small = [_queries(client, "year=2566"), _queries(client, "year=2566&last=1")]
    _results(400, editions[2566], viewer, start=60)
    page = _page(client, "year=2566")[0]
    large = [
        _queries(client, "year=2566"),
        _queries(client, "year=2566&last=1"),
        _queries(client, f"year=2566&after={page.next_cursor}"),
    ]
    assert small[0] == small[1] == large[0] == large[1] == large[2]
