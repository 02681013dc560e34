from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agencies import identity
from agencies.dashboard import today as dashboard_today
from agencies.models import Agency
from agencies.selectors import followed_provinces
from ita_tracker.paginator import KnownCountPaginator
from ita_tracker.summaries import kept_for
from ita_tracker.thai import fiscal_year, local_digits
from reports import kinds, oversight, paper, permissions, seal, services
from reports.attachment_views import AttachmentForm
from reports.attachments import attachment_add_results
from reports.forms import (
    ChainForm,
    ChainStepFormSet,
    DecisionForm,
    MemoFilterForm,
    MemoForm,
    MemoStartForm,
    ReassignForm,
)
from reports.models import ApprovalChain, InvalidTransition, Memo, TransitionForbidden
from reports.workflow import memo_transition


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
    """รอฉันพิจารณา first, then the memos of the current agency: searched and filtered (``MemoFilterForm``)."""
    agency = request.workspace.agency
    waiting = list(
        Memo.objects.awaiting(request.user).select_related("agency", "department", "author").order_by("updated_at")
    )
    memos = Memo.objects.none()
    years: list[int] = []
    if agency is not None:
        memos = Memo.objects.filter(agency=agency).select_related("department", "author").order_by("-created_at")
        years = sorted(
            {y for y in memos.values_list("number_year", flat=True).distinct() if y}
            | {fiscal_year(timezone.localdate())},
            reverse=True,
        )
    filters = MemoFilterForm(request.GET or None, years=years)
    memos = filters.filter(memos)
    page = Paginator(memos, 30).get_page(request.GET.get("page"))
    membership = request.workspace.membership
    return render(
        request,
        "reports/memo_list.html",
        {
            "agency": agency,
            "waiting": waiting,
            "page": page,
            "filters": filters,
            "filtered": filters.is_bound and filters.is_valid() and any(filters.cleaned_data.values()),
            "can_write": agency is not None and permissions.may_write_memos(request.user, membership),
            "can_manage_chains": agency is not None and permissions.may_manage_chains(request.user, membership),
        },
    )


