"""Reads of the OIT checklist for pages, panels and exports, each in a fixed number of queries."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from agencies.models import Agency
from measures.oit import access
from measures.oit.documents import documents_for_entries
from measures.oit.models import OitChecklist, OitEntry, OitEvidence, OitState


def visible_checklist_or_404(user, pk) -> OitChecklist:
    try:
        return OitChecklist.objects.visible_to(user).select_related("agency", "edition").get(pk=pk)
    except (OitChecklist.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such checklist") from exc


def visible_entry_or_404(user, pk) -> OitEntry:
    try:
        entry = access.visible_entries(user).for_list().get(pk=pk)
    except (OitEntry.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such item") from exc
    return entry


def checklist_rows(checklist: OitChecklist, user, *, today: date, state: str = "", department: str = "") -> list:
    """The entries ``user`` may see, in item order, with their evidence and made documents attached."""
    entries = (
        access.visible_entries(user)
        .filter(checklist=checklist)
        .select_related("item", "department")
        .prefetch_related(Prefetch("evidence", queryset=OitEvidence.objects.order_by("pk")))
        .order_by("item__order")
    )
    rows = list(entries)
    made = documents_for_entries(rows, agency=checklist.agency, fiscal_year=checklist.fiscal_year)
    for row in rows:
        row.checklist = checklist  # already read: no query per row for its deadline
        row.made = made.get(row.pk, [])
        row.overdue = row.is_overdue(today=today)
        row.evidence_count = sum(1 for e in row.evidence.all() if not e.proposed) + len(row.made)
        row.proposals = sum(1 for e in row.evidence.all() if e.proposed)
    if state:
        rows = [r for r in rows if r.state == state]
    if department:
        rows = [r for r in rows if str(r.department_id) == department]
    return rows


def state_counts(rows) -> list[tuple[str, str, int]]:
    counts = {s: 0 for s in OitState.values}
    for row in rows:
        counts[row.state] += 1
    return [(s, OitState(s).label, counts[s]) for s in OitState.values]


def percent(passed: int, total: int) -> int:
    return round(100 * passed / total) if total else 0


def overview(user, *, year: int, province: str = ""):
    """Every agency ``user`` follows, with its OIT items of ``year``: total and passed, as two subqueries on the
    agency list (so a page of 50 rows of 8,000 agencies is still one query, plus the paginator's count)."""
    entries = OitEntry.objects.filter(checklist__agency=OuterRef("pk"), checklist__edition__fiscal_year=year)

    def count(qs):
        return Coalesce(
            Subquery(qs.order_by().values("checklist__agency").annotate(n=Count("pk")).values("n")[:1]),
            0,
            output_field=IntegerField(),
        )

    agencies = Agency.objects.visible_to(user)
    if province:
        agencies = agencies.filter(province=province)
    return agencies.annotate(
        oit_total=count(entries), oit_passed=count(entries.filter(state=OitState.PASSED))
    ).order_by("province", "name", "pk")


def overview_rows(agencies) -> list:
    rows = list(agencies)
    for agency in rows:
        agency.oit_percent = percent(agency.oit_passed, agency.oit_total)
    return rows


def passed_entries(agency: Agency, year: int):
    """What the public page shows: the items of the year that passed review, in item order."""
    return (
        OitEntry.objects.filter(checklist__agency=agency, checklist__edition__fiscal_year=year, state=OitState.PASSED)
        .select_related("item", "checklist__edition")
        .prefetch_related(Prefetch("evidence", queryset=OitEvidence.objects.filter(proposed=False).order_by("pk")))
        .order_by("item__order")
    )


def panel_counts(checklist: OitChecklist, user, *, today: date, whole_list: bool = False) -> dict:
    """Items by state and the overdue ones, for the dashboard (two queries).

    ``whole_list``: the caller knows the person sees every entry of this checklist (a whole-list role in its agency,
    from the request's workspace); the entries are then read by checklist alone. Through ``visible_entries`` a
    national viewer's query hashed all 8,000 of their memberships first (5 ms at 8,000 agencies, issue 17)."""
    entries = (OitEntry.objects.all() if whole_list else access.visible_entries(user)).filter(checklist=checklist)
    by_state = dict(entries.values_list("state").annotate(n=Count("pk")).order_by())
    deadline = checklist.deadline
    if deadline is not None and deadline < today:
        overdue = entries.open().filter(Q(due__lt=today) | Q(due__isnull=True))
    else:
        overdue = entries.open().filter(due__lt=today)
    late = list(overdue.select_related("item").order_by("item__order")[:5])
    return {
        "states": [(s, OitState(s).label, by_state.get(s, 0)) for s in OitState.values],
        "total": sum(by_state.values()),
        "passed": by_state.get(OitState.PASSED, 0),
        "late": late,
        "late_count": overdue.count() if len(late) == 5 else len(late),
    }
