"""Writes to memos and approval chains.

Every move of a memo goes through :func:`memo_transition`, which checks it against ``Memo.TRANSITIONS``,
locks the memo row, and writes a ``MemoEvent``. Mail goes out only after the transaction commits, so
nobody is told of a move that was rolled back.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.audit import audit_diff, audit_record
from agencies.models import Agency, AuditEntry, Membership
from ita_tracker import site
from ita_tracker.thai import format_date, half_year_end, to_be
from measures.models import MeasurePlan
from reports import tables
from reports.models import ApprovalChain, ApprovalChainStep, Memo, MemoCounter, MemoEvent, MemoStep


class InvalidTransition(Exception):
    """A move the memo's status does not allow, or one made by someone who may not make it."""


# ---------------------------------------------------------------- approval chains


@transaction.atomic
def chain_save(
    *, agency: Agency, name: str, steps: list[dict], chain: ApprovalChain | None = None, is_default: bool = False
) -> ApprovalChain:
    """Create or replace a chain. ``steps``: [{"position_title", "comment_label", "approvers", "acting_approvers"}]
    in order; every step needs at least one person, all of this agency."""
    if not steps:
        raise ValidationError(_("สายการพิจารณาต้องมีอย่างน้อยหนึ่งขั้น"), code="no_steps")
    for number, step in enumerate(steps, start=1):
        if not step.get("position_title", "").strip():
            raise ValidationError(_("ขั้นที่ %(n)s: ระบุตำแหน่ง") % {"n": number}, code="no_position")
        people = list(step.get("approvers") or [])
        if not people:
            raise ValidationError(_("ขั้นที่ %(n)s: ต้องมีผู้มีสิทธิ์พิจารณาอย่างน้อยหนึ่งคน") % {"n": number}, code="no_people")
        for person in [*people, *(step.get("acting_approvers") or [])]:
            if not person.is_approver:
                raise ValidationError(
                    _("ขั้นที่ %(n)s: %(name)s ไม่มีบทบาทผู้บังคับบัญชา (ผู้พิจารณา) กำหนดบทบาทก่อน")
                    % {"n": number, "name": person.display_name},
                    code="not_an_approver",
                )
            if person.agency_id != agency.pk:
                raise ValidationError(
                    _("ขั้นที่ %(n)s: ผู้พิจารณาต้องเป็นบุคลากรของหน่วยงานนี้") % {"n": number}, code="other_agency"
                )
    chain = chain or ApprovalChain(agency=agency)
    chain.name = name
    chain.is_default = is_default
    chain.full_clean()
    chain.save()
    if is_default:
        ApprovalChain.objects.filter(agency=agency).exclude(pk=chain.pk).update(is_default=False)
    chain.steps.all().delete()
    for order, step in enumerate(steps, start=1):
        row = ApprovalChainStep.objects.create(
            chain=chain,
            order=order,
            position_title=step["position_title"].strip(),
            comment_label=step.get("comment_label", ""),
        )
        row.approvers.set(step["approvers"])
        row.acting_approvers.set(step.get("acting_approvers") or [])
    return chain


# ---------------------------------------------------------------- drafting


def memo_defaults(*, kind: str, agency: Agency, plan: MeasurePlan | None = None, assessment=None) -> dict:
    """Subject, addressee, text and closing pre-filled from the data, as agencies write them."""
    if kind in (Memo.Kind.PROGRESS_6, Memo.Kind.PROGRESS_12) and plan is not None:
        year = plan.fiscal_year
        round_text = "รอบ ๖ เดือน" if kind == Memo.Kind.PROGRESS_6 else "รอบ ๑๒ เดือน"
        result = ""
        if plan.assessment is not None and plan.assessment.display_total is not None:
            a = plan.assessment
            result = (
                f"ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (Integrity and Transparency "
                f"Assessment : ITA) ประจำปีงบประมาณ พ.ศ. {a.edition.fiscal_year} ของ{agency.name} "
                f"{agency.full_location} มีผลคะแนนเท่ากับ {a.display_total} คะแนน อยู่ในระดับ {a.display_level} "
            )
        return {
            "subject": (
                "รายงานผลการดำเนินการตามมาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
                f"ประจำปีงบประมาณ {year} ({round_text})"
            ),
            "body": (
                f"ตามที่{agency.name} ได้วิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
                f"และได้กำหนดมาตรการเพื่อขับเคลื่อนการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ {year} นั้น\n"
                f"{result}และเพื่อให้ผลการประเมินมีระดับคะแนนที่สูงขึ้น จึงขอรายงานผลการดำเนินการตามมาตรการที่ได้กำหนดไว้ "
                f"{round_text} ดังตารางแนบท้าย"
            ),
            "closing": Memo.Closing.INFORM,
        }
    if kind == Memo.Kind.PLAN and plan is not None:
        return {
            "subject": f"ขออนุมัติ{plan.title}",
            "body": (
                f"ด้วย{agency.name} ได้วิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
                f"และได้จัดทำ{plan.title} รายละเอียดตามตารางแนบท้าย เพื่อใช้เป็นแนวทางขับเคลื่อนการส่งเสริมคุณธรรมและความโปร่งใส"
                f"และเผยแพร่เป็นหลักฐานตามตัวชี้วัด o42 ต่อไป"
            ),
            "closing": Memo.Closing.APPROVE,
        }
    if kind == Memo.Kind.ANALYSIS and assessment is not None:
        year = assessment.edition.fiscal_year
        return {
            "subject": (
                "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
                f"ประจำปีงบประมาณ พ.ศ. {year}"
            ),
            "body": (
                f"ตามที่{agency.name} ได้เข้าร่วมการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
                f"ประจำปีงบประมาณ พ.ศ. {year} ได้รับคะแนน {assessment.display_total} ระดับ {assessment.display_level} นั้น "
                f"จึงได้วิเคราะห์ผลคะแนนรายตัวชี้วัด รายละเอียดตามตารางแนบท้าย"
            ),
            "closing": Memo.Closing.CONSIDER,
        }
    return {"subject": "", "body": "", "closing": Memo.Closing.INFORM}


