from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.permissions import require_role
from ita_tracker import clock
from ita_tracker.thai import fiscal_year, fiscal_year_range, format_date, half_year_end, local_digits, parse_be_date
from measures import permissions, selectors, services
from measures.forms import MeasureForm, PlanCreateForm, ProgressForm, StepFormSet, step_initial, step_specs
from measures.models import Evidence, Measure, Status, Timeliness, split_methods


def _today(request) -> date:
    # One place for "today", so a page and its counts agree even across midnight.
    if not hasattr(request, "_today"):
        request._today = clock.today()
    return request._today


def index(request):
    """The current agency's plans, and for coordinators the form that starts a new one."""
    agency = request.workspace.agency
    plans = []
    form = None
    if agency is not None:
        plans = list(agency.measure_plans.select_related("assessment__edition").order_by("-fiscal_year"))
        if permissions.can_edit_plan(request.user, agency):
            form = PlanCreateForm(agency)
    return render(request, "measures/plan_list.html", {"agency": agency, "plans": plans, "form": form})


@require_POST
def plan_create(request):
    agency = request.workspace.agency
    if agency is None:
        raise Http404("No agency")
    require_role(request, agency, *permissions.EDIT_PLAN)
    form = PlanCreateForm(agency, request.POST)
    posted_year = request.POST.get("fiscal_year", "")
    existing = agency.measure_plans.filter(fiscal_year=posted_year).first() if posted_year.isdigit() else None
    if existing is not None:  # the same form sent again (the year is no longer offered): answer with the plan
        return _plan_exists(request, existing)
    if not form.is_valid():
        plans = list(agency.measure_plans.order_by("-fiscal_year"))
        return render(request, "measures/plan_list.html", {"agency": agency, "plans": plans, "form": form})
    year = form.cleaned_data["fiscal_year"]
    try:
        if form.cleaned_data["start_from"] == PlanCreateForm.COPY:
            plan = services.plan_copy(source=form.cleaned_data["copy_from"], fiscal_year=year)
        else:
            plan = services.plan_create(agency=agency, fiscal_year=year)
            if form.cleaned_data["start_from"] == PlanCreateForm.ANALYSIS:
                if plan.assessment is None:
                    messages.warning(
                        request, _("ยังไม่มีผลการประเมินปี %(year)s จึงสร้างแผนว่าง") % {"year": local_digits(year - 1)}
                    )
                else:
                    # The coordinator picks, edits and assigns the proposed measures on the drafting page.
                    messages.success(request, _("สร้างแผนมาตรการปี %(year)s แล้ว") % {"year": local_digits(year)})
                    return redirect("measures:plan_draft", plan.pk)
    except services.PlanExists as exc:  # sent twice at the same moment: the other request made it
        return _plan_exists(request, exc.plan)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect("measures:index")
    messages.success(request, _("สร้างแผนมาตรการปี %(year)s แล้ว") % {"year": local_digits(year)})
    return redirect(plan)


def _plan_exists(request, plan):
    messages.info(request, _("มีแผนมาตรการปี %(year)s อยู่แล้ว") % {"year": local_digits(plan.fiscal_year)})
    return redirect(plan)


