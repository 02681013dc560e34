"""The reports' part of the dashboard: memos waiting for the approver (oldest first), the author's own memos
(returned first, with the returning comment), the viewer's summary of their agencies, and the memo steps of
the year's cycle (plan approved, 6- and 12-month reports approved, documents published)."""

from __future__ import annotations

from datetime import date

from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies import scope
from agencies.dashboard import STATE_DONE, CycleStep
from agencies.dashboard import today as dashboard_today
from agencies.models import Agency, Role
from assessments import calendar
from ita_tracker.thai import fiscal_year, local_digits
from measures.models import MeasurePlan
from reports import oversight
from reports.models import Memo, MemoEvent, MemoStep


def waiting_for_me(request):
    """Memos at a step this person may act on, the longest waiting first."""
    workspace = request.workspace
    if not workspace.has_role(Role.APPROVER):
        return None
    today = dashboard_today(request)
    memos = list(
        Memo.objects.awaiting(request.user)
        .select_related("agency", "department")
        .annotate(since=Max("events__created_at"))
        .order_by("since", "pk")[:15]
    )
    for memo in memos:
        memo.waited_days = max((today - memo.since.date()).days, 0) if memo.since else 0
    return {"memos": memos, "today": today}


def _returning_comment():
    return Subquery(
        MemoEvent.objects.filter(memo=OuterRef("pk"), to_status=Memo.Status.RETURNED)
        .order_by("-created_at", "-pk")
        .values("comment")[:1]
    )


STATE_ORDER = [Memo.Status.RETURNED, Memo.Status.DRAFT, Memo.Status.PENDING, Memo.Status.APPROVED]


def my_memos(request):
    """The person's own memos in the current agency by state, returned ones first with the comment."""
    workspace = request.workspace
    if workspace.agency is None or not workspace.has_role(Role.COORDINATOR, Role.STAFF):
        return None
    rows = list(
        Memo.objects.filter(agency=workspace.agency, author=request.user)
        .annotate(returned_comment=_returning_comment())
        .order_by("-updated_at", "-pk")[:60]
    )
    if not rows:
        return None
    groups = []
    for status in STATE_ORDER:
        memos = [m for m in rows if m.status == status]
        if memos:
            groups.append((Memo.Status(status).label, status, memos[:5], len(memos)))
    return {"groups": groups}


def viewer_summary(request):
    workspace = request.workspace
    if not workspace.has_role(Role.VIEWER):
        return None
    year = fiscal_year(dashboard_today(request))
    agencies = Agency.objects.visible_to(request.user)

    def numbers() -> dict:
        # Plain numbers in the cache; the steps' words are added on the way out, in the page's language.
        counts = oversight.state_counts(agencies, year)
        return {"total": counts["total"], "missing": {step.key: n for step, n in counts["missing"]}}

    # Counting the cycle of every agency the person follows read 8,000 agencies' plans and memos on every visit of
    # a national viewer's dashboard: kept a few minutes for a person who follows many (agencies.scope).
    figures, as_of = scope.summary(request, "dashboard-cycle-counts", numbers, year=year)
    counts = {"total": figures["total"], "missing": [(step, figures["missing"][step.key]) for step in oversight.STEPS]}
    return {"year": year, "counts": counts, "as_of": as_of, "url": reverse("reports:oversight")}


def _holder(memo: Memo) -> str:
    if memo.status in (Memo.Status.DRAFT, Memo.Status.RETURNED):
        return memo.author_name
    if memo.status == Memo.Status.PENDING:
        step = (
            MemoStep.objects.filter(memo=memo, order=memo.current_step)
            .prefetch_related("approvers__user", "acting_approvers__user")
            .first()
        )
        if step is not None:
            names = [m.display_name for m in step.approvers.all()]
            return f"{step.position_title} ({', '.join(names)})" if names else step.position_title
    return ""


def _memo_step(key, order, label, due, memo, start_url, kind_done_text=None) -> CycleStep:
    if memo is None:
        return CycleStep(
            key,
            order,
            label,
            due,
            False,
            _("ยังไม่ได้จัดทำบันทึก"),
            holder=_("ผู้ประสานงาน ITA"),
            url=start_url,
            action=_("จัดทำบันทึก"),
        )
    if memo.status == Memo.Status.APPROVED:
        return CycleStep(
            key, order, label, due, True, kind_done_text or STATE_DONE, url=memo.get_absolute_url(), action=_("ดูบันทึก")
        )
    state = memo.get_status_display()
    if memo.status == Memo.Status.PENDING:
        state = _("รอพิจารณา ขั้นที่ %(n)s") % {"n": memo.current_step}
    action = _("แก้ไขและส่ง") if memo.is_editable else _("ติดตามบันทึก")
    url = reverse("reports:memo_edit", args=[memo.pk]) if memo.is_editable else memo.get_absolute_url()
    return CycleStep(key, order, label, due, False, state, holder=_holder(memo), url=url, action=action)


def cycle_steps(*, agency: Agency, fiscal_year: int, today: date) -> list[CycleStep]:
    due = calendar.cycle_due_dates(agency, fiscal_year)
    plan = MeasurePlan.objects.filter(agency=agency, fiscal_year=fiscal_year).first()
    memos: dict[str, Memo] = {}
    if plan is not None:
        # The most advanced memo of each kind: approved before pending before returned before draft.
        rank = {Memo.Status.APPROVED: 0, Memo.Status.PENDING: 1, Memo.Status.RETURNED: 2, Memo.Status.DRAFT: 3}
        for memo in Memo.objects.filter(plan=plan, kind__in=[k for k, _ in oversight.MEMO_STEPS]).order_by("-pk"):
            known = memos.get(memo.kind)
            if known is None or rank[memo.status] < rank[known.status]:
                memos[memo.kind] = memo

    def start(kind):
        if plan is None:
            return reverse("measures:index")
        return f"{reverse('reports:memo_start')}?kind={kind}&plan={plan.pk}"

    steps = [
        _memo_step(key, order, label, due[key], memos.get(kind), start(kind))
        for (kind, key), order, label in zip(
            oversight.MEMO_STEPS,
            (40, 50, 60),
            (
                _("บันทึกขออนุมัติแผนได้รับอนุมัติ"),
                local_digits(_("รายงานรอบ ๖ เดือนได้รับอนุมัติ")),
                local_digits(_("รายงานรอบ ๑๒ เดือนได้รับอนุมัติ")),
            ),
            strict=True,
        )
    ]
    plan_memo = memos.get(Memo.Kind.PLAN)
    published = plan is not None and Memo.objects.filter(plan=plan, is_published=True).exists()
    label = _("เผยแพร่เอกสารเป็นหลักฐาน OIT")
    if published:
        steps.append(
            CycleStep(
                "published",
                70,
                label,
                due["published"],
                True,
                STATE_DONE,
                url=reverse("reports:index"),
                action=_("ดูบันทึก"),
            )
        )
    elif plan_memo is not None and plan_memo.status == Memo.Status.APPROVED:
        steps.append(
            CycleStep(
                "published",
                70,
                label,
                due["published"],
                False,
                _("อนุมัติแล้ว ยังไม่เผยแพร่"),
                holder=_("ผู้ประสานงาน ITA"),
                url=plan_memo.get_absolute_url(),
                action=_("เผยแพร่"),
            )
        )
    else:
        steps.append(
            CycleStep("published", 70, label, due["published"], False, _("รอบันทึกที่อนุมัติแล้ว"), holder=_("ผู้ประสานงาน ITA"))
        )
    return steps
