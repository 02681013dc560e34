"""The approved memos that are evidence of OIT items, offered to the checklist (``measures.oit.documents``).

Registered in ``ReportsConfig.ready()``: the measures app asks, it never imports this app. Which memo kinds answer
which item is the table :data:`KIND_ROLES`: a kind, the role it plays, and the year it belongs to relative to the
checklist's (O25 is this year's measures and the analysis they came from; O26 is the previous year's results).
A document kind added later (the anti-corruption plan and report for O23/O24) adds one line here.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from ita_tracker.thai import fiscal_year_range
from measures.oit.documents import ITA_MEASURES, ITA_RESULTS, MadeDocument, register_document_provider
from reports.models import Memo

# kind -> (role, year offset from the checklist's year)
KIND_ROLES: dict[str, tuple[str, int]] = {
    Memo.Kind.ANALYSIS: (ITA_MEASURES, 0),
    Memo.Kind.PLAN: (ITA_MEASURES, 0),
    Memo.Kind.PROGRESS_12: (ITA_RESULTS, -1),
}


def _of_year(year: int) -> Q:
    """Memos whose ``Memo.fiscal_year`` is ``year``, as a database condition."""
    starts, ends = fiscal_year_range(year)
    return (
        Q(plan__fiscal_year=year)
        | Q(plan__isnull=True, assessment__edition__fiscal_year=year - 1)
        | Q(plan__isnull=True, assessment__isnull=True, date__range=(starts, ends))
    )


def approved_documents(*, agency, fiscal_year: int) -> list[MadeDocument]:
    """The agency's approved memos serving the checklist of ``fiscal_year`` (one query)."""
    condition = Q()
    for kind, (_role, offset) in KIND_ROLES.items():
        condition |= Q(kind=kind) & _of_year(fiscal_year + offset)
    memos = (
        Memo.objects.filter(agency=agency, status=Memo.Status.APPROVED)
        .filter(condition)
        .select_related("plan", "assessment__edition")
        .order_by("date", "pk")
    )
    documents = []
    for memo in memos:
        public = ""
        if memo.is_published and memo.fiscal_year is not None:
            public = reverse("public:memo_pdf", args=[agency.code, memo.fiscal_year, memo.pk])
        documents.append(
            MadeDocument(
                role=KIND_ROLES[memo.kind][0],
                title=memo.subject,
                url=reverse("reports:memo_detail", args=[memo.pk]),
                public_url=public,
                approved_on=memo.date,
            )
        )
    return documents


def register() -> None:
    register_document_provider(approved_documents)