def plan_detail(request, pk):
    plan = selectors.visible_plan_or_404(request.user, pk)
    today = _today(request)
    measures = list(selectors.measures_for_list(plan.measures.all()).order_by("number"))
    _annotate_timeliness(measures, today)
    filters = {
        "department": request.GET.get("department", ""),
        "status": request.GET.get("status", ""),
        "indicator": request.GET.get("indicator", ""),
        "timeliness": request.GET.get("timeliness", ""),
    }
    shown = [m for m in measures if _matches(m, filters)]
    status_counts = selectors.counts_by_status(measures)
    department_counts = selectors.counts_by_department(measures)
    return render(
        request,
        "measures/plan_detail.html",
        {
            "plan": plan,
            "measures": shown,
            "total": len(measures),
            "filters": filters,
            "departments": plan.agency.departments.all(),
            "indicators": sorted({i for m in measures for i in m.indicators.all()}, key=lambda i: i.number),
            "statuses": Status.choices,
            "timeliness_choices": Timeliness.choices,
            "status_counts": [(Status(s).label, n) for s, n in status_counts.items()],
            "department_counts": department_counts,
            "chart_status": {
                "type": "bar",
                "scale": "count",
                "labels": [str(Status(s).label) for s in status_counts],
                "datasets": [{"label": _("จำนวนมาตรการ"), "data": list(status_counts.values())}],
            },
            "chart_departments": {
                "type": "bar",
                "scale": "count",
                "labels": [name for name, _n in department_counts],
                "datasets": [{"label": _("จำนวนมาตรการ"), "data": [n for _name, n in department_counts]}],
            },
            "can_edit": permissions.can_edit_plan(request.user, plan.agency),
            "today": today,
        },
    )


def _annotate_timeliness(measures, today: date) -> None:
    for measure in measures:
        measure.timeliness_now = measure.timeliness(today=today, steps=measure.steps.all())
        measure.timeliness_label = Timeliness(measure.timeliness_now).label


def _matches(measure: Measure, filters: dict) -> bool:
    if filters["department"]:
        ids = {str(d.pk) for d in measure.departments.all()}
        if not measure.all_departments and filters["department"] not in ids:
            return False
    if filters["status"] and measure.status != filters["status"]:
        return False
    if filters["indicator"] and filters["indicator"] not in {str(i.number) for i in measure.indicators.all()}:
        return False
    if filters["timeliness"] and measure.timeliness_now != filters["timeliness"]:
        return False
    return True


def plan_timeline(request, pk):
    """The fiscal year as a bar chart of measures and their steps (HTML and CSS, no chart library)."""
    plan = selectors.visible_plan_or_404(request.user, pk)
    starts, ends = fiscal_year_range(plan.fiscal_year)
    span = (ends - starts).days + 1
    today = _today(request)

    def bar(begin: date | None, finish: date | None) -> dict | None:
        if begin is None or finish is None:
            return None
        left = max((begin - starts).days, 0)
        right = min((finish - starts).days + 1, span)
        if right <= 0 or left >= span:
            return None
        return {"left": round(100 * left / span, 2), "width": round(100 * max(right - left, 1) / span, 2)}

    rows = []
    for measure in selectors.measures_for_list(plan.measures.all()).order_by("number"):
        steps = list(measure.steps.all())
        rows.append(
            {
                "measure": measure,
                "bar": bar(measure.starts, measure.ends),
                "timeliness": measure.timeliness(today=today, steps=steps),
                "steps": [{"step": s, "bar": bar(s.starts, s.ends), "y": 20 + 10 * i} for i, s in enumerate(steps)],
                "height": 20 + 10 * len(steps),
            }
        )
    months = []
    day = starts
    while day <= ends:
        next_month = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        months.append({"date": day, "left": round(100 * (day - starts).days / span, 2)})
        day = next_month
    today_mark = round(100 * (today - starts).days / span, 2) if starts <= today <= ends else None
    return render(
        request,
        "measures/plan_timeline.html",
        {"plan": plan, "rows": rows, "months": months, "today_mark": today_mark},
    )


def plan_as_of(request, pk):
    """Every measure's state on a chosen day: the 6- and 12-month rounds of the progress report."""
    plan = selectors.visible_plan_or_404(request.user, pk)
    year_start, year_end = fiscal_year_range(plan.fiscal_year)
    error = ""
    day = min(_today(request), year_end)
    raw = request.GET.get("date", "").strip()
    if raw:
        try:
            day = parse_be_date(raw)
        except ValueError as exc:
            error = str(exc)
    states = selectors.plan_state_as_of(plan, day)
    counts = {status: 0 for status in Status.values}
    for state in states:
        counts[state.status] += 1
    return render(
        request,
        "measures/plan_as_of.html",
        {
            "plan": plan,
            "day": day,
            "error": error,
            "states": states,
            "counts": [(Status(s).label, n) for s, n in counts.items()],
            "rounds": [
                {"date": d, "param": format_date(d, "numeric", digits="arabic")}
                for d in (half_year_end(plan.fiscal_year), year_end)
            ],
            "year_start": year_start,
        },
    )


