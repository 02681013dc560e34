"""Filters of the annual documents' print templates (reports/templates/reports/pdf)."""

from __future__ import annotations

from django import template

from ita_tracker import thai

register = template.Library()


@register.filter
def exact_period(start, end=None) -> str:
    """ "๑ ต.ค. ๒๕๖๖ – ๓๑ มี.ค. ๒๕๖๗": a step's own dates, to the day (seed 004 prints them so)."""
    dates = [thai.format_date(d, "abbr") for d in (start, end) if d]
    if len(dates) == 2 and start == end:
        return dates[0]
    return " – ".join(dates)


@register.filter
def lines(text) -> list[str]:
    """The non-empty lines of a text, for a cell or a list."""
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


@register.filter
def step_owner(step) -> str:
    """Who does a step: the sub-unit as written ("สำนักปลัดเทศบาล งานธุรการ"), else the division."""
    if step.owner:
        return step.owner
    return step.department.name if step.department_id else ""


@register.filter
def distinct_owners(steps) -> list[str]:
    out: list[str] = []
    for step in steps:
        owner = step_owner(step)
        if owner and owner not in out:
            out.append(owner)
    return out