def _check_links(memo: Memo) -> None:
    if memo.department.agency_id != memo.agency_id:
        raise ValidationError({"department": _("ส่วนราชการต้องอยู่ในหน่วยงานเดียวกับบันทึก")}, code="other_agency")
    if memo.chain.agency_id != memo.agency_id:
        raise ValidationError({"chain": _("สายการพิจารณาต้องเป็นของหน่วยงานเดียวกับบันทึก")}, code="other_agency")
    if memo.plan is not None and memo.plan.agency_id != memo.agency_id:
        raise ValidationError({"plan": _("แผนมาตรการต้องเป็นของหน่วยงานเดียวกับบันทึก")}, code="other_agency")
    if memo.assessment is not None and memo.assessment.agency_id != memo.agency_id:
        raise ValidationError({"assessment": _("ผลการประเมินต้องเป็นของหน่วยงานเดียวกับบันทึก")}, code="other_agency")
    if memo.kind in (Memo.Kind.PROGRESS_6, Memo.Kind.PROGRESS_12, Memo.Kind.PLAN) and memo.plan is None:
        raise ValidationError({"plan": _("บันทึกประเภทนี้ต้องระบุแผนมาตรการ")}, code="no_plan")
    if memo.kind == Memo.Kind.ANALYSIS and memo.assessment is None:
        raise ValidationError({"assessment": _("บันทึกการวิเคราะห์ต้องระบุผลการประเมิน")}, code="no_assessment")


@transaction.atomic
def memo_create(*, agency: Agency, author, fields: dict) -> Memo:
    membership = Membership.objects.filter(user=author, agency=agency).first()
    memo = Memo(agency=agency, author=author, **fields)
    if not memo.author_name:
        memo.author_name = author.get_full_name() or author.get_username()
    if not memo.author_position and membership is not None:
        memo.author_position = membership.position_title
    if memo.kind == Memo.Kind.PROGRESS_6 and memo.plan and not memo.as_of:
        memo.as_of = half_year_end(memo.plan.fiscal_year)
    if memo.kind == Memo.Kind.PROGRESS_12 and memo.plan and not memo.as_of:
        memo.as_of = date(memo.plan.period[1].year, 9, 30)
    memo.number_prefix = memo.department.letter_code if memo.department_id else ""
    memo.full_clean()
    _check_links(memo)
    memo.save()
    MemoEvent.objects.create(memo=memo, actor=author, action="create", to_status=memo.status)
    _audit(memo, author, AuditEntry.Action.CREATE, after={"subject": memo.subject, "status": _status(memo.status)})
    return memo


@transaction.atomic
def memo_update(*, memo: Memo, by, fields: dict, expected_version: int) -> Memo:
    current = Memo.objects.select_for_update().get(pk=memo.pk)
    if not current.is_editable:
        raise InvalidTransition(_("บันทึกที่ส่งพิจารณาหรืออนุมัติแล้วแก้ไขไม่ได้"))
    if current.author_id != by.pk:
        raise PermissionDenied("only the author edits a memo")
    if current.version != expected_version:
        raise ValidationError(_("มีผู้อื่นแก้ไขบันทึกนี้ระหว่างที่ท่านแก้ไข โปรดโหลดหน้านี้ใหม่"), code="stale")
    before, after = audit_diff({name: getattr(current, name) for name in fields}, fields)
    for name, value in fields.items():
        setattr(current, name, value)
    if current.running_number is None and current.department_id:
        current.number_prefix = current.department.letter_code
    current.full_clean()
    _check_links(current)
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    if after:
        _audit(current, by, AuditEntry.Action.UPDATE, before=before, after=after)
    return current


