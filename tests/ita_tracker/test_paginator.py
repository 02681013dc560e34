"""BothEndsPaginator: the pages past the middle, read from the end, are the pages Django's paginator shows."""

import pytest
from django.core.paginator import Paginator

from agencies.models import Agency
from ita_tracker.paginator import BothEndsPaginator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("orphans", [0, 3])
def test_every_page_read_from_either_end_is_the_offset_page(orphans):
    Agency.objects.bulk_create(
        [Agency(name=f"อบต.{i % 7} {i}", province=f"จังหวัด{i % 3}", code=f"p{i}") for i in range(123)]
    )
    for n in (0, 1, 10, 11, 12, 13, 123):
        ids = Agency.objects.filter(pk__in=Agency.objects.order_by("pk").values("pk")[:n])
        ids = ids.order_by("province", "name", "pk").values_list("pk", flat=True)
        offset_pages, both_ends = Paginator(ids, 5, orphans=orphans), BothEndsPaginator(ids, 5, orphans=orphans)
        assert both_ends.num_pages == offset_pages.num_pages
        for number in both_ends.page_range:
            assert list(both_ends.page(number)) == list(offset_pages.page(number)), (n, number)


def test_a_given_count_is_used_without_counting(django_assert_num_queries):
    Agency.objects.bulk_create([Agency(name=f"อบต.{i}", province="ยะลา", code=f"c{i}") for i in range(12)])
    ids = Agency.objects.order_by("name", "pk").values_list("pk", flat=True)
    with django_assert_num_queries(1):  # the rows of the page; no COUNT
        shown = list(BothEndsPaginator(ids, 5, count=12).get_page(3))
    assert shown == list(ids[10:])
