"""Pages of the OIT checklist. Thin: the entry or checklist comes from what the person may see (another agency's,
or for staff another division's, is a 404), a form validates, a service acts and checks the rights again."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.access import require_role
from agencies.models import Role
from agencies.selectors import followed_provinces
from ita_tracker.job_views import job_started_redirect
from ita_tracker.jobs import job_start
from ita_tracker.paginator import KnownCountPaginator
from ita_tracker.summaries import kept_for
from ita_tracker.thai import fiscal_year, local_digits
from ita_tracker.xlsx import XLSX_CONTENT_TYPE
from measures.oit import access, exports, selectors, services
from measures.oit.documents import documents_for_entries
from measures.oit.forms import AssignForm, DueForm, EvidenceForm, OpenForm, ReviewForm
from measures.oit.jobs import OIT_OVERVIEW_EXPORT
from measures.oit.models import OitChecklist, OitEvidence, OitState

OVERVIEW_PAGE_SIZE = 50


def _errors(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def index(request):
    """The current agency's checklists; the coordinator opens a year's from here."""
    agency = request.workspace.agency
    checklists, form = [], None
    if agency is not None:
        checklists = list(OitChecklist.objects.filter(agency=agency).select_related("edition"))
        if access.can_manage(request.user, agency, request.workspace.membership):
            form = OpenForm(agency)
    return render(request, "measures/oit/index.html", {"agency": agency, "checklists": checklists, "form": form})


@require_POST
def checklist_open(request):
    agency = request.workspace.agency
    if agency is None:
        raise Http404("No agency")
    require_role(request, agency, Role.COORDINATOR)
    form = OpenForm(agency, request.POST)
    if not form.is_valid():
        messages.error(request, _("เลือกปีงบประมาณที่ยังไม่มีรายการ OIT"))
        return redirect("measures:oit_index")
    try:
        checklist = services.checklist_open(
            agency=agency, fiscal_year=form.cleaned_data["fiscal_year"], by=request.user
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("measures:oit_index")
    messages.success(request, _("เปิดรายการ OIT ปี %(year)s แล้ว") % {"year": local_digits(checklist.fiscal_year)})
    return redirect(checklist)


def checklist_detail(request, pk):
    checklist = selectors.visible_checklist_or_404(request.user, pk)
    today = timezone.localdate()
    filters = {"state": request.GET.get("state", ""), "department": request.GET.get("department", "")}
    rows = selectors.checklist_rows(checklist, request.user, today=today)
    shown = [r for r in rows if _matches(r, filters)]
    membership = request.workspace.membership if request.workspace.agency == checklist.agency else None
    manager = access.can_manage(request.user, checklist.agency, membership)
    return render(
        request,
        "measures/oit/checklist.html",
        {
            "checklist": checklist,
            "rows": shown,
            "total": len(rows),
            "counts": selectors.state_counts(rows),
            "overdue": sum(1 for r in rows if r.overdue),
            "percent": selectors.percent(sum(1 for r in rows if r.state == OitState.PASSED), len(rows)),
            "filters": filters,
            "states": OitState.choices,
            "departments": checklist.agency.departments.all() if manager else [],
            "can_manage": manager,
            "due_form": DueForm(initial={"due": checklist.due}) if manager else None,
            "whole_list": access.sees_whole_list(request.user, checklist.agency, membership),
        },
    )


def _matches(row, filters: dict) -> bool:
    if filters["state"] and row.state != filters["state"]:
        return False
    return not filters["department"] or str(row.department_id) == filters["department"]


@require_POST
def checklist_due(request, pk):
    checklist = selectors.visible_checklist_or_404(request.user, pk)
    form = DueForm(request.POST)
    if form.is_valid():
        try:
            services.checklist_set_due(checklist=checklist, due=form.cleaned_data["due"], by=request.user)
            messages.success(request, _("บันทึกกำหนดส่งแล้ว"))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(checklist)


def entry_detail(request, pk):
    entry = selectors.visible_entry_or_404(request.user, pk)
    checklist = entry.checklist
    made = documents_for_entries([entry], agency=checklist.agency, fiscal_year=checklist.fiscal_year)
    membership = request.workspace.membership if request.workspace.agency == checklist.agency else None
    manager = access.can_manage(request.user, checklist.agency, membership)
    preparer = access.can_prepare(request.user, entry, membership)
    movable = entry.state in services.MOVABLE
    return render(
        request,
        "measures/oit/entry.html",
        {
            "entry": entry,
            "checklist": checklist,
            "evidence": list(entry.evidence.order_by("pk")),
            "made": made.get(entry.pk, []),
            "overdue": entry.is_overdue(today=timezone.localdate()),
            "can_manage": manager,
            "can_prepare": preparer and movable,
            "can_submit": preparer and entry.state in (OitState.IN_PROGRESS, OitState.NEEDS_FIX, OitState.NOT_STARTED),
            "assign_form": AssignForm(entry) if manager else None,
            "evidence_form": EvidenceForm() if preparer and movable else None,
            "review_form": ReviewForm(initial={"version": entry.version}) if manager else None,
            "public_url": exports.public_item_path(checklist.agency.code, checklist.fiscal_year, entry.item.code),
        },
    )


@require_POST
def entry_assign(request, pk):
    entry = selectors.visible_entry_or_404(request.user, pk)
    form = AssignForm(entry, request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(entry)
    try:
        entry = services.entry_assign(
            entry=entry,
            department=form.cleaned_data["department"],
            due=form.cleaned_data["due"],
            by=request.user,
            version=form.cleaned_data["version"],
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(entry)
    messages.success(request, _("มอบหมายข้อ %(code)s แล้ว") % {"code": entry.code})
    return redirect(entry)


@require_POST
def evidence_add(request, pk):
    entry = selectors.visible_entry_or_404(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(entry)
    data = form.cleaned_data
    common = {"entry": entry, "by": request.user, "title": data["title"], "standing": data["standing"]}
    try:
        if data["file"]:
            services.evidence_add_file(upload=data["file"], **common)
        else:
            services.evidence_add_link(url=data["url"], **common)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(entry)
    messages.success(request, _("เพิ่มหลักฐานของข้อ %(code)s แล้ว") % {"code": entry.code})
    return redirect(entry)


def _visible_evidence_or_404(user, pk) -> OitEvidence:
    return get_object_or_404(
        OitEvidence.objects.select_related("entry__item", "entry__checklist__agency"),
        entry__in=access.visible_entries(user),
        pk=pk,
    )


@require_POST
def evidence_remove(request, pk):
    evidence = _visible_evidence_or_404(request.user, pk)
    try:
        services.evidence_remove(evidence=evidence, by=request.user)
        messages.success(request, _("ลบหลักฐานแล้ว"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(evidence.entry)


@require_POST
def evidence_keep(request, pk):
    evidence = _visible_evidence_or_404(request.user, pk)
    try:
        services.evidence_keep(evidence=evidence, by=request.user)
        messages.success(request, _("ใช้หลักฐานจากปีก่อนแล้ว"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(evidence.entry)


def evidence_download(request, pk):
    evidence = _visible_evidence_or_404(request.user, pk)
    if evidence.kind != OitEvidence.Kind.FILE:
        raise Http404("Not a file")
    return file_response(evidence)


def file_response(evidence: OitEvidence) -> FileResponse:
    """The stored file under its original name, never run by the browser (its own strict policy)."""
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=not evidence.content_type.startswith(("image/", "application/pdf")),
        filename=evidence.original_name or "evidence",
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
def entry_submit(request, pk):
    entry = selectors.visible_entry_or_404(request.user, pk)
    try:
        entry = services.entry_submit(entry=entry, by=request.user, version=int(request.POST.get("version", 0)))
    except (ValidationError, ValueError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(entry)
    messages.success(request, _("ส่งข้อ %(code)s ให้ผู้ประสานงานตรวจแล้ว") % {"code": entry.code})
    return redirect(entry)


@require_POST
def entry_review(request, pk):
    entry = selectors.visible_entry_or_404(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(entry)
    passed = form.cleaned_data["decision"] == ReviewForm.PASS
    try:
        entry = services.entry_review(
            entry=entry,
            by=request.user,
            passed=passed,
            comment=form.cleaned_data["comment"],
            version=form.cleaned_data["version"],
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(entry)
    if passed:
        messages.success(request, _("ข้อ %(code)s ผ่านการตรวจแล้ว") % {"code": entry.code})
    else:
        messages.success(request, _("ส่งข้อ %(code)s กลับแก้ไขแล้ว") % {"code": entry.code})
    return redirect(entry.checklist)


def itas_export(request, pk, fmt):
    checklist = selectors.visible_checklist_or_404(request.user, pk)
    if fmt == "xlsx":
        data, content_type = exports.itas_workbook(checklist, request.build_absolute_uri), XLSX_CONTENT_TYPE
    elif fmt == "csv":
        data, content_type = exports.itas_csv(checklist, request.build_absolute_uri), "text/csv; charset=utf-8"
    else:
        raise Http404("No such format")
    return _attachment(data, content_type, f"OIT-ITAS-{checklist.agency.code}-{checklist.fiscal_year}.{fmt}")


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


def _year(request) -> int:
    return _year_of(request.GET)


def _year_of(data) -> int:
    try:
        return int(data.get("year", ""))
    except ValueError:
        return fiscal_year(timezone.localdate())


def overview(request):
    """Every agency the person follows (a provincial viewer: the province), with its share of OIT items ready."""
    year = _year(request)
    province = request.GET.get("province", "")[:100]
    agencies = selectors.overview(request.user, year=year, province=province)
    # How many agencies the person follows (8,000 for the NACC) is kept a few minutes; the page's rows stay live.
    count = kept_for(
        request.user, "oit-overview-count", lambda: agencies.order_by().count(), year=year, province=province
    )
    page = KnownCountPaginator(agencies, OVERVIEW_PAGE_SIZE, count=count.value).get_page(request.GET.get("page"))
    page.object_list = selectors.overview_rows(page.object_list)
    return render(
        request,
        "measures/oit/overview.html",
        {
            "page": page,
            "as_of": count.as_of,
            "year": year,
            "province": province,
            "provinces": followed_provinces(request.user),
            "export_in_background": count.value > settings.EXPORT_INLINE_MAX_AGENCIES,
        },
    )


def overview_export(request):
    """The overview as a workbook. Few agencies: the file at once (GET). More than ``EXPORT_INLINE_MAX_AGENCIES``
    (a national viewer): a job started by the page's POST button, so no national work runs in a request."""
    data = request.POST if request.method == "POST" else request.GET
    year, province = _year_of(data), data.get("province", "")[:100]
    if request.method == "POST":
        job = job_start(kind=OIT_OVERVIEW_EXPORT, params={"year": year, "province": province}, by=request.user)
        return job_started_redirect(request, job)
    agencies = selectors.overview(request.user, year=year, province=province)
    if agencies.count() > settings.EXPORT_INLINE_MAX_AGENCIES:
        messages.info(request, _('หน่วยงานที่ติดตามมีจำนวนมาก ไฟล์จึงสร้างในเบื้องหลัง: กดปุ่ม "ส่งออก Excel" อีกครั้ง'))
        return redirect(f"{reverse('measures:oit_overview')}?year={year}")
    return _attachment(exports.overview_workbook(agencies, year), XLSX_CONTENT_TYPE, f"OIT-{year}.xlsx")
