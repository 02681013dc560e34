"""The assessments' part of the dashboard: the latest results panel, and the first two steps of the year's
cycle (last year's result entered, its analysis written)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.dashboard import STATE_DONE, CycleStep
from agencies.models import Agency
from assessments import calendar
from assessments.models import Assessment, Finding


def latest_results(request):
    agency = request.workspace.agency
    if agency is None:
        return None
    latest = list(
        Assessment.objects.filter(agency=agency).select_related("edition").order_by("-edition__fiscal_year")[:2]
    )
    return {"latest": latest[0] if latest else None, "previous": latest[1] if len(latest) > 1 else None}


def cycle_steps(*, agency: Agency, fiscal_year: int, today: date) -> list[CycleStep]:
    """The result of the year before ``fiscal_year`` (the latest edition up to it when that year has no
    edition yet) and its analysis (at least one finding written)."""
    due = calendar.cycle_due_dates(agency, fiscal_year)
    edition = calendar.edition_for(fiscal_year - 1)
    note = ""
    if edition is None:
        return [
            CycleStep(
                "results",
                10,
                _("บันทึกผลการประเมินปีที่แล้ว"),
                due["results"],
                False,
                _("ยังไม่มีกรอบการประเมินในระบบ"),
                holder=_("ผู้ดูแลระบบ"),
            ),
        ]
    if edition.fiscal_year != fiscal_year - 1:
        note = _("ยังไม่มีกรอบการประเมินปี %(year)s ใช้ปี %(used)s แทน") % {
            "year": fiscal_year - 1,
            "used": edition.fiscal_year,
        }
    assessment = Assessment.objects.filter(agency=agency, edition=edition).first()
    year = edition.fiscal_year
    coordinator = _("ผู้ประสานงาน ITA")
    if assessment is None:
        results = CycleStep(
            "results",
            10,
            _("บันทึกผลการประเมิน ITA ปี %(year)s") % {"year": year},
            due["results"],
            False,
            _("ยังไม่ได้บันทึก"),
            holder=coordinator,
            url=reverse("assessments:entry", args=[year]),
            action=_("บันทึกคะแนน"),
            note=note,
        )
        analysis = CycleStep(
            "analysis", 20, _("วิเคราะห์ผลการประเมิน"), due["analysis"], False, _("รอผลการประเมิน"), holder=coordinator
        )
        return [results, analysis]
    total = assessment.display_total
    results = CycleStep(
        "results",
        10,
        _("บันทึกผลการประเมิน ITA ปี %(year)s") % {"year": year},
        due["results"],
        True,
        f"{STATE_DONE} · {total if total is not None else '—'}",
        state_data=assessment.display_level,
        url=assessment.get_absolute_url(),
        action=_("ดูผล"),
        note=note,
    )
    findings = Finding.objects.filter(assessment=assessment).count()
    analysis_url = reverse("assessments:analysis", args=[assessment.pk])
    if findings:
        analysis = CycleStep(
            "analysis",
            20,
            _("วิเคราะห์ผลการประเมิน"),
            due["analysis"],
            True,
            _("%(n)s ประเด็น") % {"n": findings},
            url=analysis_url,
            action=_("ดูการวิเคราะห์"),
        )
    else:
        analysis = CycleStep(
            "analysis",
            20,
            _("วิเคราะห์ผลการประเมิน"),
            due["analysis"],
            False,
            _("ยังไม่ได้เขียน"),
            holder=coordinator,
            url=analysis_url,
            action=_("เขียนการวิเคราะห์"),
        )
    return [results, analysis]