def measure_detail(request, pk):
    measure = selectors.visible_measure_or_404(request.user, pk)
    updates = measure.updates.select_related("created_by").prefetch_related("evidence")
    steps = list(
        measure.steps.select_related("department", "owner_person__user").prefetch_related("updates__evidence")
    )
    mine = permissions.step_memberships(request.user, measure.plan.agency_id)
    for step in steps:
        step.can_tick = step.completed_on is None and permissions.can_complete_step(request.user, step, mine)
    return render(
        request,
        "measures/measure_detail.html",
        {
            "measure": measure,
            "plan": measure.plan,
            "steps": steps,
            "updates": updates,
            "timeliness": Timeliness(measure.timeliness(today=_today(request), steps=steps)),
            "can_report": permissions.can_report_progress(request.user, measure, request.workspace.membership),
            "can_edit": permissions.can_edit_plan(request.user, measure.plan.agency),
        },
    )


def measure_edit(request, plan_pk, pk=None):
    plan = selectors.visible_plan_or_404(request.user, plan_pk)
    if not permissions.can_edit_plan(request.user, plan.agency):
        raise PermissionDenied("coordinators edit measures")
    measure = get_object_or_404(plan.measures, pk=pk) if pk else None
    form = MeasureForm(plan, request.POST or None, instance=measure)
    # The methods a step may name are the paragraphs of the description as it is being saved: the one
    # posted with the steps, else the stored one.
    if request.method == "POST":
        methods = split_methods(request.POST.get("description", ""))
    else:
        methods = measure.methods if measure else []
    steps = StepFormSet(
        request.POST or None,
        prefix="steps",
        initial=step_initial(measure) if measure and not request.POST else None,
        form_kwargs={"agency": plan.agency, "methods": methods},
    )
    conflict = None
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        relations = {
            "departments": form.cleaned_data["departments"],
            "responsible_people": form.cleaned_data["responsible_people"],
            "indicators": form.cleaned_data["indicators"],
            "steps": step_specs(steps),
        }
        try:
            if measure is None:
                saved = services.measure_create(plan=plan, fields=form.measure_fields(), by=request.user, **relations)
            else:
                saved = services.measure_update(
                    measure=measure,
                    expected_version=form.cleaned_data.get("version") or 0,
                    fields=form.measure_fields(),
                    by=request.user,
                    **relations,
                )
        except services.StaleEdit as stale:
            # Keep everything typed; show what the other person changed; the next save goes over their
            # version knowingly.
            conflict = stale
            data = request.POST.copy()
            data["version"] = stale.current.version
            form = MeasureForm(plan, data, instance=measure)
            form.is_valid()
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("บันทึกมาตรการที่ %(n)s แล้ว") % {"n": local_digits(saved.number)})
            return redirect(saved)
    return render(
        request,
        "measures/measure_form.html",
        {"plan": plan, "measure": measure, "form": form, "steps": steps, "conflict": conflict},
    )


@require_POST
def measure_dimension(request, pk):
    """The old address of the dimension-and-budget form: those fields are in the measure form now."""
    measure = selectors.visible_measure_or_404(request.user, pk)
    return redirect("measures:measure_edit", measure.plan_id, measure.pk)


