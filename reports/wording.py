"""The coordinator's page for the agency's wording of its documents (``reports.texts.DocumentText``), per
agency and fiscal year: each document's parts, the wording printed now (the agency's, else the default), the
placeholders a text may use, and a form to change one part or return it to the default. Every change writes
an audit entry. Rights: the agency's coordinators (as for editing plans), checked at each request; another
agency's page is a 404 (the agency is looked up among those the person may see)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.audit import audit_record
from agencies.models import Agency, AuditEntry
from measures.permissions import can_edit_plan
from reports.documents.analysis import DEFAULTS as ANALYSIS_DEFAULTS
from reports.documents.plan import PLAN_DEFAULTS
from reports.documents.results import RESULTS_COLUMNS, RESULTS_DEFAULTS
from reports.tables import STATUS_HEADER
from reports.texts import TEXT_MAX_LENGTH, DocumentText, document_text_save

TOOLS = ("iit", "eit", "oit")


@dataclass(frozen=True)
class DocumentParts:
    defaults: dict
    extra: tuple[str, ...]  # parts with no default (printed only when the agency writes them)
    placeholders: tuple[str, ...]
    pattern: str = ""  # further keys the document reads (numbered parts)

    def keys(self) -> list[str]:
        return [*self.defaults, *(k for k in self.extra if k not in self.defaults)]

    def knows(self, key: str) -> bool:
        return key in self.defaults or key in self.extra or bool(self.pattern and re.fullmatch(self.pattern, key))


PARTS = {
    DocumentText.Document.ANALYSIS: DocumentParts(
        ANALYSIS_DEFAULTS,
        (
            "cover",
            # indicator_order: the indicators' numbers in the order the agency lists them (seed 002: 1 5 3 2 4…).
            "indicator_order",
            "comparison",
            "tools_intro",
            "closing",
            *(f"remark_{t}" for t in TOOLS),
            *(f"tool_{t}{suffix}" for t in TOOLS for suffix in ("", "_period", "_owner", "_columns")),
        ),
        (
            "agency",
            "location",
            "year",
            "next_year",
            "previous_year",
            "total",
            "level",
            "level_phrase",
            "previous_total",
            "target",
            "raise_from",
            "target_level",
            "target_condition",
            # period, measure_<n>_period: a period of part 2 (its dates, and the span as other documents print it).
            "starts",
            "ends",
            "period",
        ),
        # indicator_<n>_columns: the headers of a table of that indicator's own (seed 002's OIT); indicator_<n>_name:
        # the indicator as the agency words it (seed 004's "การแก้ปัญหาการทุจริต"); measure_<n>_period: the periods
        # of one measure of part 2 (seed 004 words its topics' periods three ways).
        pattern=r"limitation_\d{1,2}(_title)?|indicator_\d{1,2}_(columns|name)|measure_\d{1,3}_period",
    ),
    DocumentText.Document.PLAN: DocumentParts(
        PLAN_DEFAULTS,
        (),
        # starts, ends, period: a period of a plan printed a row per method (seed 004), in "period".
        (
            "agency",
            "location",
            "year",
            "plan_title",
            "assessment_year",
            "total",
            "level_phrase",
            "starts",
            "ends",
            "period",
        ),
        pattern=r"measure_\d{1,3}_period",
    ),
    DocumentText.Document.RESULTS: DocumentParts(
        # header_status: the memo's progress table (seed 000) words its status header as the agency does.
        {**RESULTS_DEFAULTS, "header_status": STATUS_HEADER},
        ("cover", *(f"header_{key}" for key in RESULTS_COLUMNS)),
        # number, title: a measure's, in its first line (measure_title).
        ("agency", "location", "year", "plan_title", "assessment_phrase", "as_of", "number", "title"),
        # measure_<n>_title: one measure's first line (seed 001 numbers only its first four).
        pattern=r"measure_\d{1,3}_title",
    ),
}


class WordingForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("ข้อความ"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        error_messages={"max_length": gettext_lazy("ข้อความยาวได้ไม่เกิน %(limit_value)d ตัวอักษร (ขณะนี้ %(show_value)d)")},
    )


def _agency_for(request, code: str) -> Agency:
    agency = get_object_or_404(Agency.objects.visible_to(request.user), code=code)
    if not can_edit_plan(request.user, agency):
        raise PermissionDenied("coordinators edit the wording of documents")
    return agency


def _audit(agency: Agency, by, *, year: int, document: str, key: str, before: str, after: str) -> None:
    label = DocumentText.Document(document).label
    audit_record(
        agency=agency,
        actor=by,
        action=AuditEntry.Action.UPDATE,
        obj_type=AuditEntry.ObjectType.DOCUMENT_TEXT,
        obj_id=year,
        summary=_("ข้อความในเอกสาร %(doc)s ปี %(year)s ส่วน %(key)s") % {"doc": label, "year": year, "key": key},
        before={key: before},
        after={key: after},
    )


@transaction.atomic
def wording_save(*, agency: Agency, year: int, document: str, key: str, text: str | None, by) -> None:
    """Store one part in the agency's words, or (``text`` None) return it to the default; audited."""
    if not can_edit_plan(by, agency):  # again at the moment of saving
        raise PermissionDenied("coordinators edit the wording of documents")
    current = DocumentText.objects.select_for_update().filter(
        agency=agency, fiscal_year=year, document=document, key=key
    )
    before = current.values_list("text", flat=True).first()
    if text is None:
        current.delete()
    else:
        document_text_save(agency=agency, fiscal_year=year, document=document, key=key, text=text)
    if before != text:
        _audit(agency, by, year=year, document=document, key=key, before=before or "", after=text or "")


def wording_list(request, code: str, year: int):
    agency = _agency_for(request, code)
    stored = {(t.document, t.key): t.text for t in DocumentText.objects.filter(agency=agency, fiscal_year=year)}
    documents = []
    for document, parts in PARTS.items():
        keys = parts.keys() + sorted(k for d, k in stored if d == document and k not in parts.keys())
        rows = [
            {"key": key, "default": parts.defaults.get(key, ""), "text": stored.get((document, key))} for key in keys
        ]
        documents.append(
            {
                "key": document,
                "label": DocumentText.Document(document).label,
                "rows": rows,
                "placeholders": parts.placeholders,
            }
        )
    return render(
        request,
        "reports/wording_list.html",
        {"agency": agency, "year": year, "documents": documents, "limit": TEXT_MAX_LENGTH},
    )


def wording_edit(request, code: str, year: int, document: str, key: str):
    agency = _agency_for(request, code)
    parts = PARTS.get(document)
    if parts is None or not parts.knows(key):
        raise Http404("no such part")
    stored = DocumentText.objects.filter(agency=agency, fiscal_year=year, document=document, key=key).first()
    form = WordingForm(request.POST or None, initial={"text": stored.text if stored else parts.defaults.get(key, "")})
    if request.method == "POST":
        reset = "reset" in request.POST
        if reset or form.is_valid():
            text = None if reset else form.cleaned_data["text"]
            wording_save(agency=agency, year=year, document=document, key=key, text=text, by=request.user)
            messages.success(request, _("คืนข้อความตั้งต้นแล้ว") if reset else _("บันทึกข้อความแล้ว"))
            return redirect("reports:wording_list", code=agency.code, year=year)
    return render(
        request,
        "reports/wording_edit.html",
        {
            "agency": agency,
            "year": year,
            "document": DocumentText.Document(document),
            "key": key,
            "form": form,
            "default": parts.defaults.get(key, ""),
            "stored": stored,
            "placeholders": parts.placeholders,
            "limit": TEXT_MAX_LENGTH,
        },
    )