def _add_errors(form, exc: ValidationError) -> None:
    """A service's errors on the form: on their field when the form has it, above the form otherwise."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _require(request, agency, rule) -> None:
    """403 unless the person passes ``rule`` (one of ``reports.permissions``) in ``agency`` now."""
    if not rule(request.user, permissions.live_membership(request.user, agency.pk)):
        raise PermissionDenied("missing role")


def memo_start(request):
    agency = _agency_or_404(request)
    _require(request, agency, permissions.may_write_memos)
    # The dashboard's checklist links here with the kind and plan of the step to do.
    initial = {key: request.GET[key] for key in ("kind", "plan") if request.GET.get(key, "").isalnum()}
    form = MemoStartForm(agency, request.POST or None, membership=request.workspace.membership, initial=initial)
    if not agency.approval_chains.exists():
        messages.warning(request, _("หน่วยงานยังไม่มีสายการพิจารณา โปรดตั้งสายการพิจารณาก่อน"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
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
                    **data["defaults"],
                },
            )
            if kinds.kind(memo.kind).attaches_results and memo.plan_id:
                attachment_add_results(memo=memo, plan=memo.plan, by=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("สร้างร่างบันทึกแล้ว ตรวจทานข้อความแล้วส่งพิจารณา"))
            return redirect("reports:memo_edit", pk=memo.pk)
    return render(request, "reports/memo_start.html", {"agency": agency, "form": form})


def _memo_steps(memo: Memo) -> list:
    return list(memo.steps.select_related("decided_by").prefetch_related("approvers__user", "acting_approvers__user"))


def _refused(memo, action, user, membership, steps, step=None) -> bool:
    return (
        permissions.refusal(
            memo,
            action,
            user,
            membership=membership,
            step=step,
            steps=steps,
            allow_same_approver=paper.allows_same_approver(memo),
        )
        is not None
    )


def _actions(memo: Memo, user, membership, steps) -> dict:
    """What the page offers this person: the moves ``reports.permissions`` allows, nothing else."""
    A = Memo.Action
    return {
        action: not _refused(memo, action, user, membership, steps)
        for action in (A.SUBMIT, A.RESUBMIT, A.WITHDRAW, A.PUBLISH, A.UNPUBLISH)
    }


def _orphan_steps(memo: Memo, steps: list) -> list:
    """Steps of a route in flight that nobody can decide any more (approver role or membership removed)."""
    if memo.status != Memo.Status.PENDING:
        return []
    return [
        s
        for s in steps
        if not s.decision and s.order >= memo.current_step and not permissions.deciders_left(s, memo.author_id)
    ]


def memo_detail(request, pk):
    memo = _visible_memo_or_404(request, pk)
    steps = _memo_steps(memo)
    membership = permissions.live_membership(request.user, memo.agency_id)
    current = next((s for s in steps if s.order == memo.current_step), None)
    decision_form = None
    kept = _kept_decision(request, memo, memo.current_step)
    if current is not None:
        allowed = [
            a
            for a in permissions.decisions_at(current.order, len(steps))
            if not _refused(memo, a, request.user, membership, steps, current)
        ]
        if allowed:
            if kept.get("decision") not in allowed:
                kept.pop("decision", None)
            decision_form = DecisionForm(
                initial={"step": current.order, **kept},
                allowed=allowed,
                ask_code=identity.has_identity_device(request.user),
            )
    # Whoever decides for another level (a ปลัด acting for the mayor) is told so before deciding, and the history
    # says so after, as the paper does ("… รักษาราชการแทน …"): the page said only "ความเห็นนายกฯ: รอท่านพิจารณา".
    acting_here = decision_form is not None and permissions.decider_at(current, membership)[1]
    acting_for = {s.order: (s.decided_by_id, s.position_title) for s in steps if s.acting}
    events = list(memo.events.select_related("actor"))
    for event in events:
        decided_by, position = acting_for.get(event.from_step, (None, ""))
        event.acting_for = position if event.action in Memo.DECISIONS and decided_by == event.actor_id else ""
    orphans = _orphan_steps(memo, steps)
    reassign_forms = []
    if orphans and permissions.may_reassign(request.user, membership):
        reassign_forms = [(s, ReassignForm(memo, initial={"step": s.order}, prefix=f"s{s.order}")) for s in orphans]
    return render(
        request,
        "reports/memo_detail.html",
        {
            "memo": memo,
            "steps": steps,
            "events": events,
            "current": current,
            "decision_form": decision_form,
            "acting_here": acting_here,
            "is_author": permissions.is_author(request.user, memo),
            "can_edit": permissions.may_edit(request.user, memo),
            "can_delete": permissions.may_delete(request.user, memo),
            "actions": _actions(memo, request.user, membership, steps),
            "orphans": orphans,
            "reassign_forms": reassign_forms,
            "paper": paper.paper_for(memo),
            "repeat_signers": paper.repeat_signers(steps),
            "identity_missing": decision_form is not None
            and identity.identity_required(membership)
            and not identity.has_identity_device(request.user),
            "sealed": seal.sealed_record(memo) if memo.status == Memo.Status.APPROVED else None,
            "may_type_number": membership is not None and membership.is_coordinator and memo.running_number is None,
        },
    )


def memo_edit(request, pk):
    memo = _visible_memo_or_404(request, pk)
    if not permissions.is_author(request.user, memo):
        raise PermissionDenied("only the author edits")
    if not permissions.may_edit(request.user, memo):
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
        except ValidationError as exc:
            _add_errors(form, exc)
        except InvalidTransition as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("บันทึกร่างแล้ว"))
            return redirect(memo)
    return render(
        request,
        "reports/memo_form.html",
        {
            "memo": memo,
            "form": form,
            "attachments": memo.attachments.all(),
            "attachment_form": AttachmentForm(memo.agency),
        },
    )


def _move(request, memo: Memo, action: str, success: str | None, **kwargs) -> Memo | None:
    """Take a move through the guarded transition and say how it went. A move this person may not make is a
    403 (``TransitionForbidden`` is a ``PermissionDenied``); one the memo has moved past is a warning."""
    try:
        moved = memo_transition(memo=memo, action=action, by=request.user, **kwargs)
    except TransitionForbidden:
        raise
    except InvalidTransition as exc:
        messages.warning(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if success:
            messages.success(request, success % {"number": local_digits(moved.number)})
        return moved
    return None


@require_POST
def memo_submit(request, pk):
    memo = _visible_memo_or_404(request, pk)
    action = Memo.Action.RESUBMIT if memo.status == Memo.Status.RETURNED else Memo.Action.SUBMIT
    typed = request.POST.get("register_number", "").strip()
    if typed and not (typed.isdigit() and len(typed) <= 9):
        messages.error(request, _("เลขทะเบียนส่งต้องเป็นตัวเลขเท่านั้น"))
        return redirect(memo)
    number = int(typed) if typed else None
    _move(request, memo, action, _("ส่งบันทึกเลขที่ %(number)s เพื่อพิจารณาแล้ว"), register_number=number)
    return redirect(memo)


@require_POST
def memo_withdraw(request, pk):
    memo = _visible_memo_or_404(request, pk)
    _move(request, memo, Memo.Action.WITHDRAW, _("ถอนบันทึกเลขที่ %(number)s กลับเป็นร่างแล้ว"))
    return redirect(memo)


DECIDED = {
    Memo.Status.RETURNED: gettext_lazy("ส่งคืนผู้เสนอเพื่อแก้ไขแล้ว"),
    Memo.Status.APPROVED: gettext_lazy("บันทึกได้รับการอนุมัติครบทุกขั้นแล้ว"),
    Memo.Status.PENDING: gettext_lazy("บันทึกความเห็นแล้ว ส่งต่อขั้นถัดไป"),
}


@require_POST
def memo_decide(request, pk):
    memo = _visible_memo_or_404(request, pk)
    form = DecisionForm(request.POST, allowed=list(Memo.DECISIONS))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, local_digits(error))  # "ไม่เกิน ๒๐๐๐ ตัวอักษร", as the form's own errors
        _keep_decision(request, memo)
        return redirect(memo)
    data = form.cleaned_data
    try:
        # Checked before the transition and outside its transaction: a wrong code counts against the
        # person's device (django-otp's throttle) even though nothing else is written.
        method = identity.identity_check(request.user, data.get("otp_code", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        _keep_decision(request, memo)
        return redirect(memo)
    moved = _move(request, memo, data["decision"], None, comment=data["comment"], step=data["step"], identity=method)
    if moved is not None:
        messages.success(request, DECIDED[moved.status])
    else:
        _keep_decision(request, memo)
    return redirect(memo)


KEPT_COMMENT_CHARS = 10_000  # a comment sent back for being too long comes back whole, within reason


def _keep_decision(request, memo: Memo) -> None:
    """What a supervisor typed, given back on the memo's page after a refused decision (a comment over the
    limit, a wrong identity code): redirected to the page, the typed comment was lost."""
    request.session[f"decision:{memo.pk}"] = {
        "decision": request.POST.get("decision", "")[:32],
        "comment": request.POST.get("comment", "")[:KEPT_COMMENT_CHARS],
        "step": request.POST.get("step", "")[:8],
    }


def _kept_decision(request, memo: Memo, step: int) -> dict:
    """The decision kept by :func:`_keep_decision` for this memo's current step, once."""
    kept = request.session.pop(f"decision:{memo.pk}", None) or {}
    if kept.get("step") != str(step):
        return {}
    return {key: kept[key] for key in ("decision", "comment") if kept.get(key)}


