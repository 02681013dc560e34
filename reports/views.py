from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.access import require_role, roles_for
from agencies.dashboard import today as dashboard_today
from agencies.models import Agency, Role
from ita_tracker.thai import fiscal_year
from reports import oversight, services
from reports.forms import ChainForm, ChainStepFormSet, DecisionForm, MemoForm, MemoStartForm
from reports.models import ApprovalChain, Memo


def _agency_or_404(request):
    agency = request.workspace.agency
    if agency is None:
        raise Http404("No agency")
    return agency


def _visible_memo_or_404(request, pk) -> Memo:
    try:
        return (
            Memo.objects.visible_to(request.user)
            .select_related("agency", "department", "chain", "author", "plan", "assessment__edition")
            .get(pk=pk)
        )
    except (Memo.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such memo") from exc


def index(request):
    """รอฉันพิจารณา first, then the memos of the current agency."""
    agency = request.workspace.agency
    waiting = list(
        Memo.objects.awaiting(request.user).select_related("agency", "department", "author").order_by("updated_at")
    )
    memos = Memo.objects.none()
    status = request.GET.get("status", "")
    if agency is not None:
        memos = Memo.objects.filter(agency=agency).select_related("department", "author").order_by("-created_at")
        if status in Memo.Status.values:
            memos = memos.filter(status=status)
    page = Paginator(memos, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/memo_list.html",
        {
            "agency": agency,
            "waiting": waiting,
            "page": page,
            "status": status,
            "statuses": Memo.Status.choices,
            "can_write": request.workspace.has_role(Role.COORDINATOR),
            "can_manage_chains": request.workspace.has_role(Role.COORDINATOR, Role.AGENCY_ADMIN),
        },
    )


def memo_start(request):
    agency = _agency_or_404(request)
    require_role(request, agency, Role.COORDINATOR)
    # The dashboard's checklist links here with the kind and plan of the step to do.
    initial = {key: request.GET[key] for key in ("kind", "plan") if request.GET.get(key, "").isalnum()}
    form = MemoStartForm(agency, request.POST or None, membership=request.workspace.membership, initial=initial)
    if not agency.approval_chains.exists():
        messages.warning(request, _("หน่วยงานยังไม่มีสายการพิจารณา โปรดตั้งสายการพิจารณาก่อน"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        defaults = services.memo_defaults(
            kind=data["kind"], agency=agency, plan=data.get("plan"), assessment=data.get("assessment")
        )
        first_step = data["chain"].steps.order_by("order").first()
        try:
            memo = services.memo_create(
                agency=agency,
                author=request.user,
                fields={
                    "kind": data["kind"],
                    "plan": data.get("plan"),
                    "assessment": data.get("assessment"),
                    "department": data["department"],
                    "chain": data["chain"],
                    "addressee": first_step.position_title if first_step else "",
                    **defaults,
                },
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("สร้างร่างบันทึกแล้ว ตรวจทานข้อความแล้วส่งพิจารณา"))
            return redirect("reports:memo_edit", pk=memo.pk)
    return render(request, "reports/memo_start.html", {"agency": agency, "form": form})


def memo_detail(request, pk):
    memo = _visible_memo_or_404(request, pk)
    steps = list(memo.steps.select_related("decided_by").prefetch_related("approvers__user", "acting_approvers__user"))
    events = memo.events.select_related("actor")
    decision_form = None
    current = next((s for s in steps if s.order == memo.current_step), None)
    if memo.status == Memo.Status.PENDING and current is not None and memo.author_id != request.user.pk:
        may_act, _membership = services.step_roles(current, request.user)
        if may_act:
            decision_form = DecisionForm(initial={"step": current.order}, last_step=current.order == len(steps))
    roles = roles_for(request.user, memo.agency, request.workspace.membership)
    return render(
        request,
        "reports/memo_detail.html",
        {
            "memo": memo,
            "steps": steps,
            "events": events,
            "current": current,
            "decision_form": decision_form,
            "is_author": memo.author_id == request.user.pk,
            "can_publish": Role.COORDINATOR in roles and memo.status == Memo.Status.APPROVED,
            # A draft shows the table as it would be fixed if submitted now.
            "table": memo.table if memo.table is not None else services.build_table(memo),
            "table_is_live": memo.table is None,
        },
    )


def memo_edit(request, pk):
    memo = _visible_memo_or_404(request, pk)
    if memo.author_id != request.user.pk:
        raise PermissionDenied("only the author edits")
    if not memo.is_editable:
        messages.error(request, _("บันทึกที่ส่งพิจารณาหรืออนุมัติแล้วแก้ไขไม่ได้"))
        return redirect(memo)
    form = MemoForm(memo.agency, request.POST or None, instance=memo)
    if request.method == "POST" and form.is_valid():
        try:
            services.memo_update(
                memo=memo,
                by=request.user,
                fields=form.memo_fields(),
                expected_version=form.cleaned_data["version"] or 0,
            )
        except (ValidationError, services.InvalidTransition) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("บันทึกร่างแล้ว"))
            return redirect(memo)
    return render(request, "reports/memo_form.html", {"memo": memo, "form": form})


@require_POST
def memo_submit(request, pk):
    memo = _visible_memo_or_404(request, pk)
    try:
        memo = services.memo_submit(memo=memo, by=request.user)
    except (ValidationError, services.InvalidTransition) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, _("ส่งบันทึกเลขที่ %(number)s เพื่อพิจารณาแล้ว") % {"number": memo.number})
    return redirect(memo)


@require_POST
def memo_decide(request, pk):
    memo = _visible_memo_or_404(request, pk)
    steps = memo.steps.count()
    form = DecisionForm(request.POST, last_step=memo.current_step == steps)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(memo)
    try:
        memo = services.memo_decide(
            memo=memo,
            by=request.user,
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
            step_order=form.cleaned_data["step"],
        )
    except services.InvalidTransition as exc:
        messages.warning(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        labels = {
            Memo.Status.RETURNED: _("ส่งคืนผู้เสนอเพื่อแก้ไขแล้ว"),
            Memo.Status.APPROVED: _("บันทึกได้รับการอนุมัติครบทุกขั้นแล้ว"),
            Memo.Status.PENDING: _("บันทึกความเห็นแล้ว ส่งต่อขั้นถัดไป"),
        }
        messages.success(request, labels[memo.status])
    return redirect(memo)


@require_POST
def memo_delete(request, pk):
    memo = _visible_memo_or_404(request, pk)
    try:
        services.memo_delete(memo=memo, by=request.user)
    except services.InvalidTransition as exc:
        messages.error(request, str(exc))
        return redirect(memo)
    messages.success(request, _("ลบร่างบันทึกแล้ว"))
    return redirect("reports:index")


@require_POST
def memo_publish(request, pk):
    memo = _visible_memo_or_404(request, pk)
    require_role(request, memo.agency, Role.COORDINATOR)
    try:
        services.memo_set_published(memo=memo, published=request.POST.get("published") == "1")
    except services.InvalidTransition as exc:
        messages.error(request, str(exc))
    return redirect(memo)


def chain_list(request):
    agency = _agency_or_404(request)
    require_role(request, agency, Role.COORDINATOR, Role.AGENCY_ADMIN)
    chains = agency.approval_chains.prefetch_related("steps__approvers__user", "steps__acting_approvers__user")
    return render(request, "reports/chain_list.html", {"agency": agency, "chains": chains})


def chain_edit(request, pk=None):
    agency = _agency_or_404(request)
    require_role(request, agency, Role.COORDINATOR, Role.AGENCY_ADMIN)
    chain = get_object_or_404(ApprovalChain, agency=agency, pk=pk) if pk else None
    initial = None
    if chain is not None and request.method != "POST":
        initial = [
            {
                "position_title": s.position_title,
                "comment_label": s.comment_label,
                "approvers": list(s.approvers.all()),
                "acting_approvers": list(s.acting_approvers.all()),
            }
            for s in chain.steps.prefetch_related("approvers", "acting_approvers")
        ]
    form = ChainForm(request.POST or None, instance=chain)
    steps = ChainStepFormSet(request.POST or None, prefix="steps", initial=initial, form_kwargs={"agency": agency})
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        specs = [
            f.cleaned_data
            for f in steps.forms
            if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            services.chain_save(
                agency=agency,
                chain=chain,
                name=form.cleaned_data["name"],
                is_default=form.cleaned_data["is_default"],
                steps=specs,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("บันทึกสายการพิจารณาแล้ว"))
            return redirect("reports:chain_list")
    return render(request, "reports/chain_form.html", {"agency": agency, "form": form, "steps": steps, "chain": chain})


def oversight_view(request):
    """Viewers' table: their agencies and where each stands in this fiscal year's cycle, filterable, with the
    counts per step, paginated, and exported whole as CSV or XLSX. Bounded queries at any number of agencies."""
    year = fiscal_year(dashboard_today(request))
    agencies = Agency.objects.visible_to(request.user)
    q = request.GET.get("q", "").strip()[:100]
    province = request.GET.get("province", "").strip()[:100]
    stage = request.GET.get("stage", "")
    if q:
        agencies = agencies.filter(name__icontains=q)
    if province:
        agencies = agencies.filter(province=province)
    counts = oversight.state_counts(agencies, year)
    table = oversight.annotate_cycle(agencies, year).order_by("province", "name", "pk")
    if stage in oversight.STEP_KEYS or stage == oversight.DONE:
        table = oversight.filter_stage(table, stage)
    else:
        stage = ""
    fmt = request.GET.get("format", "")
    title = _("สถานะงาน ITA ปีงบประมาณ %(year)s") % {"year": year}
    if fmt == "csv":
        response = HttpResponse(oversight.render_csv(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="ita-cycle-{year}.csv"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(
            oversight.render_xlsx(table, str(title)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="ita-cycle-{year}.xlsx"'
        return response
    page = Paginator(table, 50).get_page(request.GET.get("page"))
    for agency in page:
        agency.stage = oversight.stage_of(agency)
        agency.flags = [getattr(agency, f"s_{key}") for key in oversight.STEP_KEYS]
    provinces = Agency.objects.visible_to(request.user).values_list("province", flat=True).distinct().order_by()
    return render(
        request,
        "reports/oversight.html",
        {
            "page": page,
            "counts": counts,
            "steps": oversight.STEPS,
            "year": year,
            "q": q,
            "province": province,
            "provinces": sorted(set(provinces)),
            "stage": stage,
            "stage_choices": [(s.key, s.missing) for s in oversight.STEPS] + [(oversight.DONE, _("ครบทุกขั้น"))],
            "title": title,
            "query": request.GET.urlencode(),
        },
    )