@transaction.atomic
def memo_delete(*, memo: Memo, by) -> None:
    current = Memo.objects.select_for_update().get(pk=memo.pk)
    if current.status != Memo.Status.DRAFT or current.running_number is not None:
        raise InvalidTransition(_("ลบได้เฉพาะบันทึกร่างที่ยังไม่เคยส่ง"))
    if current.author_id != by.pk:
        raise PermissionDenied("only the author deletes a draft")
    _audit(
        current, by, AuditEntry.Action.DELETE, before={"subject": current.subject, "status": _status(current.status)}
    )
    current.delete()


# ---------------------------------------------------------------- the route


def _next_number(agency: Agency, year: int) -> int:
    counter, _created = MemoCounter.objects.get_or_create(agency=agency, year=year)
    counter = MemoCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def build_table(memo: Memo) -> dict | None:
    if memo.kind in (Memo.Kind.PROGRESS_6, Memo.Kind.PROGRESS_12) and memo.plan is not None:
        return tables.progress_table(memo.plan, memo.as_of or timezone.localdate())
    if memo.kind == Memo.Kind.PLAN and memo.plan is not None:
        return tables.plan_table(memo.plan)
    if memo.kind == Memo.Kind.ANALYSIS and memo.assessment is not None:
        return tables.analysis_table(memo.assessment)
    return None


def _event(memo: Memo, actor, action: str, from_status: str, from_step, comment: str = "") -> None:
    MemoEvent.objects.create(
        memo=memo,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=memo.status,
        from_step=from_step,
        to_step=memo.current_step,
        comment=comment,
    )


def _status(status: str) -> str:
    """Statuses go into the audit trail by their label, as the reader knows them."""
    return str(Memo.Status(status).label)


def _audit(memo: Memo, by, action: str, *, before: dict | None = None, after: dict | None = None) -> None:
    summary = _("บันทึก %(number)s เรื่อง %(subject)s") % {"number": memo.number, "subject": memo.subject[:200]}
    audit_record(
        agency=memo.agency_id,
        actor=by,
        action=action,
        obj_type=AuditEntry.ObjectType.MEMO,
        obj_id=memo.pk,
        summary=summary,
        before=before,
        after=after,
    )


def _check_move(memo: Memo, to: str) -> None:
    if not memo.can_move_to(to):
        raise InvalidTransition(
            _("บันทึกที่มีสถานะ “%(status)s” เปลี่ยนเป็น “%(to)s” ไม่ได้")
            % {"status": memo.get_status_display(), "to": Memo.Status(to).label}
        )


@transaction.atomic
def memo_submit(*, memo: Memo, by) -> Memo:
    """Send the memo to step 1: number it (once), fix its table, and copy its chain's steps."""
    current = Memo.objects.select_for_update().select_related("agency", "chain", "department").get(pk=memo.pk)
    if current.author_id != by.pk:
        raise PermissionDenied("only the author submits")
    _check_move(current, Memo.Status.PENDING)
    if current.status == Memo.Status.PENDING:
        raise InvalidTransition(_("บันทึกนี้ส่งพิจารณาแล้ว"))
    chain_steps = list(current.chain.steps.prefetch_related("approvers", "acting_approvers"))
    if not chain_steps or any(not step.approvers.all() for step in chain_steps):
        raise ValidationError(_("สายการพิจารณานี้มีขั้นที่ยังไม่มีผู้พิจารณา แก้ไขสายการพิจารณาก่อนส่ง"), code="chain_without_people")
    from_status = current.status
    today = timezone.localdate()
    if current.running_number is None:
        current.number_year = to_be(today.year)
        current.running_number = _next_number(current.agency, current.number_year)
        current.number_prefix = current.department.letter_code
    current.date = today
    current.table = build_table(current)
    current.status = Memo.Status.PENDING
    current.current_step = 1
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    current.steps.all().delete()
    for step in chain_steps:
        row = MemoStep.objects.create(
            memo=current, order=step.order, position_title=step.position_title, comment_label=step.comment_label
        )
        row.approvers.set(step.approvers.all())
        row.acting_approvers.set(step.acting_approvers.all())
    _event(current, by, "submit", from_status, None)
    _audit(
        current,
        by,
        AuditEntry.Action.TRANSITION,
        before={"status": _status(from_status)},
        after={"status": _status(current.status)},
    )
    _notify_step(current)
    return current


