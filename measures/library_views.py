"""Pages of the library of measures: drafting a plan from the analysis, ticking a step done, the library
and the province's shared list. Thin: the work is in ``measures.library`` and ``measures.services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.models import ResponsibleKind
from ita_tracker.thai import local_digits
from measures import library, selectors, services
from measures import permissions as access
from measures.forms import StepDoneForm
from measures.models import LibraryMeasure, Measure, MeasureStep

MAX_TITLE = 1000


def plan_draft(request, pk):
    """The coordinator's page: the proposals for every urgent and raise indicator, ticked, edited, assigned."""
    plan = selectors.visible_plan_or_404(request.user, pk)
    if not access.can_edit_plan(request.user, plan.agency):
        raise PermissionDenied("coordinators draft plans")
    try:
        proposals = library.proposals_for(plan)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect(plan)
    departments = list(plan.agency.departments.order_by("order", "name"))
    if request.method == "POST":
        picks, errors = _picks_from_post(request.POST, proposals, departments)
        if not picks and not errors:
            errors.append(_("เลือกอย่างน้อยหนึ่งมาตรการ"))
        if not errors:
            try:
                created = library.plan_adopt(plan=plan, picks=picks, by=request.user)
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(
                    request, _("เพิ่มมาตรการ %(n)s มาตรการ พร้อมขั้นตอนและผู้รับผิดชอบ") % {"n": local_digits(len(created))}
                )
                return redirect(plan)
        for error in errors:
            messages.error(request, error)
    posted = request.POST if request.method == "POST" else None
    rows = _draft_rows(plan, proposals, departments, posted)
    picked = sum(1 for row in rows if row["checked"])
    return render(
        request,
        "measures/plan_draft.html",
        {
            "plan": plan,
            "indicators": proposals.indicators,
            "rows": rows,
            "picked": picked,
            "more": len(rows) - picked,
            "departments": departments,
        },
    )


def _draft_rows(plan, proposals, departments, posted) -> list[dict]:
    """The candidates as the page shows them: ticked and assigned as proposed, or as the refused POST had them
    (nothing typed is lost)."""
    defaults = {p.candidate.ref: p for p in library.default_picks(plan, proposals)}
    picked = set(posted.getlist("pick")) if posted is not None else set(defaults)
    rows = []
    for candidate in proposals.candidates:
        default = defaults.get(candidate.ref)
        suggested = default.department if default else library.department_for(candidate.kind, departments)
        department = "all" if candidate.kind == ResponsibleKind.ALL else str(getattr(suggested, "pk", ""))
        title = candidate.title
        if posted is not None:
            department = posted.get(f"dept-{candidate.ref}", department)
            title = posted.get(f"title-{candidate.ref}", title)
        rows.append(
            {
                "candidate": candidate,
                "checked": candidate.ref in picked,
                "title": title,
                "department": department,
                "kind_label": ResponsibleKind(candidate.kind).label if candidate.kind else "",
                "steps": [
                    {"title": t, "kind": ResponsibleKind(k).label if k else "", "months": _months(a, b)}
                    for t, k, a, b in candidate.steps
                ],
            }
        )
    return rows


MONTHS = ["ต.ค.", "พ.ย.", "ธ.ค.", "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย."]


ENGLISH_MONTHS = ["Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep"]


def _months(start: int | None, end: int | None) -> str:
    """Months of the fiscal year (1 = October) in the page's language."""
    if not start or not end:
        return ""
    names = MONTHS if (translation.get_language() or "th").startswith("th") else ENGLISH_MONTHS
    return names[start - 1] if start == end else f"{names[start - 1]} – {names[end - 1]}"


def _picks_from_post(data, proposals, departments) -> tuple[list[library.Pick], list[str]]:
    by_ref = {c.ref: c for c in proposals.candidates}
    by_pk = {str(d.pk): d for d in departments}
    picks, errors = [], []
    for ref in dict.fromkeys(data.getlist("pick")):
        candidate = by_ref.get(ref)
        if candidate is None:
            errors.append(_("ไม่พบมาตรการที่เลือก (%(ref)s) โปรดโหลดหน้าใหม่") % {"ref": ref[:20]})
            continue
        title = (data.get(f"title-{ref}") or candidate.title).strip()
        if len(title) > MAX_TITLE:
            errors.append(
                _("ชื่อมาตรการ “%(title)s…” ยาวเกิน %(n)s ตัวอักษร") % {"title": title[:40], "n": local_digits(MAX_TITLE)}
            )
            continue
        choice = data.get(f"dept-{ref}", "")
        if choice == "all":
            department = None
        elif choice in by_pk:
            department = by_pk[choice]
        elif not choice and departments:
            department = library.department_for(candidate.kind, departments)
        elif not departments:
            department = None
        else:
            errors.append(_("ส่วนราชการที่เลือกให้มาตรการ “%(title)s” ไม่ใช่ของหน่วยงานนี้") % {"title": title[:60]})
            continue
        picks.append(library.Pick(candidate=candidate, title=title, department=department))
    return picks, errors


def step_done(request, pk):
    """Tick a step done with its day, a note and evidence (a photo from the phone's camera included)."""
    step = get_object_or_404(
        MeasureStep.objects.select_related("measure__plan__agency", "department").filter(
            measure__in=Measure.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    if not access.can_complete_step(request.user, step):
        raise PermissionDenied("not this person's step")
    form = StepDoneForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.step_complete(
                step=step,
                by=request.user,
                completed_on=data["completed_on"],
                note=data["note"],
                files=data["files"],
                links=data["links"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("บันทึกว่าขั้นตอนที่ %(n)s เสร็จแล้ว") % {"n": local_digits(step.order)})
            return redirect(step.measure)
    return render(request, "measures/step_done.html", {"step": step, "measure": step.measure, "form": form})


def library_index(request):
    """The library the current agency draws from, and for viewers the province's entries waiting for them."""
    agency = request.workspace.agency
    entries = []
    if agency is not None:
        entries = list(
            LibraryMeasure.objects.offered_to(agency).select_related("agency").prefetch_related("steps").order_by("pk")
        )
    provinces = library.provinces_viewed_by(request.user)
    waiting = list(
        LibraryMeasure.objects.filter(sharing=LibraryMeasure.Sharing.PROPOSED, agency__province__in=provinces)
        .select_related("agency")
        .prefetch_related("steps")
    )
    return render(request, "measures/library.html", {"agency": agency, "entries": entries, "waiting": waiting})


@require_POST
def library_add(request, pk):
    """Keep one of the agency's measures in its library; ``share`` proposes it to the province's list."""
    measure = selectors.visible_measure_or_404(request.user, pk)
    if not access.can_edit_plan(request.user, measure.plan.agency):
        raise PermissionDenied("coordinators keep measures in the library")
    try:
        library.library_add_from_measure(measure=measure, by=request.user, share=bool(request.POST.get("share")))
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("เก็บมาตรการที่ %(n)s ในคลังมาตรการแล้ว") % {"n": local_digits(measure.number)})
    return redirect(measure)


@require_POST
def library_decide(request, pk):
    entry = get_object_or_404(LibraryMeasure.objects.filter(agency__isnull=False), pk=pk)
    if entry.agency.province not in library.provinces_viewed_by(request.user):
        raise Http404("not a viewer of this province")
    try:
        library.library_decide(entry=entry, by=request.user, approve=request.POST.get("decision") == "approve")
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("บันทึกการพิจารณาแล้ว"))
    return redirect("measures:library")
