"""Keyset ("seek") pages: a page starts after (or ends before) the sort key of a row, never at an OFFSET.

An OFFSET page over 8,000 agencies' results sorts every row and skips all but the last 50; a keyset page reads
the next 51 rows from where the previous page stopped, and the last page is the first 51 rows in reverse order.
The sort is a list of :class:`Key` (a field or annotation, its direction, NULLs always last) ending with a
unique field (``pk``), so every row has exactly one place: walking forward or back shows each row once.

The cursor in the URL is the boundary row's key, signed with the sort's name: a cursor that was altered, belongs
to another sort or cannot be read gives the first page."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.core import signing
from django.db.models import Q, QuerySet

SALT = "ita_tracker.keyset"


@dataclass(frozen=True)
class Key:
    name: str  # a field path or an annotation of the queryset
    descending: bool = False
    nullable: bool = False  # a key that may be NULL (NULLs sort last)

    def order(self, *, reverse: bool = False):
        from django.db.models import F

        expression = F(self.name).desc if self.descending != reverse else F(self.name).asc
        # NULLs last in the page's order, so first when read in reverse.
        return expression(nulls_first=True) if reverse else expression(nulls_last=True)

    def after(self, value, *, reverse: bool = False) -> Q:
        """The rows strictly after ``value`` in this key's order (before it with ``reverse``)."""
        if value is None and self.nullable:
            # NULLs are last: nothing comes after one; reading in reverse, every non-NULL comes before it.
            return Q(**{f"{self.name}__isnull": False}) if reverse else Q(pk__in=[])
        lookup = "lt" if self.descending != reverse else "gt"
        bigger = Q(**{f"{self.name}__{lookup}": value})
        if reverse or not self.nullable:
            return bigger
        return bigger | Q(**{f"{self.name}__isnull": True})

    def equal(self, value) -> Q:
        return Q(**{f"{self.name}__isnull": True}) if value is None and self.nullable else Q(**{self.name: value})


def _seek(keys: list[Key], values: list, *, reverse: bool) -> Q:
    """Rows after the row with key ``values`` (before it with ``reverse``): for some i, equal on keys before i
    and strictly after on key i."""
    condition = Q(pk__in=[])
    for i, key in enumerate(keys):
        term = key.after(values[i], reverse=reverse)
        for previous, value in zip(keys[:i], values[:i], strict=True):
            term &= previous.equal(value)
        condition |= term
    return condition


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


@dataclass
class KeysetPage:
    object_list: list
    has_next: bool
    has_previous: bool
    next_cursor: str = ""
    previous_cursor: str = ""
    is_last: bool = False
    extra: dict = field(default_factory=dict)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def __getitem__(self, index):  # as Django's Page
        return self.object_list[index]

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


class KeysetPaginator:
    def __init__(self, queryset: QuerySet, keys: list[Key], per_page: int, *, sort_name: str):
        self.queryset, self.keys, self.per_page, self.sort_name = queryset, keys, per_page, sort_name

    def cursor(self, row) -> str:
        values = [_plain(_value(row, key.name)) for key in self.keys]
        # No timestamp (signing.dumps has one): the same page has the same address.
        return signing.Signer(salt=SALT).sign_object([self.sort_name, values], compress=True)

    def _values(self, cursor: str) -> list | None:
        try:
            sort_name, values = signing.Signer(salt=SALT).unsign_object(cursor)
        except (signing.BadSignature, ValueError, TypeError, json.JSONDecodeError):
            return None
        if sort_name != self.sort_name or not isinstance(values, list) or len(values) != len(self.keys):
            return None
        return values

    def page(self, *, after: str = "", before: str = "", last: bool = False) -> KeysetPage:
        """The first page; the page after the cursor ``after``; the page before ``before``; the last page."""
        n = self.per_page
        if before or last:
            values = self._values(before) if before else None
            if before and values is None:
                return self.page()
            rows = self.queryset.order_by(*(k.order(reverse=True) for k in self.keys))
            if values is not None:
                rows = rows.filter(_seek(self.keys, values, reverse=True))
            found = list(rows[: n + 1])
            rows_shown = list(reversed(found[:n]))
            return self._page(rows_shown, has_next=values is not None, has_previous=len(found) > n, is_last=last)
        values = self._values(after) if after else None
        rows = self.queryset.order_by(*(k.order() for k in self.keys))
        if values is not None:
            rows = rows.filter(_seek(self.keys, values, reverse=False))
        found = list(rows[: n + 1])
        return self._page(found[:n], has_next=len(found) > n, has_previous=values is not None)

    def _page(self, rows: list, *, has_next: bool, has_previous: bool, is_last: bool = False) -> KeysetPage:
        return KeysetPage(
            object_list=rows,
            has_next=has_next and bool(rows),
            has_previous=has_previous and bool(rows),
            next_cursor=self.cursor(rows[-1]) if rows and has_next else "",
            previous_cursor=self.cursor(rows[0]) if rows and has_previous else "",
            is_last=is_last or (not has_next and bool(rows)),
        )


def _value(row, path: str):
    for part in path.split("__"):
        row = getattr(row, part)
    return row
