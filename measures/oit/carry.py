"""Carrying standing evidence over to next year's checklist.

A document that stays valid (a structure chart, a service manual) should not be uploaded again every year. When a
checklist is opened, the evidence of the agency's previous checklist marked ``standing`` is copied to the item of the
same title as a *proposal*: it shows on the item, but counts as evidence only once someone in charge keeps it.
Items are matched by title, not code, because the list is renumbered between years (2568's items moved when O25/O26
came back in 2569); a title that appears on both lists is the same item whatever its number.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from django.core.files.base import ContentFile

from measures.oit.models import OitChecklist, OitEntry, OitEvidence


def title_key(title: str) -> str:
    """Titles compared without spacing, brackets' spacing or case (the lists vary in these only)."""
    return re.sub(r"\s+", "", title).casefold()


def previous_checklist(checklist: OitChecklist) -> OitChecklist | None:
    return (
        OitChecklist.objects.filter(agency_id=checklist.agency_id, edition__fiscal_year__lt=checklist.fiscal_year)
        .order_by("-edition__fiscal_year")
        .first()
    )


SIMILAR = 0.65  # how alike two titles must be to be the same item reworded
MARGIN = 0.15  # and how much more alike than the next best, so a doubtful match is never made


def _similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if a.startswith(b) or b.startswith(a):  # "ข้อมูลการติดต่อ" grew "…และช่องทางการสอบถาม" in 2569
        return 0.99
    return SequenceMatcher(None, a, b).ratio()


def match_titles(old: dict[int, str], new: dict[int, str]) -> dict[int, int]:
    """Old key → new key for titles that name the same item: the same title, one the start of the other, or
    reworded (``SequenceMatcher`` ratio of at least :data:`SIMILAR`, clearly ahead of the runner-up: 2568's
    "โครงสร้างและอำนาจหน้าที่" is 2569's "โครงสร้าง หน้าที่และอำนาจ"). Each new item takes one old item at most."""
    old_keys = {k: title_key(t) for k, t in old.items() if t}
    new_keys = {k: title_key(t) for k, t in new.items() if t}
    candidates = []
    for o, a in old_keys.items():
        scores = sorted(((_similarity(a, b), n) for n, b in new_keys.items()), reverse=True)
        if not scores:
            continue
        best, n = scores[0]
        runner_up = scores[1][0] if len(scores) > 1 else 0.0
        if best >= SIMILAR and (best == 1.0 or best - runner_up >= MARGIN):
            candidates.append((best, o, n))
    mapping: dict[int, int] = {}
    taken: set[int] = set()
    for _score, o, n in sorted(candidates, reverse=True):
        if n not in taken and o not in mapping:
            mapping[o] = n
            taken.add(n)
    return mapping


def item_map(old_entries, new_entries) -> dict[int, OitEntry]:
    """Old entry pk → new entry, by title (see :func:`match_titles`)."""
    new_by_pk = {e.pk: e for e in new_entries}
    pairs = match_titles({e.pk: e.item.title for e in old_entries}, {e.pk: e.item.title for e in new_entries})
    return {old: new_by_pk[new] for old, new in pairs.items()}


def carry_over_standing(*, checklist: OitChecklist) -> int:
    """Propose last year's standing evidence on this year's items; returns how many were proposed."""
    previous = previous_checklist(checklist)
    if previous is None:
        return 0
    old_entries = list(previous.entries.select_related("item"))
    mapping = item_map(old_entries, list(checklist.entries.select_related("item")))
    standing = OitEvidence.objects.filter(entry__in=old_entries, standing=True, proposed=False).order_by("pk")
    count = 0
    for old in standing:
        target = mapping.get(old.entry_id)
        if target is None:
            continue
        copy = OitEvidence(
            entry=target,
            kind=old.kind,
            url=old.url,
            title=old.title,
            original_name=old.original_name,
            content_type=old.content_type,
            size=old.size,
            standing=True,
            proposed=True,
        )
        if old.kind == OitEvidence.Kind.FILE:
            try:
                with old.file.open("rb") as fh:
                    copy.file.save(old.original_name or "evidence", ContentFile(fh.read()), save=False)
            except FileNotFoundError:
                continue  # the file is gone: nothing to propose
        copy.full_clean()
        copy.save()
        count += 1
    return count
