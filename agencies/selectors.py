"""Reads over the agencies a person follows that several pages share."""

from __future__ import annotations

from agencies.models import Agency
from ita_tracker.summaries import kept_for


def followed_provinces(user) -> list[str]:
    """The provinces of the agencies ``user`` follows, sorted: the choices of a province filter.

    A ``DISTINCT`` over every agency followed reads all 8,000 of a national viewer's (5–10 ms on each page view), so
    the list is kept a few minutes like the pages' figures (``ita_tracker.summaries``); a province appears or leaves
    a viewer's list only when an agency is added or a membership changes."""
    return kept_for(
        user,
        "provinces",
        lambda: sorted(set(Agency.objects.visible_to(user).order_by().values_list("province", flat=True).distinct())),
    ).value