@require_POST
def memo_reassign(request, pk):
    memo = _visible_memo_or_404(request, pk)
    step = request.POST.get("step", "")
    form = ReassignForm(memo, request.POST, prefix=f"s{step}" if step.isdigit() else None)
    if not form.is_valid():
        messages.error(request, _("เลือกผู้พิจารณาแทนจากรายชื่อ"))
        return redirect(memo)
    _move(
        request,
        memo,
        Memo.Action.REASSIGN,
        _("มอบหมายผู้พิจารณาแทนแล้ว"),
        step=form.cleaned_data["step"],
        to=form.cleaned_data["to"],
    )
    return redirect(memo)


@require_POST
def memo_delete(request, pk):
    memo = _visible_memo_or_404(request, pk)
    try:
        services.memo_delete(memo=memo, by=request.user)
    except InvalidTransition as exc:
        messages.error(request, str(exc))
        return redirect(memo)
    messages.success(request, _("ลบร่างบันทึกแล้ว"))
    return redirect("reports:index")


@require_POST
def memo_publish(request, pk):
    memo = _visible_memo_or_404(request, pk)
    if request.POST.get("published") == "1":
        _move(request, memo, Memo.Action.PUBLISH, _("เผยแพร่บันทึกแล้ว"))
    else:
        _move(request, memo, Memo.Action.UNPUBLISH, _("เลิกเผยแพร่บันทึกแล้ว"))
    return redirect(memo)


def chain_list(request):
    agency = _agency_or_404(request)
    _require(request, agency, permissions.may_manage_chains)
    chains = agency.approval_chains.prefetch_related("steps__approvers__user", "steps__acting_approvers__user")
    return render(request, "reports/chain_list.html", {"agency": agency, "chains": chains})


def chain_edit(request, pk=None):
    agency = _agency_or_404(request)
    _require(request, agency, permissions.may_manage_chains)
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
                by=request.user,
                agency=agency,
                chain=chain,
                name=form.cleaned_data["name"],
                is_default=form.cleaned_data["is_default"],
                allow_same_approver=form.cleaned_data["allow_same_approver"],
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
    # The counts over every agency followed (8,000 for the NACC) are kept a few minutes; the rows stay live.
    counts = kept_for(
        request.user, "oversight", lambda: oversight.state_counts(agencies, year), year=year, q=q, province=province
    )
    table = oversight.annotate_cycle(agencies, year).order_by("province", "name", "pk")
    if stage in oversight.STEP_KEYS or stage == oversight.DONE:
        table = oversight.filter_stage(table, stage)
        listed = counts.value["stages"][stage]
    else:
        stage = ""
        listed = counts.value["total"]
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
    page = KnownCountPaginator(table, 50, count=listed).get_page(request.GET.get("page"))
    labels = {key: oversight.stage_label(key) for key in [*oversight.STEP_KEYS, oversight.DONE]}
    for agency in page:
        agency.stage = oversight.stage_of(agency)
        agency.stage_label = labels[agency.stage]
        agency.flags = [getattr(agency, f"s_{key}") for key in oversight.STEP_KEYS]
    return render(
        request,
        "reports/oversight.html",
        {
            "page": page,
            "counts": counts.value,
            "as_of": counts.as_of,
            "steps": oversight.STEPS,
            "year": year,
            "q": q,
            "province": province,
            "provinces": followed_provinces(request.user),
            "stage": stage,
            "stage_choices": [(s.key, s.missing) for s in oversight.STEPS] + [(oversight.DONE, _("ครบทุกขั้น"))],
            "title": title,
            "query": request.GET.urlencode(),
        },
    )
