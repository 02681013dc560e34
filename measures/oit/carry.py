"""Carrying standing evidence over to next year's checklist.

A document that stays valid (a structure chart, a service manual) should not be uploaded again every year. When a
checklist is opened, the evidence of the agency's previous checklist marked ``standing`` is copied to the item of the
same title as a *proposal*: it shows on the item, but counts as evidence only once someone in charge keeps it.
Items are matched by title, not code, because the list is renumbered between years (2568's items moved when O25/O26
came back in 2569); a title that appears on both lists is the same item whatever its number.
"""

from __future__ import annotations

import re

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


def item_map(old_entries, new_entries) -> dict[int, OitEntry]:
    """Old entry pk → new entry, by title (then by code where the old item has no title)."""
    by_title = {title_key(e.item.title): e for e in new_entries if e.item.title}
    by_code = {e.item.code: e for e in new_entries}
    mapping = {}
    for old in old_entries:
        target = by_title.get(title_key(old.item.title)) if old.item.title else by_code.get(old.item.code)
        if target is not None:
            mapping[old.pk] = target
    return mapping


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
