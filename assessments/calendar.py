"""The ITA calendar of a fiscal year, and the due dates of an agency's cycle drawn from it.

Each edition carries its own dates (registration, OIT deadline, survey window, results) as data.
:func:`edition_deadlines` is the ONE place that reads them: where an edition has no date yet (an edition
opened before NACC publishes its manual, or no edition at all), the typical pattern of 2564–2568 stands in
(registration by end of February, OIT evidence by 30 April, surveys April–June, results mid-August;
``shared/domain/ita-framework.md``) and the calendar says which dates are typical rather than published.

The agency's own cycle (results entered, analysis, plan, memos, reports) is dated by :func:`cycle_due_dates`
from these dates and the agency's settings (days allowed for the plan and for each progress report).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from agencies.models import Agency
from assessments.models import FrameworkEdition
from ita_tracker.thai import half_year_end

# The edition's field holding each date (FrameworkEdition's calendar, edited in the framework editor); an empty
# one falls back to the typical date.
CALENDAR_FIELDS: dict[str, str] = {
    "registration": "registration_ends",
    "oit_deadline": "oit_deadline",
    "survey_opens": "survey_starts",
    "survey_closes": "survey_ends",
    "results": "results_date",
}


def _ad(fiscal_year: int) -> int:
    """The Gregorian year in which fiscal year ``fiscal_year`` (BE) ends."""
    return fiscal_year - 543


def typical_dates(fiscal_year: int) -> dict[str, date]:
    year = _ad(fiscal_year)
    return {
        "registration": date(year, 2, 28),
        "oit_deadline": date(year, 4, 30),
        "survey_opens": date(year, 4, 1),
        "survey_closes": date(year, 6, 30),
        "results": date(year, 8, 15),
    }


@dataclass(frozen=True)
class EditionCalendar:
    fiscal_year: int
    registration: date
    oit_deadline: date
    survey_opens: date
    survey_closes: date
    results: date
    published: frozenset[str] = field(default_factory=frozenset)  # the dates the edition itself gives

    def is_typical(self, name: str) -> bool:
        return name not in self.published


def edition_deadlines(edition: FrameworkEdition | None, *, fiscal_year: int | None = None) -> EditionCalendar:
    """The calendar of ``edition`` (or, with no edition, the typical one of ``fiscal_year``)."""
    year = edition.fiscal_year if edition is not None else fiscal_year
    if year is None:
        raise ValueError("edition_deadlines needs an edition or a fiscal year")
    dates = typical_dates(year)
    published = set()
    for name, attr in CALENDAR_FIELDS.items():
        value = getattr(edition, attr, None) if edition is not None else None
        if value:
            dates[name] = value
            published.add(name)
    return EditionCalendar(fiscal_year=year, published=frozenset(published), **dates)


def edition_for(fiscal_year: int) -> FrameworkEdition | None:
    """The edition of ``fiscal_year``, or the latest one before it when that year has none yet."""
    return FrameworkEdition.objects.filter(fiscal_year__lte=fiscal_year).order_by("-fiscal_year").first()


def fiscal_period(fiscal_year: int) -> tuple[date, date]:
    return date(_ad(fiscal_year) - 1, 10, 1), date(_ad(fiscal_year), 9, 30)


# The steps of a year's cycle, in order. Each app reports on its own (agencies.dashboard.CycleStep).
STEPS = ("results", "analysis", "plan_drafted", "plan_approved", "progress_6", "progress_12", "published")


def cycle_due_dates(agency: Agency, fiscal_year: int, *, editions: dict | None = None) -> dict[str, date]:
    """When each step of ``agency``'s cycle for ``fiscal_year`` is due.

    The result of the year before is due a month after its results date and the analysis a month after that;
    the plan is approved within the agency's ``plan_due_days`` of the year's start (drafted two weeks
    before); each progress report within ``report_due_days`` of the end of its half; the documents are
    published by this year's OIT deadline, as OIT evidence. ``editions`` (year → edition) saves the
    look-ups when many agencies are dated at once.
    """
    if editions is None:
        editions = {y: edition_for(y) for y in (fiscal_year - 1, fiscal_year)}
    last = edition_deadlines(_exact(editions.get(fiscal_year - 1), fiscal_year - 1), fiscal_year=fiscal_year - 1)
    this = edition_deadlines(_exact(editions.get(fiscal_year), fiscal_year), fiscal_year=fiscal_year)
    start, end = fiscal_period(fiscal_year)
    plan_approved = start + timedelta(days=agency.plan_due_days - 1)
    report_days = timedelta(days=agency.report_due_days)
    results = last.results + timedelta(days=30)
    return {
        "results": results,
        "analysis": results + timedelta(days=30),
        "plan_drafted": plan_approved - timedelta(days=14),
        "plan_approved": plan_approved,
        "progress_6": half_year_end(fiscal_year) + report_days,
        "progress_12": end + report_days,
        "published": max(this.oit_deadline, plan_approved),
    }


def _exact(edition: FrameworkEdition | None, year: int) -> FrameworkEdition | None:
    # An older edition stands in for the year's scores, never for its dates.
    return edition if edition is not None and edition.fiscal_year == year else None
