"""The installation-wide average of every indicator, kept per edition as scores change (issue 17).

``IndicatorAverage`` holds a sum and a count per indicator. A save of an agency's scores
(``services.assessment_save``) adds what changed, in one ``UPDATE`` whatever the number of indicators, with the
row's own values (``total = total + delta``), so two saves at the same moment both count. Writes that do not go
through that service (the admin's inline score edits, a deleted assessment, ``generate_data``'s bulk load) call
:func:`indicator_averages_rebuild` for the editions they touched: one grouped query per call. The charts then
read the averages in one query whatever the years (``selectors.indicator_averages``), on every process alike,
instead of scanning every score into a per-process cache.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, Count, DecimalField, F, IntegerField, Sum, Value, When

from assessments.models import Indicator, IndicatorAverage, IndicatorScore

Change = tuple[Decimal | None, Decimal | None]  # (score before, score after); None: no score


def indicator_averages_apply(*, changes: Mapping[int, Change]) -> None:
    """Add the changes of one save, keyed by indicator id, to the stored sums and counts (two queries)."""
    deltas: dict[int, tuple[Decimal, int]] = {}
    for indicator_id, (before, after) in changes.items():
        if before == after:
            continue
        total = (after or Decimal(0)) - (before or Decimal(0))
        count = (after is not None) - (before is not None)
        deltas[indicator_id] = (total, count)
    if not deltas:
        return
    IndicatorAverage.objects.bulk_create([IndicatorAverage(indicator_id=pk) for pk in deltas], ignore_conflicts=True)
    IndicatorAverage.objects.filter(indicator_id__in=deltas).update(
        total=F("total")
        + Case(
            *(When(indicator_id=pk, then=Value(d[0])) for pk, d in deltas.items()),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        ),
        count=F("count")
        + Case(*(When(indicator_id=pk, then=Value(d[1])) for pk, d in deltas.items()), output_field=IntegerField()),
    )


@transaction.atomic
def indicator_averages_rebuild(*, edition_ids: Iterable[int] | None = None) -> int:
    """Recount the averages of these editions (all when ``None``) from the scores; returns the rows written."""
    indicators = Indicator.objects.all()
    if edition_ids is not None:
        indicators = indicators.filter(edition_id__in=list(edition_ids))
    indicator_ids = list(indicators.values_list("pk", flat=True))
    sums = {
        row["indicator_id"]: (row["total"], row["n"])
        for row in IndicatorScore.objects.filter(indicator_id__in=indicator_ids)
        .values("indicator_id")
        .annotate(total=Sum("score"), n=Count("pk"))
        .order_by()
    }
    IndicatorAverage.objects.filter(indicator_id__in=indicator_ids).delete()
    rows = [
        IndicatorAverage(indicator_id=pk, total=sums[pk][0] or 0, count=sums[pk][1])
        for pk in indicator_ids
        if pk in sums
    ]
    IndicatorAverage.objects.bulk_create(rows)
    return len(rows)


def rebuild_after_delete(sender, instance, **kwargs) -> None:
    """``post_delete`` of an assessment: its scores went with it (a cascade sends no signal per score)."""
    edition_id = instance.edition_id
    transaction.on_commit(lambda: indicator_averages_rebuild(edition_ids=[edition_id]))
