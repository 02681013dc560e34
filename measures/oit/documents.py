"""Documents the product makes itself, shown as evidence of the OIT items they answer without anyone uploading.

The memos live in ``reports``, after this app: reports registers a provider here in its ``ready()``
(``reports.oit``), and the checklist asks every provider for the approved documents of an agency-year. A document
says what it is evidence for by its *role*; the item a role belongs to is found by the item's title, so a renumbered
list (o42/o43 in 2564, O25/O26 in 2569) needs no code change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

ITA_MEASURES = "ita_measures"  # the analysis of last year's result and the measures drawn from it (O25; o42)
ITA_RESULTS = "ita_results"  # the results of those measures (O26; o43)
ANTICORRUPTION_PLAN = "anticorruption_plan"  # O23
ANTICORRUPTION_REPORT = "anticorruption_report"  # O24

# (role, how the item's title begins or what it contains), tried in order: the first that matches is the role.
# "การดำเนินการตามมาตรการส่งเสริม…" (o43) is tried before "มาตรการส่งเสริม…" (o42), which it contains.
TITLE_RULES: tuple[tuple[str, str, str], ...] = (
    (ITA_RESULTS, "contains", "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรม"),
    (ITA_RESULTS, "startswith", "การดำเนินการตามมาตรการส่งเสริมคุณธรรม"),
    (ITA_MEASURES, "contains", "การนำผลการประเมิน"),
    (ITA_MEASURES, "startswith", "มาตรการส่งเสริมคุณธรรม"),
    (ANTICORRUPTION_REPORT, "contains", "รายงานผลการดำเนินการป้องกันการทุจริต"),
    (ANTICORRUPTION_PLAN, "contains", "แผนปฏิบัติการป้องกันการทุจริต"),
)


@dataclass(frozen=True)
class MadeDocument:
    role: str
    title: str
    url: str  # its page, for people signed in
    public_url: str = ""  # where anyone may open it; empty while the agency has not published it
    approved_on: date | None = None


Provider = Callable[..., list[MadeDocument]]  # (*, agency, fiscal_year) -> documents
_providers: list[Provider] = []


def register_document_provider(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def document_role(title: str) -> str | None:
    text = " ".join(title.split())
    for role, how, words in TITLE_RULES:
        if (how == "startswith" and text.startswith(words)) or (how == "contains" and words in text):
            return role
    return None


def made_documents(*, agency, fiscal_year: int) -> dict[str, list[MadeDocument]]:
    """The approved documents of the agency-year by role (each provider: a fixed number of queries)."""
    found: dict[str, list[MadeDocument]] = {}
    for provider in _providers:
        for document in provider(agency=agency, fiscal_year=fiscal_year):
            found.setdefault(document.role, []).append(document)
    return found


def documents_for_entries(entries, *, agency, fiscal_year: int) -> dict[int, list[MadeDocument]]:
    """The made documents of each entry (by entry pk); none are asked for when no entry has a role."""
    roles = {entry.pk: document_role(entry.item.title) for entry in entries}
    if not any(roles.values()):
        return {}
    documents = made_documents(agency=agency, fiscal_year=fiscal_year)
    return {pk: documents.get(role, []) for pk, role in roles.items() if role}