def progress_create(request, pk):
    measure = selectors.visible_measure_or_404(request.user, pk)
    if not permissions.can_report_progress(request.user, measure, request.workspace.membership):
        raise PermissionDenied("not this person's measure")
    form = ProgressForm(measure, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_record(
                measure=measure,
                by=request.user,
                reported_on=data["reported_on"],
                status=data["status"],
                percent=data["percent"],
                summary=data["summary"],
                outcome=data["outcome"],
                obstacles=data["obstacles"],
                cancel_reason=data["cancel_reason"],
                files=data["files"],
                links=data["links"],
                status_reason=data["status_reason"] if data["by_hand"] else "",
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error("files", exc)
        else:
            messages.success(request, _("บันทึกความก้าวหน้าของมาตรการที่ %(n)s แล้ว") % {"n": local_digits(measure.number)})
            return redirect(measure)
    return render(request, "measures/progress_form.html", {"measure": measure, "plan": measure.plan, "form": form})


def _my_years(agency, department) -> tuple[list[int], set[int]]:
    """The plan years with measures of ``department``, and those of them with work still open (a measure neither
    done nor cancelled)."""
    rows = (
        Measure.objects.filter(plan__agency=agency)
        .of_departments([department])
        .values_list("plan__fiscal_year", "status")
        .order_by()
    )
    years: set[int] = set()
    open_years: set[int] = set()
    for year, status in rows:
        years.add(year)
        if status not in (Status.DONE, Status.CANCELLED):
            open_years.add(year)
    return sorted(years, reverse=True), open_years


def my_measures(request):
    """Staff's list: the measures of their division in the current agency, what is due first. Opens on last
    year's plan while it still has open work (its late measures come before this year's), else on this year's,
    with a switch of years. Older plans are history, as on the dashboard: one left open for years (a 2564
    measure nobody closed) is named above the list with a link, instead of being what the list opens on."""
    workspace = request.workspace
    membership = workspace.membership
    today = _today(request)
    raw_year = request.GET.get("year", "")
    measures = []
    years: list[int] = []
    older_open: list[int] = []
    current = year = fiscal_year(today)
    if workspace.agency is not None and membership is not None:
        if membership.department_id:
            years, open_years = _my_years(workspace.agency, membership.department)
            recent_open = sorted(y for y in open_years if current - 1 <= y <= current)
            year = int(raw_year) if raw_year.isdigit() else (recent_open[0] if recent_open else current)
            older_open = sorted((y for y in open_years if y < current - 1 and y != year), reverse=True)
        elif raw_year.isdigit():
            year = int(raw_year)
        year_measures = Measure.objects.filter(plan__agency=workspace.agency, plan__fiscal_year=year)
        # Their division's measures, and any measure with a step given to them or to their division.
        wanted = Q(steps__owner_person=membership)
        if membership.department_id:
            wanted |= Q(pk__in=year_measures.of_departments([membership.department]).values("pk"))
            wanted |= Q(steps__department=membership.department_id)
        queryset = year_measures.filter(wanted).distinct()
        measures = list(selectors.measures_for_list(queryset))
        _annotate_timeliness(measures, today)
        mine = permissions.step_memberships(request.user, workspace.agency.pk)
        for measure in measures:
            measure.open_steps = [
                s
                for s in measure.steps.all()
                if s.completed_on is None and permissions.can_complete_step(request.user, s, mine)
            ]
        order = {
            Timeliness.LATE: 0,
            Timeliness.ON_TIME: 1,
            Timeliness.NOT_STARTED: 2,
            Timeliness.DONE: 3,
            Timeliness.CANCELLED: 4,
        }
        measures.sort(key=lambda m: (order[m.timeliness_now], m.ends, m.plan.fiscal_year, m.number))
    return render(
        request,
        "measures/my_measures.html",
        {
            "measures": measures,
            "membership": membership,
            "year": year,
            "years": years,
            "older_open": older_open,
            "today": today,
        },
    )


def evidence_download(request, pk):
    evidence = get_object_or_404(
        Evidence.objects.select_related("update__measure__plan").filter(
            kind=Evidence.Kind.FILE,
            update__measure__in=Measure.objects.visible_to(request.user),
        ),
        pk=pk,
    )
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=not evidence.content_type.startswith(("image/", "application/pdf")),
        filename=evidence.original_name or "evidence",
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
