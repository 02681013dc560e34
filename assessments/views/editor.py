"""The framework editor: national administrators keep each year's tools, indicators, items, weights, level rules
and calendar in the application (not in Django admin). Everyone else gets 403: editions are national data, not
an agency's, so membership or roles in an agency give no access."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assessments import editions
from assessments.editor_forms import EditionForm, IndicatorFormSet, ItemFormSet, LevelFormSet, ToolFormSet, rows
from assessments.models import Assessment, FrameworkEdition, ResponsibleKind
from ita_tracker.thai import local_digits

FIELD_LABELS = {
    "name_th": gettext_lazy("ชื่อ"),
    "weight": gettext_lazy("น้ำหนัก"),
    "tool": gettext_lazy("เครื่องมือ"),
    "indicator": gettext_lazy("ตัวชี้วัด"),
    "title": gettext_lazy("ข้อคำถาม"),
    "sub_indicator": gettext_lazy("ตัวชี้วัดย่อย"),
    "criteria": gettext_lazy("เกณฑ์การพิจารณา"),
    "responsible_kind": gettext_lazy("ส่วนราชการที่มักรับผิดชอบ"),
    "min_total": gettext_lazy("คะแนนรวมขั้นต่ำ"),
    "min_each_tool": gettext_lazy("ขั้นต่ำทุกเครื่องมือ"),
    "passes": gettext_lazy("ผ่านเกณฑ์"),
    "order": gettext_lazy("ลำดับ"),
}
SECTION_LABELS = {
    "tools": gettext_lazy("เครื่องมือการประเมิน"),
    "indicators": gettext_lazy("ตัวชี้วัดและน้ำหนัก"),
    "items": gettext_lazy("ข้อคำถาม"),
    "levels": gettext_lazy("เกณฑ์ระดับผลการประเมิน"),
}


def _shown(field: str, value):
    """A value as the comparison page shows it: the division kind and yes/no in words."""
    if field == "responsible_kind":
        return ResponsibleKind(value).label if value else ""
    if isinstance(value, bool):
        return _("ใช่") if value else _("ไม่ใช่")
    return value


def framework_admin_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not editions.can_edit_frameworks(request.user):
            raise PermissionDenied("framework administrators only")
        return view(request, *args, **kwargs)

    return wrapped


def _edition_or_404(year: int) -> FrameworkEdition:
    return get_object_or_404(FrameworkEdition.objects.with_structure().prefetch_related("items"), fiscal_year=year)


@framework_admin_required
def edition_list(request):
    # Counts in two grouped queries, whatever the number of editions.
    editions_ = list(
        FrameworkEdition.objects.select_related("edited_by")
        .annotate(item_count=Count("items"))
        .order_by("-fiscal_year")
    )
    results = dict(Assessment.objects.values_list("edition_id").annotate(n=Count("pk")).values_list("edition_id", "n"))
    years = {e.fiscal_year for e in editions_}
    for edition in editions_:
        edition.result_count = results.get(edition.pk, 0)
        edition.next_exists = edition.fiscal_year + 1 in years
    return render(request, "assessments/edition_list.html", {"editions": editions_})


@require_POST
@framework_admin_required
def edition_open_next(request, year):
    source = _edition_or_404(year)
    try:
        new = editions.edition_open_next(source=source, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments:edition_list")
    messages.success(
        request,
        _("เปิดกรอบการประเมินปี %(year)s เป็นสำเนาของปี %(source)s แล้ว ทุกข้อมูลยังต้องตรวจสอบกับคู่มือ")
        % {"year": local_digits(new.fiscal_year), "source": local_digits(source.fiscal_year)},
    )
    return redirect("assessments:edition_edit", year=new.fiscal_year)


def _save(request, edition: FrameworkEdition, new_data: dict, version: int, page: str):
    """Confirm first when the change recomputes results; then save all or nothing. Returns a response, or the
    error messages to show on the form."""
    count = editions.scored_assessments(edition).count()
    if count and "confirm" not in request.POST and editions.scoring_changes(edition, new_data):
        hidden = [
            (name, value)
            for name, values in request.POST.lists()
            if name not in ("csrfmiddlewaretoken", "confirm")
            for value in values
        ]
        return render(
            request,
            "assessments/edition_confirm.html",
            {"edition": edition, "count": count, "hidden": hidden, "page": page},
        ), []
    try:
        recomputed = editions.edition_update(edition=edition, data=new_data, by=request.user, version=version)
    except ValidationError as error:
        return None, error.messages
    message = _("บันทึกกรอบการประเมินปี %(year)s แล้ว") % {"year": local_digits(edition.fiscal_year)}
    if recomputed:
        message += " " + _("คำนวณผลการประเมินใหม่ %(count)s รายการ") % {"count": local_digits(recomputed)}
    messages.success(request, message)
    return redirect(page, year=edition.fiscal_year), []


@framework_admin_required
def edition_edit(request, year):
    """The edition, its calendar, tools, indicators (with weights) and level rules, saved together."""
    edition = _edition_or_404(year)
    data = editions.edition_to_data(edition)
    post = request.POST if request.method == "POST" else None
    form = EditionForm(post, instance=edition, initial={"version": edition.version})
    tools = ToolFormSet(post, prefix="tools", initial=data["tools"])
    indicators = IndicatorFormSet(
        post,
        prefix="indicators",
        initial=[{**i, "aliases": "|".join(i["aliases"])} for i in data["indicators"]],
        form_kwargs={"tool_codes": [t["code"] for t in data["tools"]]},
    )
    levels = LevelFormSet(
        post, prefix="levels", initial=[{**rule, "order": n} for n, rule in enumerate(data["levels"], start=1)]
    )
    errors: list[str] = []
    if post is not None and all([form.is_valid(), tools.is_valid(), indicators.is_valid(), levels.is_valid()]):
        new_data = {
            **data,
            **form.to_data(),
            "tools": rows(tools),
            "indicators": [{**i, "aliases": i["aliases"].split("|")} for i in rows(indicators)],
            "levels": [
                {k: v for k, v in rule.items() if k != "order"}
                for rule in sorted(rows(levels), key=lambda rule: rule["order"])
            ],
        }
        response, errors = _save(request, edition, new_data, form.cleaned_data["version"], "assessments:edition_edit")
        if response is not None:
            return response
    elif post is not None:
        errors = [_("ยังไม่ได้บันทึก: กรุณาแก้ไขช่องที่มีข้อความแจ้งด้านล่าง")]
    return render(
        request,
        "assessments/edition_form.html",
        {
            "edition": edition,
            "form": form,
            "formsets": [
                (_("เครื่องมือการประเมิน"), tools),
                (_("ตัวชี้วัดและน้ำหนัก"), indicators),
                (_("เกณฑ์ระดับผลการประเมิน"), levels),
            ],
            "errors": errors,
            "scored": editions.scored_assessments(edition).count(),
        },
    )


@framework_admin_required
def edition_items(request, year):
    """The items (ข้อคำถาม) of the edition: title, criteria, usual responsible division, certainty."""
    edition = _edition_or_404(year)
    data = editions.edition_to_data(edition)
    post = request.POST if request.method == "POST" else None
    items = ItemFormSet(
        post,
        prefix="items",
        initial=data["items"],
        form_kwargs={"indicator_numbers": [i["number"] for i in data["indicators"]]},
    )
    version = post.get("version", "") if post is not None else edition.version
    errors: list[str] = []
    if post is not None and items.is_valid() and str(version).isdigit():
        new_data = {**data, "items": rows(items)}
        response, errors = _save(request, edition, new_data, int(version), "assessments:edition_items")
        if response is not None:
            return response
    elif post is not None:
        errors = [_("ยังไม่ได้บันทึก: กรุณาแก้ไขช่องที่มีข้อความแจ้งด้านล่าง")]
    return render(
        request,
        "assessments/edition_items.html",
        {
            "edition": edition,
            "items": items,
            "errors": errors,
            "version": edition.version if post is None else version,
        },
    )


@framework_admin_required
def edition_diff(request, year):
    """What differs from the year before: tools, indicators, items, weights and level rules."""
    edition = _edition_or_404(year)
    previous = editions.previous_edition(edition)
    sections = []
    if previous is not None:
        for section in editions.edition_diff(editions.edition_to_data(previous), editions.edition_to_data(edition)):
            section.label = SECTION_LABELS[section.name]
            section.changed = [
                (key, [(FIELD_LABELS.get(f, f), _shown(f, old), _shown(f, new)) for f, old, new in changes])
                for key, changes in section.changed
            ]
            sections.append(section)
    return render(
        request,
        "assessments/edition_diff.html",
        {
            "edition": edition,
            "previous": previous,
            "sections": sections,
            "no_difference": all(s.empty for s in sections),
        },
    )