def step_roles(step: MemoStep, user) -> tuple[bool, Membership | None]:
    """(may act, acting-for?) and the membership the person acts with at ``step``."""
    for membership in step.approvers.all():
        if membership.user_id == user.pk and membership.is_active:
            return True, membership
    for membership in step.acting_approvers.all():
        if membership.user_id == user.pk and membership.is_active:
            return True, membership
    return False, None


@transaction.atomic
def memo_decide(*, memo: Memo, by, decision: str, comment: str = "", step_order: int) -> Memo:
    """Record a decision at step ``step_order``. The step in the request must be the memo's current step:
    a second post of the same approval (two tabs) finds the memo moved on and is refused."""
    current = Memo.objects.select_for_update().select_related("agency").get(pk=memo.pk)
    if current.status != Memo.Status.PENDING or current.current_step != step_order:
        raise InvalidTransition(_("บันทึกนี้ได้รับการพิจารณาในขั้นนี้แล้ว หรือยังไม่ถึงขั้นนี้"))
    if current.author_id == by.pk:
        raise PermissionDenied("nobody approves their own memo")
    step = current.steps.prefetch_related("approvers", "acting_approvers").get(order=step_order)
    may_act, membership = step_roles(step, by)
    if not may_act:
        raise PermissionDenied("not an approver of this step")
    if decision not in MemoStep.Decision.values:
        raise ValidationError(_("ผลการพิจารณาไม่ถูกต้อง"), code="bad_decision")
    if decision == MemoStep.Decision.RETURN and not comment.strip():
        raise ValidationError({"comment": _("ระบุสิ่งที่ต้องแก้ไขเมื่อส่งคืน")}, code="return_without_comment")
    acting = membership not in step.approvers.all()
    step.decision = decision
    step.comment = comment
    step.decided_by = by
    step.signer_name = by.get_full_name() or by.get_username()
    step.signer_position = membership.position_title if membership else ""
    step.acting = acting
    step.decided_at = timezone.now()
    step.save()

    from_status, from_step = current.status, current.current_step
    last = current.steps.count()
    if decision == MemoStep.Decision.RETURN:
        _check_move(current, Memo.Status.RETURNED)
        current.status = Memo.Status.RETURNED
        current.current_step = None
        action = "return"
    elif step_order >= last:
        _check_move(current, Memo.Status.APPROVED)
        current.status = Memo.Status.APPROVED
        current.current_step = None
        action = "approve"
    else:
        current.current_step = step_order + 1
        action = "forward"
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    _event(current, by, action, from_status, from_step, comment)
    before, after = audit_diff(
        {"status": _status(from_status), "current_step": from_step},
        {"status": _status(current.status), "current_step": current.current_step},
    )
    after |= {"decision": MemoStep.Decision(decision).label, "comment": comment}
    _audit(current, by, AuditEntry.Action.TRANSITION, before=before, after=after)
    if current.status == Memo.Status.RETURNED:
        _notify_author(current, comment)
    elif current.status == Memo.Status.PENDING:
        _notify_step(current)
    return current


@transaction.atomic
def memo_set_published(*, memo: Memo, published: bool) -> Memo:
    current = Memo.objects.select_for_update().get(pk=memo.pk)
    if published and current.status != Memo.Status.APPROVED:
        raise InvalidTransition(_("เผยแพร่ได้เฉพาะบันทึกที่อนุมัติแล้ว"))
    current.is_published = published
    current.save(update_fields=["is_published"])
    return current


# ---------------------------------------------------------------- mail, after commit


def _memo_url(memo: Memo) -> str:
    return site.absolute(reverse("reports:memo_detail", args=[memo.pk]))


def _send(subject: str, template: str, recipients: list[str], context: dict) -> None:
    recipients = [r for r in recipients if r]
    if not recipients:
        return
    body = render_to_string(template, context)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True)
    )


def _notify_step(memo: Memo) -> None:
    step = memo.steps.prefetch_related("approvers__user", "acting_approvers__user").get(order=memo.current_step)
    people = {m.user for m in [*step.approvers.all(), *step.acting_approvers.all()] if m.is_active}
    _send(
        f"[ITA Tracker] บันทึกรอท่านพิจารณา: {memo.subject[:80]}",
        "reports/email/memo_waiting.txt",
        [p.email for p in people if p.pk != memo.author_id],
        {"memo": memo, "step": step, "url": _memo_url(memo), "date": format_date(memo.date) if memo.date else ""},
    )


def _notify_author(memo: Memo, comment: str) -> None:
    _send(
        f"[ITA Tracker] บันทึกถูกส่งคืนแก้ไข: {memo.subject[:80]}",
        "reports/email/memo_returned.txt",
        [memo.author.email],
        {"memo": memo, "comment": comment, "url": _memo_url(memo)},
    )
