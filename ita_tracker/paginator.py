"""A paginator for the admin's changelists of tables that grow with the country (audit trail, progress
updates, memos, measures): it never counts more than ``CAP`` rows.

Django's changelist counts the whole (filtered) table for its paginator: ``SELECT COUNT(*)`` over 2.4 million
progress updates or audit entries on every page view. Here the count stops at ``CAP + 1`` rows (a ``LIMIT``
inside the count, which PostgreSQL and SQLite stop reading at). Above the cap, an unfiltered table on
PostgreSQL shows the planner's estimate (``pg_class.reltuples``, kept by autovacuum); a filtered one shows
the cap, so the page says "10,000" and offers the first 100 pages, which is what an administrator reads
(search or filter narrows the rest). Use with ``show_full_result_count = False``, which drops the second,
unfiltered count Django makes when a filter is on.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.utils.functional import cached_property

CAP = 10_000


class CappedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        capped = queryset.order_by()[: CAP + 1].count()
        if capped <= CAP:
            return capped
        estimate = _estimate(queryset)
        return estimate if estimate is not None and estimate > CAP else CAP


def _estimate(queryset) -> int | None:
    """The planner's row estimate of an unfiltered table on PostgreSQL; None elsewhere."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql" or queryset.query.where:
        return None
    with connection.cursor() as cursor:
        table = queryset.model._meta.db_table
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [table])
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] and row[0] > 0 else None


class BothEndsPaginator(Paginator):
    """Numbered pages over an ordered queryset whose later half is read from the end (issue 17).

    An ``OFFSET`` page sorts (or walks the index over) every row before it: the last of 160 pages of a national
    viewer's agencies read 8,000 rows to show 50. A page past the middle is read in the reverse order instead,
    ``OFFSET count - top`` from the end, and turned back: the last page reads 50 rows, the middle one half of them.
    The ordering must end with a unique field (``pk``) so that both directions agree on every row's place.

    ``count`` may be given (a count kept a few minutes, ``agencies.scope.summary``); when it is a little off, the
    pages read from the end shift by that many rows, as any page does when rows are added between two requests.
    """

    def __init__(self, object_list, per_page, *, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # the cached_property's slot

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom * 2 <= self.count or not getattr(self.object_list, "ordered", False):
            return self._get_page(self.object_list[bottom:top], number, self)
        rows = list(self.object_list.reverse()[self.count - top : self.count - bottom])
        rows.reverse()
        return self._get_page(rows, number, self)


class KnownCountPaginator(Paginator):
    """A paginator told how many rows there are, rather than counting them: for a list whose total is a figure
    kept a few minutes by ``ita_tracker.summaries`` (counting a national viewer's 8,000 agencies on every page
    view is what it saves). The rows themselves stay live: a page always reads up to ``per_page`` rows, so an
    agency added since the count still shows on the last page (only the number of pages is as old as the count)."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.__dict__["count"] = count  # the cached_property's slot, as BothEndsPaginator's

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)


class LookaheadPaginator(Paginator):
    """Pages that never count: a page reads one row more than it shows, and that row says whether a next page
    exists. For the admin's autocomplete lists (select2 asks for the next page only while the person scrolls, and
    the answer says only ``more: true/false``): Django's paginator counted every match first, a second query
    over the whole table for a term like "gen-0009" at 8,000 agencies, and one more query than when nothing
    matches (issue 17). ``count`` and ``num_pages`` still count if something asks for them."""

    def validate_number(self, number) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number) -> LookaheadPage:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and (number > 1 or not self.allow_empty_first_page):
            raise EmptyPage(self.error_messages["no_results"])
        return LookaheadPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)


class LookaheadPage(Page):
    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more


class LookaheadAutocompleteMixin:
    """For a ``ModelAdmin`` that other admins' autocomplete fields search (agencies: 8,000 at national size): its
    autocomplete answers through :class:`LookaheadPaginator`, one query a page; its changelist keeps its own
    paginator."""

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        match = request.resolver_match
        if match is not None and match.view_name == "admin:autocomplete":
            return LookaheadPaginator(queryset, per_page, orphans=0, allow_empty_first_page=allow_empty_first_page)
        return super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)
