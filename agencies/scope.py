"""How far a person's view reaches, told once per request from what the menu reads anyway (issue 17).

People who work in an agency (its coordinator, staff, approvers, admin) belong to one agency or a handful; people
who follow agencies belong to many (a provincial office to 80–600, the NACC to 8,000, a superuser to all). The
figures over *all* of a person's agencies (how many there are, how many have not approved a plan, ...) are live for
the first group and kept a few minutes for the second (``ita_tracker.summaries``): counting 8,000 agencies on every
visit of the dashboard or the agency list costs more than the rest of the page, and no one following 8,000 agencies
needs the count to the second. The rows a page lists are always live.

The line between the two is the agency switcher's, by count rather than by role: up to ``SWITCHER_LIMIT``
agencies the menu offers them in a drop-down (one works in them), beyond it the menu links to the agency list (one
follows them). A role would not do: a coordinator may also be a viewer of a few neighbouring agencies, and a
provincial viewer of three agencies gains nothing from kept figures. The menu reads up to ``SWITCHER_LIMIT + 1``
of the person's agencies on every page; reading them here first, once per request, tells a page which side of the
line the person is on without a query of its own, and gives the exact count when they are few.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from agencies.models import Agency
from ita_tracker.summaries import SUMMARY_SECONDS, kept_for

# Up to this many agencies the switcher is a drop-down and the person's figures are live; beyond it, the menu
# links to the searchable agency list and the figures over all their agencies are kept (SUMMARY_SECONDS).
SWITCHER_LIMIT = 15
KEPT_MINUTES = SUMMARY_SECONDS // 60

T = TypeVar("T")


def first_agencies(request) -> list[Agency]:
    """Up to ``SWITCHER_LIMIT + 1`` of the person's agencies, by name; read once per request.

    The inner ``LIMIT`` has no ``ORDER BY``, so PostgreSQL stops after 16 of the person's memberships; only those
    are sorted by name. Ordering all 8,000 agencies of a national viewer to keep 16 sorted every one of them on
    every page. Beyond the limit the names are not shown (the menu links to the list), so which 16 does not matter.
    """
    found = getattr(request, "_ita_first_agencies", None)
    if found is None:
        visible = Agency.objects.visible_to(request.user).order_by().values("pk")[: SWITCHER_LIMIT + 1]
        found = list(Agency.objects.filter(pk__in=visible).order_by("name", "pk"))
        request._ita_first_agencies = found
    return found


def follows_many(request) -> bool:
    """Whether the person sees more agencies than the switcher lists: their scope-wide figures are kept."""
    return len(first_agencies(request)) > SWITCHER_LIMIT


def summary(request, key: str, compute: Callable[[], T], **filters) -> tuple[T, datetime | None]:
    """``compute()``, and the time it was computed when it is a kept figure (``None``: computed now, live).

    For a person who follows many agencies the value is kept under ``key``, the person and every filter the value
    depends on (``filters``, hashed: a search term may be long or contain anything), so one person's figures are
    never shown to another, nor one filter's to another."""
    if not follows_many(request):
        return compute(), None
    result = kept_for(request.user, key, compute, **filters)
    return result.value, result.as_of


def agency_count(request) -> tuple[int, datetime | None]:
    """How many agencies the person sees: exact and live for a few (the menu's list), kept for many."""
    if not follows_many(request):
        return len(first_agencies(request)), None
    return summary(request, "agency-count", lambda: Agency.objects.visible_to(request.user).count())
